package dbtool.change.diff;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dbtool.spi.CatalogSource.Catalog;
import dbtool.spi.CatalogSource.CatalogObject;
import dbtool.spi.CatalogSource.Weight;
import dbtool.spi.Finding;
import dbtool.spi.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The engine-neutral rules of the comparison, on catalogs as any engine's plugin would fill them in. */
class ParityTest {

    private static final Parity.Sides SIDES = new Parity.Sides("a", "b");
    private static final Parity.Scope ALL = new Parity.Scope(null, false);

    private static CatalogObject table(String name) {
        return new CatalogObject("table", "s", name, null, Weight.BEHAVIOUR, Map.of(), List.of("CREATE " + name, "INDEX ON " + name),
                Map.of(), List.of("DROP " + name));
    }

    private static CatalogObject column(String table, String name, String type, boolean alterable) {
        return new CatalogObject("column", "s", table + "." + name, CatalogObject.key("table", "s", table), Weight.BEHAVIOUR,
                Map.of("type", type), List.of("ADD " + name + " " + type), alterable ? Map.of("type", List.of("TYPE " + type)) : Map.of(),
                List.of("DROP " + name));
    }

    private static Catalog catalog(String version, String major, CatalogObject... objects) {
        return new Catalog("test", version, major, List.of(objects));
    }

    @Test
    void aMissingTableIsOneFindingWhoseCreateBringsItsChildren() {
        List<Finding> findings = Parity.compare(catalog("1.0", "1", table("t"), column("t", "c", "int", true)), catalog("1.0", "1"), SIDES, ALL);
        assertEquals(1, findings.size(), findings.toString());
        assertEquals("PARITY_TABLE", findings.getFirst().code());
        assertEquals(List.of("CREATE t", "INDEX ON t"), findings.getFirst().evidence().get("statements"));
    }

    @Test
    void anAttributeWithoutAnAlterIsAlignedByDropAndCreate() {
        List<Finding> alter = Parity.compare(catalog("1.0", "1", table("t"), column("t", "c", "int", true)),
                catalog("1.0", "1", table("t"), column("t", "c", "text", true)), SIDES, ALL);
        assertEquals(List.of("TYPE int"), alter.getFirst().evidence().get("statements"));
        List<Finding> recreate = Parity.compare(catalog("1.0", "1", table("t"), column("t", "c", "int", false)),
                catalog("1.0", "1", table("t"), column("t", "c", "text", false)), SIDES, ALL);
        assertEquals(List.of("DROP c", "ADD c int"), recreate.getFirst().evidence().get("statements"));
    }

    @Test
    void aMajorVersionIsAWarningAMinorOneInfoAndLocalObjectsOnlyWhenAsked() {
        CatalogObject port = new CatalogObject("setting", null, "port", null, Weight.LOCAL, Map.of("value", "1"), List.of(), Map.of(), List.of());
        CatalogObject other = new CatalogObject("setting", null, "port", null, Weight.LOCAL, Map.of("value", "2"), List.of(), Map.of(), List.of());
        assertEquals(Severity.WARNING, Parity.compare(catalog("2.0", "2"), catalog("1.0", "1"), SIDES, ALL).getFirst().severity());
        assertEquals(Severity.INFO, Parity.compare(catalog("1.1", "1"), catalog("1.0", "1"), SIDES, ALL).getFirst().severity());
        assertEquals(List.of(), Parity.compare(catalog("1.0", "1", port), catalog("1.0", "1", other), SIDES, ALL));
        assertEquals(1, Parity.compare(catalog("1.0", "1", port), catalog("1.0", "1", other), SIDES, new Parity.Scope(null, true)).size());
    }

    @Test
    void aSchemaFilterKeepsThatSchemaAndTheWideObjects() {
        CatalogObject elsewhere = new CatalogObject("table", "other", "t", null, Weight.BEHAVIOUR, Map.of(), List.of("CREATE"), Map.of(),
                List.of("DROP"));
        assertEquals(List.of(), Parity.compare(catalog("1.0", "1", elsewhere), catalog("1.0", "1"), SIDES, new Parity.Scope("s", false)));
        assertEquals(1, Parity.compare(catalog("1.0", "1", elsewhere), catalog("1.0", "1"), SIDES, new Parity.Scope("other", false)).size());
    }
}
