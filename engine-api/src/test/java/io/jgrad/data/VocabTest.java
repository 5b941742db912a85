package io.jgrad.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** CharVocab: makemore's character table and its context-window training set. */
class VocabTest {

    @Test
    void boundaryFirstThenCharactersInCodePointOrder() {
        CharVocab v = CharVocab.fromLines(List.of("emma", "ava", "bob"));
        // . a b e m o v
        assertEquals(7, v.size());
        assertEquals(".abemov", v.decode(0, 1, 2, 3, 4, 5, 6));
        assertEquals(0, v.index('.'));
        assertEquals(1, v.index('a'));
        assertEquals(6, v.index('v'));
        assertArrayEquals(new int[]{3, 4, 4, 1}, v.encode("emma"));
        assertEquals("emma", v.decode(v.encode("emma")));
        assertEquals(".bob.", v.decode(0, 2, 5, 2, 0));
        assertArrayEquals(new int[0], v.encode(""));
    }

    @Test
    void codePointsBeyondTheBasicPlaneAreOneToken() {
        String smile = new String(Character.toChars(0x1F600));
        CharVocab v = CharVocab.fromLines(List.of("a" + smile, "é"));
        assertEquals(4, v.size()); // . a é 😀
        assertArrayEquals(new int[]{1, 3, 2}, v.encode("a" + smile + "é"));
        assertEquals(smile, v.decode(3));
    }

    @Test
    void badInputIsRefusedClearly() {
        CharVocab v = CharVocab.fromLines(List.of("abc"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.encode("abz"));
        assertTrue(e.getMessage().contains("'z'") && e.getMessage().contains("U+007A"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> v.decode(4));
        assertThrows(IndexOutOfBoundsException.class, () -> v.decode(-1));
        e = assertThrows(IllegalArgumentException.class, () -> CharVocab.fromLines(List.of("ok", "mr.x")));
        assertTrue(e.getMessage().contains("line 1") && e.getMessage().contains("boundary"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> v.windows(List.of("a"), 0));
    }

    @Test
    void contextWindowsFollowMakemore() {
        CharVocab v = CharVocab.fromLines(List.of("emma", "ab"));
        // . a b e m  -> indices 0..4
        CharVocab.Windows w = v.windows(List.of("emma", "ab"), 3);
        // "emma" gives 5 examples, "ab" 3
        assertEquals(8, w.count());
        long[][] expectedInputs = {
            {0, 0, 0}, {0, 0, 3}, {0, 3, 4}, {3, 4, 4}, {4, 4, 1}, // ... .. e .em emm mma
            {0, 0, 0}, {0, 0, 1}, {0, 1, 2},                    // ... ..a .ab
        };
        long[] expectedTargets = {3, 4, 4, 1, 0, 1, 2, 0};      // e m m a . a b .
        for (int i = 0; i < 8; i++) {
            assertArrayEquals(expectedInputs[i], Arrays.copyOfRange(w.inputs(), 3 * i, 3 * i + 3), "example " + i);
        }
        assertArrayEquals(expectedTargets, w.targets());
        // block size 1 is a bigram model: input is the previous character
        CharVocab.Windows bigrams = v.windows(List.of("ab"), 1);
        assertArrayEquals(new long[]{0, 1, 2}, bigrams.inputs());
        assertArrayEquals(new long[]{1, 2, 0}, bigrams.targets());
    }

    @Test
    void theNamesDataSet() throws IOException {
        Path data = MnistTest.sharedData();
        Assumptions.assumeTrue(data != null && Files.isRegularFile(data.resolve("names/names.txt")),
                "shared/data/names/names.txt is absent (a fresh clone without the test data)");
        List<String> names = Files.readAllLines(data.resolve("names/names.txt"), StandardCharsets.UTF_8);
        CharVocab v = CharVocab.fromLines(names);
        assertEquals(27, v.size());
        assertEquals(".abcdefghijklmnopqrstuvwxyz", v.decode(java.util.stream.IntStream.range(0, 27).toArray()));
        long letters = names.stream().mapToLong(String::length).sum();
        CharVocab.Windows w = v.windows(names, 3);
        assertEquals(letters + names.size(), w.count());
        assertEquals("emma", names.get(0));
        // the first example of every name starts from an all-boundary context; "emma" -> e
        assertArrayEquals(new long[]{0, 0, 0}, Arrays.copyOf(w.inputs(), 3));
        assertEquals(5, w.targets()[0]);
        for (long t : w.targets()) assertTrue(t >= 0 && t < 27);
    }
}
