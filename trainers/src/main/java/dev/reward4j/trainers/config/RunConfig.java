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
 *       ObjectiveConfig.RewardPairs});
 *   <li>{@code curriculum}, {@code relabel} and {@code diagnostics} are for the pairwise policy
 *       objectives ({@link ObjectiveConfig.PolicyPairs}); a curriculum needs a reference (not a
 *       reference cache, which the stages would make stale) and a ranked-list {@code data.format};
 *       relabelling reads a pair or a ranked-list format; the two are not combined, and neither is
 *       a curriculum with the CHES filter.
 * </ul>
 *
 * @param model model section
 * @param data data section
 * @param objective objective section (typed variant)
 * @param optim optimizer section
 * @param schedule schedule section
 * @param train training section
 * @param checkpoint checkpoint section
 * @param curriculum curriculum section (Curry-DPO stages)
 * @param relabel relabelling section (reward-augmented pairs)
 * @param diagnostics diagnostics section
 */
public record RunConfig(
        ModelSection model,
        DataSection data,
        ObjectiveConfig objective,
        OptimSection optim,
        ScheduleSection schedule,
        TrainSection train,
        CheckpointSection checkpoint,
        CurriculumSection curriculum,
        RelabelSection relabel,
        DiagnosticsSection diagnostics) {
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
        Objects.requireNonNull(curriculum, "curriculum");
        Objects.requireNonNull(relabel, "relabel");
        Objects.requireNonNull(diagnostics, "diagnostics");
        checkPolicyPairsOnly(curriculum.enabled(), "curriculum.type", curriculum.type(), objective);
        checkPolicyPairsOnly(relabel.enabled(), "relabel.type", relabel.type(), objective);
        checkPolicyPairsOnly(diagnostics.enabled(), "diagnostics.enabled", "true", objective);
        checkPolicyPairsOnly(
                diagnostics.chesFilter() > 0,
                "diagnostics.ches_filter",
                Require.fmt(diagnostics.chesFilter()),
                objective);
        if (curriculum.enabled()) {
            if (!objective.usesReference()) {
                throw new ConfigException(
                        "curriculum.type: "
                                + curriculum.type()
                                + " refreshes the reference between stages, but objective "
                                + objective.type()
                                + " has none (got curriculum.type "
                                + curriculum.type()
                                + "); expected an objective with a reference (dpo, ipo, ...)");
            }
            if (model.referenceCache() != null) {
                throw new ConfigException(
                        "model.reference_cache: a curriculum refreshes the reference between"
                                + " stages, which would make cached reference log-probs stale (got "
                                + model.referenceCache()
                                + "); expected no reference_cache with curriculum.type "
                                + curriculum.type());
            }
            if (relabel.enabled()) {
                throw new ConfigException(
                        "relabel.type: not combined with a curriculum (got "
                                + relabel.type()
                                + " with curriculum.type "
                                + curriculum.type()
                                + "); expected relabel.type none");
            }
            curriculum.schedule(train.maxSteps()); // the stages fit train.max_steps
            if (diagnostics.chesFilter() > 0) {
                throw new ConfigException(
                        "diagnostics.ches_filter: not combined with a curriculum (got "
                                + Require.fmt(diagnostics.chesFilter())
                                + "); expected 0 with curriculum.type "
                                + curriculum.type());
            }
        }
        DataFormat format = resolve(data.dataFormat(), objective, curriculum, relabel);
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
     * A configuration of the seven original sections, without curriculum, relabelling or
     * diagnostics (their defaults).
     */
    public RunConfig(
            ModelSection model,
            DataSection data,
            ObjectiveConfig objective,
            OptimSection optim,
            ScheduleSection schedule,
            TrainSection train,
            CheckpointSection checkpoint) {
        this(
                model,
                data,
                objective,
                optim,
                schedule,
                train,
                checkpoint,
                CurriculumSection.defaults(),
                RelabelSection.defaults(),
                DiagnosticsSection.defaults());
    }

    /** This configuration with another {@code data:} section (every other section kept). */
    public RunConfig withData(DataSection data) {
        return new RunConfig(
                model,
                data,
                objective,
                optim,
                schedule,
                train,
                checkpoint,
                curriculum,
                relabel,
                diagnostics);
    }

    /**
     * This configuration with other {@code schedule:} and {@code train:} sections (every other
     * section kept).
     */
    public RunConfig withScheduleAndTrain(ScheduleSection schedule, TrainSection train) {
        return new RunConfig(
                model,
                data,
                objective,
                optim,
                schedule,
                train,
                checkpoint,
                curriculum,
                relabel,
                diagnostics);
    }

    /**
     * The reader of {@code data.train} and {@code data.eval}: {@code data.format}, with {@code
     * auto} resolved.
     */
    public DataFormat dataFormat() {
        return resolve(data.dataFormat(), objective, curriculum, relabel);
    }

    private static void checkPolicyPairsOnly(
            boolean on, String key, String value, ObjectiveConfig objective) {
        if (on && !(objective instanceof ObjectiveConfig.PolicyPairs)) {
            throw new ConfigException(
                    key
                            + ": only for the pairwise policy objectives (dpo, ipo, simpo, ...)"
                            + " (got "
                            + value
                            + " with objective "
                            + objective.type()
                            + "); remove it for "
                            + objective.type());
        }
    }

    private static DataFormat resolve(
            DataFormat format,
            ObjectiveConfig objective,
            CurriculumSection curriculum,
            RelabelSection relabel) {
        ExampleKind kind = objective.examples();
        if (curriculum.enabled()) {
            // the curriculum forms its pairs from rated responses
            if (format == DataFormat.AUTO) {
                return DataFormat.usual(ExampleKind.LISTS);
            }
            if (format.kind() != ExampleKind.LISTS) {
                throw new ConfigException(
                        "data.format: curriculum.type "
                                + curriculum.type()
                                + " forms its pairs from rated responses, but "
                                + format.key()
                                + " reads "
                                + format.kind().description()
                                + " (got '"
                                + format.key()
                                + "'); expected one of "
                                + DataFormat.keys(ExampleKind.LISTS));
            }
            return format;
        }
        if (relabel.enabled() && format.kind() == ExampleKind.LISTS) {
            return format; // pairs formed from the ranked lists, each response with its score
        }
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
