package io.jgrad.io;

import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The header of a safetensors file: an 8-byte little-endian length N, then N bytes of UTF-8 JSON mapping each tensor
 * name to its dtype, shape and byte range in the data section that follows, plus an optional string-to-string
 * {@code __metadata__} object.
 * <p>
 * Parsing trusts nothing: every number is range-checked with overflow-safe arithmetic, and the byte ranges must tile
 * the data section exactly (no gap, no overlap, nothing after the last tensor), as the reference implementation
 * demands. The checks run before any tensor memory is allocated, so a hostile header cannot make the reader allocate
 * more than the file holds.
 */
final class SafetensorsHeader {
    static final String METADATA_KEY = "__metadata__";
    /** The reference implementation's limit; it also bounds what a hostile length field can make us allocate. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    /** The largest Java array: a tensor holds its elements in one array on the host. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    /** Far above what a header needs (3), far below what could exhaust memory. */
    static final int MAX_NESTING = 64;
    /** The most dimensions a stored tensor may have (NumPy's limit); the writer refuses more too. */
    static final int MAX_RANK = 64;
    /** The most tensors one file may hold: far above real models (a few thousand), and it bounds the memory per file. */
    static final int MAX_TENSORS = 65_536;
    /** The most {@code __metadata__} entries one file may hold. */
    static final int MAX_METADATA_ENTRIES = 65_536;
    /**
     * The longest JSON string (a name, metadata key or value) in characters as written, escapes included: what one
     * string costs to build is a few times its length, so this bounds the transient memory of parsing.
     */
    static final int MAX_STRING_CHARS = 16 << 20;

    /** One tensor's record: its stored dtype, shape and byte range relative to the start of the data section. */
    record Entry(String name, StoredDtype dtype, int[] shape, long numel, long begin, long end) {
        long byteLength() {
            return end - begin;
        }
    }

    final List<Entry> entries;
    final Map<String, String> metadata;
    /** Where the data section starts in the file: 8 + header length. */
    final long dataStart;

    private SafetensorsHeader(List<Entry> entries, Map<String, String> metadata, long dataStart) {
        this.entries = entries;
        this.metadata = metadata;
        this.dataStart = dataStart;
    }

    // ------------------------------------------------------------------------------------------------ reading

    /** Reads and validates the header of {@code source}; {@code origin} names it in error messages. */
    static SafetensorsHeader read(ByteSource source, String origin) throws IOException {
        long size = source.size();
        if (size < 8) {
            throw fail(origin, "file is " + size + " bytes, too short for the 8-byte header length");
        }
        ByteBuffer lengthField = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        source.readFully(0, lengthField);
        long headerLength = lengthField.getLong(0);
        if (headerLength < 0 || headerLength > size - 8) {
            throw fail(origin, "header length " + Long.toUnsignedString(headerLength) + " exceeds the " + (size - 8)
                    + " bytes that follow the length field (truncated or corrupt file)");
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw fail(origin, "header length " + headerLength + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
        }
        ByteBuffer first = ByteBuffer.allocate(1);
        if (headerLength > 0) source.readFully(8, first);
        if (headerLength == 0 || first.get(0) != '{') {
            throw fail(origin, "header does not start with '{'");
        }
        // The header is decoded and parsed as a stream: its bytes are never all in memory at once, nor its text.
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        Reader text = new GuardedReader(new InputStreamReader(source.stream(8, headerLength), utf8), origin);
        long dataStart = 8 + headerLength;
        SafetensorsHeader header = parseJson(text, origin, dataStart);
        header.checkLayout(origin, size - dataStart);
        return header;
    }

    private static SafetensorsHeader parseJson(Reader json, String origin, long dataStart) throws IOException {
        List<Entry> entries = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        // Strict JSON: no comments, unquoted names or other leniencies that another reader would refuse.
        JsonReader reader = new JsonReader(json);
        reader.setStrictness(Strictness.STRICT);
        try {
            expect(reader, JsonToken.BEGIN_OBJECT, origin, "the header");
            reader.beginObject();
            Set<String> seen = new HashSet<>();
            while (reader.hasNext()) {
                String name = reader.nextName();
                checkText(name, origin, "a tensor name");
                if (!seen.add(name)) throw fail(origin, "duplicate entry '" + name + "' in the header");
                if (name.equals(METADATA_KEY)) {
                    metadata = readMetadata(reader, origin);
                } else {
                    if (entries.size() == MAX_TENSORS) {
                        throw fail(origin, "header lists more than " + MAX_TENSORS + " tensors, the limit for one file");
                    }
                    entries.add(readEntry(reader, name, origin));
                }
            }
            reader.endObject();
            if (reader.peek() != JsonToken.END_DOCUMENT) throw fail(origin, "unexpected content after the header object");
        } catch (CheckpointException e) {
            throw e;
        } catch (CharacterCodingException e) {
            throw fail(origin, "header is not valid UTF-8");
        } catch (IOException e) {
            // Gson reports syntax errors as MalformedJsonException or EOFException, both IOExceptions
            throw new CheckpointException(origin + ": header is not valid JSON: " + gsonProblem(e), e);
        }
        return new SafetensorsHeader(Collections.unmodifiableList(entries), Collections.unmodifiableMap(metadata), dataStart);
    }

    /**
     * Passes the header text to Gson while refusing, as the characters stream by, what would make parsing costly:
     * nesting deeper than {@link #MAX_NESTING} (Gson grows a stack entry per open bracket without limit, so a
     * header of brackets would cost several times its size) and strings longer than {@link #MAX_STRING_CHARS}. A
     * real header nests three deep.
     */
    private static final class GuardedReader extends Reader {
        private final Reader in;
        private final String origin;
        private int depth;
        private boolean inString;
        private boolean escaped;
        private long stringChars;

        GuardedReader(Reader in, String origin) {
            this.in = in;
            this.origin = origin;
        }

        @Override
        public int read(char[] buf, int off, int len) throws IOException {
            int n = in.read(buf, off, len);
            for (int i = off; i < off + n; i++) {
                char c = buf[i];
                if (inString) {
                    if (++stringChars > MAX_STRING_CHARS) {
                        throw fail(origin, "header has a string longer than " + MAX_STRING_CHARS + " characters, the limit");
                    }
                    if (escaped) escaped = false;
                    else if (c == '\\') escaped = true;
                    else if (c == '"') inString = false;
                } else if (c == '"') {
                    inString = true;
                    stringChars = 0;
                } else if (c == '{' || c == '[') {
                    if (++depth > MAX_NESTING) throw fail(origin, "header nests deeper than " + MAX_NESTING + " levels");
                } else if (c == '}' || c == ']') {
                    depth--;
                }
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Refuses lone UTF-16 surrogates (from \\u escapes), which no UTF-8 writer can store and the reference reader refuses. */
    static void checkText(String text, String origin, String what) throws CheckpointException {
        int bad = loneSurrogate(text);
        if (bad >= 0) {
            throw fail(origin, what + " has a lone UTF-16 surrogate \\u" + Integer.toHexString(text.charAt(bad))
                    + " at character " + bad);
        }
    }

    /** The index of the first unpaired surrogate in {@code s}, or -1. */
    static int loneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** Gson's message without its advice to parse leniently and its troubleshooting link, which do not apply. */
    private static String gsonProblem(IOException e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        if (newline >= 0) message = message.substring(0, newline);
        return message.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "malformed JSON");
    }

    private static Map<String, String> readMetadata(JsonReader reader, String origin) throws IOException {
        expect(reader, JsonToken.BEGIN_OBJECT, origin, "'" + METADATA_KEY + "'");
        Map<String, String> metadata = new LinkedHashMap<>();
        reader.beginObject();
        while (reader.hasNext()) {
            String key = reader.nextName();
            checkText(key, origin, "a metadata key");
            if (metadata.containsKey(key)) throw fail(origin, "duplicate metadata key '" + key + "'");
            if (metadata.size() == MAX_METADATA_ENTRIES) {
                throw fail(origin, "'" + METADATA_KEY + "' has more than " + MAX_METADATA_ENTRIES + " entries, the limit");
            }
            expect(reader, JsonToken.STRING, origin, "metadata value '" + key + "'");
            String value = reader.nextString();
            checkText(value, origin, "metadata value '" + key + "'");
            metadata.put(key, value);
        }
        reader.endObject();
        return metadata;
    }

    private static Entry readEntry(JsonReader reader, String name, String origin) throws IOException {
        String what = "tensor '" + name + "'";
        expect(reader, JsonToken.BEGIN_OBJECT, origin, what);
        reader.beginObject();
        String dtypeCode = null;
        long[] shape = null;
        long[] offsets = null;
        while (reader.hasNext()) {
            String key = reader.nextName();
            switch (key) {
                case "dtype":
                    if (dtypeCode != null) throw fail(origin, what + " has two 'dtype' fields");
                    expect(reader, JsonToken.STRING, origin, what + " dtype");
                    dtypeCode = reader.nextString();
                    break;
                case "shape":
                    if (shape != null) throw fail(origin, what + " has two 'shape' fields");
                    shape = readIntegers(reader, origin, what + " shape", MAX_RANK);
                    break;
                case "data_offsets":
                    if (offsets != null) throw fail(origin, what + " has two 'data_offsets' fields");
                    offsets = readIntegers(reader, origin, what + " data_offsets", 2);
                    break;
                default:
                    // unknown fields are ignored, as the reference implementation does
                    reader.skipValue();
            }
        }
        reader.endObject();
        if (dtypeCode == null) throw fail(origin, what + " has no 'dtype'");
        if (shape == null) throw fail(origin, what + " has no 'shape'");
        if (offsets == null) throw fail(origin, what + " has no 'data_offsets'");
        return validatedEntry(name, dtypeCode, shape, offsets, origin);
    }

    /** A JSON array of at most {@code max} non-negative integers, each checked to fit a long. */
    private static long[] readIntegers(JsonReader reader, String origin, String what, int max) throws IOException {
        expect(reader, JsonToken.BEGIN_ARRAY, origin, what);
        reader.beginArray();
        long[] values = new long[4];
        int n = 0;
        while (reader.hasNext()) {
            if (n == max) {
                throw fail(origin, what + (max == MAX_RANK ? " has more than " + max + " dimensions, jgrad's rank limit"
                        : " must be [begin, end], got more than " + max + " numbers"));
            }
            expect(reader, JsonToken.NUMBER, origin, what + " element " + n);
            String text = reader.nextString();
            if (n == values.length) values = Arrays.copyOf(values, n * 2);
            values[n] = parseNonNegative(text, origin, what + " element " + n);
            n++;
        }
        reader.endArray();
        return Arrays.copyOf(values, n);
    }

    private static long parseNonNegative(String text, String origin, String what) throws CheckpointException {
        if (text.startsWith("-")) throw fail(origin, what + " is negative: " + text);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') throw fail(origin, what + " is not an integer: " + text);
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw fail(origin, what + " is too large: " + text);
        }
    }

    private static Entry validatedEntry(String name, String dtypeCode, long[] rawShape, long[] offsets, String origin)
            throws CheckpointException {
        String what = "tensor '" + name + "'";
        StoredDtype dtype = StoredDtype.parse(dtypeCode);
        if (dtype == null) {
            throw fail(origin, what + " has dtype '" + dtypeCode + "', which jgrad cannot load (supported: "
                    + Arrays.toString(StoredDtype.values()) + ")");
        }
        int[] shape = new int[rawShape.length];
        boolean empty = false;
        for (int i = 0; i < rawShape.length; i++) {
            if (rawShape[i] > Integer.MAX_VALUE) {
                throw fail(origin, what + " dimension " + i + " is " + rawShape[i] + ", more than jgrad's limit of "
                        + Integer.MAX_VALUE);
            }
            shape[i] = (int) rawShape[i];
            empty |= shape[i] == 0;
        }
        long numel = 1;
        if (empty) {
            numel = 0;
        } else {
            for (int d : shape) {
                numel *= d; // each factor < 2^31 and the running product stays <= MAX_ELEMENTS, so no overflow
                if (numel > MAX_ELEMENTS) {
                    throw fail(origin, what + " of shape " + Arrays.toString(rawShape) + " has more than "
                            + MAX_ELEMENTS + " elements, too many for one tensor");
                }
            }
        }
        if (offsets.length != 2) {
            throw fail(origin, what + " data_offsets must be [begin, end], got " + offsets.length + " numbers");
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) throw fail(origin, what + " data_offsets [" + begin + ", " + end + "] end before they begin");
        long expected = numel * dtype.byteSize; // < 2^31 * 8, no overflow
        if (end - begin != expected) {
            throw fail(origin, what + " spans " + (end - begin) + " bytes but " + dtype + " " + Arrays.toString(shape)
                    + " needs " + expected);
        }
        return new Entry(name, dtype, shape, numel, begin, end);
    }

    /** The byte ranges must tile [0, dataLength) exactly, as the reference implementation demands. */
    private void checkLayout(String origin, long dataLength) throws CheckpointException {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long next = 0;
        Entry previous = null;
        for (Entry e : byOffset) {
            if (e.begin() < next) {
                throw fail(origin, "tensors '" + previous.name() + "' and '" + e.name() + "' overlap (bytes "
                        + e.begin() + " to " + Math.min(next, e.end()) + ")");
            }
            if (e.begin() > next) {
                throw fail(origin, "gap of " + (e.begin() - next) + " bytes in the data section before tensor '"
                        + e.name() + "'");
            }
            next = e.end();
            previous = e;
        }
        if (next > dataLength) {
            throw fail(origin, "tensors need " + next + " bytes of data but the file has " + dataLength
                    + " after the header (truncated file?)");
        }
        if (next < dataLength) {
            throw fail(origin, (dataLength - next) + " bytes of data after the last tensor (" + next + " expected)");
        }
    }

    private static void expect(JsonReader reader, JsonToken token, String origin, String what) throws IOException {
        JsonToken actual = reader.peek();
        if (actual != token) throw fail(origin, what + " must be " + describe(token) + ", found " + describe(actual));
    }

    private static String describe(JsonToken token) {
        switch (token) {
            case BEGIN_OBJECT:
                return "an object";
            case BEGIN_ARRAY:
                return "an array";
            case STRING:
                return "a string";
            case NUMBER:
                return "a number";
            case END_DOCUMENT:
                return "the end of the header";
            default:
                return token.toString().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    static CheckpointException fail(String origin, String problem) {
        return new CheckpointException(origin + ": " + problem);
    }

    // ------------------------------------------------------------------------------------------------ writing

    /**
     * Lays tensors out in the data section: 8-byte types first, then 4-, 2- and 1-byte ones, each group in map order, so
     * every tensor is aligned to its element size (the data section starts on a multiple of 8) and readers that
     * view the bytes in place can. The header lists the tensors in map order.
     */
    static List<Entry> layout(List<String> names, List<StoredDtype> dtypes, List<int[]> shapes) {
        Entry[] planned = new Entry[names.size()];
        long offset = 0;
        int[] sizes = {8, 4, 2, 1};
        for (int size : sizes) {
            for (int i = 0; i < planned.length; i++) {
                StoredDtype dtype = dtypes.get(i);
                if (dtype.byteSize != size) continue;
                int[] shape = shapes.get(i);
                long numel = 1;
                for (int d : shape) numel *= d;
                long bytes = numel * dtype.byteSize;
                planned[i] = new Entry(names.get(i), dtype, shape.clone(), numel, offset, offset + bytes);
                offset += bytes;
            }
        }
        return List.of(planned);
    }

    /** The JSON header padded with spaces to a multiple of 8 bytes, metadata first (omitted when empty). */
    static byte[] encode(List<Entry> entries, Map<String, String> metadata) {
        StringWriter out = new StringWriter();
        try (JsonWriter json = new JsonWriter(out)) {
            json.setHtmlSafe(false);
            json.beginObject();
            if (metadata != null && !metadata.isEmpty()) {
                json.name(METADATA_KEY).beginObject();
                for (Map.Entry<String, String> m : metadata.entrySet()) json.name(m.getKey()).value(m.getValue());
                json.endObject();
            }
            for (Entry e : entries) {
                json.name(e.name()).beginObject();
                json.name("dtype").value(e.dtype().name());
                json.name("shape").beginArray();
                for (int d : e.shape()) json.value(d);
                json.endArray();
                json.name("data_offsets").beginArray().value(e.begin()).value(e.end()).endArray();
                json.endObject();
            }
            json.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        byte[] utf8 = out.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (utf8.length + 7) / 8 * 8;
        byte[] header = Arrays.copyOf(utf8, padded);
        Arrays.fill(header, utf8.length, padded, (byte) ' ');
        return header;
    }
}
