package dev.reward4j.core.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * JSON Lines reader, plain or gzipped (detected by the gzip magic bytes). Reads byte lines and
 * decodes them with a strict UTF-8 decoder, so invalid UTF-8 is reported with its line and the next
 * line is still readable. Blank lines are skipped silently (they carry no row). Memory: one line at
 * a time.
 */
final class JsonlRows implements RowSource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String file;
    private final InputStream in;
    private byte[] buf = new byte[8192];
    private final byte[] chunk = new byte[1 << 16];
    private int pos;
    private int limit;
    private long line;
    private boolean eof;
    private final boolean gzip;

    JsonlRows(Path path) {
        this.file = path.toString();
        try {
            InputStream raw = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            this.gzip = b0 == 0x1f && b1 == 0x8b;
            this.in = gzip ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16)) : raw;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "data: cannot open " + path + " (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public JsonNode next() {
        while (!eof) {
            int len = readLine();
            if (len < 0) {
                eof = true;
                return null;
            }
            line++;
            JsonNode node = parseLine(new Source(file, line), buf, len, line == 1);
            if (node != null) {
                return node;
            }
        }
        return null;
    }

    /**
     * Parses one line (its bytes without the newline) as {@link DataReader} reads JSON Lines: a
     * blank line gives null; invalid UTF-8, malformed JSON or a value other than an object throws
     * {@link DataFormatException} at {@code source}; a UTF-8 byte order mark opens the first line.
     */
    static JsonNode parseLine(Source source, byte[] bytes, int len, boolean firstLine) {
        if (isBlank(bytes, len)) {
            return null;
        }
        String text;
        try {
            CharBuffer chars =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(ByteBuffer.wrap(bytes, 0, len));
            text = chars.toString();
            if (firstLine && text.startsWith("\uFEFF")) {
                text = text.substring(1); // UTF-8 byte order mark written by some editors
            }
        } catch (CharacterCodingException e) {
            throw new DataFormatException(
                    source,
                    "<line>",
                    "invalid UTF-8 (" + e.getMessage() + ")",
                    "UTF-8 encoded JSON");
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new DataFormatException(
                    source,
                    "<line>",
                    "malformed JSON ("
                            + e.getOriginalMessage()
                            + " at column "
                            + e.getLocation().getColumnNr()
                            + ")",
                    "one JSON object per line");
        }
        if (node == null || !node.isObject()) {
            throw new DataFormatException(
                    source, "<line>", "a JSON " + Row.type(node), "one JSON object per line");
        }
        return node;
    }

    static boolean isBlank(byte[] bytes, int len) {
        for (int i = 0; i < len; i++) {
            byte b = bytes[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads one line into buf (without the newline); returns its length, or -1 at end of stream.
     */
    private int readLine() {
        int len = 0;
        boolean any = false;
        while (true) {
            if (pos == limit && !fill()) {
                return any ? len : -1;
            }
            any = true;
            int start = pos;
            while (pos < limit && chunk[pos] != '\n') {
                pos++;
            }
            int n = pos - start;
            if (len + n > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
            }
            System.arraycopy(chunk, start, buf, len, n);
            len += n;
            if (pos < limit) {
                pos++; // the newline
                return len;
            }
        }
    }

    private boolean fill() {
        try {
            int n;
            do {
                n = in.read(chunk, 0, chunk.length);
            } while (n == 0);
            pos = 0;
            limit = Math.max(n, 0);
            return n > 0;
        } catch (java.io.EOFException | java.util.zip.ZipException e) {
            if (!gzip) {
                throw new UncheckedIOException("data: cannot read " + file, e);
            }
            // not a bad row but a bad file: fatal in lenient mode too
            throw new IllegalArgumentException(
                    "data: "
                            + file
                            + " is a damaged gzip file: its stream ends or breaks "
                            + (line == 0 ? "before the first line" : "after line " + line)
                            + " ("
                            + e.getMessage()
                            + "); expected a complete .gz file (download or compress it again)",
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "data: cannot read "
                            + file
                            + " after line "
                            + line
                            + " ("
                            + e.getMessage()
                            + ")",
                    e);
        }
    }

    @Override
    public String file() {
        return file;
    }

    @Override
    public long line() {
        return line;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
