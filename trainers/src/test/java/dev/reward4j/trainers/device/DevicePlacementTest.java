package dev.reward4j.trainers.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.core.data.DataPosition;
import dev.reward4j.core.data.Packer;
import dev.reward4j.core.data.Padding;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.Sampler;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.TokenizedSequence;
import dev.reward4j.core.model.Architecture;
import dev.reward4j.core.model.AttentionImpl;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelConfig;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.testing.DeviceCheckingManager;
import dev.reward4j.losses.PairwisePolicyObjective;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.trainers.checkpoint.TrainerState;
import dev.reward4j.trainers.loop.BatchSource;
import dev.reward4j.trainers.loop.LoopOptions;
import dev.reward4j.trainers.loop.LoopParts;
import dev.reward4j.trainers.loop.TrainLoop;
import dev.reward4j.trainers.loop.TrainingStep;
import dev.reward4j.trainers.optim.AdamW;
import dev.reward4j.trainers.optim.AdamWConfig;
import dev.reward4j.trainers.optim.GlobalNormClip;
import dev.reward4j.trainers.optim.LossScaler;
import dev.reward4j.trainers.optim.LrSchedule;
import dev.reward4j.trainers.reference.FrozenReference;
import dev.reward4j.trainers.run.CollatedSource;
import dev.reward4j.trainers.step.PackedRewardPairsStep;
import dev.reward4j.trainers.step.PolicyPairsStep;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Device placement by construction: a training run creates every array (model, reference, optimizer
 * state, batches, masks, constants, intermediates) on the run's device. Batches are created through
 * a {@link DeviceCheckingManager}, and at every micro-step the model's and the reference's manager
 * trees (parameters, optimizer state, step managers) are audited. On this CPU machine the run
 * device is the CPU; a run audited against a non-CPU device shows the check fails on host-resident
 * arrays; the {@code gpu}-tagged test runs the same audit on a GPU.
 */
class DevicePlacementTest {
    private static final ModelConfig TINY =
            ModelConfig.of(Architecture.LLAMA, 64, 32, 2, 4, 2, 64).withMaxPositions(64);

    /** What a run saw: decorator violations, audit findings, arrays audited. */
    record Report(List<String> violations, List<String> audit, int audited) {}

    private static List<TokenizedPair> pairs(int n) {
        Random r = new Random(3);
        List<TokenizedPair> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(
                    new TokenizedPair(
                            "p" + i,
                            seq(r, 6 + r.nextInt(10)),
                            seq(r, 6 + r.nextInt(10)),
                            OptionalDouble.empty(),
                            1.0,
                            Source.memory(i)));
        }
        return out;
    }

    private static TokenizedSequence seq(Random r, int len) {
        int[] ids = new int[len];
        ids[0] = 1;
        for (int t = 1; t < len; t++) {
            ids[t] = 3 + r.nextInt(60);
        }
        return new TokenizedSequence(ids, 3);
    }

    /** A source whose batches are built through a device-checking manager. */
    private static <B> BatchSource<B> checked(
            BatchSource<B> inner, Device expected, List<DeviceCheckingManager> used) {
        return new BatchSource<>() {
            @Override
            public B next(NDManager m) {
                DeviceCheckingManager d = DeviceCheckingManager.wrap(m, expected);
                used.add(d);
                return inner.next(d);
            }

            @Override
            public DataPosition position() {
                return inner.position();
            }

            @Override
            public void seek(DataPosition p) {
                inner.seek(p);
            }
        };
    }

    /** An objective that audits the given managers' trees at every micro-step. */
    private static <B> TrainingStep<B> audited(
            TrainingStep<B> inner,
            Device expected,
            List<String> audit,
            int[] audited,
            NDManager... roots) {
        return (batch, ctx) -> {
            var r = inner.compute(batch, ctx); // forward done: masks, constants, activations exist
            for (NDManager root : roots) {
                audit.addAll(DeviceCheckingManager.audit(root, expected));
                audited[0] += root.getManagedArrays().size();
            }
            return r;
        };
    }

    private static <B extends AutoCloseable> Report train(
            DecoderModel model,
            TrainingStep<B> objective,
            BatchSource<B> source,
            Device expected,
            NDManager... extraRoots) {
        List<DeviceCheckingManager> used = new ArrayList<>();
        List<String> audit = new ArrayList<>();
        int[] audited = {0};
        NDManager[] roots = new NDManager[extraRoots.length + 1];
        roots[0] = model.manager();
        System.arraycopy(extraRoots, 0, roots, 1, extraRoots.length);
        try (AdamW opt = new AdamW(model.parameters(), AdamWConfig.defaults(), model.manager())) {
            new TrainLoop<>(
                            new LoopParts<>(
                                    model.manager(),
                                    audited(objective, expected, audit, audited, roots),
                                    checked(source, expected, used),
                                    opt,
                                    new LrSchedule.Constant(1e-3, 0),
                                    new GlobalNormClip(1.0),
                                    LossScaler.none(),
                                    (p, s, v) -> {},
                                    null,
                                    null,
                                    LoopOptions.defaults().withMaxSteps(2).withMicroSteps(2),
                                    new TrainerState(0, 0, 0, 1, null, 0)))
                    .run();
        }
        List<String> violations = new ArrayList<>();
        used.forEach(d -> violations.addAll(d.violations()));
        return new Report(violations, audit, audited[0]);
    }

    private static Report rewardModelRun(Device device, Device expected) {
        ModelOptions options =
                ModelOptions.defaults().withDevice(device).withAttention(AttentionImpl.FUSED);
        try (DecoderModel model = DecoderModel.create(TINY, ModelHead.REWARD, 1, options)) {
            model.setTrainable(true);
            Packer packer = new Packer(32, 0);
            return train(
                    model,
                    new PackedRewardPairsStep(model, RewardModelObjective.BradleyTerry.defaults()),
                    new CollatedSource<>(pairs(16), Sampler.sequential(), 4, packer::packPairs),
                    expected);
        }
    }

    private static Report dpoRun(Device device, Device expected) {
        ModelOptions options = ModelOptions.defaults().withDevice(device);
        try (DecoderModel policy = DecoderModel.create(TINY, ModelHead.LM, 1, options);
                DecoderModel ref = DecoderModel.create(TINY, ModelHead.LM, 1, options)) {
            policy.setTrainable(true);
            PairCollator collator = new PairCollator(Padding.right(0));
            return train(
                    policy,
                    new PolicyPairsStep(
                            policy, new PairwisePolicyObjective.Dpo(0.1), new FrozenReference(ref)),
                    new CollatedSource<>(pairs(16), Sampler.sequential(), 4, collator::collate),
                    expected,
                    ref.manager());
        }
    }

    @Nested
    class OnTheRunDevice {
        @Test
        void aPackedFusedRewardModelRunCreatesNothingOffTheCpu() {
            Report r = rewardModelRun(Device.cpu(), Device.cpu());
            assertEquals(List.of(), r.violations());
            assertEquals(List.of(), r.audit());
            assertTrue(r.audited() > 100, "audited " + r.audited() + " arrays"); // not vacuous
        }

        @Test
        void aDpoRunWithAReferenceModelCreatesNothingOffTheCpu() {
            Report r = dpoRun(Device.cpu(), Device.cpu());
            assertEquals(List.of(), r.violations());
            assertEquals(List.of(), r.audit());
            assertTrue(r.audited() > 100, "audited " + r.audited() + " arrays");
        }
    }

    @Nested
    class TheCheckCanFail {
        @Test
        void hostResidentArraysAreReportedWhenAnAcceleratorIsConfigured() {
            // the arrays live on the CPU while the run is said to use gpu(0): every batch array
            // and every parameter, optimizer state and activation must be reported
            Report r = rewardModelRun(Device.cpu(), Device.gpu(0));
            assertFalse(r.violations().isEmpty());
            assertTrue(
                    r.violations().get(0).contains("on cpu()")
                            && r.violations().get(0).contains("expected gpu(0)"),
                    r.violations().get(0));
            assertTrue(
                    r.audit().stream().anyMatch(s -> s.contains("model.embed_tokens.weight")),
                    "the parameters are named in the audit");
            assertEquals(r.audited(), r.audit().size()); // every audited array is on the CPU
        }

        @Test
        void aDeliberateWrongDeviceRequestIsCaughtBeforeAnythingIsCreated() {
            try (NDManager base = NDManager.newBaseManager(Device.cpu())) {
                DeviceCheckingManager m = DeviceCheckingManager.wrap(base, Device.cpu());
                m.zeros(new Shape(2), DataType.FLOAT32); // right device: fine
                assertEquals(List.of(), m.violations());
                assertThrows(IllegalStateException.class, () -> m.newSubManager(Device.gpu(0)));
                assertEquals(1, m.violations().size());
                assertTrue(m.violations().get(0).contains("gpu(0)"), m.violations().get(0));
            }
        }
    }

    /** On a GPU node: {@code mvn -B -ntp verify -Dgroups=gpu -Dsurefire.excludedGroups=slow}. */
    @Test
    @Tag("gpu")
    void onAGpuEveryArrayOfTheRunIsOnTheGpu() {
        Device gpu = Device.gpu(0);
        for (Report r : List.of(rewardModelRun(gpu, gpu), dpoRun(gpu, gpu))) {
            assertEquals(List.of(), r.violations());
            assertEquals(List.of(), r.audit());
        }
    }
}
