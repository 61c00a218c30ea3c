package dev.reward4j.trainers.app.launcher;

import dev.reward4j.trainers.config.ConfigException;
import dev.reward4j.trainers.config.ConfigLoader;
import dev.reward4j.trainers.config.RunConfig;
import dev.reward4j.trainers.config.StandardObjectives;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code reward4j spark score|reference|prepare}: the Spark jobs of {@code
 * dev.reward4j.trainers.app.spark} ({@link SparkScoreCommand}, {@link SparkReferenceCommand},
 * {@link SparkPrepareCommand}). Spark is a provided dependency: under {@code spark-submit} (the
 * application jar {@code reward4j-spark.jar}, main class {@link Reward4j}) it is there; the
 * launcher distribution has none and says how to submit. This class and its subcommands hold no
 * Spark types, so the launcher loads them without Spark.
 */
@Command(
        name = "spark",
        mixinStandardHelpOptions = true,
        versionProvider = Reward4j.Version.class,
        description = {
            "Corpus-scale jobs on Apache Spark, equal to the single-process path: score (with"
                    + " best-of-N pairs), reference (the reference log-prob cache train reads),"
                    + " prepare (tokenized Parquet shards train reads as data.train).",
            "Run under spark-submit: spark-submit [--master M] --jars"
                    + " pytorch-native-cpu-2.7.1-linux-x86_64.jar reward4j-spark.jar spark score"
                    + " ... (see README, Scale out with Spark)."
        },
        subcommands = {
            SparkScoreCommand.class,
            SparkReferenceCommand.class,
            SparkPrepareCommand.class
        })
final class SparkCommand implements Callable<Integer> {
    @ParentCommand Reward4j root;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "expected a job: score, reference or prepare");
    }

    /** True when Spark SQL is on the class path. */
    static boolean sparkAvailable() {
        try {
            Class.forName(
                    "org.apache.spark.sql.SparkSession",
                    false,
                    SparkCommand.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * Fails with how to run the job when Spark is missing.
     *
     * @throws ConfigException without Spark on the class path
     */
    static void requireSpark(String job) {
        if (!sparkAvailable()) {
            throw new ConfigException(
                    "Spark is not on the class path (it is a provided dependency: the cluster or"
                            + " spark-submit brings it); expected to run under spark-submit:"
                            + " spark-submit --jars pytorch-native-cpu-2.7.1-linux-x86_64.jar"
                            + " trainers/target/reward4j-spark.jar spark "
                            + job
                            + " ... (see README, Scale out with Spark)");
        }
    }

    /** A run configuration read as {@code train} reads it (TRL names, {@code --set}). */
    static RunConfig config(Path file, List<String> sets) {
        ConfigLoader loader = new ConfigLoader(StandardObjectives.catalog());
        return loader.resolve(
                TrlKeys.normalize(loader.read(file), file.toString()), TrlKeys.overrides(sets));
    }
}
