package dev.reward4j.trainers.config;

import java.util.Objects;

/**
 * A complete run configuration. Defaults live only in the sections' {@code defaults()} methods. The
 * constructor also checks the rules that span sections, so that they fail before training with the
 * key's path:
 *
 * <ul>
 *   <li>{@code data.format} must produce the examples the objective trains on ({@link
 *       ObjectiveConfig#examples()});
 *   <li>{@code objective.num_labels} of {@code regression} defaults to, and must equal, the
 *       format's attribute count;
 *   <li>unpaired objectives (KTO, BCO) need {@code data.batch_size} and {@code
 *       data.eval_batch_size} of at least 2 (each completion's KL reference row uses another
 *       example's prompt);
 *   <li>{@code data.packing} is only for the pairwise reward-model objectives ({@link
 *       ObjectiveConfig.RewardPairs}).
 * </ul>
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
    /**
     * Requires every section and checks the rules across sections; fills in a regression's {@code
     * num_labels}.
     */
    public RunConfig {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(objective, "objective");
        Objects.requireNonNull(optim, "optim");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(checkpoint, "checkpoint");
        DataFormat format = resolve(data.dataFormat(), objective);
        objective = objective.resolvedFor(format);
        if (objective.examples() == ExampleKind.UNPAIRED) {
            atLeastTwo(data.batchSize(), "data.batch_size", objective);
            atLeastTwo(data.evalBatchSize(), "data.eval_batch_size", objective);
        }
        if (data.packing() && !objective.supportsPacking()) {
            throw new ConfigException(
                    "data.packing: only for the pairwise reward-model objectives (bt, bt-direct,"
                            + " scaled-bt, soft-bt, rao-kupper) (got true with objective "
                            + objective.type()
                            + "); expected data.packing: false for "
                            + objective.type());
        }
    }

    /**
     * The reader of {@code data.train} and {@code data.eval}: {@code data.format}, with {@code
     * auto} resolved.
     */
    public DataFormat dataFormat() {
        return resolve(data.dataFormat(), objective);
    }

    private static DataFormat resolve(DataFormat format, ObjectiveConfig objective) {
        ExampleKind kind = objective.examples();
        if (format == DataFormat.AUTO) {
            return DataFormat.usual(kind);
        }
        if (format.kind() != kind) {
            throw new ConfigException(
                    "data.format: "
                            + format.key()
                            + " reads "
                            + format.kind().description()
                            + " but objective "
                            + objective.type()
                            + " trains on "
                            + kind.description()
                            + " (got '"
                            + format.key()
                            + "'); expected one of "
                            + DataFormat.keys(kind)
                            + " for "
                            + objective.type());
        }
        return format;
    }

    private static void atLeastTwo(int size, String key, ObjectiveConfig objective) {
        if (size < 2) {
            throw new ConfigException(
                    key
                            + ": expected an integer >= 2 for objective "
                            + objective.type()
                            + " (got "
                            + size
                            + "); each completion's KL reference row pairs it with another"
                            + " example's prompt");
        }
    }
}
