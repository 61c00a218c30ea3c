package dev.reward4j.trainers.loop;

import java.util.Map;

/** Held-out evaluation run by the loop every {@code eval_every} steps. */
@FunctionalInterface
public interface Evaluator {
    /** Evaluates the current model; returns metric name to value. */
    Map<String, Double> evaluate(long step);
}
