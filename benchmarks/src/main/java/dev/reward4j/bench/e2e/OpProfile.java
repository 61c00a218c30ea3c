package dev.reward4j.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Self time per libtorch operator from a Chrome trace written by libtorch's profiler ({@code
 * JniUtils.startProfile} / {@code stopProfile}): nested events of one thread are unwound with a
 * stack, so an op's self time excludes the ops it called ({@code aten::linear} &rarr; {@code
 * aten::addmm}). Ops are grouped into categories: matmul (GEMM kernels), attention (fused SDPA and
 * the eager softmax), optimizer (fused AdamW and multi-tensor ops), everything else. The time of
 * the step not covered by any top-level op is host time: Java, JNI and DJL bookkeeping between ops.
 */
final class OpProfile {
    private OpProfile() {}

    /** Self time (microseconds) per op name, and the summed duration of top-level events. */
    record Totals(Map<String, Double> selfMicros, double topLevelMicros) {}

    static Totals read(Path trace) throws IOException {
        return read(trace, e -> false);
    }

    /**
     * {@link #read(Path)} without the top-level events {@code skip} selects (and their children).
     */
    static Totals read(Path trace, java.util.function.Predicate<JsonNode> skip) throws IOException {
        JsonNode all = new ObjectMapper().readTree(trace.toFile());
        List<double[]> skipped = new ArrayList<>();
        for (JsonNode e : all) {
            if ("X".equals(e.path("ph").asText()) && skip.test(e)) {
                skipped.add(
                        new double[] {
                            e.path("ts").asDouble(),
                            e.path("ts").asDouble() + e.path("dur").asDouble()
                        });
            }
        }
        List<JsonNode> events = new ArrayList<>();
        for (JsonNode e : all) {
            double ts = e.path("ts").asDouble();
            double end = ts + e.path("dur").asDouble();
            boolean inside = false;
            for (double[] w : skipped) {
                inside |= ts >= w[0] && end <= w[1];
            }
            if (!inside) {
                events.add(e);
            }
        }
        Map<String, List<double[]>> byThread = new HashMap<>();
        List<String> names = new ArrayList<>();
        for (JsonNode e : events) {
            if (!"X".equals(e.path("ph").asText())) {
                continue;
            }
            names.add(e.path("name").asText());
            byThread.computeIfAbsent(e.path("tid").asText(), k -> new ArrayList<>())
                    .add(
                            new double[] {
                                e.path("ts").asDouble(), e.path("dur").asDouble(), names.size() - 1
                            });
        }
        Map<String, Double> self = new HashMap<>();
        double top = 0;
        for (List<double[]> list : byThread.values()) {
            // parents first: earlier start, then longer duration
            list.sort(Comparator.<double[]>comparingDouble(x -> x[0]).thenComparing(x -> -x[1]));
            Deque<double[]> stack = new ArrayDeque<>(); // {end, index, childSum}
            for (double[] ev : list) {
                double start = ev[0];
                double end = ev[0] + ev[1];
                while (!stack.isEmpty() && stack.peek()[0] <= start) {
                    close(stack.pop(), list, names, self);
                }
                if (stack.isEmpty()) {
                    top += ev[1];
                } else {
                    stack.peek()[2] += ev[1];
                }
                stack.push(new double[] {end, ev[2], 0, ev[1]});
            }
            while (!stack.isEmpty()) {
                close(stack.pop(), list, names, self);
            }
        }
        return new Totals(self, top);
    }

    private static void close(
            double[] frame, List<double[]> list, List<String> names, Map<String, Double> self) {
        String name = names.get((int) frame[1]);
        self.merge(name, Math.max(0, frame[3] - frame[2]), Double::sum);
    }

    /** The category of an op name. */
    static String category(String op) {
        String o = op.toLowerCase(Locale.ROOT);
        if (o.contains("scaled_dot_product")
                || o.contains("flash_attention")
                || o.contains("softmax")) {
            return "attention";
        }
        if (o.equals("aten::mm")
                || o.equals("aten::addmm")
                || o.equals("aten::bmm")
                || o.equals("aten::baddbmm")
                || o.equals("aten::addbmm")
                || o.contains("mkldnn_convolution")
                || o.contains("convolution_backward")) {
            return "matmul";
        }
        if (o.contains("fused_adam") || o.contains("_foreach_")) {
            return "optimizer";
        }
        return "other";
    }

    /**
     * A summary per step: categories (ms per step and share of the step), host time, and the top
     * {@code top} ops by self time.
     */
    static Map<String, Object> summary(Totals t, int steps, double stepSeconds, int top) {
        double stepMicros = stepSeconds * 1e6 * steps;
        Map<String, Double> cats = new LinkedHashMap<>();
        for (String c : List.of("matmul", "attention", "optimizer", "other")) {
            cats.put(c, 0.0);
        }
        t.selfMicros().forEach((k, v) -> cats.merge(category(k), v, Double::sum));
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> categories = new LinkedHashMap<>();
        cats.forEach(
                (k, v) ->
                        categories.put(
                                k,
                                Map.of(
                                        "ms_per_step",
                                        round(v / 1e3 / steps),
                                        "share",
                                        round(v / stepMicros))));
        double host = Math.max(0, stepMicros - t.topLevelMicros());
        categories.put(
                "host (between ops)",
                Map.of(
                        "ms_per_step",
                        round(host / 1e3 / steps),
                        "share",
                        round(host / stepMicros)));
        out.put("categories", categories);
        List<Map.Entry<String, Double>> ops = new ArrayList<>(t.selfMicros().entrySet());
        ops.sort(Map.Entry.<String, Double>comparingByValue().reversed());
        List<Map<String, Object>> list = new ArrayList<>();
        for (Map.Entry<String, Double> e : ops.subList(0, Math.min(top, ops.size()))) {
            Map<String, Object> op = new LinkedHashMap<>();
            op.put("op", e.getKey());
            op.put("ms_per_step", round(e.getValue() / 1e3 / steps));
            op.put("share", round(e.getValue() / stepMicros));
            list.add(op);
        }
        out.put("top_ops", list);
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
