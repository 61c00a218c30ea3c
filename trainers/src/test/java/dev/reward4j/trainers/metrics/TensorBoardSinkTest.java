package dev.reward4j.trainers.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event files are read back by an independent decoder of the TFRecord framing (lengths, masked
 * CRC-32C of length and data) and of the protocol buffers {@code Event} / {@code Summary} / {@code
 * Value}.
 */
public class TensorBoardSinkTest {
    /** A decoded scalar, or (tag {@code session_log:START}) a session start. */
    public record Scalar(long step, String tag, float value) {}

    /** Decodes every event of {@code file}, checking both CRCs of every record. */
    public static List<Scalar> read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        List<Scalar> out = new ArrayList<>();
        boolean first = true;
        while (b.hasRemaining()) {
            byte[] len = new byte[8];
            b.get(len);
            int lenCrc = b.getInt();
            assertEquals(lenCrc, TensorBoardSink.maskedCrc(len), "length CRC");
            long n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
            byte[] data = new byte[(int) n];
            b.get(data);
            assertEquals(b.getInt(), TensorBoardSink.maskedCrc(data), "data CRC");
            Event e = Event.parse(data);
            if (first) {
                assertEquals("brain.Event:2", e.fileVersion, "first event: the file version");
                first = false;
                continue;
            }
            if (e.sessionStart) {
                out.add(new Scalar(e.step, "session_log:START", Float.NaN));
            }
            e.values.forEach((tag, v) -> out.add(new Scalar(e.step, tag, v)));
        }
        return out;
    }

    /** A minimal protobuf reader of the fields the sink writes. */
    static final class Event {
        long step;
        String fileVersion;
        boolean sessionStart;
        final Map<String, Float> values = new LinkedHashMap<>();

        static Event parse(byte[] data) {
            Event e = new Event();
            ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) {
                long key = varint(b);
                int field = (int) (key >>> 3);
                int wire = (int) (key & 7);
                if (field == 1 && wire == 1) {
                    assertTrue(b.getDouble() > 1.6e9, "wall_time in seconds");
                } else if (field == 2 && wire == 0) {
                    e.step = varint(b);
                } else if (field == 3 && wire == 2) {
                    e.fileVersion = new String(bytes(b), StandardCharsets.UTF_8);
                } else if (field == 5 && wire == 2) {
                    ByteBuffer summary = ByteBuffer.wrap(bytes(b)).order(ByteOrder.LITTLE_ENDIAN);
                    while (summary.hasRemaining()) {
                        assertEquals((1 << 3) | 2, varint(summary), "Summary.value");
                        ByteBuffer value =
                                ByteBuffer.wrap(bytes(summary)).order(ByteOrder.LITTLE_ENDIAN);
                        String tag = null;
                        float v = Float.NaN;
                        while (value.hasRemaining()) {
                            long k = varint(value);
                            if (k == ((1 << 3) | 2)) {
                                tag = new String(bytes(value), StandardCharsets.UTF_8);
                            } else if (k == ((2 << 3) | 5)) {
                                v = value.getFloat();
                            } else {
                                throw new AssertionError("unexpected Value field " + k);
                            }
                        }
                        e.values.put(tag, v);
                    }
                } else if (field == 6 && wire == 2) {
                    byte[] log = bytes(b);
                    e.sessionStart = log.length == 2 && log[0] == (1 << 3) && log[1] == 1;
                } else {
                    throw new AssertionError("unexpected Event field " + field + "/" + wire);
                }
            }
            return e;
        }

        static long varint(ByteBuffer b) {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                byte x = b.get();
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
        }

        static byte[] bytes(ByteBuffer b) {
            byte[] out = new byte[(int) varint(b)];
            b.get(out);
            return out;
        }
    }

    @TempDir Path dir;

    @Test
    void writesScalarsTensorBoardReadsAndSkipsNonFiniteValues() throws IOException {
        Path file;
        try (TensorBoardSink sink = TensorBoardSink.open(dir, 0)) {
            file = sink.file();
            Map<String, Double> v = new LinkedHashMap<>();
            v.put("loss", 0.5);
            v.put("rewards/accuracies", 0.75);
            v.put("ece", Double.NaN);
            sink.record("train", 1, v);
            sink.record("eval", 300, Map.of("loss", 0.25));
        }
        assertTrue(file.getFileName().toString().startsWith("events.out.tfevents."));
        assertEquals(
                List.of(
                        new Scalar(1, "train/loss", 0.5f),
                        new Scalar(1, "train/rewards/accuracies", 0.75f),
                        new Scalar(300, "eval/loss", 0.25f)),
                read(file));
    }

    @Test
    void aResumedRunStartsItsFileWithASessionStartAtTheResumedStep() throws IOException {
        Path file;
        try (TensorBoardSink sink = TensorBoardSink.open(dir, 40)) {
            file = sink.file();
            sink.record("train", 41, Map.of("loss", 1.0));
        }
        assertEquals(
                List.of(
                        new Scalar(40, "session_log:START", Float.NaN),
                        new Scalar(41, "train/loss", 1f)),
                read(file));
    }

    @Test
    void theMaskedCrcIsTheTfRecordOne() {
        // CRC-32C("123456789") = 0xE3069283 (the standard check value); masked by TFRecord's rule
        int crc = 0xE3069283;
        int masked = ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
        assertEquals(
                masked, TensorBoardSink.maskedCrc("123456789".getBytes(StandardCharsets.US_ASCII)));
    }
}
