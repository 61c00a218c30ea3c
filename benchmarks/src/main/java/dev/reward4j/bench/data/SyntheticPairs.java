package dev.reward4j.bench.data;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.SplittableRandom;

/**
 * Writes deterministic, realistic-looking TRL preference rows (prompts of 12-40 words, responses of
 * 15-70 words drawn from an English word list) for the data benchmarks, and locates the tokenizer
 * they use.
 */
final class SyntheticPairs {
    private SyntheticPairs() {}

    private static final String[] WORDS =
            ("the a an of to and in is it that for on with as was by be this are or from at which"
                 + " have not but they you model reward answer question chosen rejected prompt"
                 + " response assistant user helpful honest harmless explain why how what when"
                 + " where water temperature boiling point sea level degrees celsius physics light"
                 + " scattering sky blue wavelength molecules atmosphere prime number seven twelve"
                 + " nineteen sum function returns value list array string integer python java code"
                 + " compile error exception thread memory heap garbage collector performance"
                 + " benchmark throughput latency token tokenizer vocabulary history river mountain"
                 + " city country capital population language french japanese tokyo paris kyoto"
                 + " recipe bread flour yeast oven bake minutes hour careful simple clearly however"
                 + " therefore because")
                    .split(" ");

    /** A sentence-like string of {@code words} words. */
    static String text(SplittableRandom r, int words) {
        StringBuilder sb = new StringBuilder(words * 7);
        for (int i = 0; i < words; i++) {
            String w = WORDS[r.nextInt(WORDS.length)];
            if (i == 0) {
                sb.append(Character.toUpperCase(w.charAt(0))).append(w, 1, w.length());
            } else {
                sb.append(' ').append(w);
            }
            if (i > 0 && i % 11 == 10) {
                sb.append(i + 1 == words ? "" : ",");
            }
        }
        return sb.append('.').toString();
    }

    /**
     * Writes {@code n} rows to {@code file}.
     *
     * @param conversational message lists instead of strings
     */
    static void write(Path file, long n, boolean conversational, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        try (JsonGenerator g =
                new JsonFactory().createGenerator(file.toFile(), JsonEncoding.UTF8)) {
            for (long i = 0; i < n; i++) {
                String prompt = text(r, 12 + r.nextInt(29));
                String chosen = " " + text(r, 15 + r.nextInt(56));
                String rejected = " " + text(r, 15 + r.nextInt(56));
                g.writeStartObject();
                g.writeStringField("id", "syn-" + i);
                if (conversational) {
                    g.writeArrayFieldStart("prompt");
                    message(g, "user", prompt);
                    g.writeEndArray();
                    g.writeArrayFieldStart("chosen");
                    message(g, "assistant", chosen.strip());
                    g.writeEndArray();
                    g.writeArrayFieldStart("rejected");
                    message(g, "assistant", rejected.strip());
                    g.writeEndArray();
                } else {
                    g.writeStringField("prompt", prompt);
                    g.writeStringField("chosen", chosen);
                    g.writeStringField("rejected", rejected);
                }
                g.writeEndObject();
                g.writeRaw('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void message(JsonGenerator g, String role, String content) throws IOException {
        g.writeStartObject();
        g.writeStringField("role", role);
        g.writeStringField("content", content);
        g.writeEndObject();
    }

    /**
     * The tokenizer directory: {@code -Dreward4j.tokenizer=<dir>}, else the fixture BPE tokenizer
     * of the repository ({@code core/src/test/resources/fixtures/hf/tokenizer}, found from the
     * working directory).
     */
    static Path tokenizerDir() {
        String prop = System.getProperty("reward4j.tokenizer");
        if (prop != null) {
            return Paths.get(prop);
        }
        for (String c :
                new String[] {
                    "core/src/test/resources/fixtures/hf/tokenizer",
                    "../core/src/test/resources/fixtures/hf/tokenizer"
                }) {
            if (Files.isDirectory(Paths.get(c))) {
                return Paths.get(c).toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException(
                "bench: no tokenizer found; run from the project root or pass"
                        + " -Dreward4j.tokenizer=<model dir>");
    }
}
