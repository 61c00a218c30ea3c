package dev.reward4j.bench.e2e;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.model.Architecture;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelConfig;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.losses.TokenPreferenceObjective;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.preference.TokenPairsStep;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Peak native memory of one TDPO2 training step (forward + backward of {@link TokenPairsStep}) as a
 * function of vocabulary V and sequence length T, chunked over response tokens versus the direct
 * full-vocabulary form. Each (V, T, mode) runs in a fresh JVM (the C allocator keeps freed pages,
 * so peaks of earlier configurations would leak into later ones); the child resets the kernel's
 * peak-RSS counter after building models and batch and reports {@code VmHWM - VmRSS} around the
 * step. A third mode, {@code backbone}, runs only the two models' forwards and a backward through
 * the policy's hidden states; the summary reports what the token-level objective adds over it
 * (eager attention itself grows with T squared whatever the loss). Linux only.
 *
 * <p>Usage: {@code TokenKlMemory [--vocab 2048,8192,32768] [--seq 64,256,1024] [--chunk 128]
 * [--pairs 4] [--hidden 64]}. Prints one JSON line per configuration and a summary per mode.
 */
public final class TokenKlMemory {
    private TokenKlMemory() {}

    /**
     * Runs the grid (parent) or one configuration ({@code --one V T chunk pairs hidden}).
     *
     * @param args see the class description
     * @throws Exception on a failed child
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--one")) {
            one(
                    Integer.parseInt(args[1]),
                    Integer.parseInt(args[2]),
                    Integer.parseInt(args[3]),
                    Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]));
            return;
        }
        int[] vocab = ints(opt(args, "--vocab", "2048,8192,32768"));
        int[] seq = ints(opt(args, "--seq", "64,256,1024"));
        int chunk = Integer.parseInt(opt(args, "--chunk", "128"));
        int pairs = Integer.parseInt(opt(args, "--pairs", "4"));
        int hidden = Integer.parseInt(opt(args, "--hidden", "64"));
        pairsUsed = pairs;
        List<double[]> rows = new ArrayList<>();
        for (int v : vocab) {
            for (int t : seq) {
                for (int c : new int[] {chunk, 0, -1}) {
                    double mib = child(v, t, c, pairs, hidden);
                    rows.add(new double[] {v, t, c, mib});
                    System.out.printf(
                            Locale.ROOT,
                            "{\"bench\":\"tdpo-step-memory\",\"vocab\":%d,\"seq\":%d,\"mode\":\"%s\","
                                + "\"chunk\":%d,\"pairs\":%d,\"hidden\":%d,"
                                + "\"vocab_x_tokens\":%d,\"step_peak_mib\":%.1f}%n",
                            v,
                            t,
                            c > 0 ? "chunked" : (c == 0 ? "full" : "backbone"),
                            c,
                            pairs,
                            hidden,
                            (long) v * t,
                            mib);
                }
            }
        }
        summary(rows, vocab, seq, chunk);
    }

    /**
     * Growth of what the token-level objective adds to a step: peak(mode) - peak(backbone), the
     * backbone step being the two models' forwards and a backward through the policy's hidden
     * states (eager attention is quadratic in T whatever the loss).
     */
    private static void summary(List<double[]> rows, int[] vocab, int[] seq, int chunk) {
        int v0 = vocab[0];
        int v1 = vocab[vocab.length - 1];
        int t0 = seq[0];
        int t1 = seq[seq.length - 1];
        for (int c : new int[] {chunk, 0}) {
            double small = overhead(rows, v0, t0, c);
            double large = overhead(rows, v1, t1, c);
            double vOnly = overhead(rows, v1, t0, c);
            double tOnly = overhead(rows, v0, t1, c);
            System.out.printf(
                    Locale.ROOT,
                    "summary %s overhead over the backbone step: V x T %.0fx -> %.1f -> %.1f MiB"
                            + " (%.1fx); V alone %.0fx -> %.1fx; T alone %.0fx -> %.1fx;"
                            + " MiB per million (V x T x rows) at the largest: %.2f%n",
                    c > 0 ? "chunked(" + c + ")" : "full",
                    ((double) v1 * t1) / ((double) v0 * t0),
                    small,
                    large,
                    large / small,
                    (double) v1 / v0,
                    vOnly / small,
                    (double) t1 / t0,
                    tOnly / small,
                    large / (v1 * (double) t1 * rowsOf(rows) / 1e6));
        }
    }

    private static int pairsUsed = 4;

    private static double rowsOf(List<double[]> rows) {
        return 2.0 * pairsUsed;
    }

    private static double overhead(List<double[]> rows, int v, int t, int c) {
        return find(rows, v, t, c) - find(rows, v, t, -1);
    }

    private static double find(List<double[]> rows, int v, int t, int c) {
        for (double[] r : rows) {
            if (r[0] == v && r[1] == t && r[2] == c) {
                return r[3];
            }
        }
        return Double.NaN;
    }

    private static double child(int v, int t, int chunk, int pairs, int hidden) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Dai.djl.offline=true");
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        for (String p : new String[] {"ai.djl.pytorch.num_threads"}) {
            if (System.getProperty(p) != null) {
                cmd.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(TokenKlMemory.class.getName());
        cmd.add("--one");
        cmd.add(Integer.toString(v));
        cmd.add(Integer.toString(t));
        cmd.add(Integer.toString(chunk));
        cmd.add(Integer.toString(pairs));
        cmd.add(Integer.toString(hidden));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        double result = Double.NaN;
        try (BufferedReader r =
                new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("STEP_PEAK_MIB ")) {
                    result = Double.parseDouble(line.substring("STEP_PEAK_MIB ".length()));
                }
            }
        }
        if (p.waitFor() != 0 || Double.isNaN(result)) {
            throw new IllegalStateException(
                    "TokenKlMemory: child for V=" + v + " T=" + t + " chunk=" + chunk + " failed");
        }
        return result;
    }

    private static void one(int v, int t, int chunk, int pairs, int hidden) {
        ModelConfig config = ModelConfig.of(Architecture.LLAMA, v, hidden, 2, 4, 4, 2 * hidden);
        try (DecoderModel policy =
                        DecoderModel.create(config, ModelHead.LM, 1, ModelOptions.defaults());
                DecoderModel ref =
                        DecoderModel.create(config, ModelHead.LM, 2, ModelOptions.defaults())) {
            policy.setTrainable(true);
            TokenPairsStep objective =
                    chunk < 0
                            ? null
                            : new TokenPairsStep(
                                    policy,
                                    ref,
                                    TokenPreferenceObjective.Tdpo2.defaults(),
                                    null,
                                    chunk);
            // a small step first: loads kernels and allocator pools outside the measurement
            step(policy, ref, objective, v, Math.min(t, 16), pairs);
            System.gc();
            try (NDManager m = policy.manager().newSubManager()) {
                PairBatch batch = batch(m, v, t, pairs);
                double before = Memory.rssMib();
                Memory.resetPeak();
                run(policy, ref, objective, batch, m);
                double peak = Memory.peakRssMib();
                System.out.printf(Locale.ROOT, "STEP_PEAK_MIB %.1f%n", peak - before);
            }
        }
    }

    private static void step(
            DecoderModel policy, DecoderModel ref, TokenPairsStep o, int v, int t, int pairs) {
        try (NDManager m = policy.manager().newSubManager()) {
            run(policy, ref, o, batch(m, v, t, pairs), m);
        }
    }

    /** One forward + backward; {@code o == null}: the backbone-only step (baseline). */
    private static void run(
            DecoderModel policy, DecoderModel ref, TokenPairsStep o, PairBatch batch, NDManager m) {
        try (ai.djl.ndarray.NDScope ignored = new ai.djl.ndarray.NDScope();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            if (o == null) {
                ref.hiddenStates(batch.inputIds(), batch.attentionMask()).stopGradient();
                gc.backward(policy.hiddenStates(batch.inputIds(), batch.attentionMask()).mean());
            } else {
                StepResult r = o.compute(batch, new StepContext(1, 0, 1, m, true));
                gc.backward(r.loss());
            }
        }
    }

    /** 2 x pairs rows of length t; the last 3/4 of each row is the response. */
    private static PairBatch batch(NDManager m, int v, int t, int pairs) {
        Random r = new Random(7);
        int rows = 2 * pairs;
        long[] ids = new long[rows * t];
        long[] mask = new long[rows * t];
        float[] resp = new float[rows * t];
        long[] last = new long[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < t; j++) {
                ids[i * t + j] = 1 + r.nextInt(v - 1);
                mask[i * t + j] = 1;
                resp[i * t + j] = j >= t / 4 ? 1 : 0;
            }
            last[i] = t - 1;
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            names.add("p" + i);
        }
        return new PairBatch(
                m.create(ids, new Shape(rows, t)),
                m.create(mask, new Shape(rows, t)),
                m.create(last),
                m.create(resp, new Shape(rows, t)),
                null,
                m.ones(new Shape(pairs)),
                names,
                (long) rows * t);
    }

    private static String opt(String[] args, String name, String def) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return def;
    }

    private static int[] ints(String csv) {
        String[] p = csv.split(",");
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = Integer.parseInt(p[i].trim());
        }
        return out;
    }
}
