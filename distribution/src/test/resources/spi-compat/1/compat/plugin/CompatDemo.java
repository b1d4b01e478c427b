package compat.plugin;

import dbtool.spi.DemoScenario;
import java.io.PrintStream;
import java.net.URI;
import java.util.Map;

/** A demo with nothing to start. */
public final class CompatDemo implements DemoScenario {

    @Override
    public String engine() {
        return "compat";
    }

    @Override
    public String description() {
        return "nothing to start: the fixture's engine answers from memory";
    }

    @Override
    public Running start(PrintStream progress) {
        progress.println("compat demo: nothing to start");
        return new Running() {
            @Override
            public URI url() {
                return URI.create("compat://demo:7001/demo");
            }

            @Override
            public Map<String, String> thresholds() {
                return Map.of("compat_limit", "5");
            }

            @Override
            public void close() {
            }
        };
    }
}
