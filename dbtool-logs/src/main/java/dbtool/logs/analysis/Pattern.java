package dbtool.logs.analysis;

import java.util.ArrayList;
import java.util.List;

/** One mined pattern and what was seen of it. */
public final class Pattern {

    private final int id;
    private String template;
    private long count;
    private String firstSeen;
    private String lastSeen;
    private Level level = Level.DEBUG;
    private String severity;
    private String code;
    private final List<String> examples = new ArrayList<>(2);
    /** The last message whose example is kept: a pattern of one repeated message escapes it once, not per line. */
    private String exampleMessage;
    private boolean benign;
    private long benignCount;
    private String lastSeverity;
    private boolean severitySeen;

    Pattern(int id) {
        this.id = id;
    }

    /** Counts one entry; {@code message} is escaped and kept only while fewer than two examples are. */
    void add(String timestamp, String severity, String code, String message) {
        count++;
        if (timestamp != null) {
            if (firstSeen == null || timestamp.compareTo(firstSeen) < 0) {
                firstSeen = timestamp;
            }
            if (lastSeen == null || timestamp.compareTo(lastSeen) > 0) {
                lastSeen = timestamp;
            }
        }
        if (!severitySeen || severity != lastSeverity) { // most entries of a pattern repeat the same severity word: read it once
            severitySeen = true;
            lastSeverity = severity;
            Level l = Level.of(severity);
            if (this.severity == null || l.compareTo(level) > 0) {
                level = l;
                this.severity = severity;
            }
        }
        if (this.code == null) {
            this.code = code;
        }
        if (examples.size() < 2 && !message.equals(exampleMessage)) {
            String example = Printable.of(message, 300);
            if (!examples.contains(example)) {
                examples.add(example);
            }
            exampleMessage = message;
        }
    }

    /** A copy to join others into, leaving this pattern as it was counted. */
    Pattern copy() {
        Pattern copy = new Pattern(id);
        copy.template = template;
        copy.count = count;
        copy.firstSeen = firstSeen;
        copy.lastSeen = lastSeen;
        copy.level = level;
        copy.severity = severity;
        copy.code = code;
        copy.examples.addAll(examples);
        copy.benign = benign;
        copy.benignCount = benignCount;
        return copy;
    }

    /** Counts one of its entries as routine (the rules' benign). */
    void addBenign() {
        benignCount++;
    }

    long benignCount() {
        return benignCount;
    }

    /** Joins a pattern whose template turned out to be this one's. */
    void absorb(Pattern other) {
        count += other.count;
        if (other.firstSeen != null && (firstSeen == null || other.firstSeen.compareTo(firstSeen) < 0)) {
            firstSeen = other.firstSeen;
        }
        if (other.lastSeen != null && (lastSeen == null || other.lastSeen.compareTo(lastSeen) > 0)) {
            lastSeen = other.lastSeen;
        }
        if (other.level.compareTo(level) > 0) {
            level = other.level;
            severity = other.severity;
        }
        if (code == null) {
            code = other.code;
        }
        for (String example : other.examples) {
            if (examples.size() < 2 && !examples.contains(example)) {
                examples.add(example);
            }
        }
        benign &= other.benign;
    }

    public int id() {
        return id;
    }

    public String template() {
        return template;
    }

    void template(String value) {
        template = value;
    }

    public long count() {
        return count;
    }

    public String firstSeen() {
        return firstSeen;
    }

    public String lastSeen() {
        return lastSeen;
    }

    public Level level() {
        return level;
    }

    public String severity() {
        return severity;
    }

    public String code() {
        return code;
    }

    public List<String> examples() {
        return examples;
    }

    public boolean benign() {
        return benign;
    }

    void benign(boolean value) {
        benign = value;
    }
}
