package dev.reward4j.trainers.preference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.TripleBatch;
import dev.reward4j.core.model.Architecture;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelConfig;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.trainers.checkpoint.TrainerState;
import dev.reward4j.trainers.loop.BatchSource;
import dev.reward4j.trainers.loop.LoopOptions;
import dev.reward4j.trainers.loop.LoopParts;
import dev.reward4j.trainers.loop.LoopResult;
import dev.reward4j.trainers.loop.StepEvaluator;
import dev.reward4j.trainers.loop.TrainLoop;
import dev.reward4j.trainers.loop.TrainingStep;
import dev.reward4j.trainers.optim.AdamW;
import dev.reward4j.trainers.optim.AdamWConfig;
import dev.reward4j.trainers.optim.GlobalNormClip;
import dev.reward4j.trainers.optim.LossScaler;
import dev.reward4j.trainers.optim.LrSchedule;
import dev.reward4j.trainers.step.TinyTasks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Synthetic token tasks for the learning tests of this package (batches built directly). Tokens: 0
 * pad, 1 BOS, 2 EOS, 3..12 "good", 13..22 "bad"; a response's true reward is its number of good
 * tokens.
 */
final class Tiny {
    static final int VOCAB = 24;

    private Tiny() {}

    static ModelConfig config() {
        return ModelConfig.of(Architecture.LLAMA, VOCAB, 32, 2, 4, 4, 64);
    }

    static DecoderModel model(long seed, boolean trainable) {
        DecoderModel m = DecoderModel.create(config(), ModelHead.LM, seed, ModelOptions.defaults());
        m.setTrainable(trainable);
        return m;
    }

    /** A sequence: ids and prompt length. */
    record Seq(int[] ids, int promptLength) {}

    /** A labeled pair: chosen, rejected, label (probability, margin or consistency). */
    record Pair(Seq chosen, Seq rejected, double label) {}

    static int[] prompt(Random r) {
        return new int[] {1, 3 + r.nextInt(20), 3 + r.nextInt(20)};
    }

    static Seq response(int[] prompt, Random r, int good) {
        int[] ids = Arrays.copyOf(prompt, prompt.length + 4);
        for (int k = 0; k < 3; k++) {
            ids[prompt.length + k] = k < good ? 3 + r.nextInt(10) : 13 + r.nextInt(10);
        }
        ids[prompt.length + 3] = 2;
        return new Seq(ids, prompt.length);
    }

    /** Same-prompt pairs: chosen 3 good tokens, rejected 0; label 1. */
    static List<Pair> pairs(int n, long seed) {
        Random r = new Random(seed);
        List<Pair> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] p = prompt(r);
            out.add(new Pair(response(p, r, 3), response(p, r, 0), 1));
        }
        return out;
    }

    /** Joint pairs: each response has its own prompt (of a different length half the time). */
    static List<Pair> jointPairs(int n, long seed) {
        Random r = new Random(seed);
        List<Pair> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] pw = prompt(r);
            int[] pl = i % 2 == 0 ? prompt(r) : new int[] {1, 3 + r.nextInt(20)};
            out.add(new Pair(response(pw, r, 3), response(pl, r, 0), 1));
        }
        return out;
    }

    /** Triples (gold, chosen, rejected): gold 3 good, chosen 2 good, rejected 0. */
    static List<Seq[]> triples(int n, long seed) {
        Random r = new Random(seed);
        List<Seq[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] p = prompt(r);
            out.add(new Seq[] {response(p, r, 3), response(p, r, 2), response(p, r, 0)});
        }
        return out;
    }

    /** Pairs with a label from {@code label(chosenGood, rejectedGood, random)}. */
    static List<Pair> labeled(int n, long seed, LabelRule rule) {
        Random r = new Random(seed);
        List<Pair> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] p = prompt(r);
            int gc = 2 + r.nextInt(2);
            int gr = r.nextInt(2);
            out.add(new Pair(response(p, r, gc), response(p, r, gr), rule.label(gc, gr, r)));
        }
        return out;
    }

    /** Label of a pair from the good-token counts. */
    @FunctionalInterface
    interface LabelRule {
        double label(int chosenGood, int rejectedGood, Random r);
    }

    record Padded(NDArray ids, NDArray mask, NDArray last, NDArray response, long real) {}

    static Padded pad(List<Seq> rows, NDManager m) {
        int t = rows.stream().mapToInt(s -> s.ids().length).max().orElse(1);
        int n = rows.size();
        long[] ids = new long[n * t];
        long[] mask = new long[n * t];
        long[] last = new long[n];
        float[] resp = new float[n * t];
        long real = 0;
        for (int i = 0; i < n; i++) {
            Seq s = rows.get(i);
            for (int j = 0; j < s.ids().length; j++) {
                ids[i * t + j] = s.ids()[j];
                mask[i * t + j] = 1;
                resp[i * t + j] = j >= s.promptLength() ? 1 : 0;
            }
            last[i] = s.ids().length - 1;
            real += s.ids().length;
        }
        return new Padded(
                m.create(ids, new Shape(n, t)),
                m.create(mask, new Shape(n, t)),
                m.create(last),
                m.create(resp, new Shape(n, t)),
                real);
    }

    static PairBatch pairBatch(List<Pair> pairs, List<String> ids, NDManager m) {
        List<Seq> rows = new ArrayList<>();
        pairs.forEach(p -> rows.add(p.chosen()));
        pairs.forEach(p -> rows.add(p.rejected()));
        Padded p = pad(rows, m);
        float[] label = new float[pairs.size()];
        for (int i = 0; i < label.length; i++) {
            label[i] = (float) pairs.get(i).label();
        }
        return new PairBatch(
                p.ids(),
                p.mask(),
                p.last(),
                p.response(),
                m.create(label),
                m.ones(new Shape(pairs.size())),
                ids,
                p.real());
    }

    static TripleBatch tripleBatch(List<Seq[]> triples, List<String> ids, NDManager m) {
        List<Seq> rows = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            for (Seq[] t : triples) {
                rows.add(t[k]);
            }
        }
        Padded p = pad(rows, m);
        return new TripleBatch(
                p.ids(),
                p.mask(),
                p.last(),
                p.response(),
                m.ones(new Shape(triples.size())),
                ids,
                p.real());
    }

    /** A cycling, resumable source over {@code examples}: {@link TinyTasks#source}. */
    static <E, B> BatchSource<B> source(
            List<E> examples, int size, TinyTasks.BatchMaker<E, B> maker) {
        return TinyTasks.source(examples, size, maker);
    }

    /** Held-out batch factories: {@link TinyTasks#heldOut}. */
    static <E, B> List<Function<NDManager, B>> heldOut(
            List<E> examples, int size, TinyTasks.BatchMaker<E, B> maker) {
        return TinyTasks.heldOut(examples, size, maker);
    }

    /** Held-out metrics before and after training. */
    record Run(Map<String, Double> before, Map<String, Double> after, double seconds) {}

    static <B extends AutoCloseable> Run train(
            DecoderModel model,
            Map<String, NDArray> extraParams,
            TrainingStep<B> objective,
            BatchSource<B> source,
            List<Function<NDManager, B>> heldOut,
            long steps,
            double lr) {
        Map<String, Double> before =
                new StepEvaluator<>(objective, heldOut, model.manager()).evaluate(0);
        Map<String, NDArray> params = new LinkedHashMap<>(model.parameters());
        params.putAll(extraParams);
        try (AdamW opt =
                new AdamW(params, AdamWConfig.defaults().withWeightDecay(0), model.manager())) {
            LoopParts<B> parts =
                    new LoopParts<>(
                            model.manager(),
                            objective,
                            source,
                            opt,
                            new LrSchedule.Cosine(lr, 10, steps, 0.1),
                            new GlobalNormClip(1.0),
                            LossScaler.none(),
                            (p, s, v) -> {},
                            new StepEvaluator<>(objective, heldOut, model.manager()),
                            null,
                            LoopOptions.defaults().withMaxSteps(steps),
                            new TrainerState(0, 0, 0, 1, null, 0));
            LoopResult s = new TrainLoop<>(parts).run();
            return new Run(before, s.lastEval(), s.seconds());
        }
    }
}
