package dev.reward4j.bench.losses;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.reward4j.losses.ListwiseObjective;
import dev.reward4j.losses.PairLogps;
import dev.reward4j.losses.PairwisePolicyObjective;
import dev.reward4j.losses.Reduction;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.losses.RewardPair;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Losses on CPU: Bradley-Terry on rewards (B), DPO on summed log-probs (B), Plackett-Luce on scores
 * (B, 4); forward only and forward+backward. Inputs live in the trial manager; every invocation's
 * temporaries are closed by an {@code NDScope} inside the method (JMH sample 38), and a host value
 * is read back to force completion. Gradients accumulate into the inputs across invocations (never
 * read), which costs the same as a fresh gradient.
 *
 * <pre>
 * java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=2 -jar benchmarks/target/benchmarks.jar LossBench
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 2,
        jvmArgsAppend = {"-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true"})
public class LossBench {
    private static final int LIST = 4;

    /** Pairs (or lists) per batch. */
    @Param({"8", "32", "1024"})
    public int batch;

    private NDManager manager;
    private NDArray chosen;
    private NDArray rejected;
    private NDArray refChosen;
    private NDArray refRejected;
    private NDArray scores;
    private NDArray labels;
    private final RewardModelObjective bt = RewardModelObjective.BradleyTerry.defaults();
    private final PairwisePolicyObjective dpo = PairwisePolicyObjective.Dpo.defaults();
    private final ListwiseObjective pl = new ListwiseObjective.PlackettLuce();

    /** Creates the inputs once per trial. */
    @Setup(Level.Trial)
    public void setUp() {
        manager = NDManager.newBaseManager(Device.cpu());
        manager.getEngine().setRandomSeed(7);
        chosen = manager.randomNormal(new Shape(batch));
        rejected = manager.randomNormal(new Shape(batch));
        refChosen = manager.randomNormal(new Shape(batch)).sub(20f);
        refRejected = manager.randomNormal(new Shape(batch)).sub(20f);
        scores = manager.randomNormal(new Shape(batch, LIST));
        labels = manager.arange(0f, LIST).tile(batch).reshape(batch, LIST);
        for (NDArray a : new NDArray[] {chosen, rejected, scores}) {
            a.setRequiresGradient(true);
        }
    }

    /** Frees the inputs. */
    @TearDown(Level.Trial)
    public void tearDown() {
        manager.close();
    }

    /** Bradley-Terry loss, forward only. */
    @Benchmark
    public float bradleyTerryForward() {
        try (NDScope scope = new NDScope()) {
            return bt.apply(RewardPair.of(chosen, rejected), null, Reduction.MEAN)
                    .loss()
                    .getFloat();
        }
    }

    /** Bradley-Terry loss, forward and backward. */
    @Benchmark
    public float bradleyTerryForwardBackward() {
        try (NDScope scope = new NDScope();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = bt.apply(RewardPair.of(chosen, rejected), null, Reduction.MEAN).loss();
            gc.backward(loss);
            return loss.getFloat();
        }
    }

    /** DPO loss, forward and backward. */
    @Benchmark
    public float dpoForwardBackward() {
        try (NDScope scope = new NDScope();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss =
                    dpo.apply(
                                    PairLogps.of(chosen, rejected, refChosen, refRejected),
                                    null,
                                    Reduction.MEAN)
                            .loss();
            gc.backward(loss);
            return loss.getFloat();
        }
    }

    /** Plackett-Luce (ListMLE) loss over lists of 4, forward and backward. */
    @Benchmark
    public float plackettLuceForwardBackward() {
        try (NDScope scope = new NDScope();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = pl.apply(scores, labels, null, null, Reduction.MEAN).loss();
            gc.backward(loss);
            return loss.getFloat();
        }
    }
}
