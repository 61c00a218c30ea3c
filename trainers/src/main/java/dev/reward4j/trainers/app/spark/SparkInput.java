package dev.reward4j.trainers.app.spark;

import dev.reward4j.core.data.RawRow;
import dev.reward4j.core.util.Checks;
import dev.reward4j.trainers.corpus.IndexedRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.Partitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Input rows for the Spark jobs, read as core's readers read them, and cut into partitions of
 * consecutive rows.
 *
 * <ul>
 *   <li>JSON Lines ({@code .jsonl}, {@code .json}, gzipped with a {@code .gz} name): the raw bytes
 *       of each line (split on {@code \n} only), numbered from 1 counting blank lines, as {@code
 *       DataReader} numbers them; UTF-8 and JSON are checked in the partition function by core's
 *       own line parser, so a bad line fails or is counted exactly as in a single process;
 *   <li>Parquet ({@code .parquet}): Spark's reader, each row converted to JSON by {@link
 *       SparkRowJson} and numbered from 1 in file order;
 *   <li>a {@code Dataset<Row>}: the same conversion, file {@code <dataset>}.
 * </ul>
 *
 * <p>Rows are then numbered over all inputs in order (blank lines are not rows) and row {@code i}
 * goes to partition {@code i / rowsPerPartition}, sorted: each partition is a contiguous range of
 * the input, so partition-ordered results and counters are in input order.
 */
final class SparkInput {
    /** The columns a {@code Dataset<Row>} may carry for the rows' source. */
    static final List<String> SOURCE_COLUMNS = List.of("source_file", "source_line");

    private SparkInput() {}

    /** The rows of {@code files} (JSON Lines or Parquet by name), in file order. */
    static JavaRDD<InputRow> files(SparkSession spark, List<String> files) {
        Checks.argument(!files.isEmpty(), "spark: no input files; expected at least one");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<InputRow> all = null;
        for (String file : files) {
            JavaRDD<InputRow> rows =
                    file.toLowerCase(Locale.ROOT).endsWith(".parquet")
                            ? parquet(spark, file)
                            : jsonLines(sc, file);
            all = all == null ? rows : all.union(rows);
        }
        return all;
    }

    private static JavaRDD<InputRow> jsonLines(JavaSparkContext sc, String file) {
        Configuration conf = new Configuration(sc.hadoopConfiguration());
        conf.set("textinputformat.record.delimiter", "\n");
        return sc.newAPIHadoopFile(
                        file, TextInputFormat.class, LongWritable.class, Text.class, conf)
                .map(t -> t._2().copyBytes())
                .zipWithIndex()
                .map(t -> new InputRow(file, t._2() + 1, t._1()));
    }

    private static JavaRDD<InputRow> parquet(SparkSession spark, String file) {
        return rowsOf(spark.read().parquet(file), file);
    }

    /** The rows of a Dataset: its source columns when it has both, else {@code <dataset>:i}. */
    static JavaRDD<InputRow> dataset(Dataset<Row> rows) {
        List<String> cols = Arrays.asList(rows.columns());
        if (cols.containsAll(SOURCE_COLUMNS)) {
            return rows.toJavaRDD()
                    .map(
                            r ->
                                    new InputRow(
                                            r.getString(r.fieldIndex("source_file")),
                                            r.getLong(r.fieldIndex("source_line")),
                                            SparkRowJson.bytes(r, SOURCE_COLUMNS)));
        }
        return rowsOf(rows, "<dataset>");
    }

    private static JavaRDD<InputRow> rowsOf(Dataset<Row> rows, String file) {
        return rows.toJavaRDD()
                .map(r -> SparkRowJson.bytes(r, List.of()))
                .zipWithIndex()
                .map(t -> new InputRow(file, t._2() + 1, t._1()));
    }

    /**
     * Numbers the non-blank rows over all inputs in order and cuts them into partitions of {@code
     * rowsPerPartition} consecutive rows, each sorted by row number.
     *
     * @return the partitions, keyed by the 0-based global row number
     */
    static JavaPairRDD<Long, InputRow> partitioned(JavaRDD<InputRow> rows, long rowsPerPartition) {
        Checks.argument(
                rowsPerPartition > 0,
                () -> "spark: rows per partition (" + rowsPerPartition + "); expected > 0");
        JavaPairRDD<Long, InputRow> numbered =
                rows.filter(r -> !RawRow.isBlankLine(r.json()))
                        .zipWithIndex()
                        .mapToPair(t -> new Tuple2<>(t._2(), t._1()));
        long total = numbered.count();
        int partitions = (int) Math.max(1, (total + rowsPerPartition - 1) / rowsPerPartition);
        return numbered.repartitionAndSortWithinPartitions(
                new RangeOfRows(partitions, rowsPerPartition));
    }

    /** Rows per partition so that {@code rows} rows make {@code partitions} partitions. */
    static long rowsPerPartition(long rows, int partitions) {
        return Math.max(1, (rows + partitions - 1) / partitions);
    }

    /** The rows of one partition with their input positions (blank lines already left out). */
    static Iterator<IndexedRow> raw(Iterator<Tuple2<Long, InputRow>> partition) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return partition.hasNext();
            }

            @Override
            public IndexedRow next() {
                Tuple2<Long, InputRow> t = partition.next();
                return new IndexedRow(t._1(), t._2().raw());
            }
        };
    }

    /**
     * {@code rows} rounded up to a multiple of {@code block}: partitions then never split a model
     * batch's block of rows, so the batches are those of the single-process path.
     */
    static long alignedRows(long rows, long block) {
        return Math.max(block, (rows + block - 1) / block * block);
    }

    /** Row {@code i} to partition {@code i / rowsPerPartition}. */
    static final class RangeOfRows extends Partitioner {
        private static final long serialVersionUID = 1L;
        private final int partitions;
        private final long rowsPerPartition;

        RangeOfRows(int partitions, long rowsPerPartition) {
            this.partitions = partitions;
            this.rowsPerPartition = rowsPerPartition;
        }

        @Override
        public int numPartitions() {
            return partitions;
        }

        @Override
        public int getPartition(Object key) {
            return (int) Math.min(partitions - 1, (Long) key / rowsPerPartition);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RangeOfRows r
                    && r.partitions == partitions
                    && r.rowsPerPartition == rowsPerPartition;
        }

        @Override
        public int hashCode() {
            return 31 * partitions + Long.hashCode(rowsPerPartition);
        }
    }

    /** The file names of a comma-separated list. */
    static List<String> list(String csv) {
        List<String> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }
}
