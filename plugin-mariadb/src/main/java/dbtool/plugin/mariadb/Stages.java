package dbtool.plugin.mariadb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The timed stages of a connection (dns, tcp, tls, login), as the {@code stages} evidence of
 * the connectivity check: each with its name, milliseconds and result. (Kept apart so that the
 * shared plugin toolkit's stages can replace it.)
 */
public final class Stages {

    private final List<Map<String, Object>> stages = new ArrayList<>();
    private long started = System.nanoTime();

    /** Starts timing the next stage. */
    public void begin() {
        started = System.nanoTime();
    }

    /** Ends the stage begun last; returns its milliseconds. */
    public long done(String name, String result) {
        long ms = (System.nanoTime() - started) / 1_000_000;
        Map<String, Object> stage = new LinkedHashMap<>();
        stage.put("stage", name);
        stage.put("ms", ms);
        stage.put("result", result);
        stages.add(stage);
        return ms;
    }

    public List<Map<String, Object>> list() {
        return List.copyOf(stages);
    }

    public long totalMillis() {
        return stages.stream().mapToLong(s -> (Long) s.get("ms")).sum();
    }
}
