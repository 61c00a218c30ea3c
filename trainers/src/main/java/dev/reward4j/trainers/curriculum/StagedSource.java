package dev.reward4j.trainers.curriculum;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.DataPosition;
import dev.reward4j.core.data.ShuffleSampler;
import dev.reward4j.core.util.Checks;
import dev.reward4j.trainers.loop.BatchSource;
import dev.reward4j.trainers.run.CollatedSource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Micro-batches of a curriculum: every micro-batch of an optimizer step in stage {@code s} comes
 * from stage {@code s}'s examples, shuffled per stage epoch (seed {@code seed + s}) and cycling
 * within the stage as {@link CollatedSource} does; a new stage starts at its first example.
 *
 * <p>Position: {@code DataPosition(stage, examples consumed in that stage)}, so a resumed run
 * continues in the same stage at the same example (the loop saves and seeks it).
 *
 * @param <T> tokenized example type
 * @param <B> batch type
 */
public final class StagedSource<T, B> implements BatchSource<B> {
    private final List<List<T>> stages;
    private final CurriculumSchedule schedule;
    private final int batchSize;
    private final int microSteps;
    private final List<CollatedSource<T, B>> sources = new ArrayList<>();
    private long batches;
    private int stage;

    /**
     * Creates the source.
     *
     * @param stages the examples of each stage, one list per stage of {@code schedule}, none empty
     * @param schedule the stage of every optimizer step
     * @param seed run seed (stage {@code s} shuffles with {@code seed + s})
     * @param batchSize examples per micro-batch
     * @param microSteps micro-batches per optimizer step (gradient accumulation)
     * @param collate builds a batch from examples on a manager
     */
    public StagedSource(
            List<List<T>> stages,
            CurriculumSchedule schedule,
            long seed,
            int batchSize,
            int microSteps,
            BiFunction<List<T>, NDManager, B> collate) {
        Checks.argument(
                stages.size() == schedule.stages(),
                () ->
                        "curriculum: "
                                + stages.size()
                                + " stages of examples but a schedule of "
                                + schedule.stages()
                                + " stages; expected one list per stage");
        Checks.positive(microSteps, "train.micro_steps");
        for (int s = 0; s < stages.size(); s++) {
            int stageIndex = s;
            Checks.argument(
                    !stages.get(s).isEmpty(),
                    () ->
                            "curriculum: stage "
                                    + stageIndex
                                    + " has no examples after reading and truncation (0);"
                                    + " expected every stage to have examples. Use fewer stages"
                                    + " or data with more rated responses per prompt");
            sources.add(
                    new CollatedSource<>(
                            stages.get(s), new ShuffleSampler(seed + s), batchSize, collate));
        }
        this.stages = stages;
        this.schedule = schedule;
        this.batchSize = batchSize;
        this.microSteps = microSteps;
    }

    /** The stage of the next micro-batch. */
    public int stage() {
        return stageOfBatch(batches);
    }

    private int stageOfBatch(long batch) {
        return schedule.stageOf(batch / microSteps + 1);
    }

    private long firstBatch(int s) {
        return (schedule.firstStep(s) - 1) * microSteps;
    }

    @Override
    public B next(NDManager manager) {
        int s = stageOfBatch(batches);
        if (s != stage) {
            stage = s;
            sources.get(s).seek(DataPosition.start());
        }
        B batch = sources.get(s).next(manager);
        batches++;
        return batch;
    }

    @Override
    public DataPosition position() {
        int s = stageOfBatch(batches);
        return new DataPosition(s, (batches - firstBatch(s)) * batchSize);
    }

    @Override
    public void seek(DataPosition position) {
        int s = (int) position.epoch();
        Checks.argument(
                s >= 0 && s < stages.size() && position.index() % batchSize == 0,
                () ->
                        "curriculum: cannot resume at "
                                + position
                                + "; expected (stage < "
                                + stages.size()
                                + ", a multiple of the batch size "
                                + batchSize
                                + ")");
        batches = firstBatch(s) + position.index() / batchSize;
        stage = s;
        sources.get(s).seek(DataPosition.start().advance(position.index(), stages.get(s).size()));
    }
}
