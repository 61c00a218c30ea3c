package dev.reward4j.trainers.app.launcher;

import dev.reward4j.trainers.app.spark.SparkJobs;
import dev.reward4j.trainers.app.spark.SparkScoring;
import dev.reward4j.trainers.config.DataSection;
import dev.reward4j.trainers.corpus.BestOfN;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code reward4j spark score}: distributed scoring with the formatting of {@code train} (and of
 * {@code reward4j score}), optionally best-of-N pairs ({@code SparkJobs.score}).
 */
@Command(
        name = "score",
        mixinStandardHelpOptions = true,
        versionProvider = Reward4j.Version.class,
        description = {
            "Score rows {prompt, response|completion} (or {messages}) of JSONL or Parquet files"
                    + " on Spark into Parquet (reward, rewards) with _reward4j_counters.json;"
                    + " with --best-of-n, also best-of-N pairs as TRL JSONL."
        })
final class SparkScoreCommand implements Callable<Integer> {
    @ParentCommand SparkCommand spark;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Reward model.")
    Path model;

    @Option(
            names = "--input",
            required = true,
            split = ",",
            paramLabel = "FILE",
            description =
                    "Input files (comma-separated; JSONL, .jsonl.gz or .parquet; any Hadoop"
                            + " path).")
    List<String> inputs;

    @Option(
            names = "--output",
            required = true,
            paramLabel = "DIR",
            description = "Parquet output directory (must not exist).")
    String output;

    @Option(names = "--tokenizer", paramLabel = "DIR", description = "Default: --model.")
    Path tokenizer;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            description = "Rows per forward (default data.eval_batch_size, 16).")
    Integer batchSize;

    @Option(
            names = "--max-length",
            paramLabel = "N",
            description = "data.max_length (default 512 capped at the model's positions).")
    Integer maxLength;

    @Option(
            names = "--truncation",
            paramLabel = "POLICY",
            description = "keep-prompt-end (default), keep-end or drop.")
    String truncation;

    @Option(
            names = "--lenient",
            description = "Count malformed rows as skipped instead of failing the job.")
    boolean lenient;

    @Option(
            names = "--rows-per-partition",
            paramLabel = "N",
            defaultValue = "10000",
            description =
                    "Input rows per partition, rounded up to a multiple of the batch size"
                            + " (default ${DEFAULT-VALUE}).")
    long rowsPerPartition;

    @Option(
            names = "--device",
            paramLabel = "DEVICE",
            defaultValue = "cpu",
            description = "Each executor's device: cpu, gpu, gpu:N (default ${DEFAULT-VALUE}).")
    String device;

    @Option(
            names = "--best-of-n",
            paramLabel = "DIR",
            description = "Also write best-of-N pairs (grouped by prompt) to DIR/pairs.jsonl.")
    String bestOfN;

    @Option(
            names = "--pairing",
            paramLabel = "P",
            defaultValue = "best-vs-worst",
            description = "best-vs-worst or best-vs-rest (default ${DEFAULT-VALUE}).")
    String pairing;

    @Option(
            names = "--penalty",
            paramLabel = "X",
            defaultValue = "0",
            description = "Selection score reward - X * uncertainty (default ${DEFAULT-VALUE}).")
    double penalty;

    @Option(
            names = "--master",
            paramLabel = "URL",
            description = "Spark master (default: spark-submit's), e.g. local[*].")
    String master;

    @Override
    public Integer call() {
        SparkCommand.requireSpark("score");
        DataSection data = DataSection.defaults();
        int batch = batchSize != null ? batchSize : data.evalBatchSize();
        EvalCommand.Inputs.positive(batch, "--batch-size");
        ModelAccess access = new ModelAccess(model, tokenizer, null, device);
        int length = access.maxLength(maxLength, data.maxLength(), "--max-length");
        SparkScoring.Spec spec =
                new SparkScoring.Spec(
                        model.toString(),
                        access.tokenizerDir().toString(),
                        length,
                        truncation != null ? truncation : data.truncation(),
                        batch,
                        lenient,
                        device);
        spec.policy(); // a bad --truncation fails here, before any task
        BestOfN selection =
                bestOfN == null ? null : new BestOfN(BestOfN.Pairing.parse(pairing), penalty);
        SparkJobs.score(
                master, inputs, output, spec, rowsPerPartition, selection, bestOfN, spark.root.out);
        return ExitCodes.OK;
    }
}
