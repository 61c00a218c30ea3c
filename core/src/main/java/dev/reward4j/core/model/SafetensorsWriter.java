package dev.reward4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes safetensors checkpoints as HF does: an 8-byte little-endian header length, a JSON header
 * with {@code __metadata__ = {"format": "pt"}} padded with spaces to a multiple of 8 bytes, then
 * the raw little-endian tensor data. Above {@code maxShardBytes} the tensors are split into {@code
 * model-0000i-of-0000n.safetensors} shards with a {@code model.safetensors.index.json} ({@code
 * metadata.total_size}, {@code weight_map}).
 */
public final class SafetensorsWriter {
    /** Default shard size threshold (4 GiB, below HF's 5 GB default). */
    public static final long DEFAULT_MAX_SHARD_BYTES = 4L << 30;

    private SafetensorsWriter() {}

    /**
     * Writes {@code tensors} (name to array, any device; F32/F16/F64/I64/I32) into {@code dir},
     * replacing earlier {@code model*.safetensors} files and index there. Returns the files
     * written.
     */
    public static List<Path> write(Path dir, Map<String, NDArray> tensors, long maxShardBytes) {
        if (maxShardBytes <= 0) {
            throw new IllegalArgumentException(
                    "safetensors writer: maxShardBytes must be > 0 (" + maxShardBytes + ")");
        }
        try {
            Files.createDirectories(dir);
            deleteOldWeights(dir);
            List<Map<String, NDArray>> shards = new ArrayList<>();
            Map<String, NDArray> current = new LinkedHashMap<>();
            long currentBytes = 0;
            long total = 0;
            for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
                long bytes = byteSize(e.getValue());
                if (!current.isEmpty() && currentBytes + bytes > maxShardBytes) {
                    shards.add(current);
                    current = new LinkedHashMap<>();
                    currentBytes = 0;
                }
                current.put(e.getKey(), e.getValue());
                currentBytes += bytes;
                total += bytes;
            }
            shards.add(current);
            List<Path> written = new ArrayList<>();
            if (shards.size() == 1) {
                Path file = dir.resolve(Checkpoint.SINGLE_FILE);
                writeFile(file, shards.get(0));
                written.add(file);
                return written;
            }
            ObjectNode index = HfConfig.JSON.createObjectNode();
            index.putObject("metadata").put("total_size", total);
            Map<String, String> weightMap = new TreeMap<>();
            for (int i = 0; i < shards.size(); i++) {
                String name = String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
                Path file = dir.resolve(name);
                writeFile(file, shards.get(i));
                written.add(file);
                shards.get(i).keySet().forEach(k -> weightMap.put(k, name));
            }
            ObjectNode wm = index.putObject("weight_map");
            weightMap.forEach(wm::put);
            Path indexFile = dir.resolve(Checkpoint.INDEX_FILE);
            Files.writeString(
                    indexFile,
                    HfConfig.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(index));
            written.add(indexFile);
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "safetensors writer: cannot write to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Writes one safetensors file holding {@code tensors} in the given order. */
    public static void writeFile(Path file, Map<String, NDArray> tensors) throws IOException {
        ObjectNode header = HfConfig.JSON.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            NDArray a = e.getValue();
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", dtypeName(e.getKey(), a.getDataType()));
            var shape = t.putArray("shape");
            for (long d : a.getShape().getShape()) {
                shape.add(d);
            }
            long bytes = byteSize(a);
            t.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = HfConfig.JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded);
        head.put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        try (FileChannel ch =
                FileChannel.open(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            writeAll(ch, head);
            for (NDArray a : tensors.values()) {
                ByteBuffer data = a.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                writeAll(ch, data);
            }
        }
    }

    private static void writeAll(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }

    private static long byteSize(NDArray a) {
        return a.getShape().size() * a.getDataType().getNumOfBytes();
    }

    private static String dtypeName(String name, DataType t) {
        switch (t) {
            case FLOAT32:
                return "F32";
            case FLOAT16:
                return "F16";
            case FLOAT64:
                return "F64";
            case INT64:
                return "I64";
            case INT32:
                return "I32";
            case INT8:
                return "I8";
            case UINT8:
                return "U8";
            case BOOLEAN:
                return "BOOL";
            default:
                throw new IllegalArgumentException(
                        "safetensors writer: unsupported dtype ("
                                + t
                                + ") of tensor "
                                + name
                                + "; supported: F32, F16, F64, I64, I32, I8, U8, BOOL");
        }
    }

    private static void deleteOldWeights(Path dir) throws IOException {
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "model*.safetensors*")) {
            for (Path p : old) {
                Files.delete(p);
            }
        }
    }
}
