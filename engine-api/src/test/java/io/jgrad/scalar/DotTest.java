package io.jgrad.scalar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class DotTest {

    private static final Pattern RECORD =
            Pattern.compile("(n\\d+) \\[shape=record, label=\"\\{ (.*?) \\| data (\\S+) \\| grad (\\S+) \\}\"\\];");

    @Test
    void smallExpressionHasValueNodesOpNodesAndEdges() {
        Value a = Value.of(2.0, "a");
        Value b = Value.of(-3.0, "b");
        Value c = a.mul(b).label("c");
        Value d = c.add(a).label("d");
        d.backward();
        String dot = Dot.toDot(d);

        assertTrue(dot.startsWith("digraph {\n  rankdir=TB;\n"), dot);
        assertTrue(dot.endsWith("}\n"), dot);
        Map<String, String> id = recordIds(dot);
        assertEquals(4, id.size(), dot);
        // d = a*b + a: dd/da = b + 1 = -2, dd/db = a = 2.
        assertTrue(dot.contains(id.get("a") + " [shape=record, label=\"{ a | data 2.0000 | grad -2.0000 }\"];"), dot);
        assertTrue(dot.contains(id.get("b") + " [shape=record, label=\"{ b | data -3.0000 | grad 2.0000 }\"];"), dot);
        assertTrue(dot.contains(id.get("c") + " [shape=record, label=\"{ c | data -6.0000 | grad 1.0000 }\"];"), dot);
        assertTrue(dot.contains(id.get("d") + " [shape=record, label=\"{ d | data -4.0000 | grad 1.0000 }\"];"), dot);

        String mulOp = id.get("c") + "_op";
        String addOp = id.get("d") + "_op";
        assertTrue(dot.contains(mulOp + " [label=\"*\"];"), dot);
        assertTrue(dot.contains(addOp + " [label=\"+\"];"), dot);
        String[] edges = {
            id.get("a") + " -> " + mulOp, id.get("b") + " -> " + mulOp, mulOp + " -> " + id.get("c"),
            id.get("c") + " -> " + addOp, id.get("a") + " -> " + addOp, addOp + " -> " + id.get("d"),
        };
        for (String edge : edges) assertTrue(dot.contains("  " + edge + ";\n"), edge + " missing in\n" + dot);
        assertEquals(edges.length, count(dot, " -> "), dot);
        assertEquals(2, count(dot, "_op [label="), dot);
    }

    @Test
    void squareDrawsOneEdgeAndPowHidesItsExponent() {
        Value x = Value.of(3.0, "x");
        String square = Dot.toDot(x.mul(x));
        assertEquals(2, recordIds(square).size(), square);
        assertEquals(2, count(square, " -> "), square);

        String power = Dot.toDot(x.pow(2));
        assertEquals(2, recordIds(power).size(), power);
        assertTrue(power.contains("_op [label=\"**2\"];"), power);
        assertEquals(2, count(power, " -> "), power);
    }

    @Test
    void leafAloneAndSpecialCharactersInLabels() {
        String dot = Dot.toDot(Value.of(1.5, "w{0}|<b>"));
        assertTrue(dot.contains("label=\"{ w\\{0\\}\\|\\<b\\> | data 1.5000 | grad 0.0000 }\""), dot);
        assertEquals(0, count(dot, " -> "), dot);
    }

    @Test
    void deepGraphIsExportedIteratively() {
        Value x = Value.of(1.0);
        Value y = x;
        for (int i = 0; i < 100_000; i++) y = y.tanh();
        String dot = Dot.toDot(y);
        assertEquals(100_001, count(dot, "[shape=record"));
        assertEquals(200_000, count(dot, " -> "));
    }

    private static Map<String, String> recordIds(String dot) {
        Map<String, String> ids = new HashMap<>();
        Matcher m = RECORD.matcher(dot);
        while (m.find()) ids.put(m.group(2).isEmpty() ? m.group(1) : m.group(2), m.group(1));
        return ids;
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) n++;
        return n;
    }
}
