package dbtool.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dbtool.core.Environment;
import dbtool.core.ExitCodes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands from feature modules join the built-ins: listed after them, in help, and run like them. */
class FeatureCommandsTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static final class Feature implements Command {
        private final String name;

        Feature(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String synopsis() {
            return "[options]";
        }

        @Override
        public String summary() {
            return "a feature command";
        }

        @Override
        public Options options() {
            return new Options().addOption(Option.builder().longOpt("interval").hasArg().argName("DURATION").desc("how often").get());
        }

        @Override
        public int run(CommandLine line, CommandContext context) {
            context.out().println(name + " ran with interval " + line.getOptionValue("interval"));
            return ExitCodes.OK;
        }
    }

    private CommandContext context() {
        Environment environment = new Environment(Map.of("DBTOOL_CONFIG", dir.resolve("none.json").toString(),
                "DBTOOL_PLUGIN_PATH", dir.toString()), dir, "Linux", null);
        return new CommandContext(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false);
    }

    @Test
    void aFeatureCommandIsListedAfterTheBuiltInsAndRuns() {
        CommandLineInterface cli = CommandLineInterface.standard(List.of(new Feature("watch")));
        List<String> names = List.copyOf(cli.commands().keySet());
        assertEquals("watch", names.getLast(), names.toString());
        assertTrue(names.contains("troubleshoot") && names.contains("help"), names.toString());

        assertEquals(ExitCodes.OK, cli.execute(List.of("watch", "--interval", "30s"), context()));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("watch ran with interval 30s"));
    }

    @Test
    void helpShowsAFeatureCommandAndItsOptions() {
        CommandLineInterface cli = CommandLineInterface.standard(List.of(new Feature("watch")));
        cli.execute(List.of("help"), context());
        cli.execute(List.of("help", "watch"), context());
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("watch") && text.contains("a feature command"), text);
        assertTrue(text.contains("--interval"), text);
    }

    @Test
    void aFeatureNeverReplacesABuiltInOfTheSameName() {
        Command builtIn = CommandLineInterface.standard(List.of()).commands().get("troubleshoot");
        CommandLineInterface cli = CommandLineInterface.standard(List.of(new Feature("troubleshoot")));
        assertSame(builtIn.getClass(), cli.commands().get("troubleshoot").getClass());
    }
}
