package dev.reward4j.core.data;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Writes small Parquet files in the layout HF {@code datasets}/pyarrow produce (3-level {@code
 * LIST} of {@code struct<content, role>} for conversations, snappy compression), from Java, for the
 * reader tests.
 */
final class ParquetSamples {
    private ParquetSamples() {}

    static final MessageType CONVERSATIONAL =
            MessageTypeParser.parseMessageType(
                    "message schema {\n"
                        + "  optional binary id (STRING);\n"
                        + "  optional group prompt (LIST) { repeated group list { optional group"
                        + " element {\n"
                        + "    optional binary content (STRING); optional binary role (STRING); } }"
                        + " }\n"
                        + "  optional group chosen (LIST) { repeated group list { optional group"
                        + " element {\n"
                        + "    optional binary content (STRING); optional binary role (STRING); } }"
                        + " }\n"
                        + "  optional group rejected (LIST) { repeated group list { optional group"
                        + " element {\n"
                        + "    optional binary content (STRING); optional binary role (STRING); } }"
                        + " }\n"
                        + "  optional double margin;\n"
                        + "  optional int64 votes;\n"
                        + "  optional boolean flagged;\n"
                        + "  optional group tags (LIST) { repeated group list { optional binary"
                        + " element (STRING); } }\n"
                        + "}");

    static final MessageType STANDARD =
            MessageTypeParser.parseMessageType(
                    "message schema {\n"
                            + "  optional binary prompt (STRING);\n"
                            + "  optional binary chosen (STRING);\n"
                            + "  optional binary rejected (STRING);\n"
                            + "}");

    /** Writes {@code rows} conversational TRL rows (row i has margin i / 2). */
    static void writeConversational(Path file, int rows) throws IOException {
        SimpleGroupFactory f = new SimpleGroupFactory(CONVERSATIONAL);
        try (ParquetWriter<Group> w = writer(file, CONVERSATIONAL)) {
            for (int i = 0; i < rows; i++) {
                Group g = f.newGroup().append("id", "pq-" + i);
                addMessages(
                        g.addGroup("prompt"),
                        "system",
                        "Answer briefly.",
                        "user",
                        "What is " + i + " + 1?");
                addMessages(g.addGroup("chosen"), "assistant", String.valueOf(i + 1));
                addMessages(g.addGroup("rejected"), "assistant", String.valueOf(i + 2));
                g.append("margin", i / 2.0).append("votes", (long) i).append("flagged", i % 2 == 0);
                Group tags = g.addGroup("tags");
                tags.addGroup("list").append("element", "math");
                w.write(g);
            }
        }
    }

    /** Writes plain-text TRL rows. */
    static void writeStandard(Path file, String[][] rows) throws IOException {
        SimpleGroupFactory f = new SimpleGroupFactory(STANDARD);
        try (ParquetWriter<Group> w = writer(file, STANDARD)) {
            for (String[] r : rows) {
                w.write(
                        f.newGroup()
                                .append("prompt", r[0])
                                .append("chosen", r[1])
                                .append("rejected", r[2]));
            }
        }
    }

    private static void addMessages(Group list, String... roleContent) {
        for (int i = 0; i < roleContent.length; i += 2) {
            Group element = list.addGroup("list").addGroup("element");
            element.append("content", roleContent[i + 1]).append("role", roleContent[i]);
        }
    }

    private static ParquetWriter<Group> writer(Path file, MessageType schema) throws IOException {
        return ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withType(schema)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withRowGroupSize(64L * 1024)
                .build();
    }
}
