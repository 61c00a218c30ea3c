package dev.reward4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
import dev.reward4j.losses.PairwisePolicyObjective.NcaPair;
import dev.reward4j.losses.PairwisePolicyObjective.Orpo;
import dev.reward4j.losses.PairwisePolicyObjective.Sft;
import dev.reward4j.losses.PairwisePolicyObjective.SppoHard;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Closed-form properties and hand-computed values of TRL's loss catalogue, the f-DPO alpha forms
 * and ORPO's NLL over prompt and response tokens.
 */
@ExtendWith(NDManagerExtension.class)
class TrlCatalogueTest {
    static final int B = 6;
    NDManager m;

    @BeforeEach
    void open(NDManager manager) {
        m = manager;
    }

    PairLogps random(long seed) {
        Random r = new Random(seed);
        NDArray pc = m.create(LossCase.uniform(r, B, -40, -5));
        NDArray pr = m.create(LossCase.uniform(r, B, -40, -5));
        NDArray rc = pc.add(m.create(LossCase.normal(r, B, 1)));
        NDArray rr = pr.add(m.create(LossCase.normal(r, B, 1)));
        return new PairLogps(pc, pr, rc, rr, m.create(new long[] {3, 1, 4, 1, 5, 9}), null);
    }

    /** Log-probs with chosen log-ratios {@code rc} and rejected log-ratios {@code rr}. */
    PairLogps ratios(double[] rc, double[] rr) {
        NDArray ref = m.create(new double[rc.length]).sub(20);
        return PairLogps.of(m.create(rc).add(ref), m.create(rr).add(ref), ref, ref);
    }

    static double[] loss(PairwisePolicyObjective o, PairLogps p) {
        return o.apply(p, null, Reduction.NONE).loss().toDoubleArray();
    }

    static double sig(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    @Nested
    class Properties {
        @ParameterizedTest
        @ValueSource(doubles = {0.05, 0.1, 0.7})
        void apoZeroSymmetricCaseIsTwiceTheDesirableTermAndOneAtTheReference(double beta) {
            // apo_zero: 1 - s(b rho_c) + s(b rho_r); with rho_r = -rho_c: 2 (1 - s(b rho_c))
            double[] rho = {-3, -0.5, 0, 0.25, 2, 7};
            double[] neg = new double[B];
            for (int i = 0; i < B; i++) {
                neg[i] = -rho[i];
            }
            double[] l = loss(new ApoZero(beta), ratios(rho, neg));
            for (int i = 0; i < B; i++) {
                assertEquals(2 * (1 - sig(beta * rho[i])), l[i], 1e-14);
            }
            assertEquals(1.0, loss(new ApoZero(beta), ratios(new double[B], new double[B]))[0], 0);
        }

        @Test
        void sppoHardIsZeroExactlyAtItsTargets() {
            // (rho_c - 1/(2b))^2 + (rho_r + 1/(2b))^2 = 0 at rho_c = 1/(2b), rho_r = -1/(2b)
            double b = 0.25;
            double[] c = new double[B];
            double[] r = new double[B];
            java.util.Arrays.fill(c, 2.0);
            java.util.Arrays.fill(r, -2.0);
            for (double v : loss(new SppoHard(b), ratios(c, r))) {
                assertEquals(0, v, 1e-12);
            }
        }

        @Test
        void exoPairIsTheKlToTheSmoothedLabelsAndZeroAtThem() {
            // KL(q || p) with q = (s(z), s(-z)), p = (1 - eps, eps): 0 where s(z) = 1 - eps
            double eps = 0.2;
            double beta = 0.5;
            double z = Math.log((1 - eps) / eps);
            double[] c = {z / beta, 0};
            double[] r = {0, 0};
            NDArray ref = m.create(new double[2]);
            PairLogps p = PairLogps.of(m.create(c), m.create(r), ref, ref);
            double[] l =
                    new ExoPair(beta, eps).apply(p, null, Reduction.NONE).loss().toDoubleArray();
            assertEquals(0, l[0], 1e-14);
            // at z = 0: q = (1/2, 1/2): 0.5 log(0.5/0.8) + 0.5 log(0.5/0.2)
            assertEquals(0.5 * Math.log(0.5 / 0.8) + 0.5 * Math.log(0.5 / 0.2), l[1], 1e-14);
        }

        @Test
        void ncaAndBcoPairAreLogTwoSumsAtTheReference() {
            double[] zero = new double[B];
            // nca: log 2 + 0.5 log 2 + 0.5 log 2 = 2 log 2; bco_pair: 2 log 2
            for (double v : loss(NcaPair.defaults(), ratios(zero, zero))) {
                assertEquals(2 * Math.log(2), v, 1e-14);
            }
            for (double v : loss(BcoPair.defaults(), ratios(zero, zero))) {
                assertEquals(2 * Math.log(2), v, 1e-14);
            }
        }

        @Test
        void discoPopAtZeroMarginIsTheMeanOfLogTwoAndOne() {
            // z = 0: m = 1/2, (1 - m) log 2 + m e^0
            double[] zero = new double[B];
            for (double v : loss(DiscoPop.defaults(), ratios(zero, zero))) {
                assertEquals(0.5 * Math.log(2) + 0.5, v, 1e-14);
            }
        }

        @Test
        void apoDownAtTheReferenceIsOne() {
            double[] zero = new double[B];
            for (double v : loss(ApoDown.defaults(), ratios(zero, zero))) {
                assertEquals(1.0, v, 1e-15);
            }
        }

        @Test
        void aotOfOnePairIsConservativeDpo() {
            // with B = 1 the sorts are the identity: aot = cDPO on the same pair
            NDArray pc = m.create(new double[] {-11.5});
            NDArray pr = m.create(new double[] {-14});
            NDArray rc = m.create(new double[] {-12});
            NDArray rr = m.create(new double[] {-13});
            PairLogps p = PairLogps.of(pc, pr, rc, rr);
            double aot = new Aot(0.4, 0.1).apply(p, null, Reduction.MEAN).loss().getDouble();
            double cdpo =
                    new ConservativeDpo(0.4, 0.1).apply(p, null, Reduction.MEAN).loss().getDouble();
            assertEquals(cdpo, aot, 1e-15);
        }

        @Test
        void aotIsInvariantToPermutingThePairsAndComparesSortedRatios() {
            PairLogps p = random(3);
            double before =
                    new AotUnpaired(0.3, 0).apply(p, null, Reduction.MEAN).loss().getDouble();
            int[] perm = {5, 2, 0, 4, 1, 3};
            NDArray idx = m.create(new long[] {5, 2, 0, 4, 1, 3});
            PairLogps q =
                    PairLogps.of(
                            p.policyChosen().get(idx),
                            p.policyRejected().get(idx),
                            p.referenceChosen().get(idx),
                            p.referenceRejected().get(idx));
            double after =
                    new AotUnpaired(0.3, 0).apply(q, null, Reduction.MEAN).loss().getDouble();
            assertEquals(before, after, 1e-14);
            assertEquals(B, perm.length);
        }

        @Test
        void combinationIsTheWeightedSumOfItsParts() {
            PairLogps p = random(7);
            Combination mpo =
                    new Combination(
                            List.of(new Dpo(0.3), new BcoPair(0.3), new Sft()),
                            List.of(0.8, 0.2, 1.0));
            double expected =
                    0.8 * new Dpo(0.3).apply(p, null, Reduction.MEAN).loss().getDouble()
                            + 0.2
                                    * new BcoPair(0.3)
                                            .apply(p, null, Reduction.MEAN)
                                            .loss()
                                            .getDouble()
                            + new Sft().apply(p, null, Reduction.MEAN).loss().getDouble();
            assertEquals(expected, mpo.apply(p, null, Reduction.MEAN).loss().getDouble(), 1e-12);
            assertEquals("combined(dpo,bco_pair,sft)", mpo.name());
        }

        @Test
        void sftMeanIsTheBatchTokenMeanOfTheChosenNll() {
            PairLogps p = random(8);
            double[] pc = p.policyChosen().toDoubleArray();
            double sum = 0;
            for (double v : pc) {
                sum += v;
            }
            // counts 3+1+4+1+5+9 = 23
            assertEquals(
                    -sum / 23, new Sft().apply(p, null, Reduction.MEAN).loss().getDouble(), 1e-13);
        }

        @Test
        void alphaPoWithAlphaZeroIsCpo() {
            PairLogps p = random(9);
            double cpo = new Cpo(0.2, 0.1).apply(p, null, Reduction.MEAN).loss().getDouble();
            double a0 = new Cpo(0.2, 0.1, 0).apply(p, null, Reduction.MEAN).loss().getDouble();
            assertEquals(cpo, a0, 0);
            // small alpha tends to CPO: (1 - e^{-a pi})/a -> pi
            double small =
                    new Cpo(0.2, 0.1, 1e-7).apply(p, null, Reduction.MEAN).loss().getDouble();
            assertEquals(cpo, small, 1e-5);
        }

        @Test
        void apoZeroUnpairedMatchesTheClosedForm() {
            NDArray pol = m.create(new double[] {-10, -12, -9});
            NDArray ref = m.create(new double[] {-11, -11, -11});
            NDArray des = m.create(new double[] {1, 0, 0});
            UnpairedOutput out =
                    new UnpairedObjective.ApoZeroUnpaired(0.5, 1.5, 0.5)
                            .apply(new UnpairedLogps(pol, ref, des), null, Reduction.NONE);
            double[] l = out.loss().toDoubleArray();
            assertEquals(1.5 * (1 - sig(0.5)), l[0], 1e-15);
            assertEquals(0.5 * sig(-0.5), l[1], 1e-15);
            assertEquals(0.5 * sig(1.0), l[2], 1e-15);
        }
    }

    @Nested
    class FDivergenceForms {
        @Test
        void paperFormMatchesItsEquationWithDefaultAlphaOne() {
            // paper / TRL <= 0.28: g = (e^{-a rho_r} - e^{-a rho_c}) / a, a = 1 by default
            double rc = 0.7;
            double rr = -0.4;
            double g = Math.exp(0.4) - Math.exp(-0.7);
            double expected = Math.log1p(Math.exp(-0.1 * g));
            FDpo f = new FDpo(0.1, FDivergence.Alpha.defaults());
            assertEquals(
                    expected,
                    f.apply(ratios(new double[] {rc}, new double[] {rr}), null, Reduction.MEAN)
                            .loss()
                            .getDouble(),
                    1e-15);
        }

        @Test
        void trlPowerFormMatchesItsEquationWithDefaultAlphaHalf() {
            // TRL >= 0.29: f'(t) = (t^{a-1} - 1)/(a-1), a = 0.5: g = (e^{-0.5 rho_c} -
            // e^{-0.5 rho_r}) / (-0.5)
            double rc = 0.7;
            double rr = -0.4;
            double g = (Math.exp(-0.5 * rc) - Math.exp(-0.5 * rr)) / -0.5;
            double expected = Math.log1p(Math.exp(-0.1 * g));
            FDpo f = new FDpo(0.1, FDivergence.AlphaPower.defaults());
            double actual =
                    f.apply(ratios(new double[] {rc}, new double[] {rr}), null, Reduction.MEAN)
                            .loss()
                            .getDouble();
            assertEquals(expected, actual, 1e-15);
            // the defaults differ: the paper form's default alpha = 1 gives another value
            double paperDefault =
                    new FDpo(0.1, FDivergence.Alpha.defaults())
                            .apply(
                                    ratios(new double[] {rc}, new double[] {rr}),
                                    null,
                                    Reduction.MEAN)
                            .loss()
                            .getDouble();
            assertTrue(Math.abs(paperDefault - actual) > 1e-3, paperDefault + " vs " + actual);
        }

        @ParameterizedTest
        @ValueSource(doubles = {0.1, 0.5, 0.9})
        void powerFormWithAEqualsThePaperFormWithOneMinusA(double a) {
            // (t^{a-1} - 1)/(a-1) = (1 - t^{-(1-a)})/(1-a): TRL >= 0.29's coefficient a is the
            // paper's alpha = 1 - a (so a > 1, a negative paper alpha, has no paper-form record)
            PairLogps p = random(13);
            double power =
                    new FDpo(0.2, new FDivergence.AlphaPower(a))
                            .apply(p, null, Reduction.MEAN)
                            .loss()
                            .getDouble();
            double paper =
                    new FDpo(0.2, new FDivergence.Alpha(1 - a))
                            .apply(p, null, Reduction.MEAN)
                            .loss()
                            .getDouble();
            assertEquals(paper, power, 1e-12 * Math.abs(paper));
        }

        @Test
        void powerFormAtAlphaOneIsReverseKl() {
            PairLogps p = random(11);
            double rkl =
                    new FDpo(0.2, new FDivergence.ReverseKl())
                            .apply(p, null, Reduction.MEAN)
                            .loss()
                            .getDouble();
            double one =
                    new FDpo(0.2, new FDivergence.AlphaPower(1.0))
                            .apply(p, null, Reduction.MEAN)
                            .loss()
                            .getDouble();
            assertEquals(rkl, one, 0);
        }
    }

    @Nested
    class OrpoNll {
        @Test
        void trlOrpoAveragesTheNllOverPromptAndResponseTokensOfTheBatch() {
            // TRL ORPOTrainer: CrossEntropy mean over every predicted token of the chosen
            // sequences: -(sum prompt logps + sum response logps) / (prompt tokens + response
            // tokens)
            NDArray pc = m.create(new double[] {-6, -9});
            NDArray pr = m.create(new double[] {-8, -7});
            NDArray nc = m.create(new long[] {3, 4});
            NDArray nr = m.create(new long[] {4, 2});
            NDArray pp = m.create(new double[] {-20, -11});
            NDArray np = m.create(new long[] {5, 2});
            PairLogps p =
                    PairLogps.referenceFree(pc, pr).withTokens(nc, nr).withChosenPrompt(pp, np);
            double or = new Orpo(0.1).apply(p, null, Reduction.MEAN).loss().getDouble();
            double nll = (6 + 9 + 20 + 11) / (3.0 + 4 + 5 + 2);
            assertEquals(
                    or + nll, Orpo.trl().apply(p, null, Reduction.MEAN).loss().getDouble(), 1e-14);
            // the response-only option stays available: (6 + 9) / 7
            double responseOnly =
                    Orpo.trl()
                            .withTokens(NllTokens.RESPONSE)
                            .apply(p, null, Reduction.MEAN)
                            .loss()
                            .getDouble();
            assertEquals(or + 15.0 / 7, responseOnly, 1e-14);
        }

        @Test
        void promptAndResponseNeedsThePromptLogProbs() {
            PairLogps p = random(12).withTokens(m.create(new long[B]), m.create(new long[B]));
            Expect.badArgument(
                    () -> Orpo.trl().apply(p, null, Reduction.MEAN),
                    "orpo+nll",
                    "policyChosenPrompt",
                    "withChosenPrompt");
        }
    }
}
