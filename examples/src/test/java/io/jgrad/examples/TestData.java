package io.jgrad.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the shared test data ({@code ../shared/data} from the project root), which a fresh clone may lack. */
final class TestData {

    private TestData() {
    }

    /**
     * Walks up from the working directory (Maven runs tests in the module folder) to the first folder that holds
     * {@code shared/data}, or to the project root (the pom of jgrad-parent) and then to its sibling
     * {@code shared/data}.
     */
    static Optional<Path> sharedData() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path direct = p.resolve("shared").resolve("data");
            if (Files.isDirectory(direct)) return Optional.of(direct);
            if (isProjectRoot(p)) {
                Path sibling = p.resolveSibling("shared").resolve("data");
                return Files.isDirectory(sibling) ? Optional.of(sibling) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static boolean isProjectRoot(Path dir) {
        Path pom = dir.resolve("pom.xml");
        try {
            // Module poms name jgrad-parent too, as their parent; only the root lists modules.
            if (!Files.isRegularFile(pom)) return false;
            String text = Files.readString(pom);
            return text.contains("<artifactId>jgrad-parent</artifactId>") && text.contains("<modules>");
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether -Djgrad.longTests=true asked for the full-accuracy runs. */
    static boolean longTestsEnabled() {
        return Boolean.getBoolean("jgrad.longTests");
    }
}
