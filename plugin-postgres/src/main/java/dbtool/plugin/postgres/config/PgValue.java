package dbtool.plugin.postgres.config;

import dbtool.spi.UsageException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A value for one PostgreSQL parameter, checked the way the server's own parser does (guc.c's
 * parse_bool, parse_int and parse_real with units) against what pg_settings declares: its type,
 * unit, min_val, max_val and enumvals. So a wrong value is refused before anything is written.
 *
 * @param written the value as {@code ALTER SYSTEM} will write it ({@code 64MB}, {@code on}, an enum value)
 * @param base    the value as pg_settings' {@code setting} shows it once running ({@code 65536} for
 *                64MB of a kB parameter), to verify against
 */
record PgValue(String written, String base) {

    /** Memory units in bytes and time units in microseconds, as PostgreSQL spells them (case matters to the server). */
    private static final Map<String, Long> MEMORY = units("B", 1L, "kB", 1L << 10, "MB", 1L << 20, "GB", 1L << 30, "TB", 1L << 40);
    private static final Map<String, Long> TIME = units("us", 1L, "ms", 1_000L, "s", 1_000_000L, "min", 60_000_000L, "h", 3_600_000_000L,
            "d", 86_400_000_000L);
    private static final Pattern NUMBER_WITH_UNIT = Pattern.compile("([+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?)\\s*([A-Za-z]*)");
    private static final List<String> TRUE = List.of("on", "true", "yes", "1");
    private static final List<String> FALSE = List.of("off", "false", "no", "0");

    /** What pg_settings says about the parameter: vartype, unit, min_val, max_val, enumvals. */
    record Declared(String name, String type, String unit, String min, String max, List<String> enumValues) {
    }

    static PgValue parse(Declared p, String typed) {
        String value = typed.strip();
        return switch (p.type()) {
            case "bool" -> bool(p, value);
            case "integer", "real" -> number(p, value);
            case "enum" -> p.enumValues().stream().filter(e -> e.equalsIgnoreCase(value)).findFirst()
                    .map(e -> new PgValue(e, e))
                    .orElseThrow(() -> new UsageException(p.name() + ": expected one of " + String.join(", ", p.enumValues()) + ", got '"
                            + printable(value) + "'"));
            default -> {
                if (value.indexOf('\0') >= 0 || value.indexOf('\n') >= 0) {
                    throw new UsageException(p.name() + ": a value on one line was expected");
                }
                yield new PgValue(value, value);
            }
        };
    }

    private static PgValue bool(Declared p, String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        if (TRUE.contains(lower)) {
            return new PgValue("on", "on");
        }
        if (FALSE.contains(lower)) {
            return new PgValue("off", "off");
        }
        throw new UsageException(p.name() + ": expected on or off (true/false, yes/no, 1/0), got '" + printable(value) + "'");
    }

    private static PgValue number(Declared p, String value) {
        boolean integer = p.type().equals("integer");
        String unit = p.unit() == null ? "" : p.unit();
        Map<String, Long> family = family(unit);
        Matcher m = NUMBER_WITH_UNIT.matcher(value);
        if (!m.matches()) {
            throw new UsageException(p.name() + ": expected " + (integer ? "a whole number" : "a number") + unitHint(family) + ", got '"
                    + printable(value) + "'");
        }
        BigDecimal number = new BigDecimal(m.group(1));
        String typedUnit = m.group(2);
        BigDecimal base = number;
        if (!typedUnit.isEmpty()) {
            String known = family == null ? null : family.keySet().stream().filter(u -> u.equalsIgnoreCase(typedUnit)).findFirst().orElse(null);
            if (known == null) {
                throw new UsageException(p.name() + ": " + (family == null ? "takes no unit" : "unknown unit '" + printable(typedUnit)
                        + "'; expected one of " + String.join(", ", family.keySet())) + ", got '" + printable(value) + "'");
            }
            base = number.multiply(BigDecimal.valueOf(family.get(known))).divide(BigDecimal.valueOf(baseSize(unit, family)), 6,
                    RoundingMode.HALF_UP);
        } else if (integer && number.stripTrailingZeros().scale() > 0) {
            throw new UsageException(p.name() + ": expected a whole number" + unitHint(family) + ", got '" + printable(value) + "'");
        }
        if (integer) {
            base = base.setScale(0, RoundingMode.HALF_UP);
        }
        BigDecimal min = p.min() == null ? null : new BigDecimal(p.min());
        BigDecimal max = p.max() == null ? null : new BigDecimal(p.max());
        if (min != null && base.compareTo(min) < 0 || max != null && base.compareTo(max) > 0) {
            throw new UsageException(p.name() + ": " + printable(value) + " is out of range; expected " + p.min() + unit + " to " + p.max()
                    + unit + (family == null || unit.isEmpty() ? "" : " (" + base.stripTrailingZeros().toPlainString() + unit + " given)"));
        }
        String written = typedUnit.isEmpty() ? number.stripTrailingZeros().toPlainString()
                : number.stripTrailingZeros().toPlainString() + family.keySet().stream().filter(u -> u.equalsIgnoreCase(typedUnit)).findFirst()
                .orElseThrow();
        String shown = integer ? base.toBigInteger().toString() : base.stripTrailingZeros().toPlainString();
        return new PgValue(written, shown);
    }

    /** Whether a pg_settings {@code setting} is the {@code base} value: numbers compared as numbers. */
    static boolean same(String type, String setting, String base) {
        if (setting == null || base == null) {
            return setting == null && base == null;
        }
        if (type.equals("integer") || type.equals("real")) {
            try {
                return new BigDecimal(setting).compareTo(new BigDecimal(base)) == 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return type.equals("string") ? setting.equals(base) : setting.equalsIgnoreCase(base);
    }

    /** The unit family of a pg_settings unit ("8kB" is memory, "ms" time), or null for a plain number. */
    private static Map<String, Long> family(String unit) {
        String bare = unit.replaceFirst("^\\d+", "");
        if (MEMORY.containsKey(bare)) {
            return MEMORY;
        }
        return TIME.containsKey(bare) ? TIME : null;
    }

    /** The size of one of the parameter's units, in the family's smallest: 8kB is 8192 bytes. */
    private static long baseSize(String unit, Map<String, Long> family) {
        Matcher m = Pattern.compile("(\\d*)(\\D+)").matcher(unit);
        if (!m.matches()) {
            return 1;
        }
        long count = m.group(1).isEmpty() ? 1 : Long.parseLong(m.group(1));
        return count * family.get(m.group(2));
    }

    private static String unitHint(Map<String, Long> family) {
        return family == null ? "" : family.equals(MEMORY) ? " with a unit such as 64MB or 1GB (" + String.join(", ", family.keySet()) + ")"
                : " with a unit such as 500ms or 30s (" + String.join(", ", family.keySet()) + ")";
    }

    /** A value typed by the user, cut and without control characters, for a one-line message. */
    private static String printable(String value) {
        String cut = value.length() > 60 ? value.substring(0, 60) + "..." : value;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    private static Map<String, Long> units(Object... pairs) {
        Map<String, Long> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (Long) pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
