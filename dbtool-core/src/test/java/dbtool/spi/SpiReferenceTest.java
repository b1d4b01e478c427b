package dbtool.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The "SPI signatures" section of docs/plugins.md is generated from the compiled dbtool.spi
 * package, so the page a plugin author reads cannot drift from the API: a new, changed or removed
 * member fails this test until {@code scripts/docs --regenerate} (or
 * {@code -Ddbtool.docs.regenerate=true}) rewrites the section.
 */
class SpiReferenceTest {

    static final Path PAGE = Path.of("..", "docs", "plugins.md");
    static final String START = "<!-- SPI signatures: generated from dbtool.spi by SpiReferenceTest; change the SPI and run scripts/docs --regenerate -->";
    static final String END = "<!-- end of SPI signatures -->";

    @Test
    void theSignaturesInPluginsMdAreTheSpisOwn() throws Exception {
        String page = Files.readString(PAGE);
        int start = page.indexOf(START);
        int end = page.indexOf(END);
        assertTrue(start >= 0 && end > start, PAGE + " has no generated SPI signatures section (markers missing)");
        String current = page.substring(start + START.length(), end);
        String expected = "\n" + reference();
        if (Boolean.getBoolean("dbtool.docs.regenerate")) {
            Files.writeString(PAGE, page.substring(0, start + START.length()) + expected + page.substring(end));
            return;
        }
        assertEquals(expected, current, PAGE + ": the SPI signatures are stale; run scripts/docs --regenerate");
    }

    @Test
    void everyPublicTypeOfTheSpiIsListed() throws Exception {
        String reference = reference();
        for (Class<?> type : types()) {
            assertTrue(reference.contains("`" + name(type) + "`"), name(type));
        }
        assertTrue(reference.contains("CheckResult run(EngineSession, CheckContext) throws Exception"), reference);
    }

    static String reference() throws IOException {
        StringBuilder out = new StringBuilder();
        for (Class<?> type : types()) {
            describe(type, out);
        }
        return out.toString();
    }

    static List<Class<?>> types() throws IOException {
        List<Class<?>> types = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("src", "main", "java", "dbtool", "spi"))) {
            for (String file : files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".java"))
                    .filter(f -> !f.equals("package-info.java")).sorted().toList()) {
                Class<?> type;
                try {
                    type = Class.forName("dbtool.spi." + file.substring(0, file.length() - ".java".length()));
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(e);
                }
                if (Modifier.isPublic(type.getModifiers())) {
                    types.add(type);
                    Arrays.stream(type.getDeclaredClasses()).filter(c -> Modifier.isPublic(c.getModifiers()))
                            .sorted(Comparator.comparing(Class::getSimpleName)).forEach(types::add);
                }
            }
        }
        return types;
    }

    private static void describe(Class<?> type, StringBuilder out) {
        out.append("\n#### `").append(name(type)).append("`\n\n```java\n").append(header(type)).append(" {\n");
        List<String> lines = new ArrayList<>();
        if (type.isEnum()) {
            lines.add(Arrays.stream(type.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", ")) + ";");
        }
        for (Field field : type.getDeclaredFields()) {
            if (visible(field.getModifiers()) && !field.isEnumConstant()) {
                lines.add(modifiers(field.getModifiers(), type) + simple(field.getGenericType()) + " " + field.getName() + ";");
            }
        }
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (visible(constructor.getModifiers()) && !(type.isRecord() && canonical(constructor, type))) {
                lines.add(modifiers(constructor.getModifiers(), type) + type.getSimpleName() + parameters(constructor) + throwsClause(constructor) + ";");
            }
        }
        Set<String> accessors = type.isRecord()
                ? Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).collect(Collectors.toSet()) : Set.of();
        List<String> methods = new ArrayList<>();
        for (Method method : type.getDeclaredMethods()) {
            if (!visible(method.getModifiers()) || method.isSynthetic() || method.isBridge()
                    || (method.getParameterCount() == 0 && accessors.contains(method.getName()))
                    || (type.isRecord() && Set.of("equals", "hashCode", "toString").contains(method.getName()))
                    || (type.isEnum() && Set.of("values", "valueOf").contains(method.getName()))) {
                continue;
            }
            String prefix = type.isInterface() && method.isDefault() ? "default " : modifiers(method.getModifiers(), type);
            methods.add(prefix + simple(method.getGenericReturnType()) + " " + method.getName() + parameters(method) + throwsClause(method) + ";");
        }
        methods.sort(Comparator.comparing((String m) -> m.replaceFirst("^.*? (\\w+)\\(.*$", "$1")).thenComparing(m -> m));
        lines.addAll(methods);
        lines.forEach(line -> out.append("    ").append(line).append('\n'));
        out.append("}\n```\n");
    }

    private static String header(Class<?> type) {
        StringBuilder header = new StringBuilder();
        if (type.isRecord()) {
            header.append("record ").append(type.getSimpleName()).append(Arrays.stream(type.getRecordComponents())
                    .map(c -> simple(c.getGenericType()) + " " + c.getName()).collect(Collectors.joining(", ", "(", ")")));
        } else if (type.isEnum()) {
            header.append("enum ").append(type.getSimpleName());
        } else if (type.isInterface()) {
            header.append("interface ").append(simple(type));
        } else {
            header.append(Modifier.isAbstract(type.getModifiers()) ? "abstract class " : Modifier.isFinal(type.getModifiers()) ? "final class " : "class ")
                    .append(simple(type));
            if (type.getSuperclass() != null && type.getSuperclass() != Object.class) {
                header.append(" extends ").append(simple(type.getGenericSuperclass()));
            }
        }
        Type[] interfaces = type.getGenericInterfaces();
        if (interfaces.length > 0) {
            header.append(type.isInterface() ? " extends " : " implements ")
                    .append(Arrays.stream(interfaces).map(SpiReferenceTest::simple).collect(Collectors.joining(", ")));
        }
        return header.toString();
    }

    private static boolean canonical(Constructor<?> constructor, Class<?> record) {
        return Arrays.equals(constructor.getParameterTypes(),
                Arrays.stream(record.getRecordComponents()).map(RecordComponent::getType).toArray(Class<?>[]::new));
    }

    private static boolean visible(int modifiers) {
        return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
    }

    private static String modifiers(int modifiers, Class<?> owner) {
        StringBuilder text = new StringBuilder();
        if (Modifier.isProtected(modifiers)) {
            text.append("protected ");
        }
        if (Modifier.isStatic(modifiers)) {
            text.append("static ");
        }
        if (Modifier.isAbstract(modifiers) && !owner.isInterface()) {
            text.append("abstract ");
        }
        if (Modifier.isFinal(modifiers) && !owner.isInterface()) {
            text.append("final ");
        }
        if (Modifier.isSynchronized(modifiers)) {
            text.append("synchronized ");
        }
        return text.toString();
    }

    private static String parameters(Executable executable) {
        return Arrays.stream(executable.getGenericParameterTypes()).map(SpiReferenceTest::simple)
                .collect(Collectors.joining(", ", "(", ")"));
    }

    private static String throwsClause(Executable executable) {
        Class<?>[] exceptions = executable.getExceptionTypes();
        return exceptions.length == 0 ? "" : " throws " + Arrays.stream(exceptions).map(Class::getSimpleName).collect(Collectors.joining(", "));
    }

    private static String name(Class<?> type) {
        return type.getEnclosingClass() == null ? type.getSimpleName() : type.getEnclosingClass().getSimpleName() + "." + type.getSimpleName();
    }

    /** A type as a plugin author writes it: no package names, nested types with their outer type. */
    private static String simple(Type type) {
        String text = type instanceof Class<?> c && c.getTypeParameters().length > 0
                ? c.getName() + Arrays.stream(c.getTypeParameters()).map(p -> p.getName()
                        + (p.getBounds().length == 1 && p.getBounds()[0] == Object.class ? "" : " extends " + simple(p.getBounds()[0])))
                        .collect(Collectors.joining(", ", "<", ">"))
                : type.getTypeName();
        return text.replace('$', '.').replaceAll("\\b(?:[a-z][a-z0-9_]*\\.)+(?=[A-Z])", "");
    }
}
