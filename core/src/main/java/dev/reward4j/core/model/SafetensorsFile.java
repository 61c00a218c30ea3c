package dev.reward4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A memory-mapped reader for one {@code .safetensors} file.
 *
 * <p>Only the JSON header is read eagerly. Each tensor is mapped on demand (no Java-heap copy of
 * the file, no 2 GiB limit: tensors above {@value #CHUNK_BYTES} bytes are read in row chunks) and
 * copied into a native array owned by the caller's manager. F32, F16 and BF16 are supported; BF16
 * is widened to F32 in Java ({@code bits << 16}) because BF16 NDArrays abort the JVM on DJL 0.35.1.
 * I64/I32 tensors are read as-is.
 */
public final class SafetensorsFile implements AutoCloseable {
    static final long CHUNK_BYTES = 1L << 30;
    private static final long MAX_HEADER = 100L * 1024 * 1024;

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    /**
     * One tensor's header entry.
     *
     * @param name tensor name
     * @param dtype safetensors dtype string ({@code F32}, {@code F16}, {@code BF16}, {@code I64},
     *     ...)
     * @param shape tensor shape
     * @param begin start offset in the data section
     * @param end end offset (exclusive) in the data section
     */
    public record TensorInfo(String name, String dtype, Shape shape, long begin, long end) {}

    private SafetensorsFile(
            Path file,
            FileChannel channel,
            long dataStart,
            Map<String, TensorInfo> tensors,
            Map<String, String> metadata) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Opens and validates the header of {@code file}; errors name the file and the tensor. */
    public static SafetensorsFile open(Path file) {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("safetensors: file not found (" + file + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "safetensors: cannot open " + file + ": " + e.getMessage(), e);
        }
        try {
            return parse(file, ch);
        } catch (RuntimeException | IOException e) {
            closeQuietly(ch);
            if (e instanceof IOException io) {
                throw new UncheckedIOException(
                        "safetensors: cannot read " + file + ": " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    private static SafetensorsFile parse(Path file, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw new IllegalArgumentException(
                    "safetensors: truncated header in "
                            + file
                            + " (file size "
                            + size
                            + " bytes); expected an 8-byte little-endian header length followed by"
                            + " a JSON header. The file is incomplete or not safetensors.");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lenBuf, 0);
        long headerLen = lenBuf.getLong(0);
        if (headerLen <= 0 || headerLen > MAX_HEADER || headerLen > size - 8) {
            throw new IllegalArgumentException(
                    "safetensors: truncated header in "
                            + file
                            + " (header length "
                            + headerLen
                            + ", file size "
                            + size
                            + "); expected 0 < header length <= file size - 8. The file is"
                            + " incomplete or not safetensors.");
        }
        ByteBuffer headerBuf = ByteBuffer.allocate((int) headerLen);
        readFully(ch, headerBuf, 8);
        String headerText = new String(headerBuf.array(), StandardCharsets.UTF_8);
        JsonNode header;
        try {
            header = HfConfig.JSON.readTree(headerText);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(
                    "safetensors: corrupt JSON header in "
                            + file
                            + " ("
                            + e.getOriginalMessage()
                            + "); expected a JSON object"
                            + " of tensor entries",
                    e);
        }
        if (header == null || !header.isObject()) {
            throw new IllegalArgumentException(
                    "safetensors: header of " + file + " is not a JSON object");
        }
        long dataStart = 8 + headerLen;
        long dataLen = size - dataStart;
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode v = e.getValue();
            if (name.equals("__metadata__")) {
                v.fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            TensorInfo info = tensorInfo(file, name, v);
            long expected = info.shape().size() * bytesPerElement(file, name, info.dtype());
            if (info.end() - info.begin() != expected || info.begin() < 0) {
                throw new IllegalArgumentException(
                        "safetensors: tensor "
                                + name
                                + " in "
                                + file
                                + " has data_offsets ["
                                + info.begin()
                                + ", "
                                + info.end()
                                + ") for "
                                + info.dtype()
                                + info.shape()
                                + "; expected "
                                + expected
                                + " bytes");
            }
            if (info.end() > dataLen) {
                throw new IllegalArgumentException(
                        "safetensors: tensor "
                                + name
                                + " in "
                                + file
                                + " ends at byte "
                                + info.end()
                                + " of the data section but"
                                + " the data section has "
                                + dataLen
                                + " bytes; the file is truncated");
            }
            tensors.put(name, info);
        }
        return new SafetensorsFile(
                file,
                ch,
                dataStart,
                Collections.unmodifiableMap(tensors),
                Collections.unmodifiableMap(metadata));
    }

    private static TensorInfo tensorInfo(Path file, String name, JsonNode v) {
        JsonNode dtype = v.get("dtype");
        JsonNode shape = v.get("shape");
        JsonNode offsets = v.get("data_offsets");
        if (dtype == null
                || shape == null
                || !shape.isArray()
                || offsets == null
                || offsets.size() != 2) {
            throw new IllegalArgumentException(
                    "safetensors: malformed header entry for tensor "
                            + name
                            + " in "
                            + file
                            + " ("
                            + v
                            + "); expected"
                            + " {dtype, shape, data_offsets[2]}");
        }
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.get(i).asLong();
        }
        return new TensorInfo(
                name,
                dtype.asText(),
                new Shape(dims),
                offsets.get(0).asLong(),
                offsets.get(1).asLong());
    }

    private static long bytesPerElement(Path file, String name, String dtype) {
        switch (dtype) {
            case "F64":
            case "I64":
                return 8;
            case "F32":
            case "I32":
                return 4;
            case "F16":
            case "BF16":
            case "I16":
                return 2;
            case "I8":
            case "U8":
            case "BOOL":
                return 1;
            default:
                throw new IllegalArgumentException(
                        "safetensors: unsupported dtype ("
                                + dtype
                                + ") of tensor "
                                + name
                                + " in "
                                + file
                                + "; supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL");
        }
    }

    /** The file this reader maps. */
    public Path file() {
        return file;
    }

    /** Header entries by name, in header order. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** The {@code __metadata__} map (empty when absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Reads tensor {@code name} into a new array in {@code manager} (on its device), converting
     * floating tensors to {@code floatType} (BF16 is widened in Java first). Integer tensors keep
     * their type.
     */
    public NDArray read(String name, NDManager manager, DataType floatType) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new IllegalArgumentException("safetensors: no tensor " + name + " in " + file);
        }
        long rows = info.shape().dimension() == 0 ? 1 : info.shape().get(0);
        long bytes = info.end() - info.begin();
        long rowBytes = rows == 0 ? bytes : bytes / rows;
        long rowsPerChunk = Math.max(1, (CHUNK_BYTES / 2) / Math.max(1, rowBytes));
        if (rows <= rowsPerChunk || info.shape().dimension() == 0) {
            return readRange(info, info.begin(), bytes, info.shape(), manager, floatType);
        }
        try (NDList parts = new NDList()) {
            for (long r = 0; r < rows; r += rowsPerChunk) {
                long n = Math.min(rowsPerChunk, rows - r);
                Shape partShape = new Shape(concatDims(n, info.shape()));
                parts.add(
                        readRange(
                                info,
                                info.begin() + r * rowBytes,
                                n * rowBytes,
                                partShape,
                                manager,
                                floatType));
            }
            return NDArrays.concat(parts, 0);
        }
    }

    private static long[] concatDims(long first, Shape shape) {
        long[] dims = shape.getShape().clone();
        dims[0] = first;
        return dims;
    }

    private NDArray readRange(
            TensorInfo info,
            long begin,
            long len,
            Shape shape,
            NDManager manager,
            DataType floatType) {
        MappedByteBuffer mapped;
        try {
            mapped = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + begin, len);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "safetensors: cannot map tensor "
                            + info.name()
                            + " in "
                            + file
                            + ": "
                            + e.getMessage(),
                    e);
        }
        mapped.order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer source = mapped;
        DataType stored;
        switch (info.dtype()) {
            case "BF16":
                source = widenBf16(mapped, (int) (len / 2));
                stored = DataType.FLOAT32;
                break;
            case "F32":
                stored = DataType.FLOAT32;
                break;
            case "F16":
                stored = DataType.FLOAT16;
                break;
            case "F64":
                stored = DataType.FLOAT64;
                break;
            case "I64":
                stored = DataType.INT64;
                break;
            case "I32":
                stored = DataType.INT32;
                break;
            case "I8":
                stored = DataType.INT8;
                break;
            case "U8":
                stored = DataType.UINT8;
                break;
            case "BOOL":
                stored = DataType.BOOLEAN;
                break;
            default:
                throw new IllegalArgumentException(
                        "safetensors: unsupported dtype ("
                                + info.dtype()
                                + ") of tensor "
                                + info.name()
                                + " in "
                                + file
                                + "; supported for reading: F64, F32, F16, BF16, I64, I32, I8, U8,"
                                + " BOOL");
        }
        // The temporary array may alias the mapped file: always copy into fresh native storage
        // before returning.
        try (NDArray temp = manager.create(source, shape, stored)) {
            DataType target = stored.isFloating() ? floatType : stored;
            return target == stored ? temp.duplicate() : temp.toType(target, true);
        }
    }

    private static ByteBuffer widenBf16(ByteBuffer bf16, int count) {
        ByteBuffer out = ByteBuffer.allocateDirect(count * 4).order(ByteOrder.nativeOrder());
        for (int i = 0; i < count; i++) {
            out.putInt((bf16.getShort(2 * i) & 0xffff) << 16);
        }
        out.flip();
        return out;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException {
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos + buf.position());
            if (n < 0) {
                break;
            }
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }
}
