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
import dev.reward4j.losses.ListwiseObjective.AllPairsBt;
import dev.reward4j.losses.ListwiseObjective.LipoLambda;
import dev.reward4j.losses.ListwiseObjective.ListNet;
import dev.reward4j.losses.ListwiseObjective.PlackettLuce;
import dev.reward4j.losses.ListwiseObjective.Pro;
import dev.reward4j.losses.PairwisePolicyObjective.Aot;
import dev.reward4j.losses.PairwisePolicyObjective.AotUnpaired;
import dev.reward4j.losses.PairwisePolicyObjective.ApoDown;
import dev.reward4j.losses.PairwisePolicyObjective.ApoZero;
import dev.reward4j.losses.PairwisePolicyObjective.BcoPair;
import dev.reward4j.losses.PairwisePolicyObjective.Combination;
import dev.reward4j.losses.PairwisePolicyObjective.ConservativeDpo;
import dev.reward4j.losses.PairwisePolicyObjective.Cpo;
import dev.reward4j.losses.PairwisePolicyObjective.DiscoPop;
import dev.reward4j.losses.PairwisePolicyObjective.Dpo;
import dev.reward4j.losses.PairwisePolicyObjective.ExoPair;
import dev.reward4j.losses.PairwisePolicyObjective.FDivergence;
import dev.reward4j.losses.PairwisePolicyObjective.FDpo;
import dev.reward4j.losses.PairwisePolicyObjective.Hinge;
import dev.reward4j.losses.PairwisePolicyObjective.Ipo;
import dev.reward4j.losses.PairwisePolicyObjective.LengthNormalizedDpo;
import dev.reward4j.losses.PairwisePolicyObjective.NcaPair;
import dev.reward4j.losses.PairwisePolicyObjective.Orpo;
import dev.reward4j.losses.PairwisePolicyObjective.RobustDpo;
import dev.reward4j.losses.PairwisePolicyObjective.Sft;
import dev.reward4j.losses.PairwisePolicyObjective.SimPo;
import dev.reward4j.losses.PairwisePolicyObjective.SppoHard;
import dev.reward4j.losses.RewardModelObjective.BradleyTerry;
import dev.reward4j.losses.RewardModelObjective.BtDirectReward;
import dev.reward4j.losses.RewardModelObjective.RaoKupper;
import dev.reward4j.losses.RewardModelObjective.ScaledBt;
import dev.reward4j.losses.RewardModelObjective.SoftLabelBt;
import dev.reward4j.losses.UnpairedObjective.Bco;
import dev.reward4j.losses.UnpairedObjective.Kto;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Every objective of the catalogue as a {@link LossCase} (the single oracle harness input). */
final class LossCatalog {
    static final int B = 6;
    static final int LISTS = 4;
    static final int K = 5;

    private LossCatalog() {}

    static List<LossCase> all() {
        List<LossCase> c = new ArrayList<>();
        rewardModel(c);
        policy(c);
        trlCatalogue(c);
        trlOptions(c);
        unpaired(c);
        listwise(c);
        ResearchLossCases.addTo(c);
        VariantCatalog.addTo(c);
        return c;
    }

    // ---------------- reward model ----------------

    private static Map<String, LossCase.In> rewards(Random r, double scale) {
        Map<String, LossCase.In> in = LossCase.inputs();
        in.put("rc", diff(scaled(normal(r, B, 2), scale), B));
        in.put("rr", diff(scaled(normal(r, B, 2), scale), B));
        in.put("margin", constant(uniform(r, B, 0, 1), B));
        in.put("strength", constant(uniform(r, B, -3, 3), B));
        in.put("prob", constant(uniform(r, B, 0, 1), B));
        in.put("tie", constant(bernoulli(r, B, 0.4), B));
        in.put("w", constant(weights(r, B), B));
        return in;
    }

    private static RewardPair pair(Map<String, NDArray> a) {
        return RewardPair.of(a.get("rc"), a.get("rr"));
    }

    private static void rewardModel(List<LossCase> c) {
        c.add(
                rm(
                        "bt",
                        BradleyTerry.defaults(),
                        false,
                        a -> Ref.bt(a.get("rc"), a.get("rr"), a.get("rc").mul(0), 0, 0)));
        c.add(
                rm(
                        "bt(margin,eps=0.1,center=0.05)",
                        new BradleyTerry(0.1, 0.05),
                        true,
                        a -> Ref.bt(a.get("rc"), a.get("rr"), a.get("margin"), 0.1, 0.05)));
        c.add(
                rm(
                        "bt-direct(k=0.7)",
                        new BtDirectReward(0.7),
                        true,
                        a -> Ref.btDirect(a.get("rc"), a.get("rr"), a.get("margin"), 0.7)));
        c.add(
                new LossCase(
                        "scaled-bt",
                        LossCatalog::rewards,
                        (a, red) ->
                                new ScaledBt()
                                        .apply(
                                                pair(a).withMargin(a.get("strength")),
                                                a.get("w"),
                                                red)
                                        .loss(),
                        a ->
                                Ref.weightedMean(
                                        Ref.scaledBt(a.get("rc"), a.get("rr"), a.get("strength")),
                                        a.get("w"))));
        c.add(
                new LossCase(
                        "soft-bt",
                        LossCatalog::rewards,
                        (a, red) ->
                                new SoftLabelBt()
                                        .apply(
                                                pair(a).withProbability(a.get("prob")),
                                                a.get("w"),
                                                red)
                                        .loss(),
                        a ->
                                Ref.weightedMean(
                                        Ref.softBt(a.get("rc"), a.get("rr"), a.get("prob")),
                                        a.get("w"))));
        c.add(
                new LossCase(
                        "rao-kupper(nu=0.8)",
                        LossCatalog::rewards,
                        (a, red) ->
                                new RaoKupper(0.8)
                                        .apply(pair(a).withTie(a.get("tie")), a.get("w"), red)
                                        .loss(),
                        a ->
                                Ref.weightedMean(
                                        Ref.raoKupper(a.get("rc"), a.get("rr"), a.get("tie"), 0.8),
                                        a.get("w"))));
        c.add(
                new LossCase(
                        "regression",
                        (r, scale) -> {
                            Map<String, LossCase.In> in = LossCase.inputs();
                            in.put("pred", diff(scaled(normal(r, B * 4, 2), scale), B, 4));
                            in.put("target", constant(normal(r, B * 4, 2), B, 4));
                            in.put("mask", constant(bernoulli(r, B * 4, 0.7), B, 4));
                            in.put("w", constant(weights(r, B), B));
                            return in;
                        },
                        (a, red) ->
                                RewardModelLosses.multiAttributeRegression(
                                                a.get("pred"),
                                                a.get("target"),
                                                a.get("mask"),
                                                a.get("w"),
                                                red)
                                        .loss(),
                        a ->
                                Ref.regression(
                                        a.get("pred"),
                                        a.get("target"),
                                        a.get("mask"),
                                        a.get("w"))));
    }

    private static LossCase rm(
            String name,
            RewardModelObjective o,
            boolean margin,
            Function<Map<String, INDArray>, Ref.PerExample> ref) {
        return new LossCase(
                name,
                LossCatalog::rewards,
                (a, red) ->
                        o.apply(
                                        margin ? pair(a).withMargin(a.get("margin")) : pair(a),
                                        a.get("w"),
                                        red)
                                .loss(),
                a -> Ref.weightedMean(ref.apply(a), a.get("w")));
    }

    // ---------------- pairwise policy ----------------

    /** Summed log-probs: policy in [-40, -5], reference = policy + N(0, 1); counts 0..12. */
    private static Map<String, LossCase.In> logps(Random r, double scale) {
        Map<String, LossCase.In> in = LossCase.inputs();
        double[] pc = uniform(r, B, -40, -5);
        double[] pr = uniform(r, B, -40, -5);
        in.put("pc", diff(scaled(pc, scale), B));
        in.put("pr", diff(scaled(pr, scale), B));
        in.put("rc", diff(scaled(plus(pc, normal(r, B, 1)), scale), B));
        in.put("rr", diff(scaled(plus(pr, normal(r, B, 1)), scale), B));
        in.put("nc", integer(ints(r, B, 0, 12), B));
        in.put("nr", integer(ints(r, B, 0, 12), B));
        in.put("w", constant(weights(r, B), B));
        return in;
    }

    /** Reference-free inputs (SimPO, ORPO, CPO): no rc/rr. */
    private static Map<String, LossCase.In> policyOnly(Random r, double scale) {
        Map<String, LossCase.In> in = logps(r, scale);
        in.remove("rc");
        in.remove("rr");
        return in;
    }

    private static PairLogps pairLogps(Map<String, NDArray> a) {
        return new PairLogps(
                a.get("pc"), a.get("pr"), a.get("rc"), a.get("rr"), a.get("nc"), a.get("nr"));
    }

    private static Ref.Pol pol(Map<String, INDArray> a) {
        INDArray zero = a.get("pc").mul(0);
        return new Ref.Pol(
                a.get("pc"),
                a.get("pr"),
                a.getOrDefault("rc", zero),
                a.getOrDefault("rr", zero),
                a.get("nc"),
                a.get("nr"));
    }

    private static LossCase policy(
            String name,
            PairwisePolicyObjective o,
            boolean refFree,
            Function<Ref.Pol, Ref.PerExample> ref) {
        return new LossCase(
                name,
                refFree ? LossCatalog::policyOnly : LossCatalog::logps,
                (a, red) -> o.apply(pairLogps(a), a.get("w"), red).loss(),
                a -> {
                    Ref.PerExample p = ref.apply(pol(a));
                    if (refFree) {
                        p.partials().remove("rc");
                        p.partials().remove("rr");
                    }
                    return Ref.weightedMean(p, a.get("w"));
                });
    }

    private static void policy(List<LossCase> c) {
        c.add(policy("dpo(0.5)", new Dpo(0.5), false, p -> Ref.cdpo(p, 0.5, 0)));
        c.add(policy("dpo(0.5,reference-free)", new Dpo(0.5), true, p -> Ref.cdpo(p, 0.5, 0)));
        c.add(
                policy(
                        "cdpo(0.5,0.2)",
                        new ConservativeDpo(0.5, 0.2),
                        false,
                        p -> Ref.cdpo(p, 0.5, 0.2)));
        c.add(policy("rdpo(0.5,0.2)", new RobustDpo(0.5, 0.2), false, p -> Ref.rdpo(p, 0.5, 0.2)));
        c.add(policy("ipo(0.3)", new Ipo(0.3), false, p -> Ref.ipo(p, 0.3)));
        c.add(policy("hinge(0.4)", new Hinge(0.4), false, p -> Ref.hinge(p, 0.4)));
        c.add(
                policy(
                        "f-dpo(reverse-kl)",
                        new FDpo(0.5, new FDivergence.ReverseKl()),
                        false,
                        p -> Ref.fdpo(p, 0.5, "rkl", 0)));
        c.add(
                policy(
                        "f-dpo(forward-kl)",
                        new FDpo(0.3, new FDivergence.ForwardKl()),
                        false,
                        p -> Ref.fdpo(p, 0.3, "fkl", 0)));
        c.add(
                policy(
                        "f-dpo(js)",
                        new FDpo(0.5, new FDivergence.JensenShannon()),
                        false,
                        p -> Ref.fdpo(p, 0.5, "js", 0)));
        c.add(
                policy(
                        "f-dpo(alpha=0.5)",
                        new FDpo(0.3, new FDivergence.Alpha(0.5)),
                        false,
                        p -> Ref.fdpo(p, 0.3, "alpha", 0.5)));
        c.add(policy("ln-dpo(2)", new LengthNormalizedDpo(2), false, p -> Ref.lnDpo(p, 2)));
        c.add(
                policy(
                        "simpo(0.3,1,0.1)",
                        new SimPo(0.3, 1.0, 0.1),
                        true,
                        p -> Ref.simpo(p, 0.3, 1.0, 0.1)));
        c.add(policy("orpo(0.2)", new Orpo(0.2), true, p -> Ref.orpo(p, 0.2)));
        c.add(policy("cpo(0.1,0.05)", new Cpo(0.1, 0.05), true, p -> Ref.cpo(p, 0.1, 0.05)));
        c.add(
                policy(
                        "dpo+nll(0.7,example)",
                        new Dpo(0.5).withChosenNll(0.7),
                        false,
                        p -> Ref.plusNll(Ref.cdpo(p, 0.5, 0), p, 0.7, false)));
        c.add(
                policy(
                        "orpo+nll(1,batch)",
                        new Orpo(0.2)
                                .withChosenNll(1.0)
                                .withNormalization(NllNormalization.BATCH_TOKEN_MEAN),
                        true,
                        p -> Ref.plusNll(Ref.orpo(p, 0.2), p, 1.0, true)));
        c.add(
                policy(
                        "cpo+nll(1,example)",
                        Cpo.defaults().withChosenNll(1.0),
                        true,
                        p -> Ref.plusNll(Ref.cpo(p, 0.1, 0), p, 1.0, false)));
    }

    /** The TRL catalogue (DPOTrainer loss types, AlphaPO, ORPO's prompt+response NLL, MPO). */
    private static void trlCatalogue(List<LossCase> c) {
        c.add(
                policy(
                        "f-dpo(alpha-power=0.5)",
                        new FDpo(0.3, new FDivergence.AlphaPower(0.5)),
                        false,
                        p -> Ref.fdpoPower(p, 0.3, 0.5)));
        c.add(
                policy(
                        "f-dpo(alpha-power=1.6)",
                        new FDpo(0.3, new FDivergence.AlphaPower(1.6)),
                        false,
                        p -> Ref.fdpoPower(p, 0.3, 1.6)));
        c.add(
                policy(
                        "cpo(alphapo=0.03)",
                        new Cpo(0.1, 0.05, 0.03),
                        true,
                        p -> Ref.cpoAlpha(p, 0.1, 0.05, 0.03)));
        c.add(
                policy(
                        "exo_pair(0.5,0.01)",
                        new ExoPair(0.5, 0.01),
                        false,
                        p -> Ref.exo(p, 0.5, 0.01)));
        c.add(policy("exo_pair(defaults)", ExoPair.defaults(), false, p -> Ref.exo(p, 0.1, 1e-3)));
        c.add(policy("nca_pair(0.5)", new NcaPair(0.5), false, p -> Ref.nca(p, 0.5)));
        c.add(policy("bco_pair(0.5)", new BcoPair(0.5), false, p -> Ref.bcoPair(p, 0.5)));
        c.add(policy("sppo_hard(0.5)", new SppoHard(0.5), false, p -> Ref.sppo(p, 0.5)));
        c.add(policy("apo_zero(0.5)", new ApoZero(0.5), false, p -> Ref.apoZero(p, 0.5)));
        c.add(policy("apo_down(0.5)", new ApoDown(0.5), false, p -> Ref.apoDown(p, 0.5)));
        c.add(
                policy(
                        "discopop(0.5,0.05)",
                        new DiscoPop(0.5, 0.05),
                        false,
                        p -> Ref.discoPop(p, 0.5, 0.05)));
        c.add(
                policy(
                        "discopop(0.2,1.5)",
                        new DiscoPop(0.2, 1.5),
                        false,
                        p -> Ref.discoPop(p, 0.2, 1.5)));
        c.add(aot("aot(0.5,0.1)", new Aot(0.5, 0.1), true));
        c.add(aot("aot_unpaired(0.5,0)", new AotUnpaired(0.5, 0), false));
        c.add(
                new LossCase(
                        "sft",
                        (r, scale) -> {
                            Map<String, LossCase.In> in = policyOnly(r, scale);
                            in.put("pr", constant(in.get("pr").data(), B));
                            return in;
                        },
                        (a, red) -> new Sft().apply(pairLogps(a), a.get("w"), red).loss(),
                        a -> Ref.weightedMean(Ref.sft(pol(a)), a.get("w"))));
        Combination mpo =
                new Combination(
                        List.of(new Dpo(0.5), new BcoPair(0.5), new Sft()), List.of(0.8, 0.2, 1.0));
        c.add(
                policy(
                        "combined(dpo,bco_pair,sft)",
                        mpo,
                        false,
                        p ->
                                Ref.combine(
                                        new double[] {0.8, 0.2, 1.0},
                                        Ref.cdpo(p, 0.5, 0),
                                        Ref.bcoPair(p, 0.5),
                                        Ref.sft(p))));
        c.add(
                new LossCase(
                        "orpo+nll(prompt+response)",
                        (r, scale) -> {
                            Map<String, LossCase.In> in = policyOnly(r, scale);
                            in.put("pp", diff(scaled(uniform(r, B, -60, -5), scale), B));
                            in.put("np", integer(ints(r, B, 0, 9), B));
                            return in;
                        },
                        (a, red) ->
                                Orpo.trl()
                                        .apply(
                                                pairLogps(a)
                                                        .withChosenPrompt(a.get("pp"), a.get("np")),
                                                a.get("w"),
                                                red)
                                        .loss(),
                        a ->
                                Ref.weightedMean(
                                        Ref.plusPromptNll(
                                                Ref.orpo(pol(a), 0.1),
                                                pol(a),
                                                a.get("pp"),
                                                a.get("np"),
                                                1.0),
                                        a.get("w"))));
    }

    /** WPO and LD-DPO wrappers. */
    private static void trlOptions(List<LossCase> c) {
        for (double max : new double[] {Double.POSITIVE_INFINITY, 1.0}) {
            c.add(
                    new LossCase(
                            "wpo(dpo,max=" + max + ")",
                            (r, scale) -> {
                                Map<String, LossCase.In> in = logps(r, scale);
                                in.put("ac", constant(uniform(r, B, -2, 0.6), B));
                                in.put("ar", constant(uniform(r, B, -2, 0.6), B));
                                return in;
                            },
                            (a, red) ->
                                    new PairwisePolicyObjective.Wpo(new Dpo(0.5), max)
                                            .apply(
                                                    pairLogps(a)
                                                            .withAligned(
                                                                    new PairLogps.Aligned(
                                                                            a.get("ac"),
                                                                            a.get("ar"))),
                                                    a.get("w"),
                                                    red)
                                            .loss(),
                            a ->
                                    Ref.weightedMean(
                                            Ref.wpo(
                                                    Ref.cdpo(pol(a), 0.5, 0),
                                                    a.get("ac"),
                                                    a.get("ar"),
                                                    max),
                                            a.get("w"))));
        }
        c.add(
                new LossCase(
                        "ld(dpo,alpha=0.3)",
                        (r, scale) -> {
                            Map<String, LossCase.In> in = logps(r, scale);
                            for (String k : new String[] {"tpc", "tpr", "trc", "trr"}) {
                                in.put(k, diff(scaled(uniform(r, B, -8, 0), scale), B));
                            }
                            return in;
                        },
                        (a, red) ->
                                new PairwisePolicyObjective.LengthDesensitized(new Dpo(0.5), 0.3)
                                        .apply(
                                                pairLogps(a)
                                                        .withTails(
                                                                new PairLogps.Tails(
                                                                        a.get("tpc"),
                                                                        a.get("tpr"),
                                                                        a.get("trc"),
                                                                        a.get("trr"))),
                                                a.get("w"),
                                                red)
                                        .loss(),
                        a ->
                                Ref.weightedMean(
                                        Ref.ld(
                                                p -> Ref.cdpo(p, 0.5, 0),
                                                pol(a),
                                                a.get("tpc"),
                                                a.get("tpr"),
                                                a.get("trc"),
                                                a.get("trr"),
                                                0.3),
                                        a.get("w"))));
    }

    private static LossCase aot(String name, PairwisePolicyObjective o, boolean paired) {
        double beta = o instanceof Aot a ? a.beta() : ((AotUnpaired) o).beta();
        double eps = o instanceof Aot a ? a.labelSmoothing() : ((AotUnpaired) o).labelSmoothing();
        return new LossCase(
                name,
                LossCatalog::logps,
                (a, red) -> o.apply(pairLogps(a), a.get("w"), red).loss(),
                a -> Ref.aot(pol(a), a.get("w"), beta, eps, paired));
    }

    // ---------------- unpaired ----------------

    private static Map<String, LossCase.In> unpairedInputs(Random r, double scale) {
        Map<String, LossCase.In> in = LossCase.inputs();
        double[] pol = uniform(r, B, -40, -5);
        double[] des = bernoulli(r, B, 0.5);
        des[0] = 1;
        des[1] = 0;
        in.put("pol", diff(scaled(pol, scale), B));
        in.put("ref", diff(scaled(plus(pol, normal(r, B, 1.5)), scale), B));
        in.put("des", constant(des, B));
        double[] klp = uniform(r, B, -40, -5);
        double shift = r.nextGaussian();
        double[] noise = normal(r, B, 1);
        for (int i = 0; i < B; i++) {
            noise[i] += shift;
        }
        in.put("klp", constant(scaled(klp, scale), B));
        in.put("klr", constant(scaled(plus(klp, noise), scale), B));
        in.put("w", constant(weights(r, B), B));
        return in;
    }

    private static void unpaired(List<LossCase> c) {
        Kto kto = new Kto(0.3, 1.2, 0.8);
        c.add(
                new LossCase(
                        "kto(0.3,1.2,0.8)",
                        LossCatalog::unpairedInputs,
                        (a, red) ->
                                UnpairedLosses.kto(
                                                new UnpairedLogps(
                                                        a.get("pol"), a.get("ref"), a.get("des")),
                                                a.get("klp"),
                                                a.get("klr"),
                                                kto,
                                                a.get("w"),
                                                red)
                                        .loss(),
                        a ->
                                Ref.weightedMean(
                                        Ref.kto(
                                                a.get("pol"),
                                                a.get("ref"),
                                                a.get("des"),
                                                a.get("klp"),
                                                a.get("klr"),
                                                0.3,
                                                1.2,
                                                0.8),
                                        a.get("w"))));
        c.add(
                new LossCase(
                        "apo_zero_unpaired(0.3,1.2,0.8)",
                        LossCatalog::unpairedInputs,
                        (a, red) ->
                                new UnpairedObjective.ApoZeroUnpaired(0.3, 1.2, 0.8)
                                        .apply(
                                                new UnpairedLogps(
                                                        a.get("pol"), a.get("ref"), a.get("des")),
                                                a.get("w"),
                                                red)
                                        .loss(),
                        a ->
                                Ref.weightedMean(
                                        Ref.apoZeroUnpaired(
                                                a.get("pol"),
                                                a.get("ref"),
                                                a.get("des"),
                                                0.3,
                                                1.2,
                                                0.8),
                                        a.get("w"))));
        c.add(bco("bco(0.4)", new BcoState(0.3, 5)).detachedBatchStatistic());
        c.add(
                new LossCase(
                        "bco(0.4,udm,frozen-shift)",
                        (r, scale) -> {
                            Map<String, LossCase.In> in = unpairedInputs(r, scale);
                            in.put("u", constant(uniform(r, B, 0.5, 10), B));
                            return in;
                        },
                        (a, red) ->
                                UnpairedLosses.bco(
                                                new UnpairedLogps(
                                                        a.get("pol"), a.get("ref"), a.get("des")),
                                                new BcoState(-0.2, 0x1p52),
                                                new Bco(0.4).withUdm(true),
                                                a.get("u"),
                                                a.get("w"),
                                                red)
                                        .output()
                                        .loss(),
                        a -> {
                            Ref.PerExample p =
                                    Ref.bco(
                                            a.get("pol"),
                                            a.get("ref"),
                                            a.get("des"),
                                            a.get("w"),
                                            0.4,
                                            -0.2,
                                            0x1p52);
                            Map<String, INDArray> g = new java.util.LinkedHashMap<>();
                            p.partials().forEach((k, v) -> g.put(k, v.mul(a.get("u"))));
                            return Ref.weightedMean(
                                    new Ref.PerExample(p.loss().mul(a.get("u")), g), a.get("w"));
                        }));
        // a state with a huge count: the shift is (numerically) frozen, so central differences
        // apply
        c.add(bco("bco(0.4,frozen-shift)", new BcoState(-0.2, 0x1p52)));
    }

    private static LossCase bco(String name, BcoState state) {
        return new LossCase(
                name,
                LossCatalog::unpairedInputs,
                (a, red) ->
                        UnpairedLosses.bco(
                                        new UnpairedLogps(a.get("pol"), a.get("ref"), a.get("des")),
                                        state,
                                        new Bco(0.4),
                                        a.get("w"),
                                        red)
                                .output()
                                .loss(),
                a ->
                        Ref.weightedMean(
                                Ref.bco(
                                        a.get("pol"),
                                        a.get("ref"),
                                        a.get("des"),
                                        a.get("w"),
                                        0.4,
                                        state.mean(),
                                        state.count()),
                                a.get("w")));
    }

    // ---------------- listwise ----------------

    /** Scores N(0, 2); integer grades 0..4 (ties on purpose); 2..K valid items per list. */
    static Map<String, LossCase.In> lists(Random r, double scale) {
        Map<String, LossCase.In> in = LossCase.inputs();
        in.put("s", diff(scaled(normal(r, LISTS * K, 2), scale), LISTS, K));
        in.put("y", constant(ints(r, LISTS * K, 0, 4), LISTS, K));
        double[] mask = new double[LISTS * K];
        for (int b = 0; b < LISTS; b++) {
            int valid = 2 + r.nextInt(K - 1);
            for (int k = 0; k < valid; k++) {
                mask[b * K + k] = 1;
            }
            // shuffle the valid slots within the row so padding is not always at the end
            for (int k = K - 1; k > 0; k--) {
                int j = r.nextInt(k + 1);
                double t = mask[b * K + k];
                mask[b * K + k] = mask[b * K + j];
                mask[b * K + j] = t;
            }
        }
        in.put("m", constant(mask, LISTS, K));
        in.put("w", constant(weights(r, LISTS), LISTS));
        return in;
    }

    private static LossCase list(String name, ListwiseObjective o, Ref.ListFn fn) {
        return new LossCase(
                name,
                LossCatalog::lists,
                (a, red) -> o.apply(a.get("s"), a.get("y"), a.get("m"), a.get("w"), red).loss(),
                a ->
                        Ref.weightedMean(
                                Ref.listwise(a.get("s"), a.get("y"), a.get("m"), fn), a.get("w")));
    }

    private static void listwise(List<LossCase> c) {
        c.add(list("plackett-luce", new PlackettLuce(), Ref::plackettLuce));
        c.add(list("listnet(0.7)", new ListNet(0.7), Ref.listNet(0.7)));
        c.add(list("lipo-lambda", new LipoLambda(), Ref::lipo));
        c.add(list("pro", new Pro(), Ref::pro));
        c.add(list("all-pairs-bt", new AllPairsBt(), Ref::allPairs));
    }
}
