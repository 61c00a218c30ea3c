package dev.reward4j.trainers.app.launcher;

import dev.reward4j.trainers.app.diagnose.Diagnose;
import dev.reward4j.trainers.app.diagnose.DiagnoseRequest;
import dev.reward4j.trainers.device.CudaProbeLog;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code reward4j diagnose}: the training diagnostics on a data file and a policy ({@link
 * Diagnose}; the options are parsed and checked by {@link DiagnoseRequest#parse}).
 */
@Command(
        name = "diagnose",
        mixinStandardHelpOptions = true,
        versionProvider = Reward4j.Version.class,
        description = {
            "Diagnose a DPO-family policy on a preference-pair file: CHES per pair (and a filter"
                    + " that drops the highest scores), ranking and idealized ranking accuracy,"
                    + " top-k entropy and mass, and with --checkpoints the likelihood-displacement"
                    + " trajectory over a run's checkpoints.",
            "The file is read and tokenized as train reads data.train."
        })
final class DiagnoseCommand implements Callable<Integer> {
    @ParentCommand Reward4j root;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Policy.")
    String model;

    @Option(
            names = "--data",
            required = true,
            paramLabel = "FILE",
            description = "Preference-pair file.")
    String data;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description = "A pair format (default auto = trl).")
    String format;

    @Option(
            names = "--reference",
            paramLabel = "DIR",
            description = "Reference model: reference log-probs and the idealized ranking.")
    String reference;

    @Option(
            names = "--tokenizer",
            paramLabel = "DIR",
            description = "Tokenizer directory (default: the model directory).")
    String tokenizer;

    @Option(
            names = "--beta",
            paramLabel = "BETA",
            description = "KL coefficient of the idealized policy (default 0.1).")
    String beta;

    @Option(
            names = "--preference-probability",
            paramLabel = "P",
            description =
                    "Preference probability of every pair, or margin (each pair's margin"
                            + " column); default 0.75.")
    String preferenceProbability;

    @Option(
            names = "--top-k",
            paramLabel = "K",
            description = "k of the top-k entropy and mass (default 10).")
    String topK;

    @Option(
            names = "--ches-filter",
            paramLabel = "FRACTION",
            description =
                    "Drop this fraction of the pairs with the highest CHES: writes"
                            + " ches-dropped-ids.txt and ches-filtered.jsonl.")
    String chesFilter;

    @Option(
            names = "--checkpoints",
            paramLabel = "RUN_DIR",
            description =
                    "A run directory (or its checkpoints/): the displacement trajectory over its"
                            + " checkpoints.")
    String checkpoints;

    @Option(
            names = "--output",
            paramLabel = "DIR",
            description = "Output directory (default diagnose-<model directory name>).")
    String output;

    @Option(
            names = "--batch-size",
            paramLabel = "N",
            description = "Pairs per forward (default 16).")
    String batchSize;

    @Option(
            names = "--max-length",
            paramLabel = "N",
            description = "data.max_length (default 512).")
    String maxLength;

    @Option(
            names = "--truncation",
            paramLabel = "POLICY",
            description = "data.truncation (default keep-prompt-end).")
    String truncation;

    @Option(
            names = "--device",
            paramLabel = "DEVICE",
            description = "cpu, gpu, gpu:N or auto (default cpu).")
    String device;

    @Override
    public Integer call() throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        put(o, "model", model);
        put(o, "data", data);
        put(o, "format", format);
        put(o, "reference", reference);
        put(o, "tokenizer", tokenizer);
        put(o, "beta", beta);
        put(o, "preference-probability", preferenceProbability);
        put(o, "top-k", topK);
        put(o, "ches-filter", chesFilter);
        put(o, "checkpoints", checkpoints);
        put(o, "output", output);
        put(o, "batch-size", batchSize);
        put(o, "max-length", maxLength);
        put(o, "truncation", truncation);
        put(o, "device", device);
        DiagnoseRequest request = DiagnoseRequest.parse(o);
        CudaProbeLog.quietForCpu(request.device());
        Diagnose.run(request, root.out);
        return ExitCodes.OK;
    }

    private static void put(Map<String, String> o, String key, String value) {
        if (value != null) {
            o.put(key, value);
        }
    }
}
