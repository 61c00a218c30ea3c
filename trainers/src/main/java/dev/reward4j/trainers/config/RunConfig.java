package dev.reward4j.trainers.config;

import java.util.Objects;

/**
 * A complete run configuration. Defaults live only in the sections' {@code defaults()} methods.
 *
 * @param model model section
 * @param data data section
 * @param objective objective section (typed variant)
 * @param optim optimizer section
 * @param schedule schedule section
 * @param train training section
 * @param checkpoint checkpoint section
 */
public record RunConfig(
    ModelSection model,
    DataSection data,
    ObjectiveConfig objective,
    OptimSection optim,
    ScheduleSection schedule,
    TrainSection train,
    CheckpointSection checkpoint) {
  /** Requires every section. */
  public RunConfig {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(objective, "objective");
    Objects.requireNonNull(optim, "optim");
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(checkpoint, "checkpoint");
  }
}
