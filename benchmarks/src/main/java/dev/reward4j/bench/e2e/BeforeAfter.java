package dev.reward4j.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the JSON lines written by {@code benchmarks/run-all.sh} into the Markdown before/after
 * tables of the CPU performance work: GEMM peak per MKL mode, end-to-end throughput per commit and
 * GEMM mode, the loss + optimizer share of a step, and the operator profile.
 *
 * <pre>
 * BeforeAfter gemm:LABEL=FILE ... e2e:LABEL=FILE ... profile:LABEL=FILE ...
 * </pre>
 *
 * <p>The first {@code e2e} label is the baseline the others are compared with.
 */
public final class BeforeAfter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BeforeAfter() {}

    /** Prints the tables to stdout. */
    public static void main(String[] args) throws IOException {
        Map<String, List<JsonNode>> gemm = new LinkedHashMap<>();
        Map<String, List<JsonNode>> e2e = new LinkedHashMap<>();
        Map<String, List<JsonNode>> profile = new LinkedHashMap<>();
        for (String a : args) {
            String kind = a.substring(0, a.indexOf(':'));
            String rest = a.substring(a.indexOf(':') + 1);
            String label = rest.substring(0, rest.indexOf('='));
            Path file = Path.of(rest.substring(rest.indexOf('=') + 1));
            List<JsonNode> rows = read(file);
            switch (kind) {
                case "gemm" -> gemm.put(label, rows);
                case "e2e" -> e2e.put(label, rows);
                case "profile" -> profile.put(label, rows);
                default -> throw new IllegalArgumentException("unknown kind " + kind);
            }
        }
        System.out.print(gemmTable(gemm));
        System.out.print(e2eTable(e2e));
        System.out.print(shareTable(e2e));
        System.out.print(profileTable(profile));
    }

    static List<JsonNode> read(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("{")) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }

    static String gemmTable(Map<String, List<JsonNode>> gemm) {
        StringBuilder sb = new StringBuilder();
        sb.append("\n### In-process float32 GEMM peak (GFLOP/s, best of 10 / 4 repetitions)\n\n");
        sb.append(
                "| GEMM mode | MKL 1024^3 | MKL 2048^3 | oneDNN (1x1 conv) 1024^3 | oneDNN"
                        + " 2048^3 | load (1 min) |\n");
        sb.append("|---|---|---|---|---|---|\n");
        double base = Double.NaN;
        for (Map.Entry<String, List<JsonNode>> e : gemm.entrySet()) {
            for (JsonNode j : e.getValue()) {
                double mkl = j.path("mkl_matmul_1024_gflops").asDouble();
                if (Double.isNaN(base)) {
                    base = mkl;
                }
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | %.0f (%.2fx) | %.0f | %.0f | %.0f | %s |\n",
                                e.getKey(),
                                mkl,
                                mkl / base,
                                j.path("mkl_matmul_2048_gflops").asDouble(),
                                j.path("onednn_conv1x1_1024_gflops").asDouble(),
                                j.path("onednn_conv1x1_2048_gflops").asDouble(),
                                j.path("load1").asText()));
            }
        }
        return sb.toString();
    }

    private static String key(JsonNode j) {
        return j.path("model").asText()
                + " seq "
                + j.path("seq_len").asText()
                + " "
                + j.path("attention").asText()
                + " "
                + j.path("layout").asText();
    }

    static String e2eTable(Map<String, List<JsonNode>> e2e) {
        StringBuilder sb = new StringBuilder();
        sb.append("\n### End-to-end training throughput (tokens/s; speed-up vs the first row)\n\n");
        sb.append(
                "| configuration | run | tokens/s | speed-up | step p50 (ms) | MFU | GEMM mode"
                        + " |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        Map<String, Double> base = new LinkedHashMap<>();
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (Map.Entry<String, List<JsonNode>> e : e2e.entrySet()) {
            for (JsonNode j : e.getValue()) {
                String k = key(j);
                double tps = j.path("tokens_per_s").asDouble();
                base.putIfAbsent(k, tps);
                rows.computeIfAbsent(k, x -> new ArrayList<>())
                        .add(
                                String.format(
                                        Locale.ROOT,
                                        "| %s | %s | %.0f | %.2fx | %.0f | %.3f | %s |\n",
                                        k,
                                        e.getKey(),
                                        tps,
                                        tps / base.get(k),
                                        j.path("step_ms_p50").asDouble(),
                                        j.path("mfu").asDouble(),
                                        j.path("gemm_mode").asText("(baseline harness)")));
            }
        }
        rows.values().forEach(list -> list.forEach(sb::append));
        return sb.toString();
    }

    static String shareTable(Map<String, List<JsonNode>> e2e) {
        StringBuilder sb = new StringBuilder();
        sb.append("\n### Loss + optimizer share of a step (runs of this commit)\n\n");
        sb.append(
                "| configuration | run | loss (ms) | gradient norm + AdamW (ms) | step p50 (ms) |"
                        + " share | fused optimizer |\n");
        sb.append("|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, List<JsonNode>> e : e2e.entrySet()) {
            for (JsonNode j : e.getValue()) {
                if (!j.has("loss_optimizer_share")) {
                    continue; // the baseline harness does not measure it
                }
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | %s | %.2f | %.2f | %.0f | %.1f%% | %s |\n",
                                key(j),
                                e.getKey(),
                                j.path("loss_ms").asDouble(),
                                j.path("optimizer_ms").asDouble(),
                                j.path("step_ms_p50").asDouble(),
                                100 * j.path("loss_optimizer_share").asDouble(),
                                j.path("optimizer_fused").asText()));
            }
        }
        return sb.toString();
    }

    static String profileTable(Map<String, List<JsonNode>> profile) {
        StringBuilder sb = new StringBuilder();
        sb.append(
                "\n"
                    + "### Operator profile (libtorch profiler, self time per step over the whole"
                    + " harness run, matmul-peak products left out)\n\n");
        sb.append(
                "| configuration | run | matmul | attention | optimizer | other ops | host"
                        + " (between ops) | top ops (ms/step) |\n");
        sb.append("|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, List<JsonNode>> e : profile.entrySet()) {
            for (JsonNode j : e.getValue()) {
                JsonNode c = j.path("profile").path("categories");
                StringBuilder top = new StringBuilder();
                int n = 0;
                for (JsonNode op : j.path("profile").path("top_ops")) {
                    if (n++ == 5) {
                        break;
                    }
                    top.append(n == 1 ? "" : ", ")
                            .append(op.path("op").asText().replace("aten::", ""))
                            .append(' ')
                            .append(
                                    String.format(
                                            Locale.ROOT,
                                            "%.1f",
                                            op.path("ms_per_step").asDouble()));
                }
                sb.append(
                        String.format(
                                Locale.ROOT,
                                "| %s | %s | %s | %s | %s | %s | %s | %s |\n",
                                key(j),
                                e.getKey(),
                                pct(c, "matmul"),
                                pct(c, "attention"),
                                pct(c, "optimizer"),
                                pct(c, "other"),
                                pct(c, "host (between ops)"),
                                top));
            }
        }
        return sb.toString();
    }

    private static String pct(JsonNode categories, String name) {
        JsonNode c = categories.path(name);
        return String.format(
                Locale.ROOT,
                "%.1f%% (%.1f ms)",
                100 * c.path("share").asDouble(),
                c.path("ms_per_step").asDouble());
    }
}
