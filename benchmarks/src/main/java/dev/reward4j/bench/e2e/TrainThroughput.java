package dev.reward4j.bench.e2e;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.bench.e2e.ThroughputConfig.Layout;
import dev.reward4j.core.data.PackedBatch;
import dev.reward4j.core.data.Packer;
import dev.reward4j.core.data.Padding;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.Sampler;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.TokenizedSequence;
import dev.reward4j.core.model.Architecture;
import dev.reward4j.core.model.AttentionImpl;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelConfig;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.trainers.checkpoint.TrainerState;
import dev.reward4j.trainers.device.DeviceSpec;
import dev.reward4j.trainers.loop.BatchSource;
import dev.reward4j.trainers.loop.LoopOptions;
import dev.reward4j.trainers.loop.LoopParts;
import dev.reward4j.trainers.loop.TrainLoop;
import dev.reward4j.trainers.loop.TrainingStep;
import dev.reward4j.trainers.metrics.MetricSink;
import dev.reward4j.trainers.optim.AdamW;
import dev.reward4j.trainers.optim.AdamWConfig;
import dev.reward4j.trainers.optim.DynamicLossScaler;
import dev.reward4j.trainers.optim.GlobalNormClip;
import dev.reward4j.trainers.optim.LossScaler;
import dev.reward4j.trainers.optim.LrSchedule;
import dev.reward4j.trainers.run.CollatedSource;
import dev.reward4j.trainers.step.PackedRewardPairsStep;
import dev.reward4j.trainers.step.RewardPairsStep;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;

/**
 * End-to-end training throughput of Bradley-Terry reward models (nanoGPT {@code bench.py} style):
 * for every configuration in the cross product of the options, trains a freshly initialised
 * Llama-style model on random token pairs through the real {@code TrainLoop} (collator or packer,
 * {@code DecoderModel}, L's loss, {@code AdamW}, clipping) and prints one JSON line: tokens/s and
 * pairs/s over the timed steps, step time p50/p90, model FLOPs utilisation against a float32 matmul
 * peak measured in the same process on the same device, peak resident memory, and device memory on
 * GPU.
 *
 * <pre>
 * java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -cp ... dev.reward4j.bench.e2e.TrainThroughput \
 *   --model small --seq 64,128 --batch 8 --attention eager,fused --layout padded,packed --device cpu --steps 10
 * </pre>
 *
 * <p>Models ({@code --model}): {@code tiny} (width 32, 1 layer), {@code small} (128, 2 layers, 4/2
 * heads, MLP 384, vocab 1024), {@code base} (256, 4 layers, 8/4 heads, MLP 768, vocab 4096).
 * Sequence lengths are drawn uniformly from {@code [seq/4, seq]} so that padding and packing
 * differ; packed rows hold {@code seq} tokens. Tokens count real (non-padding) tokens; MFU counts
 * the model FLOPs of real tokens only ({@link ThroughputConfig#modelFlops}).
 */
public final class TrainThroughput {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, int[]> MODELS =
            Map.of(
                    // width, layers, heads, kvHeads, mlp, vocab
                    "tiny", new int[] {32, 1, 2, 1, 64, 256},
                    "small", new int[] {128, 2, 4, 2, 384, 1024},
                    "base", new int[] {256, 4, 8, 4, 768, 4096},
                    // Qwen2.5-0.5B's shape (the GPU benchmark)
                    "qwen0.5b", new int[] {896, 24, 14, 2, 4864, 151936});

    /**
     * {@code --preset gpu}: the GPU benchmark, comparable with a Hugging Face peer at
     * Qwen2.5-0.5B's shape (8 pairs x seq 1024, float16 mixed precision, fused attention, packing).
     */
    static final List<String> GPU_PRESET =
            List.of(
                    "--model",
                    "qwen0.5b",
                    "--seq",
                    "1024",
                    "--batch",
                    "8",
                    "--attention",
                    "fused",
                    "--layout",
                    "packed",
                    "--dtype",
                    "float16",
                    "--device",
                    "gpu",
                    "--warmup",
                    "3",
                    "--steps",
                    "10");

    private TrainThroughput() {}

    /**
     * Runs every configuration of the cross product of the options; prints one JSON line each to
     * stdout.
     */
    public static void main(String[] args) {
        List<ThroughputConfig> configs;
        try {
            configs = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(
                    "usage: TrainThroughput [--model tiny|small|base,...] [--seq N,...] [--batch"
                            + " N,...] [--attention eager|fused,...] [--layout padded|packed,...]"
                            + " [--device cpu|gpu|gpu:N] [--warmup N] [--steps N]");
            System.exit(2);
            return;
        }
        run(configs, System.out);
    }

    /**
     * Measures every configuration, printing one JSON line each to {@code out}; returns the
     * records.
     */
    public static List<Map<String, Object>> run(List<ThroughputConfig> configs, PrintStream out) {
        Map<String, Double> peaks = new HashMap<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ThroughputConfig c : configs) {
            Device device = DeviceSpec.resolve(c.device());
            double peak =
                    peaks.computeIfAbsent(
                            device + "/" + c.dtype(), k -> MatmulPeak.measure(device, c.dtype()));
            Map<String, Object> row = measure(c, device, peak);
            rows.add(row);
            try {
                out.println(JSON.writeValueAsString(row));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("bench: cannot serialise " + row, e);
            }
        }
        return rows;
    }

    static Map<String, Object> measure(ThroughputConfig c, Device device, double peakFlops) {
        ModelConfig mc =
                ModelConfig.of(
                                Architecture.LLAMA,
                                c.vocab(),
                                c.width(),
                                c.layers(),
                                c.heads(),
                                c.kvHeads(),
                                c.mlp())
                        .withMaxPositions(Math.max(64, c.seqLen()));
        ModelOptions options =
                ModelOptions.defaults()
                        .withDevice(device)
                        .withAttention(c.attention())
                        .withDtype(c.dtype());
        List<TokenizedPair> pairs =
                randomPairs(c, Math.min(4096, (c.warmupSteps() + c.steps()) * c.batchPairs()));
        boolean resetOk = Memory.resetPeak();
        long[] realTokens = new long[c.warmupSteps() + c.steps() + 1];
        long[] rowTokens = new long[realTokens.length];
        List<Long> stamps = new ArrayList<>();
        double[] deviceMemMib = {-1};
        Path trace = c.profile() ? tempTrace() : null;
        MetricSink timing =
                (phase, step, values) -> {
                    stamps.add(System.nanoTime());
                    deviceMemMib[0] = Math.max(deviceMemMib[0], Memory.deviceUsedMib(device));
                    if (trace != null && step == c.warmupSteps()) {
                        JniUtils.startProfile(device.isGpu(), true, false);
                        stamps.set(stamps.size() - 1, System.nanoTime());
                    }
                };
        try (DecoderModel model = DecoderModel.create(mc, new ModelHead.Reward(1), 1, options);
                AdamW optimizer =
                        new AdamW(model.parameters(), AdamWConfig.defaults(), model.manager())) {
            model.setTrainable(true);
            LoopOptions loop =
                    LoopOptions.defaults()
                            .withMaxSteps(c.warmupSteps() + c.steps())
                            .withLogEvery(1);
            RewardModelObjective bt = RewardModelObjective.BradleyTerry.defaults();
            LossScaler scaler =
                    c.dtype() == DataType.FLOAT16
                            ? DynamicLossScaler.defaults()
                            : LossScaler.none();
            long start = System.nanoTime();
            if (c.layout() == Layout.PADDED) {
                PairCollator collator = new PairCollator(Padding.right(0));
                new TrainLoop<>(
                                parts(
                                        model,
                                        optimizer,
                                        new RewardPairsStep(model, bt),
                                        source(
                                                pairs,
                                                c,
                                                collator::collate,
                                                PairBatch::realTokens,
                                                b -> b.inputIds().size(),
                                                realTokens,
                                                rowTokens),
                                        timing,
                                        loop,
                                        scaler))
                        .run();
            } else {
                Packer packer = new Packer(c.seqLen(), 0);
                new TrainLoop<>(
                                parts(
                                        model,
                                        optimizer,
                                        new PackedRewardPairsStep(model, bt),
                                        source(
                                                pairs,
                                                c,
                                                packer::packPairs,
                                                PackedBatch::realTokens,
                                                b -> b.inputIds().size(),
                                                realTokens,
                                                rowTokens),
                                        timing,
                                        loop,
                                        scaler))
                        .run();
            }
            Map<String, Object> profile = null;
            if (trace != null) {
                JniUtils.stopProfile(trace.toString());
            }
            stamps.add(0, start);
            double[] stepSeconds = new double[c.steps()];
            long tokens = 0;
            long rows = 0;
            for (int i = 0; i < c.steps(); i++) {
                int s = c.warmupSteps() + i; // 0-based index of the timed step
                stepSeconds[i] = (stamps.get(s + 1) - stamps.get(s)) / 1e9;
                tokens += realTokens[s];
                rows += rowTokens[s];
            }
            double seconds = Arrays.stream(stepSeconds).sum();
            if (trace != null) {
                try {
                    profile =
                            OpProfile.summary(
                                    OpProfile.read(trace), c.steps(), seconds / c.steps(), 12);
                    String keep = System.getProperty("bench.keepTrace");
                    if (keep != null) {
                        Files.move(
                                trace,
                                Path.of(keep),
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    } else {
                        Files.deleteIfExists(trace);
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException("bench: cannot read " + trace, e);
                }
            }
            StepCosts costs = StepCosts.measure(model, optimizer, c.batchPairs(), 5);
            double meanLen = pairs.stream().mapToDouble(p -> p.tokens() / 2.0).average().orElse(0);
            double flops = c.modelFlops(tokens, meanLen);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("device", device.toString());
            row.put("dtype", c.dtype().name().toLowerCase(Locale.ROOT));
            row.put("gemm_mode", GemmMode.describe());
            row.put("threads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
            row.put(
                    "model",
                    String.format(
                            Locale.ROOT,
                            "d%d-L%d-h%d/%d-mlp%d-v%d",
                            c.width(),
                            c.layers(),
                            c.heads(),
                            c.kvHeads(),
                            c.mlp(),
                            c.vocab()));
            row.put("params_non_embedding", c.nonEmbeddingParams());
            row.put("seq_len", c.seqLen());
            row.put("batch_pairs", c.batchPairs());
            row.put("attention", c.attention().name().toLowerCase(Locale.ROOT));
            row.put("layout", c.layout().name().toLowerCase(Locale.ROOT));
            row.put("steps", c.steps());
            row.put("tokens_per_s", round(tokens / seconds));
            row.put("pairs_per_s", round((double) c.batchPairs() * c.steps() / seconds));
            row.put("step_ms_p50", round(1000 * percentile(stepSeconds, 0.5)));
            row.put("step_ms_p90", round(1000 * percentile(stepSeconds, 0.9)));
            row.put("padding_fraction", round(1.0 - (double) tokens / rows));
            row.put("model_gflops_per_s", round(flops / seconds / 1e9));
            row.put("peak_matmul_gflops_per_s", round(peakFlops / 1e9));
            row.put("optimizer_fused", optimizer.isFused());
            row.put("mfu", round(flops / seconds / peakFlops));
            row.put("peak_rss_mib", round(Memory.peakRssMib()));
            row.put("peak_rss_scope", resetOk ? "this configuration" : "process so far");
            row.put("device_mem_used_mib", round(Memory.deviceUsedMib(device)));
            row.put("device_mem_peak_sampled_mib", round(deviceMemMib[0]));
            double stepMs = 1000 * seconds / c.steps();
            row.put("loss_ms", round(costs.lossMs()));
            row.put("optimizer_ms", round(costs.optimizerMs()));
            row.put("loss_optimizer_share", round((costs.lossMs() + costs.optimizerMs()) / stepMs));
            if (profile != null) {
                row.put("profile", profile);
            }
            return row;
        }
    }

    private static Path tempTrace() {
        try {
            return Files.createTempFile("reward4j-ops-", ".json");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("bench: cannot create a trace file", e);
        }
    }

    private static <B extends AutoCloseable> LoopParts<B> parts(
            DecoderModel model,
            AdamW optimizer,
            TrainingStep<B> objective,
            BatchSource<B> source,
            MetricSink sink,
            LoopOptions loop,
            LossScaler scaler) {
        return new LoopParts<>(
                model.manager(),
                objective,
                source,
                optimizer,
                new LrSchedule.Constant(1e-4, 0),
                new GlobalNormClip(1.0),
                scaler,
                sink,
                null,
                null,
                loop,
                new TrainerState(0, 0, 0, 1, null, 0));
    }

    /**
     * T's collated source in file order that also records each produced batch's real and row tokens
     * by call index.
     */
    private static <B> BatchSource<B> source(
            List<TokenizedPair> pairs,
            ThroughputConfig c,
            BiFunction<List<TokenizedPair>, NDManager, B> build,
            ToLongFunction<B> real,
            ToLongFunction<B> row,
            long[] realTokens,
            long[] rowTokens) {
        int[] calls = {0};
        return new CollatedSource<>(
                pairs,
                Sampler.sequential(),
                c.batchPairs(),
                (list, manager) -> {
                    B b = build.apply(list, manager);
                    if (calls[0] < realTokens.length) {
                        realTokens[calls[0]] = real.applyAsLong(b);
                        rowTokens[calls[0]] = row.applyAsLong(b);
                    }
                    calls[0]++;
                    return b;
                });
    }

    /**
     * {@code n} random pairs: lengths uniform in [seq/4, seq], ids uniform in [3, vocab), BOS (1)
     * first.
     */
    static List<TokenizedPair> randomPairs(ThroughputConfig c, int n) {
        SplittableRandom rng = new SplittableRandom(12345);
        List<TokenizedPair> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int prompt = Math.max(1, c.seqLen() / 4);
            out.add(
                    new TokenizedPair(
                            "bench-" + i,
                            sequence(rng, c, prompt),
                            sequence(rng, c, prompt),
                            OptionalDouble.empty(),
                            1.0,
                            Source.memory(i)));
        }
        return out;
    }

    private static TokenizedSequence sequence(
            SplittableRandom rng, ThroughputConfig c, int prompt) {
        int len = c.seqLen() / 4 + rng.nextInt(c.seqLen() - c.seqLen() / 4 + 1);
        int[] ids = new int[len];
        ids[0] = 1;
        for (int t = 1; t < len; t++) {
            ids[t] = 3 + rng.nextInt(c.vocab() - 3);
        }
        return new TokenizedSequence(ids, Math.min(prompt, len - 1));
    }

    static double percentile(double[] values, double q) {
        double[] s = values.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(q * s.length) - 1; // nearest rank
        return s[Math.max(0, Math.min(s.length - 1, rank))];
    }

    /** Four significant digits (keeps tiny GFLOP/s readable, drops noise digits). */
    private static double round(double v) {
        if (!Double.isFinite(v) || v == 0) {
            return v;
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).doubleValue();
    }

    /** Parses the options into the cross product of configurations. */
    static List<ThroughputConfig> parse(String... given) {
        List<String> expanded = new ArrayList<>();
        for (int i = 0; i < given.length; i++) {
            if (given[i].equals("--preset") && i + 1 < given.length) {
                if (!given[i + 1].equals("gpu")) {
                    throw new IllegalArgumentException(
                            "bench: unknown preset '" + given[i + 1] + "'; expected gpu");
                }
                expanded.addAll(0, GPU_PRESET); // later options override the preset
                i++;
            } else {
                expanded.add(given[i]);
            }
        }
        String[] args = expanded.toArray(new String[0]);
        Map<String, String> opt =
                new LinkedHashMap<>(
                        Map.of(
                                "--model",
                                "small",
                                "--seq",
                                "128",
                                "--batch",
                                "8",
                                "--attention",
                                "eager",
                                "--layout",
                                "padded",
                                "--device",
                                "cpu",
                                "--warmup",
                                "3",
                                "--steps",
                                "10"));
        opt.put("--dtype", "float32");
        opt.put("--profile", "none");
        opt.put("--layers", "0");
        for (int i = 0; i < args.length; i += 2) {
            if (!opt.containsKey(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException(
                        "bench: unknown option or missing value '"
                                + args[i]
                                + "'; expected one of "
                                + opt.keySet());
            }
            opt.put(args[i], args[i + 1]);
        }
        List<ThroughputConfig> out = new ArrayList<>();
        int warmup = Integer.parseInt(opt.get("--warmup"));
        int steps = Integer.parseInt(opt.get("--steps"));
        DataType dtype =
                switch (opt.get("--dtype")) {
                    case "float32" -> DataType.FLOAT32;
                    case "float16" -> DataType.FLOAT16;
                    default ->
                            throw new IllegalArgumentException(
                                    "bench: --dtype '"
                                            + opt.get("--dtype")
                                            + "'; expected float32 or float16");
                };
        boolean profile = opt.get("--profile").equals("ops");
        int layers = Integer.parseInt(opt.get("--layers"));
        for (String model : opt.get("--model").split(",")) {
            int[] m = MODELS.get(model);
            if (m == null) {
                throw new IllegalArgumentException(
                        "bench: unknown model '" + model + "'; expected one of " + MODELS.keySet());
            }
            for (String seq : opt.get("--seq").split(",")) {
                for (String batch : opt.get("--batch").split(",")) {
                    for (String att : opt.get("--attention").split(",")) {
                        for (String layout : opt.get("--layout").split(",")) {
                            out.add(
                                    new ThroughputConfig(
                                            m[0],
                                            layers > 0 ? layers : m[1],
                                            m[2],
                                            m[3],
                                            m[4],
                                            m[5],
                                            Integer.parseInt(seq),
                                            Integer.parseInt(batch),
                                            AttentionImpl.valueOf(att.toUpperCase(Locale.ROOT)),
                                            Layout.valueOf(layout.toUpperCase(Locale.ROOT)),
                                            opt.get("--device"),
                                            warmup,
                                            steps,
                                            dtype,
                                            profile));
                        }
                    }
                }
            }
        }
        return out;
    }
}
