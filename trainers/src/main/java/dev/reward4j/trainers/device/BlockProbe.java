package dev.reward4j.trainers.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.reward4j.core.model.Architecture;
import dev.reward4j.core.model.AttentionImpl;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelConfig;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.trainers.optim.Gradients;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * A tiny forward + backward of one Llama decoder block with a reward head, the unit {@code reward4j
 * doctor} times and compares across precisions and attention paths. The block is initialised from a
 * fixed seed and fed fixed token ids, so runs on different devices, dtypes or processes are
 * comparable.
 *
 * <p>Size: width 1024, 16/8 heads, MLP 2816, 4 x 512 tokens on a GPU; width 256, 4/2 heads, MLP
 * 688, 2 x 128 tokens on the CPU.
 *
 * @param mode label ({@code float32}, {@code tf32}, {@code float16})
 * @param attention attention path
 * @param ok whether forward + backward ran and gave finite values
 * @param millis median wall time of a forward + backward (reading the loss back)
 * @param tflops model FLOPs per second of the forward + backward (matmuls and attention), in
 *     TFLOP/s
 * @param rewards the block's rewards (float32), for agreement checks
 * @param gradNorm global gradient norm
 * @param error the failure, when not {@code ok}
 */
public record BlockProbe(
        String mode,
        AttentionImpl attention,
        boolean ok,
        double millis,
        double tflops,
        double[] rewards,
        double gradNorm,
        String error) {

    /** Runs the probe on {@code device} in {@code dtype} ({@code mode} is only the label). */
    public static BlockProbe run(
            Device device, String mode, DataType dtype, AttentionImpl attention, int reps) {
        boolean gpu = device.isGpu();
        int width = gpu ? 1024 : 256;
        int heads = gpu ? 16 : 4;
        int kvHeads = gpu ? 8 : 2;
        int mlp = gpu ? 2816 : 688;
        int batch = gpu ? 4 : 2;
        int seq = gpu ? 512 : 128;
        int vocab = 1024;
        ModelConfig config =
                ModelConfig.of(Architecture.LLAMA, vocab, width, 1, heads, kvHeads, mlp)
                        .withMaxPositions(seq);
        ModelOptions options =
                ModelOptions.defaults()
                        .withDevice(device)
                        .withDtype(dtype)
                        .withAttention(attention);
        try (DecoderModel model = DecoderModel.create(config, ModelHead.REWARD, 7, options);
                NDManager m = model.manager().newSubManager()) {
            model.setTrainable(true);
            long[] ids = new long[batch * seq];
            Random r = new Random(11);
            for (int i = 0; i < ids.length; i++) {
                ids[i] = 3 + r.nextInt(vocab - 3);
            }
            NDArray input = m.create(ids, new Shape(batch, seq));
            NDArray mask = m.ones(new Shape(batch, seq), DataType.INT64);
            double[] times = new double[reps];
            double[] rewards = null;
            double norm = Double.NaN;
            for (int i = 0; i < reps + 2; i++) {
                Gradients.zero(model.parameters().values());
                long t0 = System.nanoTime();
                double[] out;
                try (NDScope scope = new NDScope();
                        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray scores = model.scores(input, mask);
                    gc.backward(scores.sum());
                    out = scores.toType(DataType.FLOAT64, false).toDoubleArray();
                }
                double t = (System.nanoTime() - t0) / 1e6;
                if (i >= 2) {
                    times[i - 2] = t;
                }
                rewards = out;
            }
            norm = gradNorm(model);
            Arrays.sort(times);
            double ms = times[times.length / 2];
            long tokens = (long) batch * seq;
            long kvWidth = (long) width / heads * kvHeads;
            double params = 2.0 * width * width + 2.0 * width * kvWidth + 3.0 * width * mlp;
            double flops = 6 * params * tokens + 6.0 * seq * width * tokens;
            boolean finite =
                    Double.isFinite(norm) && Arrays.stream(rewards).allMatch(Double::isFinite);
            return new BlockProbe(
                    mode,
                    model.attention(),
                    finite,
                    ms,
                    flops / (ms / 1e3) / 1e12,
                    rewards,
                    norm,
                    finite ? null : "non-finite rewards or gradients");
        } catch (RuntimeException e) {
            return new BlockProbe(
                    mode,
                    attention,
                    false,
                    Double.NaN,
                    Double.NaN,
                    new double[0],
                    Double.NaN,
                    e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static double gradNorm(DecoderModel model) {
        double sum = 0;
        for (NDArray p : model.parameters().values()) {
            if (p.hasGradient()) {
                try (NDArray g = p.getGradient();
                        NDArray g64 = g.toType(DataType.FLOAT64, false);
                        NDArray sq = g64.square().sum()) {
                    sum += sq.getDouble();
                }
            }
        }
        return Math.sqrt(sum);
    }

    /**
     * Relative disagreement with {@code reference}: the largest of max|r - r_ref| / max(max|r_ref|,
     * 1e-6) over the rewards and |g - g_ref| / g_ref for the gradient norm; NaN when either failed.
     */
    public double disagreement(BlockProbe reference) {
        if (!ok || !reference.ok || rewards.length != reference.rewards.length) {
            return Double.NaN;
        }
        double maxRef = 1e-6;
        double maxDiff = 0;
        for (int i = 0; i < rewards.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(reference.rewards[i]));
            maxDiff = Math.max(maxDiff, Math.abs(rewards[i] - reference.rewards[i]));
        }
        double g = Math.abs(gradNorm - reference.gradNorm) / Math.max(reference.gradNorm, 1e-12);
        return Math.max(maxDiff / maxRef, g);
    }

    /** One JSON line (the child-process protocol of {@link Doctor}). */
    String toJson() {
        StringBuilder r = new StringBuilder("[");
        for (int i = 0; i < rewards.length; i++) {
            r.append(i == 0 ? "" : ",").append(Double.toString(rewards[i]));
        }
        r.append(']');
        return String.format(
                Locale.ROOT,
                "{\"mode\":\"%s\",\"attention\":\"%s\",\"ok\":%s,\"millis\":%s,\"tflops\":%s,"
                        + "\"rewards\":%s,\"gradNorm\":%s,\"error\":%s}",
                mode,
                attention,
                ok,
                json(millis),
                json(tflops),
                r,
                json(gradNorm),
                error == null
                        ? "null"
                        : "\"" + error.replace("\\", "\\\\").replace("\"", "'") + "\"");
    }

    private static String json(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    /**
     * Child-process entry of {@link Doctor}: {@code BlockProbe DEVICE MODE DTYPE ATTENTION...}
     * prints one JSON line per attention path (used to measure TF32 and strict float32 in separate
     * processes, since libtorch reads {@code TORCH_ALLOW_TF32_CUBLAS_OVERRIDE} once).
     */
    public static void main(String[] args) {
        Device device = DeviceSpec.resolve(args[0]);
        DataType dtype = DataType.valueOf(args[2]);
        for (int i = 3; i < args.length; i++) {
            System.out.println(
                    run(device, args[1], dtype, AttentionImpl.valueOf(args[i]), 5).toJson());
        }
    }
}
