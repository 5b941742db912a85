package io.jgrad.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The committed {@code src/main/cuda/ops.cuh} is what {@link OpHeader} makes from the SPI enums. Run with
 * {@code -Djgrad.cuda.writeOpHeader=true} to rewrite it after adding or reordering an op (then rebuild the PTX).
 */
class OpHeaderTest {

    @Test
    void committedHeaderMatchesTheEnums() throws IOException {
        Path dir = Path.of("src/main/cuda");
        if (!Files.isDirectory(dir)) dir = Path.of("engine-cuda/src/main/cuda"); // run from the repository root
        Assumptions.assumeTrue(Files.isDirectory(dir), "the .cu sources are not here (running from a bundle?)");
        Path header = dir.resolve("ops.cuh");
        String want = OpHeader.render();
        if (Boolean.getBoolean("jgrad.cuda.writeOpHeader")) Files.writeString(header, want);
        assertTrue(Files.exists(header), header + " is missing: run OpHeaderTest with -Djgrad.cuda.writeOpHeader=true");
        String have = Files.readString(header);
        if (!have.equals(want)) {
            Set<String> missing = new LinkedHashSet<>(want.lines().toList());
            List<String> committed = have.lines().toList();
            committed.forEach(missing::remove);
            Set<String> stale = new LinkedHashSet<>(committed);
            want.lines().forEach(stale::remove);
            fail(header + " does not match the SPI op enums; the enums want " + missing + " and the header has " + stale
                    + ". Regenerate: mvn -o -q -pl engine-cuda -am test -Dtest=OpHeaderTest -Djgrad.cuda.writeOpHeader=true"
                    + " -Dsurefire.failIfNoSpecifiedTests=false, then engine-cuda/scripts/build-ptx.sh");
        }
    }
}
