package dev.reward4j.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.reward4j.losses.PairwisePolicyObjective.ConservativeDpo;
import dev.reward4j.losses.PairwisePolicyObjective.Cpo;
import dev.reward4j.losses.PairwisePolicyObjective.Dpo;
import dev.reward4j.losses.PairwisePolicyObjective.FDivergence;
import dev.reward4j.losses.PairwisePolicyObjective.FDpo;
import dev.reward4j.losses.PairwisePolicyObjective.Hinge;
import dev.reward4j.losses.PairwisePolicyObjective.Ipo;
import dev.reward4j.losses.PairwisePolicyObjective.LengthNormalizedDpo;
import dev.reward4j.losses.PairwisePolicyObjective.Orpo;
import dev.reward4j.losses.PairwisePolicyObjective.RobustDpo;
import dev.reward4j.losses.PairwisePolicyObjective.SimPo;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(NDManagerExtension.class)
class PairwisePolicyLossesTest {
    static final int B = 8;
    NDManager m;

    @BeforeEach
    void open(NDManager manager) {
        m = manager;
    }

    /** Random summed log-probs with token counts 1..12. */
    PairLogps random(long seed) {
        Random r = new Random(seed);
        NDArray pc = m.create(LossCase.uniform(r, B, -40, -5));
        NDArray pr = m.create(LossCase.uniform(r, B, -40, -5));
        NDArray rc = pc.add(m.create(LossCase.normal(r, B, 1)));
        NDArray rr = pr.add(m.create(LossCase.normal(r, B, 1)));
        long[] nc = new long[B];
        long[] nr = new long[B];
        for (int i = 0; i < B; i++) {
            nc[i] = 1 + r.nextInt(12);
            nr[i] = 1 + r.nextInt(12);
        }
        return new PairLogps(pc, pr, rc, rr, m.create(nc), m.create(nr));
    }

    static double mean(PairwisePolicyObjective o, PairLogps p) {
        return o.apply(p, null, Reduction.MEAN).loss().getDouble();
    }

    static Stream<PairwisePolicyObjective> dpoFamily() {
        return Stream.of(
                Dpo.defaults(),
                new ConservativeDpo(0.3, 0.2),
                new RobustDpo(0.3, 0.2),
                new FDpo(0.3, new FDivergence.ReverseKl()),
                new FDpo(0.3, new FDivergence.ForwardKl()),
                new FDpo(0.3, new FDivergence.JensenShannon()),
                new FDpo(0.3, new FDivergence.Alpha(0.5)),
                LengthNormalizedDpo.defaults());
    }

    @Nested
    class Values {
        @ParameterizedTest(name = "{0}")
        @MethodSource("dev.reward4j.losses.PairwisePolicyLossesTest#dpoFamily")
        void equalsLog2WhenPolicyEqualsReference(PairwisePolicyObjective o) {
            PairLogps p = random(1);
            PairLogps same =
                    new PairLogps(
                            p.policyChosen(),
                            p.policyRejected(),
                            p.policyChosen(),
                            p.policyRejected(),
                            p.chosenTokens(),
                            p.rejectedTokens());
            assertEquals(Math.log(2), mean(o, same), 1e-15, o.name());
        }

        @ParameterizedTest
        @ValueSource(longs = {2, 3, 4})
        void conservativeAndRobustDpoWithEpsilonZeroEqualDpo(long seed) {
            PairLogps p = random(seed);
            double dpo = mean(new Dpo(0.4), p);
            assertEquals(dpo, mean(new ConservativeDpo(0.4, 0), p), 0);
            assertEquals(dpo, mean(new RobustDpo(0.4, 0), p), 1e-15);
            assertEquals(dpo, mean(new FDpo(0.4, new FDivergence.ReverseKl()), p), 0);
        }

        @Test
        void ipoIsMinimalWithZeroGradientAtTheTargetMargin() {
            // per-token mean log-ratio difference h; loss (h - 1/(2 beta))^2 is minimal (0) at h =
            // 1/(2 beta) = 2.5
            double beta = 0.2;
            double best = ipoAt(2.5, beta);
            assertEquals(0, best, 1e-24);
            for (double h : new double[] {-1, 0, 2, 2.4, 2.6, 3, 10}) {
                assertTrue(ipoAt(h, beta) > best, "h=" + h);
            }
            NDArray pc = m.create(new double[] {-10 + 2.5 * 4});
            pc.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(new Ipo(beta).apply(ipoInputs(pc), null, Reduction.SUM).loss());
            }
            assertEquals(0, pc.getGradient().getDouble(), 1e-12);
        }

        /** chosen ratio 4h over 4 tokens, rejected ratio 0 -> mean-ratio difference h. */
        double ipoAt(double h, double beta) {
            return mean(new Ipo(beta), ipoInputs(m.create(new double[] {-10 + h * 4})));
        }

        PairLogps ipoInputs(NDArray pc) {
            return new PairLogps(
                    pc,
                    m.create(new double[] {-7}),
                    m.create(new double[] {-10}),
                    m.create(new double[] {-7}),
                    m.create(new long[] {4}),
                    m.create(new long[] {3}));
        }

        @Test
        void hingeIsZeroBeyondTheMarginAndLinearBelow() {
            // beta * (rho_c - rho_r) = 0.5 * 3 = 1.5 >= 1 -> 0;  0.5 * 1 = 0.5 -> 0.5
            NDArray ref = m.create(new double[] {0, 0});
            PairLogps p =
                    PairLogps.of(
                            m.create(new double[] {3, 1}), m.create(new double[] {0, 0}), ref, ref);
            assertArrayEquals(
                    new double[] {0, 0.5},
                    new Hinge(0.5).apply(p, null, Reduction.NONE).loss().toDoubleArray(),
                    1e-15);
        }

        @Test
        void emptyResponsesGiveFiniteLossesAndGradientsNotNan() {
            // trl#1033: length normalisation divides by the token count; 0 tokens must not give NaN
            PairLogps p = random(5);
            NDArray zeros =
                    m.zeros(p.policyChosen().getShape(), ai.djl.ndarray.types.DataType.INT64);
            for (PairwisePolicyObjective o :
                    List.of(
                            Ipo.defaults(),
                            LengthNormalizedDpo.defaults(),
                            SimPo.defaults(),
                            Orpo.defaults(),
                            Dpo.defaults().withChosenNll(1))) {
                NDArray pc = p.policyChosen().duplicate();
                pc.setRequiresGradient(true);
                PairLogps q =
                        new PairLogps(
                                pc,
                                p.policyRejected(),
                                p.referenceChosen(),
                                p.referenceRejected(),
                                zeros,
                                zeros);
                NDArray loss;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    loss = o.apply(q, null, Reduction.MEAN).loss();
                    gc.backward(loss);
                }
                assertTrue(Double.isFinite(loss.getDouble()), o.name());
                for (double g : pc.getGradient().toDoubleArray()) {
                    assertTrue(Double.isFinite(g), o.name());
                }
            }
        }

        @Test
        void chosenNllAddsTheCoefficientTimesTheTokenMeanNll() {
            PairLogps p = random(6);
            double[] pc = p.policyChosen().toDoubleArray();
            long[] nc = p.chosenTokens().toLongArray();
            double nllMean = 0;
            double sum = 0;
            long tokens = 0;
            for (int i = 0; i < B; i++) {
                nllMean += -pc[i] / nc[i] / B;
                sum += -pc[i];
                tokens += nc[i];
            }
            double base = mean(new Cpo(0.1, 0), p);
            assertEquals(base + 0.7 * nllMean, mean(new Cpo(0.1, 0).withChosenNll(0.7), p), 1e-12);
            PairwisePolicyObjective trl =
                    new Cpo(0.1, 0)
                            .withChosenNll(1)
                            .withNormalization(NllNormalization.BATCH_TOKEN_MEAN);
            assertEquals(base + sum / tokens, mean(trl, p), 1e-12);
            PairwiseOutput out = trl.apply(p, null, Reduction.MEAN);
            assertEquals(B, out.chosenNll().getShape().get(0));
            assertNull(new Cpo(0.1, 0).apply(p, null, Reduction.MEAN).chosenNll());
        }

        @Test
        void implicitRewardsAreBetaTimesLogRatios() {
            PairLogps p = random(7);
            PairwiseOutput out = new Dpo(0.25).apply(p, null, Reduction.MEAN);
            double[] expected = p.policyChosen().sub(p.referenceChosen()).mul(0.25).toDoubleArray();
            assertArrayEquals(expected, out.chosenReward().toDoubleArray(), 1e-15);
            double[] margin = out.margin().toDoubleArray();
            double[] acc = out.accuracy().toDoubleArray();
            for (int i = 0; i < B; i++) {
                assertEquals(margin[i] > 0 ? 1 : 0, acc[i], 0);
            }
        }

        @Test
        void simpoWithZeroGammaIsReferenceFreeLengthNormalisedDpo() {
            PairLogps p = random(8);
            PairLogps free =
                    PairLogps.referenceFree(p.policyChosen(), p.policyRejected())
                            .withTokens(p.chosenTokens(), p.rejectedTokens());
            assertEquals(
                    mean(new LengthNormalizedDpo(2), free), mean(new SimPo(2, 0, 0), p), 1e-15);
        }

        @Test
        void inputsAreNotMutated() {
            PairLogps p = random(9);
            double[] before = p.policyChosen().toDoubleArray();
            double[] ref = p.referenceRejected().toDoubleArray();
            dpoFamily().forEach(o -> o.apply(p, m.create(new double[B]).add(1), Reduction.MEAN));
            assertArrayEquals(before, p.policyChosen().toDoubleArray(), 0);
            assertArrayEquals(ref, p.referenceRejected().toDoubleArray(), 0);
        }

        @Test
        void namesAreStableForLogging() {
            assertEquals("f-dpo(js)", new FDpo(0.1, new FDivergence.JensenShannon()).name());
            assertEquals("orpo+nll", Orpo.defaults().withChosenNll(1).name());
        }
    }

    @Nested
    class Validation {
        @Test
        void rejectsMismatchedShapes() {
            PairLogps p = random(10);
            PairLogps bad =
                    PairLogps.of(
                            p.policyChosen(),
                            m.create(new double[3]),
                            p.referenceChosen(),
                            p.referenceRejected());
            Expect.badArgument(
                    () -> mean(Dpo.defaults(), bad),
                    "dpo",
                    "logps.policyRejected",
                    "(3)",
                    "expected (8)");
        }

        @Test
        void rejectsMixedFloatingDtypes() {
            PairLogps p = random(13);
            PairLogps mixed =
                    PairLogps.of(
                            p.policyChosen(),
                            p.policyRejected(),
                            p.referenceChosen()
                                    .toType(ai.djl.ndarray.types.DataType.FLOAT32, false),
                            p.referenceRejected());
            Expect.badArgument(
                    () -> mean(Dpo.defaults(), mixed),
                    "logps.referenceChosen",
                    "float32",
                    "expected float64");
        }

        @Test
        void rejectsIntegerLogProbs() {
            NDArray ints = m.create(new long[] {-3, -4});
            Expect.badArgument(
                    () -> mean(Dpo.defaults(), PairLogps.referenceFree(ints, ints)),
                    "logps.policyChosen",
                    "int64",
                    "expected float");
        }

        @Test
        void rejectsMissingTokenCountsWhereTheyAreNeeded() {
            PairLogps p = random(11);
            PairLogps noTokens =
                    PairLogps.of(
                            p.policyChosen(),
                            p.policyRejected(),
                            p.referenceChosen(),
                            p.referenceRejected());
            Expect.badArgument(
                    () -> mean(Ipo.defaults(), noTokens),
                    "ipo",
                    "logps.chosenTokens",
                    "null",
                    "expected (B) token counts");
            Expect.badArgument(
                    () -> mean(Dpo.defaults().withChosenNll(1), noTokens), "chosenTokens", "null");
        }

        @Test
        void rejectsHalfAReference() {
            PairLogps p = random(12);
            PairLogps half =
                    PairLogps.of(p.policyChosen(), p.policyRejected(), p.referenceChosen(), null);
            Expect.badArgument(
                    () -> mean(Dpo.defaults(), half),
                    "referenceRejected=null",
                    "expected both or neither");
        }

        @Test
        void rejectsNonPositiveBeta() {
            Expect.badArgument(() -> new Dpo(0), "dpo", "beta", "(0.0)", "expected beta > 0");
            Expect.badArgument(() -> new Ipo(-1), "ipo", "beta", "(-1.0)", "> 0");
            Expect.badArgument(() -> new Hinge(0), "hinge", "beta");
            Expect.badArgument(() -> new SimPo(-2, 1, 0), "simpo", "beta");
            Expect.badArgument(() -> new Orpo(0), "orpo", "beta");
            Expect.badArgument(() -> new Cpo(0, 0), "cpo", "beta");
            Expect.badArgument(() -> new LengthNormalizedDpo(0), "ln-dpo", "beta");
            Expect.badArgument(() -> new FDpo(0, new FDivergence.ReverseKl()), "f-dpo", "beta");
            Expect.badArgument(() -> new FDivergence.Alpha(0), "f-dpo", "alpha", "> 0");
        }

        @Test
        void rejectsEpsilonOutsideItsRange() {
            Expect.badArgument(
                    () -> new ConservativeDpo(0.1, 0.6), "cdpo", "epsilon", "(0.6)", "<= 0.5");
            Expect.badArgument(() -> new ConservativeDpo(0.1, -0.1), "epsilon", "(-0.1)", "0.0 <=");
            Expect.badArgument(() -> new RobustDpo(0.1, 0.5), "rdpo", "epsilon", "(0.5)", "< 0.5");
            Expect.badArgument(() -> new SimPo(2, 1, 0.7), "labelSmoothing", "(0.7)");
            Expect.badArgument(() -> new SimPo(2, -1, 0), "gamma", "(-1.0)", ">= 0");
        }

        @Test
        void rejectsNanHyperparameters() {
            Expect.badArgument(
                    () -> new Dpo(Double.NaN), "beta", "NaN", "expected a finite number");
            Expect.badArgument(() -> new RobustDpo(0.1, Double.NaN), "epsilon", "NaN");
            Expect.badArgument(
                    () -> Dpo.defaults().withChosenNll(Double.NaN), "coefficient", "NaN");
            Expect.badArgument(() -> new FDivergence.Alpha(Double.NaN), "alpha", "NaN");
        }

        @Test
        void rejectsNestedNllTermsAndMissingParts() {
            Expect.badArgument(
                    () ->
                            new PairwisePolicyObjective.WithChosenNll(
                                    Dpo.defaults().withChosenNll(1),
                                    1,
                                    NllNormalization.EXAMPLE_TOKEN_MEAN),
                    "base objective",
                    "dpo+nll",
                    "expected");
            Expect.badArgument(() -> new FDpo(0.1, null), "divergence", "null");
        }
    }
}
