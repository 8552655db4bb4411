package dev.gatehouse.passthrough;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The processor run by the real javac, as the driver's build runs it ({@code --release 21}, every lint
 * warning an error), on small wrappers: what it generates, and what it refuses to generate.
 */
class PassThroughProcessorTest {
    /** A wrapper of an interface of our own, and a wrapper of that wrapper for the sub-interface. */
    private static final String HIERARCHY = """
            package p;
            import dev.gatehouse.passthrough.PassThrough;
            interface Base { int pair(int first, int second); @Deprecated String old(); }
            interface Sub extends Base { String more(String text, Object... rest); <T extends Number> T pick(Class<T> type); }
            @PassThrough(Base.class)
            sealed class Outer extends BasePassThrough permits SubPassThrough {
                Outer(String label, Base raw) { super(raw); }
            }
            @PassThrough(value = Sub.class, parent = Outer.class, field = "sub")
            final class Inner extends SubPassThrough {
                Inner(String label, Sub sub) { super(label, sub); }
                @Override public String more(String text, Object... rest) { return "own"; }
            }
            """;

    /** java.sql.Array: its result-set views must be the wrapper's own. */
    private static String array(String ownMethods) {
        return """
                package p;
                import dev.gatehouse.passthrough.PassThrough;
                import java.sql.*;
                import java.util.Map;
                @PassThrough(Array.class)
                final class Arr extends ArrayPassThrough {
                    Arr(Array raw) { super(raw); }
                """ + ownMethods + "}\n";
    }

    private static final String ALL_RESULT_SETS = """
                @Override public ResultSet getResultSet() { return null; }
                @Override public ResultSet getResultSet(Map<String, Class<?>> map) { return null; }
                @Override public ResultSet getResultSet(long index, int count) { return null; }
                @Override public ResultSet getResultSet(long index, int count, Map<String, Class<?>> map) { return null; }
            """;

    record Case(String name, String source, String error, String generated, List<String> present, List<String> absent) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        return List.of(
                new Case("delegates every method the wrapper does not declare", array(ALL_RESULT_SETS), null,
                        "p/ArrayPassThrough.java",
                        List.of("abstract sealed class ArrayPassThrough implements java.sql.Array permits p.Arr",
                                "final java.sql.Array raw;",
                                "public java.lang.String getBaseTypeName() throws java.sql.SQLException {\n"
                                        + "        return this.raw.getBaseTypeName();",
                                "public void free() throws java.sql.SQLException {\n        this.raw.free();",
                                "return this.raw.getArray(arg0, arg1, arg2);"),
                        List.of("getResultSet")),
                new Case("refuses to pass a real driver's ResultSet through",
                        array(ALL_RESULT_SETS.replace("@Override public ResultSet getResultSet(long index, int count) { return null; }", "")),
                        "Arr must declare getResultSet(long, int): it returns a java.sql.ResultSet", null, List.of(), List.of()),
                new Case("refuses to pass unwrap through", """
                        package p;
                        import dev.gatehouse.passthrough.PassThrough;
                        @PassThrough(java.sql.ParameterMetaData.class)
                        final class Params extends ParameterMetaDataPassThrough {
                            Params(java.sql.ParameterMetaData raw) { super(raw); }
                            @Override public boolean isWrapperFor(Class<?> type) { return false; }
                        }
                        """, "Params must declare unwrap(java.lang.Class): it is java.sql.Wrapper's", null, List.of(), List.of()),
                new Case("a wrapper's wrapper: the parent's constructor narrowed, only the sub-interface's methods",
                        HIERARCHY, null, "p/SubPassThrough.java",
                        List.of("abstract sealed class SubPassThrough extends p.Outer implements p.Sub permits p.Inner",
                                "SubPassThrough(java.lang.String label, p.Sub raw) {\n        super(label, raw);\n"
                                        + "        this.sub = raw;",
                                "public <T extends java.lang.Number> T pick(java.lang.Class<T> type) {\n"
                                        + "        return this.sub.pick(type);"),
                        List.of("pair(", "old(", "more(")),
                new Case("a deprecated method stays deprecated (no warning under -Werror)", HIERARCHY, null,
                        "p/BasePassThrough.java",
                        List.of("@Deprecated\n    public java.lang.String old() {",
                                "return this.raw.pair(first, second);"),
                        List.of()),
                new Case("refuses a parent constructor with two places for the wrapped object",
                        HIERARCHY.replace("Outer(String label, Base raw) { super(raw); }",
                                        "Outer(Base label, Base raw) { super(raw); }")
                                .replace("super(label, sub);", "super(sub, sub);"),
                        "needs exactly one parameter that p.Sub can be passed as", null, List.of(), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void generates(Case c, @TempDir Path out) throws Exception {
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        boolean compiled = compile(c.source(), out, diagnostics);
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR || d.getKind() == Diagnostic.Kind.WARNING) {
                errors.add(d.getMessage(null));
            }
        }
        if (c.error() == null) {
            assertEquals(List.of(), errors);
            assertTrue(compiled);
            String generated = Files.readString(out.resolve("generated").resolve(c.generated()));
            for (String text : c.present()) {
                assertTrue(generated.contains(text), "missing\n" + text + "\nin\n" + generated);
            }
            for (String text : c.absent()) {
                assertFalse(generated.contains(text), "unexpected " + text + " in\n" + generated);
            }
        } else {
            assertFalse(compiled);
            assertTrue(errors.stream().anyMatch(e -> e.contains(c.error())), "expected " + c.error() + " in " + errors);
        }
    }

    private static boolean compile(String source, Path out, DiagnosticCollector<JavaFileObject> diagnostics)
            throws IOException, URISyntaxException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path classes = Files.createDirectories(out.resolve("classes"));
        Path generated = Files.createDirectories(out.resolve("generated"));
        String annotation = Path.of(PassThrough.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///p/Sample.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        // The build's lint set; -auxiliaryclass as each sample is one file of several classes.
        JavaCompiler.CompilationTask task = javac.getTask(null, null, diagnostics,
                List.of("--release", "21", "-Xlint:all,-serial,-processing,-auxiliaryclass", "-Werror", "-classpath", annotation,
                        "-d", classes.toString(), "-s", generated.toString()),
                null, List.of(file));
        task.setProcessors(List.of(new PassThroughProcessor()));
        return task.call();
    }
}
