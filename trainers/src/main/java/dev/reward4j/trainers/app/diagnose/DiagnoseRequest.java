package dev.reward4j.trainers.app.diagnose;

import dev.reward4j.trainers.config.ConfigException;
import dev.reward4j.trainers.config.DataFormat;
import dev.reward4j.trainers.config.DataSection;
import dev.reward4j.trainers.config.ExampleKind;
import dev.reward4j.trainers.diagnostics.ChesFilter;
import dev.reward4j.trainers.diagnostics.PairDiagnostics;
import dev.reward4j.trainers.diagnostics.PreferenceProbability;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A parsed {@code reward4j diagnose} request.
 *
 * @param model the policy directory (LM head)
 * @param data the preference-pair file
 * @param format the pair format ({@code auto} = {@code trl})
 * @param reference the reference model directory, or null (no idealized ranking)
 * @param tokenizer the tokenizer directory
 * @param diagnostics top-k, preference probability and beta
 * @param chesFilter the CHES filter, or null for none
 * @param checkpoints a run or checkpoints directory for the displacement trajectory, or null
 * @param output the output directory
 * @param batchSize pairs per forward
 * @param dataSection the {@code data:} section whose {@code max_length} and {@code truncation}
 *     apply
 * @param device the device name
 */
public record DiagnoseRequest(
        Path model,
        Path data,
        DataFormat format,
        Path reference,
        Path tokenizer,
        PairDiagnostics diagnostics,
        ChesFilter chesFilter,
        Path checkpoints,
        Path output,
        int batchSize,
        DataSection dataSection,
        String device) {

    /** The usage line. */
    public static final String USAGE =
            "reward4j diagnose --model DIR --data FILE [--format F] [--reference DIR] [--beta 0.1]"
                    + " [--preference-probability 0.75|margin] [--top-k 10] [--ches-filter"
                    + " FRACTION] [--checkpoints RUN_DIR] [--output DIR] [--batch-size 16]"
                    + " [--max-length 512] [--truncation T] [--tokenizer DIR] [--device D]";

    /**
     * Parses option values ({@code --key value} without the dashes).
     *
     * @throws ConfigException (exit status 2) naming the option for a missing or bad value
     */
    public static DiagnoseRequest parse(Map<String, String> o) {
        Path model = Path.of(required(o, "model"));
        Path data = Path.of(required(o, "data"));
        String formatKey = o.getOrDefault("format", DataFormat.AUTO.key());
        List<String> pairFormats = DataFormat.keys(ExampleKind.PAIRS);
        if (!pairFormats.contains(formatKey)) {
            throw new ConfigException(
                    "reward4j diagnose: --format is not a preference-pair format (got '"
                            + formatKey
                            + "'); expected one of "
                            + pairFormats);
        }
        DataFormat format =
                formatKey.equals(DataFormat.AUTO.key())
                        ? DataFormat.usual(ExampleKind.PAIRS)
                        : DataFormat.parse(formatKey);
        double beta = number(o, "beta", 0.1);
        String probability = o.getOrDefault("preference-probability", "0.75");
        PreferenceProbability alpha;
        if (probability.equals("margin")) {
            alpha = new PreferenceProbability.FromMargin();
        } else {
            double p = number(o, "preference-probability", 0.75);
            alpha = wrap("preference-probability", () -> new PreferenceProbability.Constant(p));
        }
        int topK = integer(o, "top-k", PairDiagnostics.DEFAULT_TOP_K);
        PairDiagnostics diagnostics =
                wrap("beta/--top-k", () -> new PairDiagnostics(topK, alpha, beta));
        ChesFilter filter = null;
        if (o.containsKey("ches-filter")) {
            double f = number(o, "ches-filter", 0);
            filter = wrap("ches-filter", () -> new ChesFilter(f));
        }
        DataSection section = DataSection.defaults();
        int maxLength = integer(o, "max-length", section.maxLength());
        String truncation = o.getOrDefault("truncation", section.truncation());
        DataSection dataSection =
                wrap(
                        "max-length/--truncation",
                        () -> section.withTruncation(maxLength, truncation));
        String name = model.toAbsolutePath().normalize().getFileName().toString();
        return new DiagnoseRequest(
                model,
                data,
                format,
                o.containsKey("reference") ? Path.of(o.get("reference")) : null,
                Path.of(o.getOrDefault("tokenizer", model.toString())),
                diagnostics,
                filter,
                o.containsKey("checkpoints") ? Path.of(o.get("checkpoints")) : null,
                Path.of(o.getOrDefault("output", "diagnose-" + name)),
                integer(o, "batch-size", 16),
                dataSection,
                o.getOrDefault("device", "cpu"));
    }

    private static String required(Map<String, String> o, String key) {
        String v = o.get(key);
        if (v == null) {
            throw new ConfigException(
                    "reward4j diagnose: --" + key + " is required\nusage: " + USAGE);
        }
        return v;
    }

    private static double number(Map<String, String> o, String key, double fallback) {
        String v = o.get(key);
        try {
            return v == null ? fallback : Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new ConfigException(
                    "reward4j diagnose: --" + key + ": expected a number (got '" + v + "')");
        }
    }

    private static int integer(Map<String, String> o, String key, int fallback) {
        String v = o.get(key);
        try {
            int n = v == null ? fallback : Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(
                    "reward4j diagnose: --" + key + ": expected an integer >= 1 (got '" + v + "')");
        }
    }

    private static <T> T wrap(String key, java.util.function.Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("reward4j diagnose: --" + key + ": " + e.getMessage(), e);
        }
    }
}
