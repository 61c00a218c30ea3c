package dev.reward4j.trainers.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Writes every record as TensorBoard scalars ({@code <phase>/<metric>}, e.g. {@code train/loss},
 * {@code eval/rewards/accuracies}) into an event file {@code events.out.tfevents.<time>.<host>}
 * that TensorBoard reads ({@code tensorboard --logdir <dir>}).
 *
 * <p>No maintained Java writer of the format is on Maven Central, so this one writes it directly: a
 * file of TFRecords (little-endian {@code uint64} length, {@code uint32} masked CRC-32C of the
 * length, the data, {@code uint32} masked CRC-32C of the data), each the protocol-buffer encoding
 * of a {@code tensorflow.Event} ({@code wall_time} = 1, {@code step} = 2, {@code file_version} = 3,
 * {@code summary} = 5, {@code session_log} = 6) whose {@code Summary} holds {@code Value}s with
 * {@code tag} = 1 and {@code simple_value} = 2. The first event is {@code file_version:
 * "brain.Event:2"}; a resumed run starts its new file with a {@code SessionLog START} at the
 * resumed step, which makes TensorBoard drop the points the first session logged after that step.
 * Each record is flushed, so a killed run keeps what it logged.
 */
public final class TensorBoardSink implements MetricSink {
    private static final int MASK_DELTA = 0xa282ead8;
    private final Path file;
    private final OutputStream out;

    private TensorBoardSink(Path file) throws IOException {
        this.file = file;
        this.out =
                Files.newOutputStream(
                        file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }

    /**
     * Opens a new event file in {@code dir} (created when missing).
     *
     * @param dir the log directory
     * @param resumedStep the step a resumed run continues after (0 for a new run): a {@code
     *     SessionLog START} at that step is written so TensorBoard discards the later points of the
     *     interrupted session
     */
    public static TensorBoardSink open(Path dir, long resumedStep) {
        try {
            Files.createDirectories(dir);
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "localhost";
            }
            long now = System.currentTimeMillis() / 1000;
            Path file = null;
            for (int n = 0; file == null || Files.exists(file); n++) {
                file =
                        dir.resolve(
                                "events.out.tfevents."
                                        + now
                                        + "."
                                        + host
                                        + "."
                                        + ProcessHandle.current().pid()
                                        + "."
                                        + n);
            }
            TensorBoardSink sink = new TensorBoardSink(file);
            sink.write(event(wallTime(), 0, 3, "brain.Event:2".getBytes(StandardCharsets.UTF_8)));
            if (resumedStep > 0) {
                sink.write(event(wallTime(), resumedStep, 6, sessionStart()));
            }
            return sink;
        } catch (IOException e) {
            throw new UncheckedIOException("tensorboard: cannot open an event file in " + dir, e);
        }
    }

    /** The event file. */
    public Path file() {
        return file;
    }

    @Override
    public synchronized void record(String phase, long step, Map<String, Double> values) {
        ByteArrayOutputStream summary = new ByteArrayOutputStream();
        values.forEach(
                (k, v) -> {
                    if (v == null || !Double.isFinite(v)) {
                        return; // TensorBoard shows no gap marker; skip the point
                    }
                    ByteArrayOutputStream value = new ByteArrayOutputStream();
                    bytesField(value, 1, (phase + "/" + k).getBytes(StandardCharsets.UTF_8));
                    value.write((2 << 3) | 5); // simple_value, fixed32
                    byte[] f =
                            ByteBuffer.allocate(4)
                                    .order(ByteOrder.LITTLE_ENDIAN)
                                    .putFloat(v.floatValue())
                                    .array();
                    value.writeBytes(f);
                    bytesField(summary, 1, value.toByteArray());
                });
        try {
            write(event(wallTime(), step, 5, summary.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException("tensorboard: cannot write to " + file, e);
        }
    }

    private static double wallTime() {
        return System.currentTimeMillis() / 1000.0;
    }

    private static byte[] sessionStart() {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.write(1 << 3); // status, varint
        s.write(1); // START
        return s.toByteArray();
    }

    /** An Event with wall time, step and one length-delimited field ({@code field}). */
    static byte[] event(double wallTime, long step, int field, byte[] payload) {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        e.write((1 << 3) | 1); // wall_time, fixed64
        e.writeBytes(
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(wallTime).array());
        e.write(2 << 3); // step, varint
        varint(e, step);
        bytesField(e, field, payload);
        return e.toByteArray();
    }

    private static void bytesField(ByteArrayOutputStream out, int field, byte[] bytes) {
        out.write((field << 3) | 2);
        varint(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private void write(byte[] data) throws IOException {
        byte[] len =
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(data.length).array();
        out.write(len);
        out.write(le32(maskedCrc(len)));
        out.write(data);
        out.write(le32(maskedCrc(data)));
        out.flush();
    }

    private static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    /** TFRecord's masked CRC-32C: {@code ((crc >>> 15) | (crc << 17)) + 0xa282ead8}. */
    static int maskedCrc(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("tensorboard: cannot close " + file, e);
        }
    }
}
