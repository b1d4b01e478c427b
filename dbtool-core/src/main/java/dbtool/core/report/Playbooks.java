package dbtool.core.report;

import dbtool.core.run.Suggestions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The playbook pages (docs/playbooks/, shipped inside dbtool-core so {@code dbtool explain} works
 * on an air-gapped host) and which finding code each one explains.
 *
 * <p>The rule that maps a code to its page is the one the pages are written by: a code is
 * explained by the page whose title ({@code # ...}) names it, or by the page with a heading that
 * is exactly the code ({@code ## PG_DNS_FAILED}), which is then its anchor ({@code #pg_dns_failed},
 * MkDocs' slug of the heading). The pages are the ones {@code index.md} links to, and that page
 * itself.
 */
public final class Playbooks {

    /** Where findings point: the path of the page in the repository, as the MkDocs site serves it. */
    public static final String LINK_BASE = "docs/playbooks/";

    private static final String RESOURCE_DIRECTORY = "/dbtool/core/playbooks/";
    private static final Pattern CODE = Pattern.compile("\\b[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]\\b");
    private static final Pattern HEADING = Pattern.compile("^(#{1,6}) +(.+?) *$");
    private static final Pattern PAGE_LINK = Pattern.compile("\\]\\(([a-z0-9][a-z0-9-]*\\.md)(#[a-z0-9_-]+)?\\)");

    /** Where a code is explained: the page's file name and the anchor of its section, empty for the whole page. */
    public record Entry(String code, String page, String anchor) {

        /** The link a finding carries: {@code docs/playbooks/PAGE.md} or with {@code #anchor}. */
        public String link() {
            return LINK_BASE + page + (anchor.isEmpty() ? "" : "#" + anchor);
        }
    }

    private final Map<String, String> pages;
    private final Map<String, Entry> entries;

    private Playbooks(Map<String, String> pages) {
        this.pages = Collections.unmodifiableMap(pages);
        Map<String, Entry> found = new TreeMap<>();
        pages.forEach((page, text) -> {
            boolean fenced = false;
            for (String line : text.split("\n")) {
                if (line.startsWith("```")) {
                    fenced = !fenced;
                }
                Matcher heading = HEADING.matcher(line);
                if (fenced || !heading.matches()) {
                    continue;
                }
                String title = heading.group(2);
                if (heading.group(1).length() == 1) {
                    Matcher code = CODE.matcher(title);
                    while (code.find()) {
                        found.putIfAbsent(code.group(), new Entry(code.group(), page, ""));
                    }
                } else if (CODE.matcher(title).matches()) {
                    Entry earlier = found.get(title);
                    if (earlier == null || earlier.anchor().isEmpty() && earlier.page().equals(page)) {
                        found.put(title, new Entry(title, page, title.toLowerCase(Locale.ROOT)));
                    }
                }
            }
        });
        this.entries = Collections.unmodifiableMap(found);
    }

    /** The pages shipped with dbtool. */
    public static Playbooks bundled() {
        return load(name -> {
            try (InputStream in = Playbooks.class.getResourceAsStream(RESOURCE_DIRECTORY + name)) {
                return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The pages of a docs/playbooks directory (tests read the sources). */
    public static Playbooks of(Path directory) {
        return load(name -> {
            Path page = directory.resolve(name);
            try {
                return Files.isRegularFile(page) ? Files.readString(page, StandardCharsets.UTF_8) : null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static Playbooks load(Function<String, String> reader) {
        Map<String, String> pages = new LinkedHashMap<>();
        String index = reader.apply("index.md");
        if (index == null) {
            return new Playbooks(pages);
        }
        pages.put("index.md", normalise(index));
        Matcher link = PAGE_LINK.matcher(index);
        while (link.find()) {
            String name = link.group(1);
            if (!pages.containsKey(name)) {
                String text = reader.apply(name);
                if (text != null) {
                    pages.put(name, normalise(text));
                }
            }
        }
        return new Playbooks(pages);
    }

    private static String normalise(String text) {
        return text.replace("\r\n", "\n");
    }

    /** The file names of the pages, index.md first. */
    public Set<String> pages() {
        return pages.keySet();
    }

    /** The text of a page, if it is one of {@link #pages()}. */
    public Optional<String> page(String name) {
        return Optional.ofNullable(pages.get(name));
    }

    /** Every code a page explains, sorted. */
    public Set<String> codes() {
        return entries.keySet();
    }

    /** Where a code is explained; case does not matter. */
    public Optional<Entry> find(String code) {
        return Optional.ofNullable(entries.get(code.trim().toUpperCase(Locale.ROOT)));
    }

    /** Codes that look like {@code typed}: the same but for a few letters, or containing it; at most five. */
    public List<String> closeTo(String typed) {
        String wanted = typed.trim().toUpperCase(Locale.ROOT);
        Set<String> close = new LinkedHashSet<>();
        entries.keySet().stream().filter(code -> Suggestions.distance(wanted, code) <= Math.max(2, wanted.length() / 4)).forEach(close::add);
        if (wanted.length() >= 3) {
            entries.keySet().stream().filter(code -> code.contains(wanted)).forEach(close::add);
        }
        return new ArrayList<>(close).subList(0, Math.min(5, close.size()));
    }

    /**
     * The part of the page that explains {@code entry}: the whole page when the code has no section
     * of its own; otherwise the page without the sections of the other codes it explains.
     */
    public String text(Entry entry) {
        String page = pages.get(entry.page());
        if (entry.anchor().isEmpty()) {
            return page;
        }
        StringBuilder kept = new StringBuilder();
        int skipping = 0;
        boolean fenced = false;
        for (String line : page.split("\n", -1)) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            }
            Matcher heading = fenced ? null : HEADING.matcher(line);
            if (heading != null && heading.matches()) {
                int level = heading.group(1).length();
                if (skipping > 0 && level <= skipping) {
                    skipping = 0;
                }
                String title = heading.group(2);
                if (skipping == 0 && level > 1 && CODE.matcher(title).matches() && !title.equals(entry.code())
                        && entries.containsKey(title)) {
                    skipping = level;
                }
            }
            if (skipping == 0) {
                kept.append(line).append('\n');
            }
        }
        return kept.toString().stripTrailing() + "\n";
    }
}
