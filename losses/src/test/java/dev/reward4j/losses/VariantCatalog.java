package dev.reward4j.losses;

import static dev.reward4j.losses.LossCase.bernoulli;
import static dev.reward4j.losses.LossCase.constant;
import static dev.reward4j.losses.LossCase.diff;
import static dev.reward4j.losses.LossCase.integer;
import static dev.reward4j.losses.LossCase.ints;
import static dev.reward4j.losses.LossCase.normal;
import static dev.reward4j.losses.LossCase.plus;
import static dev.reward4j.losses.LossCase.scaled;
import static dev.reward4j.losses.LossCase.uniform;
import static dev.reward4j.losses.LossCase.weights;

import ai.djl.ndarray.NDArray;
import dev.reward4j.losses.AbsoluteLikelihoodObjective.Asft;
import dev.reward4j.losses.AbsoluteLikelihoodObjective.Mapo;
import dev.reward4j.losses.LabeledPairObjective.ConsistencyDpo;
import dev.reward4j.losses.LabeledPairObjective.DynamicBetaDpo;
import dev.reward4j.losses.LabeledPairObjective.Irepo;
import dev.reward4j.losses.LabeledPairObjective.SoftPreference;
import dev.reward4j.losses.TokenPreferenceObjective.SparsePo;
import dev.reward4j.losses.TokenPreferenceObjective.Tdpo1;
import dev.reward4j.losses.TokenPreferenceObjective.Tdpo2;
import dev.reward4j.losses.TriplePreferenceObjective.Tpo;
import dev.reward4j.losses.TriplePreferenceObjective.TpoLengthNormalized;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The token-level, labeled, joint, absolute-likelihood and triple objectives as {@link LossCase}s
 * of the single oracle harness ({@link LossCatalog#all()} adds them).
 */
final class VariantCatalog {
    static final int B = LossCatalog.B;
    static final int TC = 5;
    static final int TR = 4;
    static final int V = 7;

    private VariantCatalog() {}

    static void addTo(List<LossCase> c) {
        tokenLevel(c);
        labeled(c);
        absoluteAndTriple(c);
        supervised(c);
    }

    // ---------------- supervised ----------------

    /** Token log-probs in [-8, -0.01], a 0/1 target mask with ~70% ones, example weights. */
    private static Map<String, LossCase.In> sequences(Random r, double scale) {
        Map<String, LossCase.In> in = LossCase.inputs();
        in.put("lp", diff(scaled(uniform(r, B * TC, -8, -0.01), scale), B, TC));
        in.put("m", constant(bernoulli(r, B * TC, 0.7), B, TC));
        in.put("w", constant(weights(r, B), B));
        return in;
    }

    private static void supervised(List<LossCase> c) {
        c.add(
                new LossCase(
                        "weighted-nll",
                        VariantCatalog::sequences,
                        (a, red) ->
                                SupervisedLosses.weightedNll(
                                        a.get("lp"), a.get("m"), a.get("w"), red),
                        a -> Ref.weightedMean(VariantRef.weightedNll(a), a.get("w"))));
    }

    // ---------------- token level ----------------

    /** Per-token log-probs in [-6, -0.1], reference = policy + N(0, 0.5), KL in [0, 2]. */
    private static Map<String, LossCase.In> tokens(Random r, double scale) {
        Map<String, LossCase.In> in = LossCase.inputs();
        double[] pc = uniform(r, B * TC, -6, -0.1);
        double[] pr = uniform(r, B * TR, -6, -0.1);
        in.put("pc", diff(scaled(pc, scale), B, TC));
        in.put("pr", diff(scaled(pr, scale), B, TR));
        in.put("rc", diff(scaled(plus(pc, normal(r, B * TC, 0.5)), scale), B, TC));
        in.put("rr", diff(scaled(plus(pr, normal(r, B * TR, 0.5)), scale), B, TR));
        in.put("kc", diff(scaled(uniform(r, B * TC, 0, 2), scale), B, TC));
        in.put("kr", diff(scaled(uniform(r, B * TR, 0, 2), scale), B, TR));
        in.put("mc", constant(bernoulli(r, B * TC, 0.75), B, TC));
        in.put("mr", constant(bernoulli(r, B * TR, 0.75), B, TR));
        in.put("w", constant(weights(r, B), B));
        return in;
    }

    private static Map<String, LossCase.In> tokensWithMasks(Random r, double scale) {
        Map<String, LossCase.In> in = tokens(r, scale);
        in.put("uc", diff(scaled(uniform(r, B * TC, 0, 1), scale), B, TC));
        in.put("ur", diff(scaled(uniform(r, B * TR, 0, 1), scale), B, TR));
        in.put("dc", diff(scaled(uniform(r, B * TC, 0, 1), scale), B, TC));
        in.put("dr", diff(scaled(uniform(r, B * TR, 0, 1), scale), B, TR));
        return in;
    }

    static TokenPairLogps tokenLogps(Map<String, NDArray> a) {
        TokenPairLogps l =
                new TokenPairLogps(
                        a.get("pc"),
                        a.get("pr"),
                        a.get("rc"),
                        a.get("rr"),
                        a.get("kc"),
                        a.get("kr"),
                        a.get("mc"),
                        a.get("mr"),
                        null);
        return a.containsKey("uc")
                ? l.withWeights(
                        new TokenWeights(a.get("uc"), a.get("ur"), a.get("dc"), a.get("dr")))
                : l;
    }

    private static LossCase token(
            String name,
            TokenPreferenceObjective o,
            LossCase.Gen gen,
            Function<Map<String, INDArray>, Ref.PerExample> ref) {
        return new LossCase(
                name,
                gen,
                (a, red) -> o.apply(tokenLogps(a), a.get("w"), red).loss(),
                a -> Ref.weightedMean(ref.apply(a), a.get("w")));
    }

    private static void tokenLevel(List<LossCase> c) {
        c.add(
                token(
                        "tdpo1(0.5)",
                        new Tdpo1(0.5),
                        VariantCatalog::tokens,
                        a -> VariantRef.tdpo(a, 0.5, 1, false)));
        c.add(
                token(
                                "tdpo2(0.5,0.3)",
                                new Tdpo2(0.5, 0.3),
                                VariantCatalog::tokens,
                                a -> VariantRef.tdpo(a, 0.5, 0.3, true))
                        // the stop-gradient on the chosen KL is by design invisible to autograd but
                        // not to finite differences; the oracle checks the stopped gradient instead
                        .detachedBatchStatistic());
        c.add(
                token(
                        "sparse-po(0.4)",
                        new SparsePo(0.4),
                        VariantCatalog::tokensWithMasks,
                        a -> VariantRef.sparsePo(a, 0.4)));
        c.add(
                new LossCase(
                        "token-kl",
                        (r, scale) -> {
                            Map<String, LossCase.In> in = LossCase.inputs();
                            in.put("pl", diff(scaled(normal(r, B * V, 2), scale), B, V));
                            in.put("rl", constant(normal(r, B * V, 2), B, V));
                            in.put("w", constant(weights(r, B), B));
                            return in;
                        },
                        (a, red) ->
                                red.reduce(
                                        TokenPreferenceLosses.tokenKl(a.get("pl"), a.get("rl")),
                                        a.get("w")),
                        a -> Ref.weightedMean(VariantRef.tokenKl(a), a.get("w"))));
    }

    // ---------------- labeled and joint ----------------

    /** Summed log-probs as the DPO cases, plus a per-pair label drawn by {@code label}. */
    private static LossCase.Gen labeledInputs(Function<Random, double[]> label) {
        return (r, scale) -> {
            Map<String, LossCase.In> in = LossCase.inputs();
            double[] pc = uniform(r, B, -40, -5);
            double[] pr = uniform(r, B, -40, -5);
            in.put("pc", diff(scaled(pc, scale), B));
            in.put("pr", diff(scaled(pr, scale), B));
            in.put("rc", diff(scaled(plus(pc, normal(r, B, 1)), scale), B));
            in.put("rr", diff(scaled(plus(pr, normal(r, B, 1)), scale), B));
            in.put("nc", integer(ints(r, B, 0, 12), B));
            in.put("nr", integer(ints(r, B, 0, 12), B));
            in.put("label", constant(label.apply(r), B));
            in.put("w", constant(weights(r, B), B));
            return in;
        };
    }

    static PairLogps pairLogps(Map<String, NDArray> a) {
        return new PairLogps(
                a.get("pc"), a.get("pr"), a.get("rc"), a.get("rr"), a.get("nc"), a.get("nr"));
    }

    private static LossCase labeled(
            String name,
            LabeledPairObjective o,
            Function<Random, double[]> label,
            Function<Map<String, INDArray>, Ref.PerExample> ref) {
        return new LossCase(
                name,
                labeledInputs(label),
                (a, red) -> o.apply(pairLogps(a), a.get("label"), a.get("w"), red).loss(),
                a -> Ref.weightedMean(ref.apply(a), a.get("w")));
    }

    private static double[] probabilities(Random r) {
        double[] p = uniform(r, B, 0, 1);
        p[0] = 1;
        p[1] = 0;
        return p;
    }

    private static void labeled(List<LossCase> c) {
        double[] half = VariantRef.constant(B, 0.5);
        c.add(
                labeled(
                        "soft-preference(0.5)",
                        new SoftPreference(0.5),
                        VariantCatalog::probabilities,
                        a -> VariantRef.viaZ(a, half, VariantRef.soft())));
        c.add(
                labeled(
                        "cream(0.5)",
                        new ConsistencyDpo(0.5),
                        VariantCatalog::probabilities,
                        a -> VariantRef.viaZ(a, half, VariantRef.soft())));
        c.add(
                labeled(
                        "irepo(0.5,0.05)",
                        new Irepo(0.5, 0.05),
                        VariantCatalog::probabilities,
                        a -> VariantRef.viaZ(a, half, VariantRef.irepo(0.05))));
        c.add(
                labeled(
                        "mm-dpo(0.5,0.7,0.3)",
                        new DynamicBetaDpo(0.5, 0.7, 0.3),
                        r -> normal(r, B, 2),
                        a ->
                                VariantRef.viaZ(
                                        a,
                                        VariantRef.dynamicBeta(a, 0.5, 0.7, 0.3),
                                        VariantRef.dpo())));
        c.add(
                new LossCase(
                        "jpo(0.5)",
                        labeledInputs(r -> new double[B]),
                        (a, red) ->
                                new JointPairObjective.Jpo(0.5)
                                        .apply(pairLogps(a), a.get("w"), red)
                                        .loss(),
                        a ->
                                Ref.weightedMean(
                                        VariantRef.viaZ(a, half, VariantRef.dpo()), a.get("w"))));
    }

    // ---------------- absolute likelihood and triple ----------------

    private static Map<String, LossCase.In> policyOnly(Random r, double scale) {
        Map<String, LossCase.In> in = labeledInputs(rr -> new double[B]).draw(r, scale);
        in.remove("rc");
        in.remove("rr");
        in.remove("label");
        return in;
    }

    private static Map<String, LossCase.In> triples(Random r, double scale) {
        Map<String, LossCase.In> in = LossCase.inputs();
        in.put("pg", diff(scaled(uniform(r, B, -40, -5), scale), B));
        in.put("pw", diff(scaled(uniform(r, B, -40, -5), scale), B));
        in.put("pl", diff(scaled(uniform(r, B, -40, -5), scale), B));
        in.put("ng", integer(ints(r, B, 0, 12), B));
        in.put("nw", integer(ints(r, B, 0, 12), B));
        in.put("nl", integer(ints(r, B, 0, 12), B));
        in.put("w", constant(weights(r, B), B));
        return in;
    }

    static TripleLogps tripleLogps(Map<String, NDArray> a) {
        return new TripleLogps(
                a.get("pg"), a.get("pw"), a.get("pl"), a.get("ng"), a.get("nw"), a.get("nl"));
    }

    private static void absoluteAndTriple(List<LossCase> c) {
        c.add(
                new LossCase(
                        "asft(0.8,0.3)",
                        VariantCatalog::policyOnly,
                        (a, red) -> new Asft(0.8, 0.3).apply(pairLogps(a), a.get("w"), red).loss(),
                        a -> Ref.weightedMean(VariantRef.asft(a, 0.8, 0.3), a.get("w"))));
        c.add(
                new LossCase(
                        "mapo(0.5,2)",
                        VariantCatalog::policyOnly,
                        (a, red) -> new Mapo(0.5, 2).apply(pairLogps(a), a.get("w"), red).loss(),
                        a -> Ref.weightedMean(VariantRef.mapo(a, 0.5, 2), a.get("w"))));
        c.add(
                new LossCase(
                        "tpo(0.3,0.7)",
                        VariantCatalog::triples,
                        (a, red) -> new Tpo(0.3, 0.7).apply(tripleLogps(a), a.get("w"), red).loss(),
                        a -> Ref.weightedMean(VariantRef.tpo(a, 0.3, 0, 0.7, false), a.get("w"))));
        c.add(
                new LossCase(
                        "tpo-l(2,0.5,0.7)",
                        VariantCatalog::triples,
                        (a, red) ->
                                new TpoLengthNormalized(2, 0.5, 0.7)
                                        .apply(tripleLogps(a), a.get("w"), red)
                                        .loss(),
                        a -> Ref.weightedMean(VariantRef.tpo(a, 2, 0.5, 0.7, true), a.get("w"))));
    }
}
