package io.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code import io.jgrad.nn.*;} alone leaves {@code Module} ambiguous with {@code java.lang.Module} (both are
 * on-demand imports). The documented pattern adds the single-type import {@code import io.jgrad.nn.Module;}, which
 * shadows {@code java.lang.Module}. This compiles both forms against the real classes, so the README's advice stays
 * true.
 */
class ModuleImportTest {
    private static final String BODY = "class UserModel {\n"
            + "    Module model = new Sequential(new Linear(2, 4), new ReLU(), new Linear(4, 1));\n"
            + "}\n";

    @TempDir
    Path out;

    @Test
    void theSingleTypeImportMakesTheWildcardUsable() {
        String errors = compile("import io.jgrad.nn.*;\nimport io.jgrad.nn.Module;\n\n" + BODY);
        assertTrue(errors.isEmpty(), "the documented imports must compile:\n" + errors);
    }

    @Test
    void theWildcardAloneIsAmbiguous() {
        // Documents why the single-type import is needed: this is javac's behaviour, not a jgrad bug.
        String errors = compile("import io.jgrad.nn.*;\n\n" + BODY);
        assertFalse(errors.isEmpty(), "expected javac to report the ambiguity");
        assertTrue(errors.contains("Module"), errors);
    }

    private String compile(String source) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests run on a JDK, which has javac");
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///UserModel.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        StringWriter errors = new StringWriter();
        List<String> options = List.of("-proc:none", "-d", out.toString(), "-classpath", System.getProperty("java.class.path"));
        boolean ok = javac.getTask(errors, null, null, options, null, List.of(file)).call();
        return ok ? "" : errors.toString().isEmpty() ? "compilation failed" : errors.toString();
    }
}
