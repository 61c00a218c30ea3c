package dev.reward4j.trainers.app.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Spark rows as the JSON objects reward4j's row formats read, with the conversions of core's
 * Parquet reader: strings, numbers (integers stay integers; a float keeps its float value),
 * booleans, arrays, structs and maps; null fields are JSON null (read as absent). Other types
 * (dates, decimals, binary) become their string form.
 */
final class SparkRowJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SparkRowJson() {}

    /** {@code row} (without the fields named in {@code skip}) as UTF-8 JSON bytes. */
    static byte[] bytes(Row row, List<String> skip) {
        try {
            return JSON.writeValueAsString(object(row, skip)).getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static ObjectNode object(Row row, List<String> skip) {
        ObjectNode o = F.objectNode();
        StructType schema = row.schema();
        for (int i = 0; i < schema.fields().length; i++) {
            StructField f = schema.fields()[i];
            if (!skip.contains(f.name())) {
                o.set(f.name(), value(row.isNullAt(i) ? null : row.get(i), f.dataType()));
            }
        }
        return o;
    }

    private static JsonNode value(Object v, DataType type) {
        if (v == null) {
            return F.nullNode();
        }
        if (v instanceof Row r) {
            return object(r, List.of());
        }
        if (type instanceof ArrayType a) {
            ArrayNode arr = F.arrayNode();
            Iterable<?> items =
                    v instanceof scala.collection.Seq<?> s
                            ? scala.jdk.javaapi.CollectionConverters.asJava(s)
                            : (List<?>) v;
            for (Object item : items) {
                arr.add(value(item, a.elementType()));
            }
            return arr;
        }
        if (type instanceof MapType m) {
            ObjectNode o = F.objectNode();
            Map<?, ?> map =
                    v instanceof scala.collection.Map<?, ?> sm
                            ? scala.jdk.javaapi.CollectionConverters.asJava(sm)
                            : (Map<?, ?>) v;
            map.forEach((k, x) -> o.set(String.valueOf(k), value(x, m.valueType())));
            return o;
        }
        if (v instanceof String s) {
            return F.textNode(s);
        }
        if (v instanceof Integer n) {
            return F.numberNode(n);
        }
        if (v instanceof Long n) {
            return F.numberNode(n);
        }
        if (v instanceof Short n) {
            return F.numberNode(n);
        }
        if (v instanceof Byte n) {
            return F.numberNode(n);
        }
        if (v instanceof Float n) {
            return F.numberNode(
                    (double) n); // the float's value (as core's Parquet reader reads it)
        }
        if (v instanceof Double n) {
            return F.numberNode(n);
        }
        if (v instanceof Boolean b) {
            return F.booleanNode(b);
        }
        if (v instanceof byte[] b) {
            return F.textNode(new String(b, StandardCharsets.UTF_8));
        }
        return F.textNode(String.valueOf(v));
    }
}
