package dev.reward4j.trainers.app.spark;

/**
 * The {@code spark-submit} entry point: {@code spark-submit --class
 * dev.reward4j.trainers.app.spark.SparkMain reward4j-spark.jar score|reference|prepare ...} (the
 * arguments of {@code reward4j spark}).
 */
public final class SparkMain {
    private SparkMain() {}

    /** Runs a job and exits with its status. */
    public static void main(String[] args) {
        System.exit(SparkEntry.run(args, System.out, System.err));
    }
}
