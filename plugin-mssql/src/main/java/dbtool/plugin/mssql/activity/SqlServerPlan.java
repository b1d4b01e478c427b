package dbtool.plugin.mssql.activity;

import dbtool.plugin.mssql.SqlServerSession;
import dbtool.plugin.mssql.checks.Xml;
import dbtool.spi.ActiveSession;
import dbtool.spi.CheckContext;
import dbtool.spi.QueryPlan;
import dbtool.toolkit.Values;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The plan of a session's running request, from the plan cache: the showplan XML SQL Server
 * compiled for it, summarised (the operators with the largest estimated cost of their own,
 * missing-index hints, warnings such as spills). Nothing is compiled or run: the plan is read, so
 * it never waits for the locks the view shows.
 */
public final class SqlServerPlan {

    /** The most costly operators shown; a plan of hundreds of operators stays readable. */
    static final int OPERATORS = 5;

    private SqlServerPlan() {
    }

    /**
     * dm_exec_text_query_plan rather than dm_exec_query_plan: with the request's offsets it gives
     * the plan of the statement running now, not of its whole batch or procedure, and as nvarchar,
     * which both drivers read (jTDS has no xml type); it also answers for plans deeper than the xml
     * type's 128 levels.
     */
    static String sql(int sessionId) {
        return """
                SELECT r.status, p.query_plan
                FROM sys.dm_exec_requests AS r
                OUTER APPLY sys.dm_exec_text_query_plan(r.plan_handle, r.statement_start_offset, r.statement_end_offset) AS p
                WHERE r.session_id = %d
                """.formatted(sessionId);
    }

    public static QueryPlan read(SqlServerSession session, ActiveSession watched, CheckContext context) throws SQLException {
        int id;
        try {
            id = Integer.parseInt(watched.id());
        } catch (NumberFormatException e) {
            return QueryPlan.unavailable("not a SQL Server session id: " + watched.id());
        }
        return interpret(session.query(sql(id), context));
    }

    /** The plan statement's rows as the view's plan, or why there is none. */
    public static QueryPlan interpret(List<Map<String, Object>> rows) {
        if (rows.isEmpty()) {
            return QueryPlan.unavailable("the session runs no request now: a session that only holds a transaction open has no plan");
        }
        String xml = Values.text(rows.getFirst(), "query_plan");
        if (xml.isEmpty()) {
            return QueryPlan.unavailable("the request's plan is not in the plan cache (still compiling, OPTION (RECOMPILE), "
                    + "or a statement with no plan such as WAITFOR)");
        }
        return QueryPlan.of(summary(Xml.parse(xml)));
    }

    static List<String> summary(Element showPlan) {
        List<String> lines = new ArrayList<>();
        Element statement = first(showPlan, "StmtSimple");
        if (statement != null && !statement.getAttribute("StatementSubTreeCost").isEmpty()) {
            lines.add("estimated cost " + statement.getAttribute("StatementSubTreeCost")
                    + (statement.getAttribute("StatementOptmLevel").isEmpty() ? "" : ", optimisation " + statement.getAttribute("StatementOptmLevel")));
        }
        List<Operator> operators = new ArrayList<>();
        for (Element relOp : all(showPlan, "RelOp")) {
            operators.add(Operator.of(relOp));
        }
        operators.stream().sorted(Comparator.comparingDouble(Operator::ownCost).reversed()).limit(OPERATORS)
                .forEach(op -> lines.add(op.line()));
        for (Element group : all(showPlan, "MissingIndexGroup")) {
            lines.add(missingIndex(group));
        }
        for (Element relOp : all(showPlan, "RelOp")) {
            for (Element warnings : Xml.children(relOp, "Warnings")) {
                for (Element warning : Xml.children(warnings, null)) {
                    lines.add("warning on " + relOp.getAttribute("PhysicalOp") + " (node " + relOp.getAttribute("NodeId") + "): "
                            + warning.getTagName() + level(warning));
                }
            }
        }
        if (operators.isEmpty()) {
            lines.add("the plan has no operators (a statement SQL Server runs without a query plan)");
        }
        return lines;
    }

    /**
     * One operator and its own estimated cost: its subtree's cost less its inputs' subtrees (the
     * RelOps nearest below it), so that the root, whose subtree is the whole plan, does not always win.
     */
    record Operator(String physical, String logical, String object, double subtree, double ownCost, String rows, String nodeId) {

        static Operator of(Element relOp) {
            double subtree = number(relOp.getAttribute("EstimatedTotalSubtreeCost"));
            double inputs = 0;
            for (Element input : inputs(relOp)) {
                inputs += number(input.getAttribute("EstimatedTotalSubtreeCost"));
            }
            Element object = first(relOp, "Object", relOp);
            String name = object == null ? "" : String.join(".", nonEmpty(object.getAttribute("Table"), object.getAttribute("Index")));
            return new Operator(relOp.getAttribute("PhysicalOp"), relOp.getAttribute("LogicalOp"), name, subtree,
                    Math.max(0, subtree - inputs), relOp.getAttribute("EstimateRows"), relOp.getAttribute("NodeId"));
        }

        String line() {
            String what = physical.equals(logical) || logical.isEmpty() ? physical : physical + " (" + logical + ")";
            return String.format(Locale.ROOT, "%s%s: cost %.4g of its own, %s rows estimated (node %s)",
                    what, object.isEmpty() ? "" : " " + object, ownCost, rows.isEmpty() ? "?" : rows, nodeId);
        }
    }

    /** "missing index (impact 91.2%): [shop].[dbo].[Orders] equality (CustomerId) include (Total)". */
    private static String missingIndex(Element group) {
        StringBuilder line = new StringBuilder("missing index (impact " + group.getAttribute("Impact") + "%):");
        for (Element index : Xml.children(group, "MissingIndex")) {
            line.append(' ').append(index.getAttribute("Database")).append('.').append(index.getAttribute("Schema"))
                    .append('.').append(index.getAttribute("Table"));
            for (Element columns : Xml.children(index, "ColumnGroup")) {
                List<String> names = Xml.children(columns, "Column").stream().map(c -> c.getAttribute("Name")).toList();
                line.append(' ').append(columns.getAttribute("Usage").toLowerCase(Locale.ROOT)).append(" (")
                        .append(String.join(", ", names)).append(')');
            }
        }
        return line.toString();
    }

    private static String level(Element warning) {
        return warning.getAttribute("SpillLevel").isEmpty() ? "" : " (spill level " + warning.getAttribute("SpillLevel") + ")";
    }

    /** The RelOps nearest below this one: its inputs. */
    private static List<Element> inputs(Element relOp) {
        List<Element> found = new ArrayList<>();
        collectInputs(relOp, found);
        return found;
    }

    private static void collectInputs(Element parent, List<Element> found) {
        for (Element child : Xml.children(parent, null)) {
            if (child.getTagName().equals("RelOp")) {
                found.add(child);
            } else {
                collectInputs(child, found);
            }
        }
    }

    private static List<Element> all(Element root, String tag) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = root.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element element) {
                found.add(element);
            }
        }
        return found;
    }

    private static Element first(Element root, String tag) {
        List<Element> found = all(root, tag);
        return found.isEmpty() ? null : found.getFirst();
    }

    /** The first such element under this operator that belongs to it, not to one of its inputs. */
    private static Element first(Element root, String tag, Element owner) {
        for (Element element : all(root, tag)) {
            if (nearestRelOp(element) == owner) {
                return element;
            }
        }
        return null;
    }

    private static Element nearestRelOp(Element element) {
        for (Node node = element.getParentNode(); node != null; node = node.getParentNode()) {
            if (node instanceof Element parent && parent.getTagName().equals("RelOp")) {
                return parent;
            }
        }
        return null;
    }

    private static List<String> nonEmpty(String... parts) {
        return Arrays.stream(parts).filter(p -> !p.isEmpty()).toList();
    }

    private static double number(String text) {
        try {
            return text.isEmpty() ? 0 : Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
