package dbtool.core.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dbtool.core.DbtoolException;
import dbtool.core.ExitCodes;
import dbtool.spi.EnginePlugin;
import dbtool.spi.Grant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code dbtool grants ENGINE}: the statements that give a login exactly what the engine's checks read,
 * from the plugin's own declaration ({@link EnginePlugin#grants()}), each after a comment saying why.
 */
final class GrantsCommand implements Command {

    /** The grantee when --role is not given. */
    static final String DEFAULT_ROLE = "dbtool_monitor";

    // Values end up inside SQL: plain identifiers only, so no value can close a quote or add a statement.
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]{0,62}");

    @Override
    public String name() {
        return "grants";
    }

    @Override
    public String synopsis() {
        return "ENGINE [options]";
    }

    @Override
    public String summary() {
        return "print the least-privilege grants an engine's checks need, each with its reason";
    }

    @Override
    public String description() {
        return """
                Prints the statements that give an existing login or role exactly what 'dbtool troubleshoot' reads on \
                ENGINE (postgresql, sqlserver, mongodb, snowflake, mariadb...), each after a comment saying which \
                checks need it. Nothing is executed: review the script, then run it as an administrator \
                (psql -f, sqlcmd -i, mongosh, snowsql). No login and no password is created: that is the DBA's or \
                Vault's (deploy/terraform renders the same statements into a Vault role's creation statements; \
                deploy/ansible applies them).
                Statements that name other objects (a Snowflake warehouse) take their values from --set NAME=VALUE; \
                without it the placeholder stays, marked {{name}}.
                Exit code: 0; 64 for an unknown engine, a --role or --set value that is not a plain identifier, or \
                a --set name the engine's statements do not use.""";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder("r").longOpt("role").hasArg().argName("NAME")
                        .desc("the login or role to grant to (default " + DEFAULT_ROLE + ")").get())
                .addOption(Option.builder().longOpt("set").hasArg().argName("NAME=VALUE")
                        .desc("a value for a placeholder in the statements, e.g. warehouse=ETL_WH (repeatable)").get())
                .addOption(Option.builder("f").longOpt("format").hasArg().argName("text|json")
                        .desc("text (a script with comments, default) or json (engine, role, statements with reasons and templates)").get());
    }

    @Override
    public int[] arity() {
        return new int[] {1, 1};
    }

    @Override
    public int run(CommandLine line, CommandContext context) {
        String format = line.getOptionValue("format", "text");
        if (!format.equals("text") && !format.equals("json")) {
            throw DbtoolException.usage("--format: expected text or json, got '" + format + "'");
        }
        EnginePlugin engine = context.plugins().requireEngine(line.getArgList().getFirst());
        List<Grant> grants = engine.grants();
        Map<String, String> values = values(line, grants, engine.id());
        if (format.equals("json")) {
            context.out().println(json(engine, values, grants));
        } else {
            context.out().print(script(engine, values, grants));
        }
        return ExitCodes.OK;
    }

    /** --role and every --set, checked: plain identifiers, and only names the statements use. */
    static Map<String, String> values(CommandLine line, List<Grant> grants, String engineId) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put(Grant.ROLE, identifier("--role", line.getOptionValue("role", DEFAULT_ROLE)));
        Set<String> used = new LinkedHashSet<>();
        grants.forEach(g -> used.addAll(Grant.placeholders(g.statement())));
        used.remove(Grant.ROLE);
        for (String pair : line.getOptionValues("set") == null ? new String[0] : line.getOptionValues("set")) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw DbtoolException.usage("--set: expected NAME=VALUE, got '" + pair + "'");
            }
            String name = pair.substring(0, equals);
            if (!used.contains(name)) {
                throw DbtoolException.usage("--set " + name + ": " + engineId + "'s statements have no {{" + name + "}}"
                        + (used.isEmpty() ? " (they use none but --role)" : "; they use " + String.join(", ", used)));
            }
            values.put(name, identifier("--set " + name, pair.substring(equals + 1)));
        }
        return values;
    }

    private static String identifier(String flag, String value) {
        if (!IDENTIFIER.matcher(value).matches()) {
            throw DbtoolException.usage(flag + ": expected a plain identifier (letters, digits, _ or $, not starting"
                    + " with a digit, at most 63 characters), got '" + value + "'");
        }
        return value;
    }

    /** The statement with the values filled in; placeholders without a value stay as they are. */
    static String render(String statement, Map<String, String> values) {
        String rendered = statement;
        for (Map.Entry<String, String> value : values.entrySet()) {
            rendered = rendered.replace("{{" + value.getKey() + "}}", value.getValue());
        }
        return rendered;
    }

    static String script(EnginePlugin engine, Map<String, String> values, List<Grant> grants) {
        String comment = engine.id().equals("mongodb") ? "// " : "-- ";
        StringBuilder out = new StringBuilder();
        if (grants.isEmpty()) {
            return comment + engine.displayName() + ": the plugin declares no grants; see its documentation.\n";
        }
        out.append(comment).append("dbtool: the least-privilege grants for ").append(engine.displayName()).append(", to ")
                .append(values.get(Grant.ROLE)).append(".\n");
        out.append(comment).append("Run as an administrator on a login or role that exists; dbtool creates none and sets no password.\n");
        Set<String> open = new LinkedHashSet<>();
        grants.forEach(g -> open.addAll(Grant.placeholders(render(g.statement(), values))));
        if (!open.isEmpty()) {
            out.append(comment).append("Replace ").append(String.join(", ", open.stream().map(p -> "{{" + p + "}}").toList()))
                    .append(" (or give --set ").append(open.iterator().next()).append("=NAME).\n");
        }
        for (Grant grant : grants) {
            out.append('\n').append(comment).append(grant.reason()).append('\n').append(render(grant.statement(), values)).append(";\n");
        }
        return out.toString();
    }

    static String json(EnginePlugin engine, Map<String, String> values, List<Grant> grants) {
        JsonObject root = new JsonObject();
        root.addProperty("engine", engine.id());
        root.addProperty("role", values.get(Grant.ROLE));
        JsonArray statements = new JsonArray();
        for (Grant grant : grants) {
            JsonObject entry = new JsonObject();
            entry.addProperty("statement", render(grant.statement(), values));
            entry.addProperty("reason", grant.reason());
            entry.addProperty("template", grant.statement());
            statements.add(entry);
        }
        root.add("statements", statements);
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root);
    }
}
