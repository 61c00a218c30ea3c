package dev.reward4j.trainers.app.spark;

import java.io.PrintStream;

/**
 * The launcher's hook for {@code reward4j spark ...}: runs {@link SparkCommand} when Spark is on
 * the class path, else explains how to start the jobs (Spark is provided by {@code spark-submit} or
 * the cluster, never bundled). Free of Spark types, so the launcher loads it without Spark.
 */
public final class SparkEntry {
    private SparkEntry() {}

    /** True when Spark SQL is on the class path. */
    public static boolean sparkAvailable() {
        try {
            Class.forName(
                    "org.apache.spark.sql.SparkSession", false, SparkEntry.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * Runs {@code reward4j spark <args>}.
     *
     * @return the exit status (2 when Spark is missing)
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (!sparkAvailable()) {
            err.println(
                    "reward4j spark: Spark is not on the class path (it is a provided dependency);"
                            + " expected to run under spark-submit: spark-submit --class"
                            + " dev.reward4j.trainers.app.spark.SparkMain --jars"
                            + " pytorch-native-cpu-2.7.1-linux-x86_64.jar reward4j-spark.jar "
                            + String.join(" ", args)
                            + " (see README, Scale out with Spark)");
            return 2;
        }
        return SparkCommand.run(args, out, err);
    }
}
