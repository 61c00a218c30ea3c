package dev.reward4j.bench.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.reward4j.core.model.Architecture;
import dev.reward4j.core.model.AttentionImpl;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelConfig;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Forward+backward tokens per second of a small Llama reward model with eager and fused attention
 * at sequence lengths 256 and 1024 (same tokens per step: batch 4 x 256 and 1 x 1024). Prints one
 * JSON line per configuration; also reports the model manager's array count and RSS before and
 * after the timed steps (memory flatness).
 *
 * <p>Options (system properties): {@code bench.steps} (default 6), {@code bench.warmup} (2), {@code
 * bench.hidden} (256), {@code bench.layers} (2), {@code bench.head} ({@code reward} or {@code lm}).
 *
 * <pre>
 * mvn -B -ntp -o -q -pl benchmarks -am compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.graph_optimizer=false \
 *   -cp benchmarks/target/classes:$(cat benchmarks/target/cp.txt) dev.reward4j.bench.model.AttentionBench
 * </pre>
 */
public final class AttentionBench {
    private AttentionBench() {}

    public static void main(String[] args) throws IOException {
        int steps = Integer.getInteger("bench.steps", 6);
        int warmup = Integer.getInteger("bench.warmup", 2);
        int hidden = Integer.getInteger("bench.hidden", 256);
        int layers = Integer.getInteger("bench.layers", 2);
        boolean lm = "lm".equals(System.getProperty("bench.head", "reward"));
        int vocab = 2048;
        ModelConfig config =
                ModelConfig.of(
                                Architecture.LLAMA,
                                vocab,
                                hidden,
                                layers,
                                hidden / 64,
                                hidden / 128,
                                hidden * 2)
                        .withMaxPositions(1024);
        ModelHead head = lm ? ModelHead.LM : ModelHead.REWARD;
        int[][] shapes = {{4, 256}, {1, 1024}};
        for (int[] bt : shapes) {
            for (AttentionImpl impl :
                    new AttentionImpl[] {AttentionImpl.EAGER, AttentionImpl.FUSED}) {
                try (DecoderModel model =
                        DecoderModel.create(
                                config, head, 42, ModelOptions.defaults().withAttention(impl))) {
                    model.setTrainable(true);
                    for (int i = 0; i < warmup; i++) {
                        step(model, bt[0], bt[1], vocab, lm);
                    }
                    int arraysBefore = model.manager().getManagedArrays().size();
                    long rssBefore = rssKb();
                    double[] ms = new double[steps];
                    for (int i = 0; i < steps; i++) {
                        long t0 = System.nanoTime();
                        step(model, bt[0], bt[1], vocab, lm);
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                    }
                    double[] sorted = ms.clone();
                    Arrays.sort(sorted);
                    double median = sorted[steps / 2];
                    double tokensPerS = bt[0] * bt[1] / (median / 1000.0);
                    System.out.println(
                            String.format(
                                    Locale.ROOT,
                                    "{\"bench\":\"model.fwd_bwd\",\"arch\":\"llama\",\"head\":\"%s\",\"hidden\":%d,\"layers\":%d,"
                                        + "\"attention\":\"%s\",\"batch\":%d,\"seq_len\":%d,\"steps\":%d,\"median_ms\":%.1f,"
                                        + "\"min_ms\":%.1f,\"tokens_per_s\":%.0f,\"model_arrays\":[%d,%d],\"rss_kb\":[%d,%d]}",
                                    lm ? "lm" : "reward",
                                    hidden,
                                    layers,
                                    model.attention(),
                                    bt[0],
                                    bt[1],
                                    steps,
                                    median,
                                    sorted[0],
                                    tokensPerS,
                                    arraysBefore,
                                    model.manager().getManagedArrays().size(),
                                    rssBefore,
                                    rssKb()));
                }
            }
        }
    }

    private static void step(DecoderModel model, int batch, int seqLen, int vocab, boolean lm) {
        try (NDManager m = model.manager().newSubManager()) {
            NDArray ids = m.randomInteger(3, vocab, new Shape(batch, seqLen), DataType.INT64);
            NDArray mask = m.ones(new Shape(batch, seqLen), DataType.INT64);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = lm ? model.tokenLogps(ids, mask) : model.scores(ids, mask);
                gc.backward(out.mean());
            }
        }
        for (NDArray p : model.parameters().values()) {
            try (NDArray g = p.getGradient()) {
                g.subi(g); // zero the accumulated gradient in place, as an optimizer would
            }
        }
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
