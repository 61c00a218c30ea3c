package dev.reward4j.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.core.testing.Samples;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataReaderTest {
    static <T> List<T> drain(RecordStream<T> s) {
        List<T> out = new ArrayList<>();
        s.forEachRemaining(out::add);
        s.close();
        return out;
    }

    @Nested
    class Containers {
        @Test
        void gzipIsDetectedByMagicBytesWhateverTheName(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("pairs.jsonl");
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                out.write(Files.readAllBytes(Samples.of("trl-standard.jsonl")));
            }
            assertEquals(
                    Samples.read("trl-standard.jsonl", TrlFormat.standard()).size(),
                    DataReader.readAll(file, TrlFormat.standard()).size());
        }

        @Test
        void parquetConversationalRowsReadLikeTheirJsonForm(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("conv.parquet");
            ParquetSamples.writeConversational(file, 5);
            List<PreferencePair> pairs = DataReader.readAll(file, TrlFormat.standard());
            assertEquals(5, pairs.size());
            PreferencePair p = pairs.get(3);
            assertEquals("pq-3", p.id());
            assertEquals(
                    List.of(
                            new Message("system", "Answer briefly."),
                            new Message("user", "What is 3 + 1?")),
                    ((Conversation) p.prompt()).messages());
            assertEquals(Conversation.of(new Message("assistant", "4")), p.chosen());
            assertEquals(1.5, p.margin().getAsDouble());
            assertEquals(new Source(file.toString(), 4), p.source());
        }

        @Test
        void parquetRowConversionKeepsScalarAndListTypes(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("conv.parquet");
            ParquetSamples.writeConversational(file, 1);
            List<Row> rows = DataReader.readAll(file, (row, out) -> out.accept(row));
            Row r = rows.get(0);
            assertEquals(0L, r.json().get("votes").asLong());
            assertTrue(r.json().get("flagged").asBoolean());
            assertEquals("math", r.json().get("tags").get(0).asText());
        }

        @Test
        void parquetStandardRowsRead(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("std.parquet");
            ParquetSamples.writeStandard(
                    file, new String[][] {{"Q?", " yes", " no"}, {"R?", " a", " b"}});
            List<PreferencePair> pairs = DataReader.readAll(file, TrlFormat.standard());
            assertEquals(new PlainText(" b"), pairs.get(1).rejected());
        }

        @Test
        void byteOrderMarkAndBlankLinesAreTolerated(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("bom.jsonl");
            Files.writeString(
                    file,
                    "\uFEFF{\"prompt\":\"q\",\"chosen\":\" a\",\"rejected\":\" b\"}\r\n\n"
                            + "{\"prompt\":\"r\",\"chosen\":\" c\",\"rejected\":\" d\"}",
                    StandardCharsets.UTF_8);
            List<PreferencePair> pairs = DataReader.readAll(file, TrlFormat.standard());
            assertEquals(2, pairs.size());
            assertEquals(3, pairs.get(1).source().line()); // the blank line still counts as a line
        }

        @Test
        void maxRowsStopsEarly() {
            List<PreferencePair> pairs =
                    drain(
                            DataReader.open(
                                    Samples.of("trl-standard.jsonl"),
                                    TrlFormat.standard(),
                                    ReadOptions.defaults().withMaxRows(2)));
            assertEquals(2, pairs.size());
        }
    }

    @Nested
    class BadInput {
        @Test
        void malformedJsonNamesFileLineAndExpectation() {
            DataFormatException e =
                    assertThrows(
                            DataFormatException.class,
                            () -> Samples.read("bad/malformed.jsonl", TrlFormat.standard()));
            assertTrue(e.getMessage().contains("malformed.jsonl:2"), e.getMessage());
            assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());
            assertTrue(
                    e.getMessage().contains("expected one JSON object per line"), e.getMessage());
        }

        @Test
        void missingFieldNamesTheFieldAndTheAvailableOnes() {
            DataFormatException e =
                    assertThrows(
                            DataFormatException.class,
                            () -> Samples.read("bad/missing-field.jsonl", TrlFormat.standard()));
            assertEquals("rejected", e.field());
            assertEquals(2, e.source().line());
            assertTrue(
                    e.getMessage().contains("available fields: [prompt, chosen]"), e.getMessage());
        }

        @Test
        void mistypedFieldSaysWhatWasFoundAndExpected() {
            DataFormatException e =
                    assertThrows(
                            DataFormatException.class,
                            () -> Samples.read("bad/mistyped-field.jsonl", TrlFormat.standard()));
            assertEquals("rejected", e.field());
            assertTrue(e.getMessage().contains("has type number"), e.getMessage());
            assertTrue(e.getMessage().contains("expected a string or a list of"), e.getMessage());
        }

        @Test
        void invalidUtf8NamesItsLine() {
            DataFormatException e =
                    assertThrows(
                            DataFormatException.class,
                            () -> Samples.read("bad/invalid-utf8.jsonl", TrlFormat.standard()));
            assertTrue(e.getMessage().contains("invalid-utf8.jsonl:2"), e.getMessage());
            assertTrue(e.getMessage().contains("invalid UTF-8"), e.getMessage());
        }

        @Test
        void messageWithoutRoleNamesTheNestedField(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("conv.jsonl");
            Files.writeString(
                    file,
                    "{\"prompt\":[{\"content\":\"hi\"}],\"chosen\":\"a\",\"rejected\":\"b\"}\n",
                    StandardCharsets.UTF_8);
            DataFormatException e =
                    assertThrows(
                            DataFormatException.class,
                            () -> DataReader.readAll(file, TrlFormat.standard()));
            assertEquals("prompt[0].role", e.field());
        }

        @Test
        void aDirectoryIsNamedAsADirectoryNotAsAMissingFile(@TempDir Path dir) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    DataReader.open(
                                            dir, TrlFormat.standard(), ReadOptions.defaults()));
            assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
        }

        @Test
        void aTruncatedGzipFileIsAnErrorNamingTheFileEvenWhenLenient(@TempDir Path dir)
                throws IOException {
            Path whole = dir.resolve("whole.jsonl.gz");
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(whole))) {
                for (int i = 0; i < 200; i++) {
                    out.write(Files.readAllBytes(Samples.of("trl-standard.jsonl")));
                }
            }
            byte[] bytes = Files.readAllBytes(whole);
            Path cut = dir.resolve("cut.jsonl.gz");
            Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    drain(
                                            DataReader.open(
                                                    cut,
                                                    TrlFormat.standard(),
                                                    ReadOptions.defaults().withLenient(true))));
            assertTrue(
                    e.getMessage().contains("cut.jsonl.gz is a damaged gzip file"), e.getMessage());
        }

        @Test
        void missingFileIsRejected(@TempDir Path dir) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    DataReader.open(
                                            dir.resolve("nope.jsonl"),
                                            TrlFormat.standard(),
                                            ReadOptions.defaults()));
            assertTrue(e.getMessage().contains("file not found"), e.getMessage());
        }

        @Test
        void notAParquetFileIsRejected(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("fake.parquet");
            Files.writeString(file, "{\"prompt\": \"x\"}\n");
            DataFormatException e =
                    assertThrows(
                            DataFormatException.class,
                            () -> DataReader.readAll(file, TrlFormat.standard()));
            assertTrue(e.getMessage().contains("Parquet"), e.getMessage());
        }
    }

    @Nested
    class Lenient {
        @Test
        void lenientModeSkipsBadLinesCountsThemAndKeepsTheRest() {
            RecordStream<PreferencePair> s =
                    DataReader.open(
                            Samples.of("bad/malformed.jsonl"),
                            TrlFormat.standard(),
                            ReadOptions.defaults().withLenient(true));
            List<PreferencePair> pairs = drain(s);
            assertEquals(2, pairs.size());
            assertEquals(3, s.counters().readCount());
            assertEquals(2, s.counters().parsedCount());
            assertEquals(1, s.counters().skippedCount());
            assertTrue(
                    s.counters().skippedAt().get(0).contains("malformed.jsonl:2"),
                    s.counters().skippedAt().toString());
        }

        @Test
        void lenientModeRecoversAfterInvalidUtf8AndMissingFields() {
            RecordStream<PreferencePair> utf =
                    DataReader.open(
                            Samples.of("bad/invalid-utf8.jsonl"),
                            TrlFormat.standard(),
                            ReadOptions.defaults().withLenient(true));
            assertEquals(List.of(1L, 3L), drain(utf).stream().map(p -> p.source().line()).toList());
            RecordStream<PreferencePair> missing =
                    DataReader.open(
                            Samples.of("bad/missing-field.jsonl"),
                            TrlFormat.standard(),
                            ReadOptions.defaults().withLenient(true));
            assertEquals(1, drain(missing).size());
            assertEquals(1, missing.counters().skippedCount());
            assertTrue(missing.counters().skippedAt().get(0).contains("'rejected'"));
        }
    }
}
