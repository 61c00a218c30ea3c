package dev.reward4j.losses;

import static dev.reward4j.losses.LossCase.bernoulli;
import static dev.reward4j.losses.LossCase.constant;
import static dev.reward4j.losses.LossCase.diff;
import static dev.reward4j.losses.LossCase.normal;
import static dev.reward4j.losses.LossCase.scaled;
import static dev.reward4j.losses.LossCase.uniform;
import static dev.reward4j.losses.LossCase.weights;

import dev.reward4j.losses.AutoregressiveRewardObjective.GenArm;
import dev.reward4j.losses.IdealPointObjective.PalA;
import dev.reward4j.losses.MixtureObjective.MixtureBt;
import dev.reward4j.losses.MixtureObjective.ResponsibilityBt;
import dev.reward4j.losses.PreferenceEmbeddingObjective.GeneralPreference;
import dev.reward4j.losses.StepObjective.StepBce;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The research objectives (preference embeddings, mixtures of BT heads, ideal points, process
 * rewards, autoregressive rewards) as {@link LossCase}s for the catalogue harness: each is checked
 * against {@link ResearchRef} in value and gradient on 20 seeds, against central differences, and
 * for the generic reduction, masking and numerics properties.
 */
final class ResearchLossCases {
    static final int B = LossCatalog.B;

    /** Heads / prototypes; differs from B so that shared (K, D) inputs are never taken as rows. */
    static final int K = 3;

    static final int D = 4;
    static final int S = 5;

    private ResearchLossCases() {}

    static void addTo(List<LossCase> c) {
        c.add(gpm("gpm(k=1)", 1, false, 1.0));
        c.add(gpm("gpm(k=2,gate,tau=0.5)", 2, true, 0.5));
        c.add(mixture("mixture-bt(router)", true));
        c.add(mixture("mixture-bt(uniform)", false));
        c.add(responsibility());
        c.add(palA());
        c.add(stepBce());
        c.add(genArm());
    }

    private static LossCase gpm(String name, int k, boolean gate, double tau) {
        GeneralPreference o = new GeneralPreference(tau);
        return new LossCase(
                name,
                (r, scale) -> {
                    Map<String, LossCase.In> in = LossCase.inputs();
                    in.put("ec", diff(scaled(normal(r, B * 2 * k, 1), scale), B, 2 * k));
                    in.put("er", diff(scaled(normal(r, B * 2 * k, 1), scale), B, 2 * k));
                    if (gate) {
                        in.put("g", diff(scaled(normal(r, B * k, 1), scale), B, k));
                    }
                    in.put("w", constant(weights(r, B), B));
                    return in;
                },
                (a, red) -> {
                    EmbeddingPair p = EmbeddingPair.of(a.get("ec"), a.get("er"));
                    return o.apply(gate ? p.withGate(a.get("g")) : p, a.get("w"), red).loss();
                },
                a -> ResearchRef.gpm(a.get("ec"), a.get("er"), a.get("g"), a.get("w"), tau));
    }

    private static LossCase mixture(String name, boolean router) {
        return new LossCase(
                name,
                (r, scale) -> {
                    Map<String, LossCase.In> in = heads(r, scale);
                    if (router) {
                        in.put("a", diff(scaled(normal(r, B * K, 1.5), scale), B, K));
                    }
                    in.put("w", constant(weights(r, B), B));
                    return in;
                },
                (a, red) -> {
                    HeadPair p = HeadPair.of(a.get("rc"), a.get("rr"));
                    return new MixtureBt()
                            .apply(router ? p.withRouterLogits(a.get("a")) : p, a.get("w"), red)
                            .loss();
                },
                a -> ResearchRef.mixture(a.get("rc"), a.get("rr"), a.get("a"), a.get("w")));
    }

    private static LossCase responsibility() {
        return new LossCase(
                "responsibility-bt",
                (r, scale) -> {
                    Map<String, LossCase.In> in = heads(r, scale);
                    double[] rho = uniform(r, B * K, 0, 1);
                    for (int b = 0; b < B; b++) {
                        double sum = 0;
                        for (int k = 0; k < K; k++) {
                            sum += rho[b * K + k];
                        }
                        for (int k = 0; k < K; k++) {
                            rho[b * K + k] /= sum;
                        }
                    }
                    in.put("rho", constant(rho, B, K));
                    in.put("w", constant(weights(r, B), B));
                    return in;
                },
                (a, red) ->
                        new ResponsibilityBt()
                                .apply(
                                        HeadPair.of(a.get("rc"), a.get("rr"))
                                                .withResponsibilities(a.get("rho")),
                                        a.get("w"),
                                        red)
                                .loss(),
                a ->
                        ResearchRef.responsibility(
                                a.get("rc"), a.get("rr"), a.get("rho"), a.get("w")));
    }

    private static Map<String, LossCase.In> heads(Random r, double scale) {
        Map<String, LossCase.In> in = LossCase.inputs();
        in.put("rc", diff(scaled(normal(r, B * K, 2), scale), B, K));
        in.put("rr", diff(scaled(normal(r, B * K, 2), scale), B, K));
        return in;
    }

    private static LossCase palA() {
        double tau = 0.7;
        return new LossCase(
                "pal-a(tau=0.7)",
                (r, scale) -> {
                    Map<String, LossCase.In> in = LossCase.inputs();
                    in.put("fc", diff(scaled(normal(r, B * D, 1), scale), B, D));
                    in.put("fr", diff(scaled(normal(r, B * D, 1), scale), B, D));
                    in.put("p", diff(scaled(normal(r, K * D, 1), scale), K, D));
                    in.put("u", diff(scaled(normal(r, B * K, 1), scale), B, K));
                    in.put("w", constant(weights(r, B), B));
                    return in;
                },
                (a, red) ->
                        new PalA(tau)
                                .apply(
                                        new IdealPointPair(
                                                a.get("fc"), a.get("fr"), a.get("p"), a.get("u")),
                                        a.get("w"),
                                        red)
                                .loss(),
                a ->
                        ResearchRef.palA(
                                a.get("fc"), a.get("fr"), a.get("p"), a.get("u"), a.get("w"), tau));
    }

    private static LossCase stepBce() {
        return new LossCase(
                "prm-step-bce",
                (r, scale) -> {
                    Map<String, LossCase.In> in = LossCase.inputs();
                    in.put("z", diff(scaled(normal(r, B * S, 2), scale), B, S));
                    in.put("y", constant(uniform(r, B * S, 0, 1), B, S));
                    in.put("m", constant(bernoulli(r, B * S, 0.7), B, S));
                    in.put("w", constant(weights(r, B), B));
                    return in;
                },
                (a, red) ->
                        new StepBce()
                                .apply(
                                        new StepScores(a.get("z"), a.get("y"), a.get("m")),
                                        a.get("w"),
                                        red)
                                .loss(),
                a -> ResearchRef.stepBce(a.get("z"), a.get("y"), a.get("m"), a.get("w")));
    }

    private static LossCase genArm() {
        double beta = 0.5;
        return new LossCase(
                "genarm(beta_r=0.5)",
                (r, scale) -> {
                    Map<String, LossCase.In> in = LossCase.inputs();
                    in.put("pc", diff(scaled(uniform(r, B, -40, -5), scale), B));
                    in.put("pr", diff(scaled(uniform(r, B, -40, -5), scale), B));
                    in.put("w", constant(weights(r, B), B));
                    return in;
                },
                (a, red) ->
                        new GenArm(beta)
                                .apply(
                                        PairLogps.referenceFree(a.get("pc"), a.get("pr")),
                                        a.get("w"),
                                        red)
                                .loss(),
                a -> ResearchRef.genArm(a.get("pc"), a.get("pr"), a.get("w"), beta));
    }
}
