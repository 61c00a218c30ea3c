package dev.reward4j.trainers.app.launcher;

import dev.reward4j.trainers.app.spark.SparkJobs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code reward4j spark reference}: the reference log-probs of every pair of a run's {@code
 * data.train} and {@code data.eval}, in the cache {@code train} reads from {@code
 * model.reference_cache} ({@code SparkReference}).
 */
@Command(
        name = "reference",
        mixinStandardHelpOptions = true,
        versionProvider = Reward4j.Version.class,
        description = {
            "Compute the reference model's log-probs of every pair of data.train and data.eval of"
                    + " a DPO-family configuration on Spark, into the cache train reads from"
                    + " model.reference_cache (train then skips the reference forward)."
        })
final class SparkReferenceCommand implements Callable<Integer> {
    @ParentCommand SparkCommand spark;

    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description = "The run configuration of the policy run (YAML or JSON).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "As train --set.")
    List<String> sets = new ArrayList<>();

    @Option(
            names = "--output",
            paramLabel = "DIR",
            description = "Also write the log-probs (with token counts) as Parquet to DIR.")
    String output;

    @Option(
            names = "--rows-per-partition",
            paramLabel = "N",
            defaultValue = "10000",
            description =
                    "Input rows per partition, rounded up to a multiple of"
                            + " data.eval_batch_size (default ${DEFAULT-VALUE}).")
    long rowsPerPartition;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master, e.g. local[*].")
    String master;

    @Override
    public Integer call() {
        SparkCommand.requireSpark("reference");
        SparkJobs.reference(
                master,
                SparkCommand.config(config, sets),
                rowsPerPartition,
                output,
                spark.root.out);
        return ExitCodes.OK;
    }
}
