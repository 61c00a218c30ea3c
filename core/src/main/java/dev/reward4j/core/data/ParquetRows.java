package dev.reward4j.core.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Parquet rows converted to JSON objects, one row group in memory at a time (as written by HF
 * {@code datasets} / pyarrow). Strings, numbers, booleans, structs, {@code LIST} and {@code MAP}
 * columns are supported, so conversational columns ({@code list<struct<role, content>>}) read
 * exactly like their JSONL form.
 */
final class ParquetRows implements RowSource {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private final String file;
    private final ParquetFileReader reader;
    private final MessageType schema;
    private RecordReader<Group> records;
    private long remainingInGroup;
    private long line;

    ParquetRows(Path path) {
        this.file = path.toString();
        try {
            this.reader = ParquetFileReader.open(new LocalInputFile(path));
        } catch (IOException | RuntimeException e) {
            throw new DataFormatException(
                    new Source(file, 0),
                    "<file>",
                    "not a readable Parquet file (" + e.getMessage() + ")",
                    "a Parquet file");
        }
        this.schema = reader.getFooter().getFileMetaData().getSchema();
    }

    @Override
    public JsonNode next() {
        try {
            while (remainingInGroup == 0) {
                PageReadStore pages = reader.readNextRowGroup();
                if (pages == null) {
                    return null;
                }
                remainingInGroup = pages.getRowCount();
                records =
                        new ColumnIOFactory()
                                .getColumnIO(schema)
                                .getRecordReader(pages, new GroupRecordConverter(schema));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "data: cannot read "
                            + file
                            + " after row "
                            + line
                            + " ("
                            + e.getMessage()
                            + ")",
                    e);
        }
        remainingInGroup--;
        line++;
        return toJson(records.read());
    }

    static ObjectNode toJson(Group g) {
        ObjectNode o = F.objectNode();
        GroupType type = g.getType();
        for (int i = 0; i < type.getFieldCount(); i++) {
            Type field = type.getType(i);
            int count = g.getFieldRepetitionCount(i);
            if (field.isRepetition(Type.Repetition.REPEATED)) {
                ArrayNode arr = o.putArray(field.getName());
                for (int k = 0; k < count; k++) {
                    arr.add(value(g, i, k, field));
                }
            } else if (count == 0) {
                o.putNull(field.getName());
            } else {
                o.set(field.getName(), value(g, i, 0, field));
            }
        }
        return o;
    }

    private static JsonNode value(Group g, int i, int k, Type field) {
        if (field.isPrimitive()) {
            return primitive(g, i, k, field.asPrimitiveType());
        }
        Group child = g.getGroup(i, k);
        LogicalTypeAnnotation ann = field.getLogicalTypeAnnotation();
        if (ann instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
            // <list-repetition> group <name> (LIST) { repeated group list { <element> } } (or
            // legacy 2-level lists)
            ArrayNode arr = F.arrayNode();
            GroupType lt = child.getType();
            int n = child.getFieldRepetitionCount(0);
            Type rep = lt.getType(0);
            for (int e = 0; e < n; e++) {
                if (!rep.isPrimitive()
                        && rep.asGroupType().getFieldCount() == 1
                        && !isStructElement(rep)) {
                    Group wrapper = child.getGroup(0, e);
                    Type elem = rep.asGroupType().getType(0);
                    arr.add(
                            wrapper.getFieldRepetitionCount(0) == 0
                                    ? F.nullNode()
                                    : value(wrapper, 0, 0, elem));
                } else {
                    arr.add(value(child, 0, e, rep));
                }
            }
            return arr;
        }
        if (ann instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation) {
            ObjectNode m = F.objectNode();
            int n = child.getFieldRepetitionCount(0);
            for (int e = 0; e < n; e++) {
                Group kv = child.getGroup(0, e);
                String key = kv.getValueToString(0, 0);
                m.set(
                        key,
                        kv.getFieldRepetitionCount(1) == 0
                                ? F.nullNode()
                                : value(kv, 1, 0, kv.getType().getType(1)));
            }
            return m;
        }
        return toJson(child);
    }

    /**
     * A legacy 2-level list whose repeated group is itself the struct element (named other than
     * list/array).
     */
    private static boolean isStructElement(Type rep) {
        return !(rep.getName().equals("list")
                || rep.getName().equals("array")
                || rep.getName().endsWith("_tuple"));
    }

    private static JsonNode primitive(Group g, int i, int k, PrimitiveType p) {
        switch (p.getPrimitiveTypeName()) {
            case BOOLEAN:
                return F.booleanNode(g.getBoolean(i, k));
            case INT32:
                return F.numberNode(g.getInteger(i, k));
            case INT64:
                return F.numberNode(g.getLong(i, k));
            case FLOAT:
                return F.numberNode(g.getFloat(i, k));
            case DOUBLE:
                return F.numberNode(g.getDouble(i, k));
            default:
                return F.textNode(g.getString(i, k));
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
            reader.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
