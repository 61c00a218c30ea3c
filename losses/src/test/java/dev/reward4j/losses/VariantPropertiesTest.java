package dev.reward4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.losses.AbsoluteLikelihoodObjective.Asft;
import dev.reward4j.losses.AbsoluteLikelihoodObjective.Mapo;
import dev.reward4j.losses.LabeledPairObjective.ConsistencyDpo;
import dev.reward4j.losses.LabeledPairObjective.DynamicBetaDpo;
import dev.reward4j.losses.LabeledPairObjective.Irepo;
import dev.reward4j.losses.LabeledPairObjective.SoftPreference;
import dev.reward4j.losses.PairwisePolicyObjective.Dpo;
import dev.reward4j.losses.TokenPreferenceObjective.SparsePo;
import dev.reward4j.losses.TokenPreferenceObjective.Tdpo1;
import dev.reward4j.losses.TokenPreferenceObjective.Tdpo2;
import dev.reward4j.losses.TriplePreferenceObjective.Tpo;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Closed-form properties of the token-level, labeled, joint, absolute and triple objectives. */
@ExtendWith(NDManagerExtension.class)
class VariantPropertiesTest {
    static final int B = 8;
    static final int T = 6;
    NDManager m;

    @BeforeEach
    void open(NDManager manager) {
        m = manager;
    }

    PairLogps pair(long seed) {
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

    TokenPairLogps tokens(long seed, boolean policyIsReference) {
        Random r = new Random(seed);
        NDArray pc = m.create(LossCase.uniform(r, B * T, -6, -0.1), new Shape(B, T));
        NDArray pr = m.create(LossCase.uniform(r, B * T, -6, -0.1), new Shape(B, T));
        NDArray rc =
                policyIsReference
                        ? pc
                        : pc.add(m.create(LossCase.normal(r, B * T, 0.5), new Shape(B, T)));
        NDArray rr =
                policyIsReference
                        ? pr
                        : pr.add(m.create(LossCase.normal(r, B * T, 0.5), new Shape(B, T)));
        NDArray kc =
                policyIsReference
                        ? m.zeros(new Shape(B, T), pc.getDataType())
                        : m.create(LossCase.uniform(r, B * T, 0, 2), new Shape(B, T));
        NDArray kr =
                policyIsReference
                        ? m.zeros(new Shape(B, T), pc.getDataType())
                        : m.create(LossCase.uniform(r, B * T, 0, 2), new Shape(B, T));
        NDArray mask = m.create(LossCase.bernoulli(r, B * T, 0.8), new Shape(B, T));
        return new TokenPairLogps(pc, pr, rc, rr, kc, kr, mask, mask, null);
    }

    static double loss(PairwiseOutput o) {
        return o.loss().getDouble();
    }

    NDArray filled(double v) {
        return m.create(new double[B]).add(m.create(v));
    }

    @Nested
    class TokenLevel {
        @ParameterizedTest
        @ValueSource(longs = {1, 2, 3})
        void tdpoWithPolicyEqualToReferenceIsLog2(long seed) {
            // rho = 0 and every token KL = 0 => z = 0 => -log sigma(0) = log 2, for both variants
            TokenPairLogps t = tokens(seed, true);
            assertEquals(Math.log(2), loss(Tdpo1.defaults().apply(t, null, Reduction.MEAN)), 1e-12);
            assertEquals(Math.log(2), loss(Tdpo2.defaults().apply(t, null, Reduction.MEAN)), 1e-12);
        }

        @ParameterizedTest
        @ValueSource(longs = {4, 5})
        void tdpo2WithAlphaZeroIsDpoOnTheSummedTokenLogProbs(long seed) {
            TokenPairLogps t = tokens(seed, false);
            NDArray mc = t.maskChosen();
            PairLogps sums =
                    PairLogps.of(
                            t.policyChosen().mul(mc).sum(new int[] {1}),
                            t.policyRejected().mul(mc).sum(new int[] {1}),
                            t.referenceChosen().mul(mc).sum(new int[] {1}),
                            t.referenceRejected().mul(mc).sum(new int[] {1}));
            assertEquals(
                    loss(new Dpo(0.3).apply(sums, null, Reduction.MEAN)),
                    loss(new Tdpo2(0.3, 0).apply(t, null, Reduction.MEAN)),
                    1e-12);
        }

        @ParameterizedTest
        @ValueSource(longs = {6, 7})
        void sparsePoWithAllOnesMasksIsTdpo1(long seed) {
            TokenPairLogps t = tokens(seed, false);
            NDArray ones = t.policyChosen().onesLike();
            TokenPairLogps w = t.withWeights(TokenWeights.common(ones, ones));
            assertEquals(
                    loss(new Tdpo1(0.2).apply(t, null, Reduction.MEAN)),
                    loss(new SparsePo(0.2).apply(w, null, Reduction.MEAN)),
                    1e-12);
        }

        @Test
        void sparsePoWithZeroMasksIsLog2AndMaskedTokensDoNotMatter() {
            TokenPairLogps t = tokens(8, false);
            NDArray zeros = t.policyChosen().zerosLike();
            assertEquals(
                    Math.log(2),
                    loss(
                            new SparsePo(0.2)
                                    .apply(
                                            t.withWeights(TokenWeights.common(zeros, zeros)),
                                            null,
                                            Reduction.MEAN)),
                    1e-12);
            // a token under response mask 0 may take any finite value
            NDArray changed = t.policyChosen().add(t.maskChosen().neg().add(1).mul(7.0));
            TokenPairLogps t2 =
                    new TokenPairLogps(
                            changed,
                            t.policyRejected(),
                            t.referenceChosen(),
                            t.referenceRejected(),
                            t.klChosen(),
                            t.klRejected(),
                            t.maskChosen(),
                            t.maskRejected(),
                            null);
            assertEquals(
                    loss(Tdpo1.defaults().apply(t, null, Reduction.MEAN)),
                    loss(Tdpo1.defaults().apply(t2, null, Reduction.MEAN)),
                    1e-12);
        }

        @Test
        void tokenKlIsZeroForEqualLogitsShiftInvariantAndPositiveOtherwise() {
            Random r = new Random(9);
            NDArray a = m.create(LossCase.normal(r, 4 * 11, 2), new Shape(4, 11));
            NDArray b = m.create(LossCase.normal(r, 4 * 11, 2), new Shape(4, 11));
            double[] same = TokenPreferenceLosses.tokenKl(a, a).toDoubleArray();
            double[] shifted = TokenPreferenceLosses.tokenKl(a.add(3.0), a).toDoubleArray();
            double[] diff = TokenPreferenceLosses.tokenKl(a, b).toDoubleArray();
            for (int i = 0; i < 4; i++) {
                assertEquals(0, same[i], 1e-12);
                assertEquals(0, shifted[i], 1e-12);
                assertTrue(diff[i] > 0, "KL > 0 for different distributions");
            }
        }

        @Test
        void missingSparsePoWeightsAreAClearError() {
            Expect.badArgument(
                    () -> new SparsePo(0.1).apply(tokens(1, false), null, Reduction.MEAN),
                    "sparse-po",
                    "token weights are missing");
        }
    }

    @Nested
    class Labeled {
        @ParameterizedTest
        @ValueSource(longs = {1, 2, 3})
        void softPreferenceAndCreamWithLabelOneAndMmDpoWithMarginZeroAreDpo(long seed) {
            PairLogps p = pair(seed);
            double dpo = loss(new Dpo(0.4).apply(p, null, Reduction.MEAN));
            assertEquals(
                    dpo,
                    loss(new SoftPreference(0.4).apply(p, filled(1), null, Reduction.MEAN)),
                    1e-12);
            assertEquals(
                    dpo,
                    loss(new ConsistencyDpo(0.4).apply(p, filled(1), null, Reduction.MEAN)),
                    1e-12);
            assertEquals(
                    dpo,
                    loss(
                            new DynamicBetaDpo(0.4, 0.7, 0.5)
                                    .apply(p, filled(0), null, Reduction.MEAN)),
                    1e-12);
            assertEquals(
                    dpo,
                    loss(new JointPairObjective.Jpo(0.4).apply(p, null, Reduction.MEAN)),
                    1e-12);
        }

        @Test
        void softPreferenceWithLabelZeroIsDpoOnTheSwappedPair() {
            PairLogps p = pair(4);
            PairLogps swapped =
                    PairLogps.of(
                            p.policyRejected(),
                            p.policyChosen(),
                            p.referenceRejected(),
                            p.referenceChosen());
            assertEquals(
                    loss(new Dpo(0.4).apply(swapped, null, Reduction.MEAN)),
                    loss(new SoftPreference(0.4).apply(p, filled(0), null, Reduction.MEAN)),
                    1e-12);
        }

        @Test
        void mmDpoBetaGrowsWithTheMarginAndSaturatesAtOnePlusW() {
            PairLogps p = pair(5);
            double beta = 0.2;
            double w = 0.5;
            PairwiseOutput big =
                    new DynamicBetaDpo(beta, w, 1).apply(p, filled(1e3), null, Reduction.NONE);
            PairwiseOutput ref = new Dpo(beta * (1 + w)).apply(p, null, Reduction.NONE);
            assertEquals(ref.loss().sum().getDouble(), big.loss().sum().getDouble(), 1e-9);
        }

        @Test
        void irepoIsZeroWhenTheRewardGapEqualsTheLogitOfTheEmpiricalPreference() {
            // z = beta (rho_c - rho_r); choose p = sigma(z) so that logit(p) = z exactly
            PairLogps p = pair(6);
            double beta = 0.3;
            NDArray z =
                    p.policyChosen()
                            .sub(p.referenceChosen())
                            .sub(p.policyRejected().sub(p.referenceRejected()))
                            .mul(beta);
            NDArray prob = z.getNDArrayInternal().sigmoid();
            double l = loss(new Irepo(beta, 1e-9).apply(p, prob, null, Reduction.MEAN));
            assertEquals(0, l, 1e-20);
        }

        @Test
        void labelsOutsideZeroOneAreAClearError() {
            Expect.badArgument(
                    () ->
                            SoftPreference.defaults()
                                    .apply(pair(1), filled(1.5), null, Reduction.MEAN),
                    "soft-preference",
                    "label is not a probability",
                    "[0, 1]");
        }
    }

    @Nested
    class AbsoluteAndTriple {
        @Test
        void asftWithBetaOneIsNllPlusLambdaTimesAbsoluteLikelihoodTerms() {
            // -log sigma(o) = -log p and -log sigma(-o) = -log(1 - p) for o = log(p / (1 - p))
            PairLogps p = pair(7);
            double lambda = 0.3;
            double[] pc = p.policyChosen().toDoubleArray();
            double[] pr = p.policyRejected().toDoubleArray();
            long[] nc = p.chosenTokens().toLongArray();
            long[] nr = p.rejectedTokens().toLongArray();
            double expected = 0;
            for (int i = 0; i < B; i++) {
                double mc = pc[i] / nc[i];
                double mr = pr[i] / nr[i];
                expected += (-mc + lambda * (-mc - Math.log(1 - Math.exp(mr)))) / B;
            }
            assertEquals(expected, loss(new Asft(1, lambda).apply(p, null, Reduction.MEAN)), 1e-10);
        }

        @Test
        void mapoScoreIsContinuousAcrossTheSeriesThresholdAndOneAtZero() {
            // responses with NLL just below / above the 1e-3 switch give the same score to 1e-9
            double[] nll = {0, 0.999e-3, 1.001e-3, 0.5};
            NDArray pc = m.create(new double[] {-nll[0], -nll[1], -nll[2], -nll[3]});
            NDArray counts = m.create(new long[] {1, 1, 1, 1});
            PairLogps p = new PairLogps(pc, pc, null, null, counts, counts);
            double[] s =
                    new Mapo(0.1, 1).apply(p, null, Reduction.NONE).chosenReward().toDoubleArray();
            assertEquals(1, s[0], 0);
            assertEquals(s[1], s[2], 1e-6);
            assertEquals(0.5 / Math.expm1(0.5), s[3], 1e-12);
        }

        @Test
        void tpoWithAlphaZeroIsReferenceFreeDpo() {
            PairLogps p = pair(8);
            TripleLogps t =
                    new TripleLogps(
                            p.policyChosen(),
                            p.policyChosen(),
                            p.policyRejected(),
                            p.chosenTokens(),
                            p.chosenTokens(),
                            p.rejectedTokens());
            assertEquals(
                    loss(
                            new Dpo(0.7)
                                    .apply(
                                            PairLogps.referenceFree(
                                                    p.policyChosen(), p.policyRejected()),
                                            null,
                                            Reduction.MEAN)),
                    loss(new Tpo(0.7, 0).apply(t, null, Reduction.MEAN)),
                    1e-12);
        }
    }
}
