package dev.reward4j.trainers.app.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmokeTest {
    @Test
    void runs(@TempDir Path dir) {
        SparkSession s =
                SparkSession.builder()
                        .master("local[2]")
                        .appName("t")
                        .config("spark.ui.enabled", "false")
                        .getOrCreate();
        Dataset<String> d = s.createDataset(List.of("a", "b", "c"), Encoders.STRING());
        d.toDF("x").write().parquet(dir.resolve("o").toString());
        Dataset<Row> r = s.read().parquet(dir.resolve("o").toString());
        assertEquals(3, r.count());
        dev.reward4j.core.data.DataReader.class.getName();
    }
}
