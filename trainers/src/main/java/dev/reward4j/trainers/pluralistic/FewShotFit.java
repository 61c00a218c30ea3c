package dev.reward4j.trainers.pluralistic;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.heads.IdealPointParameters;
import dev.reward4j.core.heads.MixtureHead;
import dev.reward4j.core.heads.ScalarHeads;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.util.Checks;
import dev.reward4j.losses.HeadPair;
import dev.reward4j.losses.IdealPointObjective.PalA;
import dev.reward4j.losses.IdealPointPair;
import dev.reward4j.losses.MixtureObjective.MixtureBt;
import dev.reward4j.losses.Reduction;
import dev.reward4j.trainers.optim.Gradients;
import java.util.function.Function;

/**
 * Personalises a trained population model for a new user from a few of the user's comparisons, with
 * everything but the user's own vector frozen: the user's simplex logits over the PAL prototypes
 * ({@link #idealPointLogits}) or the user's routing bias over the mixture heads ({@link
 * #routingBias}). The frozen model runs once (grad mode off); the user vector (K numbers) is then
 * fitted by Adam on the mean loss of the shots. Deterministic (starts at 0).
 */
public final class FewShotFit {
    private FewShotFit() {}

    /**
     * Optimisation settings.
     *
     * @param steps Adam steps, {@code >= 1}
     * @param lr Adam learning rate
     */
    public record Settings(int steps, double lr) {
        /** Validates the settings. */
        public Settings {
            Checks.positive(steps, "FewShotFit.steps");
            Checks.argument(lr > 0, () -> "FewShotFit: lr (" + lr + "); expected > 0");
        }

        /**
         * 200 steps at learning rate 0.1.
         *
         * @return the settings
         */
        public static Settings defaults() {
            return new Settings(200, 0.1);
        }
    }

    /**
     * Fits a new user's simplex logits over the prototypes of a trained PAL-A model.
     *
     * @param model the embedding model (frozen)
     * @param embedding its layout
     * @param params prototypes (frozen)
     * @param loss the PAL-A loss
     * @param shots the new user's comparisons
     * @param settings optimisation settings
     * @return the user's K logits
     */
    public static double[] idealPointLogits(
            DecoderModel model,
            ScalarHeads embedding,
            IdealPointParameters params,
            PalA loss,
            PairBatch shots,
            Settings settings) {
        NDArray[] f =
                Gradients.withGradModeOff(
                        () -> IdealPointPairsStep.embeddings(model, embedding, shots));
        NDArray fc = f[0].stopGradient();
        NDArray fr = f[1].stopGradient();
        NDArray prototypes = params.prototypes().stopGradient();
        long b = shots.pairs();
        return fit(
                shots.inputIds().getManager(),
                params.prototypeCount(),
                settings,
                row ->
                        loss.apply(
                                        new IdealPointPair(
                                                fc,
                                                fr,
                                                prototypes,
                                                row.broadcast(
                                                        new Shape(b, params.prototypeCount()))),
                                        null,
                                        Reduction.MEAN)
                                .loss());
    }

    /**
     * Fits a new user's routing bias over the heads of a trained mixture.
     *
     * @param model the mixture model (frozen)
     * @param head its layout
     * @param shots the new user's comparisons
     * @param settings optimisation settings
     * @return the user's K routing biases
     */
    public static double[] routingBias(
            DecoderModel model, MixtureHead head, PairBatch shots, Settings settings) {
        HeadPair frozen = Gradients.withGradModeOff(() -> MixtureLoss.heads(model, head, shots));
        NDArray rc = frozen.chosen().stopGradient();
        NDArray rr = frozen.rejected().stopGradient();
        NDArray router = frozen.routerLogits().stopGradient();
        return fit(
                shots.inputIds().getManager(),
                head.heads(),
                settings,
                row ->
                        new MixtureBt()
                                .apply(
                                        HeadPair.of(rc, rr).withRouterLogits(router.add(row)),
                                        null,
                                        Reduction.MEAN)
                                .loss());
    }

    /**
     * Minimises {@code loss(row)} over a {@code (1, width)} float32 row with Adam (betas 0.9,
     * 0.999), starting from 0.
     *
     * @param manager parent of the per-step managers
     * @param width row width
     * @param settings optimisation settings
     * @param loss maps the row to a scalar loss (differentiable in the row)
     * @return the fitted row
     */
    public static double[] fit(
            NDManager manager, int width, Settings settings, Function<NDArray, NDArray> loss) {
        double[] x = new double[width];
        double[] m = new double[width];
        double[] v = new double[width];
        for (int t = 1; t <= settings.steps(); t++) {
            double[] g;
            try (NDManager step = manager.newSubManager()) {
                float[] row = new float[width];
                for (int i = 0; i < width; i++) {
                    row[i] = (float) x[i];
                }
                NDArray p = step.create(row, new Shape(1, width));
                p.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    gc.backward(loss.apply(p));
                }
                g = p.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
            }
            double c1 = 1 - Math.pow(0.9, t);
            double c2 = 1 - Math.pow(0.999, t);
            for (int i = 0; i < width; i++) {
                m[i] = 0.9 * m[i] + 0.1 * g[i];
                v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
                x[i] -= settings.lr() * (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8);
            }
        }
        return x;
    }
}
