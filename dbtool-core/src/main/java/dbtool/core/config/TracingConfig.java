package dbtool.core.config;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dbtool.core.DbtoolException;
import dbtool.core.SafeText;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * The configuration's {@code "tracing"} block: {@code {"link": "https://tempo.example/trace/{traceId}"}}, the
 * template that turns the application trace ids in findings into links (docs/tracing.md). Checked when the file is
 * read, so a bad template stops every command with one line (78).
 */
public final class TracingConfig {

    /** The placeholder a template must hold. */
    public static final String PLACEHOLDER = "{traceId}";
    /** The field, as errors name it. */
    public static final String FIELD = "tracing.link";

    private TracingConfig() {
    }

    /**
     * The configured link template, checked; empty when there is none.
     *
     * @throws DbtoolException (78) naming the file, position and field, and what was expected
     */
    public static Optional<String> link(Config config) {
        JsonElement section = config.section("tracing").orElse(null);
        if (section == null) {
            return Optional.empty();
        }
        JsonObject tracing = section.getAsJsonObject();
        for (String key : tracing.keySet()) {
            if (!key.equals("link")) {
                throw DbtoolException.config(config.locate("tracing." + key) + ": unknown field; expected \"link\"");
            }
        }
        JsonElement link = tracing.get("link");
        if (link == null || link.isJsonNull()) {
            return Optional.empty();
        }
        if (!link.isJsonPrimitive() || !link.getAsJsonPrimitive().isString()) {
            throw DbtoolException.config(config.locate(FIELD) + ": expected a string such as \"https://tempo.example/trace/{traceId}\"");
        }
        return Optional.of(checked(config.locate(FIELD), link.getAsString()));
    }

    /**
     * A template as {@link #link} accepts it: an http or https URL with a host, holding {@value #PLACEHOLDER}.
     *
     * @param where    what an error names first (file, position, field)
     * @param template the template
     * @return the template
     * @throws DbtoolException (78) when it is not
     */
    public static String checked(String where, String template) {
        String expected = ": expected an http or https URL with " + PLACEHOLDER + ", such as https://tempo.example/trace/{traceId}; got \""
                + shown(template) + "\"";
        if (!template.contains(PLACEHOLDER)) {
            throw DbtoolException.config(where + expected + " (no " + PLACEHOLDER + ")");
        }
        try {
            URI uri = new URI(template.replace(PLACEHOLDER, "0af7651916cd43dd8448eb211c80319c"));
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
                throw DbtoolException.config(where + expected);
            }
        } catch (URISyntaxException e) {
            throw DbtoolException.config(where + expected + " (" + e.getReason() + ")");
        }
        return template;
    }

    /** A template as an error message quotes it: one line, cut. */
    private static String shown(String template) {
        String line = SafeText.oneLine(template);
        return line.length() > 120 ? line.substring(0, 119) + "…" : line;
    }
}
