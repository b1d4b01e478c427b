package dbtool.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PluginLayerFactoryTest {

    @Test
    void aJdkModuleMissingFromTheRuntimeIsNamedWithWhatToDo() {
        String reason = PluginLayerFactory.missingJdkModule("Module java.nosuchmodule not found, required by org.mariadb.jdbc").orElseThrow();
        assertTrue(reason.startsWith("module org.mariadb.jdbc requires JDK module java.nosuchmodule, which this dbtool runtime does not include"),
                reason);
        assertTrue(reason.contains("bundle.jdk.extra.modules") && reason.contains("docs/plugins.md"), reason);
    }

    @Test
    void aMissingLibraryOrAModuleThatIsPresentIsLeftToTheResolversWords() {
        assertEquals(Optional.empty(), PluginLayerFactory.missingJdkModule("Module com.fasterxml.jackson.databind not found, required by md"));
        // java.sql is in the boot layer, so whatever failed, it was not a missing JDK module.
        assertEquals(Optional.empty(), PluginLayerFactory.missingJdkModule("Module java.sql not found, required by x"));
    }
}
