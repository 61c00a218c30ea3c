package dev.reward4j.trainers.loop;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.reward4j.trainers.metrics.MetricBag;
import dev.reward4j.trainers.metrics.MetricNames;
import dev.reward4j.trainers.optim.Gradients;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Held-out evaluation with the training objective itself (grad mode off): the (sum, count) metrics
 * of every batch are merged and divided once, so the result does not depend on the evaluation batch
 * size.
 *
 * @param <B> batch type
 */
public final class StepEvaluator<B extends AutoCloseable> implements Evaluator {
    private final TrainingStep<B> objective;
    private final List<Function<NDManager, B>> batches;
    private final NDManager manager;

    /**
     * Creates the evaluator.
     *
     * @param objective the objective to evaluate
     * @param batches factories of the held-out batches (each builds its arrays on the manager it
     *     gets)
     * @param manager parent of the per-batch managers (the model manager)
     */
    public StepEvaluator(
            TrainingStep<B> objective, List<Function<NDManager, B>> batches, NDManager manager) {
        this.objective = objective;
        this.batches = List.copyOf(batches);
        this.manager = manager;
    }

    @Override
    public Map<String, Double> evaluate(long step) {
        MetricBag bag = new MetricBag();
        Gradients.withGradModeOff(
                () -> {
                    for (Function<NDManager, B> factory : batches) {
                        try (NDManager m = manager.newSubManager();
                                B batch = factory.apply(m);
                                NDScope ignored = new NDScope()) {
                            StepResult r =
                                    objective.compute(batch, new StepContext(step, 0, 1, m, false));
                            bag.merge(r.metrics());
                            bag.add(
                                    MetricNames.LOSS,
                                    r.loss()
                                            .toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
                                            .getDouble(),
                                    r.units());
                        } catch (RuntimeException e) {
                            throw e;
                        } catch (Exception e) {
                            throw new IllegalStateException("eval: closing a batch failed", e);
                        }
                    }
                    return null;
                });
        return new LinkedHashMap<>(bag.means());
    }
}
