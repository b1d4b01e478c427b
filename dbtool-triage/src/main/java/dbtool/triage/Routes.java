package dbtool.triage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The routing tree of {@code triage.routes}, walked as Alertmanager walks its own: the root matches
 * everything; its child routes are tried in order, the first that matches is followed (and its children
 * in turn), and with {@code "continue": true} the siblings after it are tried too. A route whose
 * children all miss delivers to its own receiver, inherited from its parent when it names none.
 *
 * <pre>
 * "routes": {"receiver": "team-slack", "routes": [
 *   {"match": {"priority": ["P1", "P2"]}, "receiver": "pager", "continue": true},
 *   {"match": {"engine": "postgresql", "tag": "payments"}, "receiver": "payments-mail"}]}
 * </pre>
 *
 * Matchers: {@code engine}, {@code target}, {@code tag} (any of the target's tags), {@code priority},
 * {@code code} (the root cause or any finding's code), and {@code labels} (the alert's labels, each by
 * name). A value is one string or a list (any of them); a value starting with {@code ~} is a regular
 * expression that must match the whole value.
 */
public record Routes(Node root) {

    /** One route: its matchers, receiver (null: the parent's), whether siblings are tried after it, and children. */
    public record Node(String path, Map<String, List<String>> match, Map<String, List<String>> labels, String receiver, boolean continues,
                       List<Node> routes) {
    }

    /** What a route matches against. */
    public record Subject(String engine, String target, List<String> tags, Priority priority, List<String> codes, Map<String, String> labels) {
    }

    /** A receiver reached, with the route that led there (for {@code dbtool route test}). */
    public record Hit(String receiver, String route) {
    }

    /** The receivers {@code subject} reaches, in order, each once. */
    public List<Hit> receivers(Subject subject) {
        List<Hit> hits = new ArrayList<>();
        walk(root, root.receiver(), subject, hits);
        Set<String> seen = new LinkedHashSet<>();
        return hits.stream().filter(h -> h.receiver() != null && seen.add(h.receiver())).toList();
    }

    private static void walk(Node node, String inherited, Subject subject, List<Hit> hits) {
        String receiver = node.receiver() != null ? node.receiver() : inherited;
        boolean matchedChild = false;
        for (Node child : node.routes()) {
            if (matches(child, subject)) {
                matchedChild = true;
                walk(child, receiver, subject, hits);
                if (!child.continues()) {
                    break;
                }
            }
        }
        if (!matchedChild) {
            hits.add(new Hit(receiver, node.path()));
        }
    }

    static boolean matches(Node node, Subject subject) {
        for (Map.Entry<String, List<String>> matcher : node.match().entrySet()) {
            List<String> values = switch (matcher.getKey()) {
                case "engine" -> List.of(subject.engine() == null ? "" : subject.engine());
                case "target" -> List.of(subject.target() == null ? "" : subject.target());
                case "tag" -> subject.tags();
                case "priority" -> List.of(subject.priority().name());
                case "code" -> subject.codes();
                default -> List.of();
            };
            if (values.stream().noneMatch(value -> anyOf(matcher.getValue(), value))) {
                return false;
            }
        }
        for (Map.Entry<String, List<String>> label : node.labels().entrySet()) {
            String value = subject.labels().get(label.getKey());
            if (value == null || !anyOf(label.getValue(), value)) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyOf(List<String> wanted, String value) {
        for (String w : wanted) {
            if (w.startsWith("~") ? Pattern.compile(w.substring(1)).matcher(value).matches() : w.equalsIgnoreCase(value)) {
                return true;
            }
        }
        return false;
    }

    static final Set<String> MATCHERS = Set.of("engine", "target", "tag", "priority", "code", "labels");

    /** Reads {@code triage.routes}; every receiver named must be one of {@code receivers}. */
    public static Routes of(Block routes, Set<String> receivers) {
        Node root = node(routes, receivers, true);
        if (root.receiver() == null) {
            throw routes.fail("receiver", "missing; the root route needs a receiver (the default for whatever no route below matches)");
        }
        return new Routes(root);
    }

    private static Node node(Block block, Set<String> receivers, boolean root) {
        block.only(root ? new String[] {"receiver", "routes"} : new String[] {"match", "receiver", "continue", "routes"});
        String receiver = block.string("receiver", null);
        if (receiver != null && !receivers.contains(receiver)) {
            throw block.fail("receiver", "no receiver \"" + receiver + "\" under triage.receivers; known: " + String.join(", ", receivers));
        }
        Map<String, List<String>> match = new LinkedHashMap<>();
        Map<String, List<String>> labels = new LinkedHashMap<>();
        if (block.has("match")) {
            Block matchers = block.object("match");
            matchers.only(MATCHERS.toArray(String[]::new));
            for (String key : matchers.json().keySet()) {
                if (key.equals("labels")) {
                    Block labelBlock = matchers.object("labels");
                    for (String label : labelBlock.json().keySet()) {
                        labels.put(label, checked(labelBlock, label));
                    }
                } else {
                    List<String> values = checked(matchers, key);
                    if (key.equals("priority")) {
                        for (String value : values) {
                            if (!value.startsWith("~") && !value.toUpperCase(Locale.ROOT).matches("P[1-5]")) {
                                throw matchers.fail(key, "expected P1 to P5, got \"" + value + "\"");
                            }
                        }
                    }
                    match.put(key, values);
                }
            }
        }
        List<Node> children = new ArrayList<>();
        for (Block child : block.objects("routes")) {
            children.add(node(child, receivers, false));
        }
        return new Node(block.path(), Map.copyOf(match), Map.copyOf(labels), receiver, block.bool("continue", false), List.copyOf(children));
    }

    private static List<String> checked(Block block, String key) {
        List<String> values = block.strings(key);
        for (String value : values) {
            if (value.startsWith("~")) {
                try {
                    Pattern.compile(value.substring(1));
                } catch (PatternSyntaxException e) {
                    throw block.fail(key, "not a regular expression: " + e.getDescription());
                }
            }
        }
        return values;
    }
}
