package dev.reward4j.trainers.loop;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import dev.reward4j.core.data.DataPosition;
import dev.reward4j.trainers.checkpoint.TrainerState;
import dev.reward4j.trainers.metrics.MetricBag;
import dev.reward4j.trainers.optim.GlobalNormClip;
import dev.reward4j.trainers.optim.GradientNorm;
import dev.reward4j.trainers.optim.Gradients;
import dev.reward4j.trainers.optim.LossScaler.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One training loop for every objective. Each optimizer step, top to bottom:
 *
 * <ol>
 *   <li>learning rate from the schedule;
 *   <li>micro-steps: a batch in a per-micro-step sub-manager, forward + backward of the loss
 *       <em>sum</em> inside an {@code NDScope}; gradients accumulate; nothing is read back;
 *   <li>one host transfer per optimizer step: the micro-steps' loss sums, the squared gradient norm
 *       and the objectives' {@link DeferredMetrics} (on a GPU, the only synchronisation of the
 *       step);
 *   <li>unscale + clip: the accumulated gradient is measured after division by (loss scale &times;
 *       total units of the step), so it equals the gradient of the mean loss of the un-accumulated
 *       batch; the optimizer applies that division and the global-norm clip factor as one
 *       multiplier, in float32;
 *   <li>non-finite guard / loss-scaler verdict, then the optimizer step (outside any scope), which
 *       zeroes gradients;
 *   <li>metrics: the (sum, count) bags of all micro-steps merged and divided once; log; evaluate;
 *       checkpoint.
 * </ol>
 *
 * <p>{@link #stopWhen} lets another thread (a signal handler) stop the run between two steps: the
 * loop writes a checkpoint of the last completed step (unless it just wrote one) and returns, so
 * the engine is never interrupted inside a forward or backward pass and the run resumes exactly.
 *
 * <p>A NaN or infinite loss or gradient stops the run, before the optimizer step, with a {@link
 * NonFiniteException} naming the step and the example ids (of the micro-batch whose loss was not
 * finite); no checkpoint is written after the failure, so the last good one stays untouched. Not
 * thread-safe: run it on the thread that owns the engine's gradient collector.
 *
 * @param <B> the batch type
 */
public final class TrainLoop<B extends AutoCloseable> {
    private final LoopParts<B> parts;
    private final Collection<NDArray> params;
    private final GradientNorm gradNorm;
    private long step;
    private long skipped;
    private Path lastCheckpoint;
    private long lastCheckpointStep = -1;
    private BooleanSupplier stopRequested = () -> false;
    private boolean stopped;

    /**
     * Creates the loop; on resume ({@code start.step() > 0}) moves the data source and the loss
     * scaler to the saved state.
     */
    public TrainLoop(LoopParts<B> parts) {
        this.parts = parts;
        this.params = parts.optimizer().parameters();
        // multi-tensor norm when the optimizer runs fused (one switch for both); the kernel lives
        // in the parameters' (engine) manager
        this.gradNorm =
                GradientNorm.create(
                        params.iterator().next().getManager(), parts.optimizer().isFused());
        TrainerState s = parts.start();
        this.step = s.step();
        this.skipped = s.skippedSteps();
        if (s.step() > 0) {
            parts.source().seek(new DataPosition(s.epoch(), s.index()));
        }
        if (s.lossScaler().length > 0) {
            parts.scaler().restore(s.lossScaler());
        }
        if (s.objectiveState().length > 0) {
            parts.objective().restore(s.objectiveState());
        }
    }

    /**
     * Stops the run at the next step boundary once {@code stop} returns true (checked before each
     * step; a checkpoint of the last completed step is written first). Returns this loop.
     */
    public TrainLoop<B> stopWhen(BooleanSupplier stop) {
        this.stopRequested = java.util.Objects.requireNonNull(stop, "stop");
        return this;
    }

    /**
     * Whether {@link #run()} returned early because the stop condition of {@link #stopWhen} held.
     */
    public boolean stopped() {
        return stopped;
    }

    /** Runs until {@code options.maxSteps()} (or a stop request); returns the summary. */
    public LoopResult run() {
        LoopOptions opt = parts.options();
        List<Double> losses = new ArrayList<>();
        Map<String, Double> lastTrain = Map.of();
        Map<String, Double> lastEval = Map.of();
        long totalTokens = 0;
        double totalUnits = 0;
        long begin = System.nanoTime();
        long first = step;
        while (step < opt.maxSteps()) {
            if (stopRequested.getAsBoolean()) {
                // between two steps: nothing of the engine is running; save what was done
                if (parts.checkpoint() != null && step > first && lastCheckpointStep != step) {
                    checkpoint();
                }
                stopped = true;
                break;
            }
            long current = step + 1;
            long t0 = System.nanoTime();
            // 1. schedule
            double lr = parts.schedule().at(current);
            // 2. micro-steps: accumulate gradients of loss sums (no host read inside)
            double scale = parts.scaler().scale();
            MetricBag bag = new MetricBag();
            List<String> ids = new ArrayList<>();
            long tokens = 0;
            GlobalNormClip.Result clip;
            try (NDManager stepManager = parts.manager().newSubManager()) {
                List<Micro> micros = new ArrayList<>();
                for (int micro = 0; micro < opt.microSteps(); micro++) {
                    Micro m = microStep(current, micro, scale, stepManager);
                    micros.add(m);
                    ids.addAll(m.result().exampleIds());
                    tokens += m.result().tokens();
                }
                // 3. the step's one host transfer: loss sums, gradient norm, deferred metrics
                NDArray squares =
                        Gradients.withGradModeOff(
                                () -> gradNorm.sumOfSquares(params, 1.0 / scale, stepManager));
                List<NDArray> reads = new ArrayList<>();
                micros.forEach(m -> reads.add(m.loss()));
                if (squares != null) {
                    reads.add(squares);
                }
                List<DeferredMetrics> pending = new ArrayList<>();
                for (Micro m : micros) {
                    if (m.result().deferred() != null) {
                        pending.add(m.result().deferred());
                    }
                }
                List<double[]> host = DeferredMetrics.readAll(reads, pending);
                for (int i = 0; i < micros.size(); i++) {
                    double lossSum = host.get(i)[0];
                    StepResult r = micros.get(i).result();
                    if (!Double.isFinite(lossSum)) {
                        Gradients.zero(params);
                        throw new NonFiniteException(
                                "loss (" + lossSum + ")",
                                current,
                                r.exampleIds(),
                                checkpointName());
                    }
                    MetricBag m = r.metrics();
                    m.add("loss", lossSum, r.units());
                    bag.merge(m);
                }
                // unscale by (loss scale x total units), clip
                double units = bag.count("loss");
                double sumOfSquares = squares == null ? -1 : host.get(micros.size())[0];
                clip =
                        parts.clip()
                                .fromSumOfSquares(sumOfSquares, scale, scale * Math.max(units, 1));
            }
            double units = bag.count("loss");
            totalTokens += tokens;
            totalUnits += units;
            double gradNorm = units == 0 ? 0 : clip.norm();
            // 4. guard + optimizer step (outside any NDScope; zeroes the gradients)
            Verdict verdict = parts.scaler().update(Double.isFinite(gradNorm));
            if (verdict == Verdict.APPLY) {
                parts.optimizer().step(lr, clip.gradMultiplier());
            } else {
                if (verdict == Verdict.FAIL) {
                    List<String> bad = Gradients.nonFinite(parts.optimizer().namedParameters());
                    Gradients.zero(params);
                    String where =
                            bad.isEmpty()
                                    ? ""
                                    : " in "
                                            + (bad.size() > 5
                                                    ? bad.subList(0, 5)
                                                            + " and "
                                                            + (bad.size() - 5)
                                                            + " more"
                                                    : bad);
                    throw new NonFiniteException(
                            "gradient (norm " + gradNorm + ")" + where,
                            current,
                            ids,
                            checkpointName());
                }
                Gradients.zero(params);
                skipped++;
            }
            step = current;
            // 5. metrics, divided once over the whole step
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Double> values = new LinkedHashMap<>(bag.means());
            values.put("grad_norm", gradNorm);
            values.put("lr", lr);
            values.put("tokens_per_s", tokens / seconds);
            values.put("examples_per_s", units / seconds);
            values.putAll(parts.scaler().metrics());
            losses.add(values.getOrDefault("loss", Double.NaN));
            lastTrain = values;
            if (step % opt.logEvery() == 0 || step == opt.maxSteps()) {
                parts.sink().record("train", step, values);
            }
            boolean last = step == opt.maxSteps();
            if (parts.evaluator() != null
                    && ((opt.evalEvery() > 0 && step % opt.evalEvery() == 0) || last)) {
                lastEval = parts.evaluator().evaluate(step);
                parts.sink().record("eval", step, lastEval);
            }
            if (parts.checkpoint() != null
                    && ((opt.checkpointEvery() > 0 && step % opt.checkpointEvery() == 0) || last)) {
                checkpoint();
            }
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        return new LoopResult(
                step,
                losses,
                lastTrain,
                lastEval,
                skipped,
                seconds,
                lastCheckpoint,
                totalTokens,
                totalUnits);
    }

    /** A micro-step's result and its loss sum, kept (detached) until the step's host read. */
    private record Micro(StepResult result, NDArray loss) {}

    /**
     * Forward + backward of one micro-batch. Reads nothing from the device: the loss sum and the
     * deferred metrics are moved into {@code stepManager} for the step's single host transfer.
     */
    private Micro microStep(long current, int micro, double scale, NDManager stepManager) {
        try (NDManager microManager = parts.manager().newSubManager();
                B batch = parts.source().next(microManager);
                NDScope ignored = new NDScope();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            StepContext ctx =
                    new StepContext(
                            current, micro, parts.options().microSteps(), microManager, true);
            StepResult r = parts.objective().compute(batch, ctx);
            NDArray loss = DeferredMetrics.keep(r.loss(), stepManager);
            if (r.deferred() != null) {
                r.deferred().keepIn(stepManager);
            }
            gc.backward(scale == 1.0 ? r.loss() : r.loss().mul(Scalars.of(r.loss(), scale)));
            return new Micro(r, loss);
        } catch (Exception e) {
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(
                    "train: closing micro-batch of step " + current + " failed", e);
        }
    }

    private void checkpoint() {
        DataPosition pos = parts.source().position();
        TrainerState state =
                new TrainerState(
                        step,
                        pos.epoch(),
                        pos.index(),
                        parts.start().seed(),
                        parts.scaler().state(),
                        skipped,
                        parts.objective().state());
        try {
            lastCheckpoint = parts.checkpoint().save(state);
            lastCheckpointStep = step;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "train: checkpoint of step " + step + " failed; the previous one is intact", e);
        }
    }

    private String checkpointName() {
        return lastCheckpoint == null ? "(none written in this run)" : lastCheckpoint.toString();
    }

    /** The last completed optimizer step. */
    public long step() {
        return step;
    }
}
