package dbtool.logs.mining;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An online log template miner after Drain (He et al., ICWS 2017): messages are masked
 * ({@link Masker}), routed through a fixed-depth tree by token count and their first tokens, and
 * joined to the most similar template in the leaf when enough of their tokens agree; the tokens
 * that differ become wildcards. One configuration serves every log (no per-system tuning).
 *
 * <p>Memory is bounded: at most {@link Settings#maxTemplates()} templates are kept; when a new one
 * would exceed the cap, one not matched for long is evicted (CLOCK, the second-chance approximation
 * of least recently used), and the count of evicted lines is kept. Output is deterministic: the same lines in the same order give the same ids and
 * templates.
 *
 * <p>Not thread-safe: one miner per reading thread.
 */
public final class TemplateMiner {

    /**
     * @param depth        tree depth: the token count plus {@code depth - 2} leading tokens route a message
     * @param similarity   the share of a template's tokens (literal or wildcard) a message must repeat
     *                     to join it when the tokens that differ look variable (digits, masked parts)
     * @param wordSimilarity the share of literal tokens a message must repeat to join a template it
     *                     differs from in a word ('Starting' and 'Ending' stay apart)
     * @param wordVariants how many templates that differ only in one word make that word a variable
     * @param maxChildren  children per tree node before further tokens share the wildcard branch
     * @param maxTemplates templates kept before one not matched for long is evicted
     */
    public record Settings(int depth, double similarity, double wordSimilarity, int wordVariants, int maxChildren,
                           int maxTemplates) {
        /** The one configuration for every log, measured on Loghub-2k (bench/logs/results.md). */
        public static Settings defaults() {
            return new Settings(4, 0.5, 0.9, 4, 100, 20_000);
        }

        public Settings withMaxTemplates(int value) {
            return new Settings(depth, similarity, wordSimilarity, wordVariants, maxChildren, value);
        }
    }

    /** One template and the lines it has taken. */
    public static final class Template {
        private final int id;
        private final String[] tokens;
        private long count;
        private List<Template> leaf;
        private Template mergedInto;
        private boolean evicted;
        private long lastUsed;
        private long queuedAt;
        private Object tag;
        /** Which tokens hold a wildcard inside (rhost=<*>): only those need a pattern match. */
        private final boolean[] partial;

        void set(int i, String token) {
            tokens[i] = token;
            partial[i] = !token.equals(Masker.WILDCARD) && token.contains(Masker.WILDCARD);
        }

        /** The template this one was joined into, when its word turned out to be a variable. */
        public Template resolve() {
            Template t = this;
            while (t.mergedInto != null) {
                t = t.mergedInto;
            }
            return t;
        }

        Template(int id, String[] tokens) {
            this.id = id;
            this.tokens = tokens;
            this.partial = new boolean[tokens.length];
            for (int i = 0; i < tokens.length; i++) {
                set(i, tokens[i]);
            }
        }

        public int id() {
            return id;
        }

        /** What the caller keeps with this template (LogAnalysis: its pattern), or null: no look-up by id per line. */
        public Object tag() {
            return tag;
        }

        public void tag(Object value) {
            tag = value;
        }

        public long count() {
            return count;
        }

        /** The template as text, tokens joined by one space; variables are {@value Masker#WILDCARD}. */
        public String text() {
            return String.join(" ", tokens);
        }

        /**
         * The text with each run of adjacent wildcard tokens written once: templates that differ only
         * in how many tokens a variable took (a list, a sentence in a quote) read the same.
         */
        public String key() {
            StringBuilder out = new StringBuilder();
            boolean lastWildcard = false;
            for (String token : tokens) {
                boolean wildcard = token.equals(Masker.WILDCARD);
                if (wildcard && lastWildcard) {
                    continue;
                }
                if (!out.isEmpty()) {
                    out.append(' ');
                }
                out.append(token);
                lastWildcard = wildcard;
            }
            return out.toString();
        }
    }

    private static final class Node {
        final Map<String, Node> children = new HashMap<>();
        List<Template> templates;
    }

    private final Settings settings;
    private final Map<Integer, Node> byLength = new HashMap<>();
    private final HashMap<Integer, Template> templates = new HashMap<>(256);
    /**
     * The templates in the order they were last queued, for eviction by CLOCK (second chance), an
     * approximation of least-recently-used that costs a line one counter increment instead of a map
     * look-up: the oldest is evicted unless it was used since it was queued, then it goes to the back.
     */
    private final ArrayDeque<Template> clock = new ArrayDeque<>();
    private long tick;
    private int nextId = 1;
    private long evictedLines;
    private Consumer<Template> evictionListener = t -> { };
    /** Masked lines already mined and the template each joined (see {@link #seen}): open addressing, cleared when half full. */
    private final String[] recentKeys = new String[1 << 16];
    private final Template[] recentValues = new Template[1 << 16];
    private int recentSize;
    private final StringBuilder scratch = new StringBuilder(256);

    public TemplateMiner(Settings settings) {
        if (settings.depth() < 3 || settings.similarity() <= 0 || settings.similarity() > 1 || settings.wordVariants() < 2
                || settings.maxChildren() < 1 || settings.maxTemplates() < 1) {
            throw new IllegalArgumentException("invalid miner settings: " + settings);
        }
        this.settings = settings;
    }

    public TemplateMiner() {
        this(Settings.defaults());
    }

    /** Mines one message and returns the template it joined or started. */
    public Template add(String message) {
        // one copy into a string: its hash and comparison are the JDK's vectorised ones, where reading the
        // buffer a character at a time cost more than the copy
        String key = Masker.masked(message, scratch).toString();
        int hash = key.hashCode();
        int slot = slot(key, hash);
        if (recentKeys[slot] != null) {
            Template seen = seen(recentValues[slot]);
            if (seen != null) {
                return seen;
            }
        }
        Template template = add(Masker.split(key));
        if (recentKeys[slot] == null && ++recentSize > recentKeys.length / 2) {
            // a bound on memory: cleared whole, the same way for the same input
            Arrays.fill(recentKeys, null);
            Arrays.fill(recentValues, null);
            recentSize = 1;
            slot = slot(key, hash);
        }
        recentKeys[slot] = key;
        recentValues[slot] = template;
        return template;
    }

    /** The slot of the recent-lines table that holds {@code masked}, or the empty one where it would go. */
    private int slot(String masked, int hash) {
        int mask = recentKeys.length - 1;
        int slot = (hash ^ (hash >>> 16)) & mask;
        while (recentKeys[slot] != null && !recentKeys[slot].equals(masked)) {
            slot = (slot + 1) & mask;
        }
        return slot;
    }

    /**
     * The template of a line whose masked tokens are those of a line already mined, counted, or null.
     * Such a line needs no search: the template it joined was generalised to take exactly these tokens,
     * and templates only ever grow more general. Most lines of a busy log repeat an earlier one once
     * masked, and this keeps them to one hash look-up.
     */
    private Template seen(Template cached) {
        Template template = cached.resolve();
        if (template.evicted) {
            return null;
        }
        template.count++;
        template.lastUsed = ++tick;
        return template;
    }

    public Template add(List<String> tokens) {
        List<Template> leaf = leaf(tokens);
        Template best = bestMatch(leaf, tokens);
        if (best == null) {
            best = mergeSiblings(leaf, tokens);
        }
        if (best == null) {
            best = new Template(nextId++, tokens.toArray(String[]::new));
            best.leaf = leaf;
            leaf.add(best);
            templates.put(best.id, best);
            best.lastUsed = ++tick;
            best.queuedAt = best.lastUsed;
            clock.addLast(best);
            if (leaf.size() > MAX_LEAF) {
                // lines with nothing in common (random words) all land in one wildcard leaf: compare each
                // line with at most MAX_LEAF templates, dropping the leaf's oldest
                evict(leaf.getFirst());
            }
            evictIfFull(best);
        } else {
            generalise(best, tokens);
            best.lastUsed = ++tick;
        }
        best.count++;
        return best.resolve();
    }

    /** Turns the template's tokens that the message does not repeat into (partial) wildcards. */
    private static void generalise(Template template, List<String> tokens) {
        String[] current = template.tokens;
        for (int i = 0; i < current.length; i++) {
            String t = current[i];
            String m = tokens.get(i);
            if (!t.equals(m) && !(template.partial[i] && Tokens.matches(t, m)) && !t.equals(Masker.WILDCARD)) {
                template.set(i, Tokens.common(t, m));
            }
        }
    }

    /**
     * When a message differs from templates in its leaf only in the same word position, and enough
     * of them do, that word is a variable after all (a user name, a
     * table): the templates are joined into the oldest one and the later ids resolve to it. Fewer
     * variants ({@link Settings#wordVariants()}) stay apart, as 'Starting' and 'Ending' or 'initialization.' and 'finalization.' should.
     */
    private Template mergeSiblings(List<Template> leaf, List<String> tokens) {
        Map<Integer, List<Template>> byPosition = new HashMap<>();
        for (Template candidate : leaf) {
            int position = onlyWordDifference(candidate.tokens, tokens);
            if (position >= 0) {
                byPosition.computeIfAbsent(position, p -> new ArrayList<>()).add(candidate);
            }
        }
        Template merged = null;
        for (Map.Entry<Integer, List<Template>> entry : byPosition.entrySet()) {
            List<Template> siblings = entry.getValue();
            if (siblings.size() + 1 < settings.wordVariants()) {
                continue;
            }
            siblings.sort((a, b) -> Integer.compare(a.id, b.id));
            Template keep = siblings.getFirst();
            keep.set(entry.getKey(), Masker.WILDCARD);
            for (Template other : siblings.subList(1, siblings.size())) {
                generalise(keep, List.of(other.tokens));
                keep.count += other.count;
                other.mergedInto = keep;
                leaf.remove(other);
                templates.remove(other.id);
            }
            merged = keep;
            break;
        }
        return merged;
    }


    /** The one position where template and message differ in a word (all else matching), or -1. */
    private static int onlyWordDifference(String[] template, List<String> tokens) {
        int position = -1;
        for (int i = 0; i < template.length; i++) {
            String t = template[i];
            String m = tokens.get(i);
            if (t.equals(m) || Tokens.matches(t, m)) {
                continue;
            }
            if (position >= 0 || !Tokens.isWord(t) || !Tokens.isWord(m)) {
                return -1;
            }
            position = i;
        }
        return position;
    }

    private List<Template> leaf(List<String> tokens) {
        Node node = byLength.computeIfAbsent(tokens.size(), n -> new Node());
        int levels = Math.min(settings.depth() - 2, tokens.size());
        for (int level = 0; level < levels; level++) {
            String key = routingKey(tokens.get(level));
            Node child = node.children.get(key);
            if (child == null) {
                if (node.children.size() >= settings.maxChildren()) {
                    key = Masker.WILDCARD;
                    child = node.children.get(key);
                }
                if (child == null) {
                    child = new Node();
                    node.children.put(key, child);
                }
            }
            node = child;
        }
        if (node.templates == null) {
            node.templates = new ArrayList<>(4);
        }
        return node.templates;
    }

    /** A token with a digit or a masked part is likely a variable: it routes to the wildcard branch. */
    private static String routingKey(String token) {
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if ((c >= '0' && c <= '9') || (c == '<' && token.startsWith(Masker.WILDCARD, i))) {
                return Masker.WILDCARD;
            }
        }
        return token;
    }

    /**
     * The most similar template in the leaf that differs from the message in no word: tokens that
     * differ must both look variable (a digit, a masked part, no letters), and enough of the
     * template's literal tokens must be repeated.
     */
    private Template bestMatch(List<Template> leaf, List<String> tokens) {
        Template best = null;
        double bestSimilarity = -1;
        int bestWildcards = -1;
        int length = tokens.size();
        for (Template candidate : leaf) {
            int equal = 0;
            int wildcards = 0;
            int wordDiffers = 0;
            int differing = 0;
            // more differing tokens than the looser threshold allows: no need to read further
            int maxDiffering = (int) Math.floor(length * (1 - settings.similarity()) + 1e-9);
            String[] template = candidate.tokens;
            for (int i = 0; i < length && differing <= maxDiffering; i++) {
                String t = template[i];
                String m = tokens.get(i);
                if (t.equals(Masker.WILDCARD)) {
                    wildcards++;
                } else if (t.equals(m) || (candidate.partial[i] && Tokens.matches(t, m))) {
                    equal++;
                } else {
                    differing++;
                    if (Tokens.isWord(t) && Tokens.isWord(m)) {
                        wordDiffers++;
                    }
                }
            }
            if (differing > maxDiffering) {
                continue;
            }
            double similarity = length == 0 ? 1 : (double) (equal + wildcards) / length;
            if (wordDiffers > 0 && (double) equal / length < settings.wordSimilarity()) {
                continue;
            }
            if (similarity > bestSimilarity || (similarity == bestSimilarity && wildcards > bestWildcards)) {
                best = candidate;
                bestSimilarity = similarity;
                bestWildcards = wildcards;
            }
        }
        return bestSimilarity >= settings.similarity() ? best : null;
    }

    /** Templates one leaf holds at most: the bound on comparisons per line. */
    static final int MAX_LEAF = 256;

    private void evictIfFull(Template arriving) {
        while (templates.size() > settings.maxTemplates() && !clock.isEmpty()) {
            Template oldest = clock.pollFirst();
            if (oldest.evicted || oldest.mergedInto != null) {
                continue; // already gone (a full leaf, or joined into another)
            }
            if (oldest == arriving) {
                clock.addLast(oldest); // never the template that has just arrived: it is the most recent
                continue;
            }
            if (oldest.lastUsed > oldest.queuedAt) {
                oldest.queuedAt = tick; // used since it was queued: a second chance
                clock.addLast(oldest);
                continue;
            }
            evict(oldest);
        }
    }

    private void evict(Template victim) {
        templates.remove(victim.id);
        victim.leaf.remove(victim);
        victim.evicted = true;
        evictedLines += victim.count;
        evictionListener.accept(victim);
    }

    /** Called with each template evicted to keep memory bounded, so that what counts per template can go too. */
    public void onEviction(Consumer<Template> listener) {
        this.evictionListener = listener;
    }

    /** The templates kept, in the order they were first seen. */
    public List<Template> templates() {
        List<Template> all = new ArrayList<>(templates.values());
        all.sort((a, b) -> Integer.compare(a.id, b.id));
        return all;
    }

    /** Lines whose templates were evicted to keep memory bounded. */
    public long evictedLines() {
        return evictedLines;
    }
}
