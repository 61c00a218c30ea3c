package dev.reward4j.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RawRowsTest {
    @TempDir Path dir;

    /** Line 2 blank, line 4 malformed JSON, line 5 invalid UTF-8, line 6 lacks 'rejected'. */
    private Path file() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(
                ("\uFEFF{\"prompt\":\"a\",\"chosen\":\" b\",\"rejected\":\" c\"}\n"
                                + "  \n"
                                + "{\"prompt\":\"d\",\"chosen\":\" e\",\"rejected\":\" f\"}\n"
                                + "{\"prompt\": \n")
                        .getBytes(StandardCharsets.UTF_8));
        b.write(new byte[] {'{', '"', 'x', '"', ':', '"', (byte) 0xC3, '"', '}', '\n'});
        b.write(
                ("{\"prompt\":\"g\",\"chosen\":\" h\"}\n"
                                + "{\"prompt\":\"i\",\"chosen\":\" j\",\"rejected\":\" k\"}\n")
                        .getBytes(StandardCharsets.UTF_8));
        Path f = dir.resolve("rows.jsonl");
        Files.write(f, b.toByteArray());
        return f;
    }

    /** The rows of {@code f} as a cluster job sees them: each line's bytes, numbered from 1. */
    private static List<RawRow> lines(Path f) throws Exception {
        byte[] all = Files.readAllBytes(f);
        List<RawRow> out = new ArrayList<>();
        int start = 0;
        long line = 0;
        for (int i = 0; i <= all.length; i++) {
            if (i == all.length || all[i] == '\n') {
                if (i == all.length && start == i) {
                    break;
                }
                byte[] bytes = java.util.Arrays.copyOfRange(all, start, i);
                RawRow r = RawRow.jsonLine(new Source(f.toString(), ++line), bytes);
                assertEquals(r == null, RawRow.isBlankLine(bytes));
                if (r != null) {
                    out.add(r);
                }
                start = i + 1;
            }
        }
        return out;
    }

    @Test
    void rawRowsOfAFileAreItsRowsAndFailures() throws Exception {
        Path f = file();
        List<RawRow> read = new ArrayList<>();
        try (RawRows rows = RawRows.open(f)) {
            rows.forEachRemaining(read::add);
        }
        assertEquals(6, read.size());
        assertEquals(
                List.of(1L, 3L, 4L, 5L, 6L, 7L),
                read.stream().map(r -> r.source().line()).toList());
        assertTrue(read.get(2).error().getMessage().contains(":4 field '<line>': malformed JSON"));
        assertTrue(read.get(3).error().getMessage().contains(":5 field '<line>': invalid UTF-8"));
        assertEquals("a", read.get(0).json().get("prompt").asText()); // byte order mark dropped
        // the same rows from the line bytes
        List<RawRow> fromLines = lines(f);
        assertEquals(read.size(), fromLines.size());
        for (int i = 0; i < read.size(); i++) {
            assertEquals(read.get(i).source(), fromLines.get(i).source());
            assertEquals(read.get(i).json(), fromLines.get(i).json());
            assertEquals(
                    read.get(i).error() == null ? null : read.get(i).error().getMessage(),
                    fromLines.get(i).error() == null
                            ? null
                            : fromLines.get(i).error().getMessage());
        }
        assertNull(RawRow.jsonLine(new Source("f", 1), "\t\r".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aRecordStreamOverRawRowsReadsAsTheFileReader() throws Exception {
        Path f = file();
        for (boolean lenient : new boolean[] {true, false}) {
            ReadOptions options = ReadOptions.defaults().withLenient(lenient);
            List<String> viaFile = new ArrayList<>();
            List<String> viaRows = new ArrayList<>();
            DataCounters a;
            DataCounters b;
            String errorA = null;
            String errorB = null;
            try (RecordStream<PreferencePair> s =
                    DataReader.open(f, TrlFormat.standard(), options)) {
                try {
                    s.forEachRemaining(p -> viaFile.add(p.id() + " " + p.chosen()));
                } catch (DataFormatException e) {
                    errorA = e.getMessage();
                }
                a = s.counters();
            }
            Iterator<RawRow> rows = lines(f).iterator();
            try (RecordStream<PreferencePair> s =
                    RecordStream.over(rows, TrlFormat.standard(), options, "partition 0")) {
                try {
                    s.forEachRemaining(p -> viaRows.add(p.id() + " " + p.chosen()));
                } catch (DataFormatException e) {
                    errorB = e.getMessage();
                }
                b = s.counters();
            }
            assertEquals(viaFile, viaRows);
            assertEquals(errorA, errorB);
            assertEquals(a.summary(), b.summary());
            assertEquals(a.skippedAt(), b.skippedAt());
            if (lenient) {
                assertEquals(3, b.skippedCount());
                assertEquals(3, viaRows.size());
            } else {
                assertTrue(errorB.contains(f + ":4 field '<line>'"), errorB);
            }
        }
    }

    @Test
    void aRawRowHoldsExactlyAnObjectOrAnError() {
        Source s = new Source("f", 1);
        assertThrows(IllegalArgumentException.class, () -> new RawRow(s, null, null));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        RawRow.of(
                                s,
                                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                                        .arrayNode()));
    }

    @Test
    void countersRestoreFromTheirCountsAndSerialize() throws Exception {
        DataCounters c = new DataCounters();
        c.read();
        c.read();
        c.parsed();
        c.kept();
        c.truncated(1, 2, 1);
        c.dropped("f:2", "too long");
        c.invalid("f:3", "empty");
        c.skipped("f:4", "bad");
        c.completionDropped("f:5", "null score");
        DataCounters r = DataCounters.restore(c.counts(), c.locations());
        assertEquals(c.summary(), r.summary());
        assertEquals(c.droppedAt(), r.droppedAt());
        assertEquals(c.completionsDroppedAt(), r.completionsDroppedAt());
        assertEquals(c.locations(), r.locations());
        assertEquals(c.counts(), r.counts());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(c);
        }
        try (ObjectInputStream in =
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            DataCounters back = (DataCounters) in.readObject();
            assertEquals(c.summary(), back.summary());
            assertEquals(c.skippedAt(), back.skippedAt());
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> DataCounters.restore(java.util.Map.of("reads", 1L), java.util.Map.of()));
    }
}
