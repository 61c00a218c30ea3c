package dev.reward4j.losses;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.reward4j.losses.UnpairedObjective.Bco;
import dev.reward4j.losses.UnpairedObjective.Kto;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(NDManagerExtension.class)
class UnpairedLossesTest {
    NDManager m;

    @BeforeEach
    void open(NDManager manager) {
        m = manager;
    }

    UnpairedLogps random(long seed, int b) {
        Random r = new Random(seed);
        double[] pol = LossCase.uniform(r, b, -30, -5);
        double[] des = LossCase.bernoulli(r, b, 0.5);
        return new UnpairedLogps(
                m.create(pol),
                m.create(LossCase.plus(pol, LossCase.normal(r, b, 1))),
                m.create(des));
    }

    @Nested
    class KtoLoss {
        @Test
        void referencePointIsTheClampedMeanKlOfMismatchedPairs() {
            // mean(klp - klr) = mean(1, 3) = 2; a negative mean clamps to 0
            NDArray z =
                    UnpairedLosses.klReferencePoint(
                            m.create(new double[] {-10, -12}), m.create(new double[] {-11, -15}));
            assertEquals(2, z.getDouble(), 0);
            assertEquals(0, z.getShape().dimension());
            NDArray neg =
                    UnpairedLosses.klReferencePoint(
                            m.create(new double[] {-10, -12}), m.create(new double[] {-9, -11}));
            assertEquals(0, neg.getDouble(), 0);
        }

        @Test
        void referencePointIsDetached() {
            NDArray klp = m.create(new double[] {-10, -12, -3});
            klp.setRequiresGradient(true);
            UnpairedLogps u = random(1, 3);
            NDArray pol = u.policy().duplicate();
            pol.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss =
                        UnpairedLosses.kto(
                                        new UnpairedLogps(pol, u.reference(), u.desirable()),
                                        klp,
                                        m.create(new double[] {-11, -15, -4}),
                                        Kto.defaults(),
                                        null,
                                        Reduction.MEAN)
                                .loss();
                gc.backward(loss);
            }
            // klp is not part of the graph: its gradient stays zero
            assertArrayEquals(
                    new double[3],
                    klp.getGradient().toType(DataType.FLOAT64, false).toDoubleArray(),
                    0);
            assertTrue(pol.getGradient().abs().sum().getDouble() > 0);
        }

        @ParameterizedTest
        @ValueSource(ints = {2, 3, 5, 7})
        void oddAndEvenBatchSizesMatchTheClosedForm(int b) {
            UnpairedLogps u = random(b, b);
            double z0 = 0.4;
            Kto kto = new Kto(0.2, 1.5, 0.5);
            double[] loss =
                    UnpairedLosses.kto(u, m.create(z0), kto, null, Reduction.NONE)
                            .loss()
                            .toDoubleArray();
            double[] pol = u.policy().toDoubleArray();
            double[] ref = u.reference().toDoubleArray();
            double[] des = u.desirable().toDoubleArray();
            for (int i = 0; i < b; i++) {
                double x = 0.2 * (pol[i] - ref[i] - z0);
                double expected =
                        des[i] == 1
                                ? 1.5 * (1 - 1 / (1 + Math.exp(-x)))
                                : 0.5 * (1 - 1 / (1 + Math.exp(x)));
                assertEquals(expected, loss[i], 1e-15);
            }
        }

        @Test
        void rejectsAKlBatchOfOne() {
            Expect.badArgument(
                    () ->
                            UnpairedLosses.klReferencePoint(
                                    m.create(new double[] {-1}), m.create(new double[] {-2})),
                    "kto",
                    "KL batch",
                    "(1)",
                    "expected at least 2");
        }

        @Test
        void rejectsNonScalarReferencePoints() {
            UnpairedLogps u = random(2, 4);
            Expect.badArgument(
                    () ->
                            UnpairedLosses.kto(
                                    u,
                                    m.create(new double[] {1, 2}),
                                    Kto.defaults(),
                                    null,
                                    Reduction.MEAN),
                    "referencePoint",
                    "(2)",
                    "expected shape ()");
        }

        @Test
        void rejectsBadHyperparametersAndShapes() {
            Expect.badArgument(() -> new Kto(0, 1, 1), "kto", "beta", "(0.0)", "> 0");
            Expect.badArgument(
                    () -> new Kto(0.1, Double.NaN, 1), "desirableWeight", "NaN", "finite");
            Expect.badArgument(() -> new Kto(0.1, 1, -1), "undesirableWeight", "(-1.0)", "> 0");
            UnpairedLogps u = random(3, 4);
            UnpairedLogps bad =
                    new UnpairedLogps(u.policy(), m.create(new double[3]), u.desirable());
            Expect.badArgument(
                    () ->
                            UnpairedLosses.kto(
                                    bad, m.create(0.0), Kto.defaults(), null, Reduction.MEAN),
                    "logps.reference",
                    "(3)",
                    "expected (4)");
            UnpairedLogps ints =
                    new UnpairedLogps(
                            m.create(new long[] {-3, -4}),
                            m.create(new long[] {-3, -4}),
                            m.create(new long[] {1, 0}));
            Expect.badArgument(
                    () ->
                            UnpairedLosses.kto(
                                    ints, m.create(0.0), Kto.defaults(), null, Reduction.MEAN),
                    "logps.policy",
                    "int64",
                    "expected float");
        }
    }

    @Nested
    class BcoLoss {
        @Test
        void shiftIsTheRunningMeanOfEveryRewardIncludingThisBatchWithUnequalBatchSizes() {
            // TRL's BCOTrainer: running.update(cat(chosen_rewards, rejected_rewards)), so a batch
            // counts by its size: after batches of 2, 7 and 3 rewards the shift is the mean of all
            // 12 rewards (not the mean of the three batch means)
            Bco bco = new Bco(0.5);
            BcoState state = BcoState.initial();
            int[] sizes = {2, 7, 3};
            double sum = 0;
            int seen = 0;
            for (int step = 0; step < sizes.length; step++) {
                UnpairedLogps u = random(10 + step, sizes[step]);
                double[] r = u.policy().sub(u.reference()).mul(0.5).toDoubleArray();
                for (double x : r) {
                    sum += x;
                }
                seen += r.length;
                BcoOutput out = UnpairedLosses.bco(u, state, bco, null, Reduction.MEAN);
                assertEquals(sum / seen, out.state().mean(), 1e-12);
                assertEquals(sum / seen, out.output().referencePoint().getDouble(), 1e-12);
                assertEquals(seen, out.state().count(), 0);
                state = out.state();
            }
        }

        @Test
        void exampleWeightsCountInTheRunningMean() {
            // weights w: the batch enters with its weighted mean and counts sum(w)
            UnpairedLogps u = random(30, 4);
            double[] w = {1, 0, 2, 0.5};
            double[] r = u.policy().sub(u.reference()).mul(0.5).toDoubleArray();
            BcoState start = new BcoState(0.3, 5);
            BcoOutput out =
                    UnpairedLosses.bco(
                            u,
                            start,
                            new Bco(0.5),
                            m.create(w).toType(u.policy().getDataType(), false),
                            Reduction.MEAN);
            double sw = 0;
            double swr = 0;
            for (int i = 0; i < 4; i++) {
                sw += w[i];
                swr += w[i] * r[i];
            }
            assertEquals((0.3 * 5 + swr) / (5 + sw), out.state().mean(), 1e-12);
            assertEquals(5 + sw, out.state().count(), 1e-12);
        }

        @Test
        void matchesTheClosedFormWithTheUpdatedShift() {
            UnpairedLogps u = random(20, 5);
            BcoOutput out =
                    UnpairedLosses.bco(u, new BcoState(0.7, 3), new Bco(0.3), null, Reduction.NONE);
            double delta = out.state().mean();
            double[] r = u.policy().sub(u.reference()).mul(0.3).toDoubleArray();
            double[] d = u.desirable().toDoubleArray();
            double[] loss = out.output().loss().toDoubleArray();
            for (int i = 0; i < 5; i++) {
                double x = r[i] - delta;
                double expected = d[i] == 1 ? Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
                assertEquals(expected, loss[i], 1e-14);
            }
        }

        @Test
        void aFullyMaskedBatchLeavesTheStateUnchanged() {
            UnpairedLogps u = random(21, 4);
            BcoState s = new BcoState(0.25, 9);
            BcoOutput out =
                    UnpairedLosses.bco(
                            u,
                            s,
                            Bco.defaults(),
                            m.zeros(u.policy().getShape(), u.policy().getDataType()),
                            Reduction.MEAN);
            assertEquals(s, out.state());
            assertEquals(0, out.output().loss().getDouble(), 0);
        }

        @Test
        void rejectsAMissingStateAndBadBeta() {
            UnpairedLogps u = random(22, 4);
            Expect.badArgument(
                    () -> UnpairedLosses.bco(u, null, Bco.defaults(), null, Reduction.MEAN),
                    "bco",
                    "state",
                    "null",
                    "BcoState.initial()");
            Expect.badArgument(() -> new Bco(-0.1), "bco", "beta", "(-0.1)", "> 0");
            Expect.badArgument(() -> new Bco(Double.NaN), "beta", "NaN");
        }
    }
}
