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
 * {@code reward4j spark prepare}: a run's {@code data.train} read and tokenized as {@code train}
 * does, into tokenized Parquet shards with {@code manifest.json} ({@code SparkPreparation}).
 */
@Command(
        name = "prepare",
        mixinStandardHelpOptions = true,
        versionProvider = Reward4j.Version.class,
        description = {
            "Read and tokenize the pairs of data.train of a configuration on Spark as train does"
                    + " (format, chat template, truncation; the same counters) into tokenized"
                    + " Parquet shards that train reads as data.train."
        })
final class SparkPrepareCommand implements Callable<Integer> {
    @ParentCommand SparkCommand spark;

    @Option(
            names = "--config",
            required = true,
            paramLabel = "FILE",
            description = "The run configuration (YAML or JSON).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "As train --set.")
    List<String> sets = new ArrayList<>();

    @Option(
            names = "--output",
            required = true,
            paramLabel = "DIR",
            description = "Shard directory (any Hadoop path; must not hold shards).")
    String output;

    @Option(
            names = "--rows-per-shard",
            paramLabel = "N",
            defaultValue = "100000",
            description = "Input rows per shard and partition (default ${DEFAULT-VALUE}).")
    long rowsPerShard;

    @Option(
            names = "--pack-length",
            paramLabel = "N",
            defaultValue = "0",
            description =
                    "0: one pair per row; else pairs packed into rows of N tokens"
                            + " (default ${DEFAULT-VALUE}).")
    int packLength;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master, e.g. local[*].")
    String master;

    @Override
    public Integer call() {
        SparkCommand.requireSpark("prepare");
        SparkJobs.prepare(
                master,
                SparkCommand.config(config, sets),
                output,
                rowsPerShard,
                packLength,
                spark.root.out);
        return ExitCodes.OK;
    }
}
