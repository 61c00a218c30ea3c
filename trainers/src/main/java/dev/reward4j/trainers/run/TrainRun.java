package dev.reward4j.trainers.run;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reward4j.core.data.Format;
import dev.reward4j.core.data.JointPreferenceFormat;
import dev.reward4j.core.data.ListCollator;
import dev.reward4j.core.data.Packer;
import dev.reward4j.core.data.Padding;
import dev.reward4j.core.data.PaddingSide;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.PointwiseCollator;
import dev.reward4j.core.data.PreferenceTripleFormat;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.SequenceCollator;
import dev.reward4j.core.data.ShuffleSampler;
import dev.reward4j.core.data.SplitFilter;
import dev.reward4j.core.data.StepCollator;
import dev.reward4j.core.data.StepwiseFormat;
import dev.reward4j.core.data.TokenizedList;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.TokenizedRated;
import dev.reward4j.core.data.TokenizedSteps;
import dev.reward4j.core.data.TokenizedUnpaired;
import dev.reward4j.core.data.TripleCollator;
import dev.reward4j.core.data.UnpairedCollator;
import dev.reward4j.core.data.UserIndex;
import dev.reward4j.core.data.UserPairBatch;
import dev.reward4j.core.data.UserPairCollator;
import dev.reward4j.core.data.WeightedSequence;
import dev.reward4j.core.heads.HeadLayout;
import dev.reward4j.core.heads.IdealPointParameters;
import dev.reward4j.core.heads.MixtureHead;
import dev.reward4j.core.heads.PreferenceEmbeddingHead;
import dev.reward4j.core.heads.ScalarHeads;
import dev.reward4j.core.heads.StepHead;
import dev.reward4j.core.heads.UserTable;
import dev.reward4j.core.model.AttentionImpl;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelConfig;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.pipeline.DataPipeline;
import dev.reward4j.core.pipeline.Prepared;
import dev.reward4j.core.pipeline.Staged;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.core.text.TruncationPolicy;
import dev.reward4j.core.transform.ChainOfHindsight;
import dev.reward4j.core.transform.ClassConditioning;
import dev.reward4j.core.transform.CurryCurriculum;
import dev.reward4j.losses.DensityRatioClassifier;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.losses.StepObjective;
import dev.reward4j.losses.UnpairedObjective;
import dev.reward4j.trainers.arm.AutoregressiveRewardPairsStep;
import dev.reward4j.trainers.checkpoint.Checkpointer;
import dev.reward4j.trainers.checkpoint.RunInfo;
import dev.reward4j.trainers.checkpoint.TrainerState;
import dev.reward4j.trainers.config.ConfigException;
import dev.reward4j.trainers.config.DataFormat;
import dev.reward4j.trainers.config.DataSection;
import dev.reward4j.trainers.config.ExampleKind;
import dev.reward4j.trainers.config.ObjectiveConfig;
import dev.reward4j.trainers.config.RelabelSection;
import dev.reward4j.trainers.config.RunConfig;
import dev.reward4j.trainers.config.ScheduleSection;
import dev.reward4j.trainers.config.TrainSection;
import dev.reward4j.trainers.corpus.ShardManifest;
import dev.reward4j.trainers.corpus.TokenizedShards;
import dev.reward4j.trainers.curriculum.CurriculumSchedule;
import dev.reward4j.trainers.curriculum.CurriculumStep;
import dev.reward4j.trainers.curriculum.StagedSource;
import dev.reward4j.trainers.device.DeviceSpec;
import dev.reward4j.trainers.diagnostics.ChesFilter;
import dev.reward4j.trainers.diagnostics.Diagnosis;
import dev.reward4j.trainers.diagnostics.DiagnosticsSink;
import dev.reward4j.trainers.diagnostics.PairDiagnostics;
import dev.reward4j.trainers.ensemble.EnsembleHeadsStep;
import dev.reward4j.trainers.gpm.GeneralPreferenceStep;
import dev.reward4j.trainers.loop.BatchSource;
import dev.reward4j.trainers.loop.CheckpointHook;
import dev.reward4j.trainers.loop.Evaluator;
import dev.reward4j.trainers.loop.LoopParts;
import dev.reward4j.trainers.loop.LoopResult;
import dev.reward4j.trainers.loop.StepEvaluator;
import dev.reward4j.trainers.loop.TrainLoop;
import dev.reward4j.trainers.loop.TrainingStep;
import dev.reward4j.trainers.metrics.JsonlMetricSink;
import dev.reward4j.trainers.metrics.MetricSink;
import dev.reward4j.trainers.metrics.MetricSinks;
import dev.reward4j.trainers.metrics.MetricsLog;
import dev.reward4j.trainers.metrics.RunSummary;
import dev.reward4j.trainers.metrics.SummaryFile;
import dev.reward4j.trainers.metrics.SummarySink;
import dev.reward4j.trainers.metrics.TensorBoardSink;
import dev.reward4j.trainers.optim.AdamW;
import dev.reward4j.trainers.optim.DynamicLossScaler;
import dev.reward4j.trainers.optim.LossScaler;
import dev.reward4j.trainers.pluralistic.IdealPointPairsStep;
import dev.reward4j.trainers.pluralistic.MixturePairsStep;
import dev.reward4j.trainers.pluralistic.UserClusterStep;
import dev.reward4j.trainers.pluralistic.UserClusters;
import dev.reward4j.trainers.pluralistic.UserRoutedMixtureStep;
import dev.reward4j.trainers.preference.LabelSource;
import dev.reward4j.trainers.preference.PairVariantsStep;
import dev.reward4j.trainers.preference.TokenMaskSource;
import dev.reward4j.trainers.preference.TokenPairsStep;
import dev.reward4j.trainers.preference.TriplesStep;
import dev.reward4j.trainers.process.ProcessRewardStep;
import dev.reward4j.trainers.reference.FrozenReference;
import dev.reward4j.trainers.reference.PairReference;
import dev.reward4j.trainers.reference.ReferenceCache;
import dev.reward4j.trainers.step.PackedRewardPairsStep;
import dev.reward4j.trainers.step.PolicyListsStep;
import dev.reward4j.trainers.step.PolicyPairsStep;
import dev.reward4j.trainers.step.PolicyUnpairedStep;
import dev.reward4j.trainers.step.PromptEmbeddings;
import dev.reward4j.trainers.step.RegressionStep;
import dev.reward4j.trainers.step.RewardListsStep;
import dev.reward4j.trainers.step.RewardPairsEvaluator;
import dev.reward4j.trainers.step.RewardPairsStep;
import dev.reward4j.trainers.step.WeightedNllStep;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * Builds and runs one training from a resolved {@link RunConfig}: device, tokenizer, data, model
 * (resumed from the newest checkpoint when there is one), reference, objective, AdamW, schedule and
 * the loop. The objective family is chosen here, at the configuration edge; the loop never branches
 * on it.
 *
 * <p>With {@code data.packing} (pairwise reward models only) each training micro-batch's pairs are
 * packed into rows of {@code data.max_length} tokens and trained with {@link
 * PackedRewardPairsStep}; the data position (and so resume) is the same as padded training, since
 * packing only changes how a micro-batch's pairs are laid out. Held-out evaluation stays padded, so
 * its numbers are comparable with an unpacked run.
 *
 * <p>Output directory ({@link RunDirectory}): {@code run.json} (the run's record), {@code
 * metrics.jsonl}, {@code checkpoints/checkpoint-N/} (HF model, optimizer, trainer state, {@code
 * reward4j-config.json}, {@code run.json}), {@code final/} (HF model + tokenizer, written
 * atomically) and {@code summary.json} (written last). A directory that already holds a run is
 * resumed only when this configuration is the same run ({@link RunIdentity}); see {@link
 * ResumeMode}. A finished run is never rewritten.
 *
 * <p>{@code train.epochs} and {@code schedule.warmup_ratio} are resolved into {@code max_steps} and
 * {@code warmup_steps} once the training data is tokenized; the resolved values are what the
 * checkpoints and {@code run.json} record.
 */
public final class TrainRun implements AutoCloseable {
    /** The metrics file in the run directory. */
    public static final String METRICS_FILE = "metrics.jsonl";

    private RunConfig cfg;
    private final ObjectNode resolved;
    private final PrintStream log;
    private final LongFunction<MetricSink> progress;

    /**
     * Response tokens per vocabulary chunk of the token-level objectives' KL (at most one (chunk x
     * vocabulary) block of logits per model is alive; see {@link TokenPairsStep}).
     */
    static final int TOKEN_KL_CHUNK = 128;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private StopRequest stop = new StopRequest();
    private ResumeMode resumeMode;
    private Path modelDir;
    private ModelConfig modelConfig;
    private RunDirectory runDir;
    private RunInfo requested;
    private Session session;

    /**
     * Creates a run that reports only through {@code log} lines and its run directory; {@code
     * resolved} is the configuration tree stored with every checkpoint.
     */
    public TrainRun(RunConfig cfg, ObjectNode resolved, PrintStream log) {
        this(cfg, resolved, log, MetricSink.NONE);
    }

    /**
     * Creates a run that also sends every logged record to {@code progress} (e.g. a console
     * progress bar; closed by the run).
     */
    public TrainRun(RunConfig cfg, ObjectNode resolved, PrintStream log, MetricSink progress) {
        this(cfg, resolved, log, steps -> progress);
    }

    /**
     * Creates a run whose progress sink is made by {@code progress} from the number of steps of the
     * run (known once {@code train.epochs} is resolved against the data; closed by the run).
     */
    public TrainRun(
            RunConfig cfg,
            ObjectNode resolved,
            PrintStream log,
            LongFunction<MetricSink> progress) {
        this.cfg = cfg;
        this.resolved = resolved;
        this.log = log;
        this.progress = progress;
        this.resumeMode = cfg.checkpoint().resume() ? ResumeMode.AUTO : ResumeMode.NEVER;
    }

    /**
     * Lets {@code stop} end the run at the next step boundary (after a checkpoint); the request is
     * armed when the loop starts. Returns this run.
     */
    public TrainRun withStop(StopRequest stop) {
        this.stop = java.util.Objects.requireNonNull(stop, "stop");
        return this;
    }

    /**
     * Sets when the run directory's recorded run is resumed (default: {@link ResumeMode#AUTO} with
     * {@code checkpoint.resume: true}, {@link ResumeMode#NEVER} with false). Returns this run.
     */
    public TrainRun withResumeMode(ResumeMode mode) {
        this.resumeMode = java.util.Objects.requireNonNull(mode, "mode");
        return this;
    }

    /**
     * Where a session of the run starts.
     *
     * @param checkpoint the checkpoint to resume from, empty for step 0
     * @param runId the run's id
     * @param finished the directory holds this run, finished: nothing to do
     */
    private record Session(Optional<Path> checkpoint, String runId, boolean finished) {}

    /** Trains; returns the loop's result, the run's summary and where the model was written. */
    public RunResult run() throws IOException {
        if (cfg.model().path() == null) {
            throw new ConfigException(
                    "model.path: required (got nothing); give a Hugging Face model directory");
        }
        Device device = DeviceSpec.resolve(cfg.train().device());
        boolean fp16 = cfg.model().dtype().equals("float16");
        if (fp16 && Device.Type.CPU.equals(device.getDeviceType())) {
            throw new ConfigException(
                    "model.dtype: float16 needs a GPU (got train.device "
                            + cfg.train().device()
                            + "); use float32 on CPU");
        }
        runDir = RunDirectory.open(Path.of(cfg.train().outputDir()), "train.output_dir");
        modelDir = Path.of(cfg.model().path());
        try {
            modelConfig = ModelConfig.load(modelDir);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("model.path: " + e.getMessage(), e);
        }
        capDefaultMaxLength();
        ModelFit.checkMaxLength("data.max_length", cfg.data().maxLength(), modelConfig, modelDir);
        Path tokenizerDir = Path.of(cfg.model().tokenizerOrModel());
        requested =
                RunInfo.capture(DeviceSpec.name(device), cfg.train().seed(), dataFiles(), resolved)
                        .withIdentity(
                                null,
                                RunInfo.modelDigest(modelDir),
                                RunInfo.tokenizerFacts(tokenizerDir).get("tokenizer_digest"));
        session = decide();
        if (session.finished()) {
            return alreadyFinished();
        }
        runDir.removeLeftovers();
        Checkpointer checkpointer =
                runDir.checkpointer(cfg.checkpoint().keepLast(), session.runId());
        Optional<Path> resume = session.checkpoint();
        resume.ifPresent(p -> log.println("reward4j: resuming from " + p));
        ModelOptions options =
                ModelOptions.defaults()
                        .withDevice(device)
                        .withDtype(fp16 ? DataType.FLOAT16 : DataType.FLOAT32)
                        .withAttention(
                                AttentionImpl.valueOf(
                                        cfg.model().attention().toUpperCase(Locale.ROOT)))
                        .withPooling(cfg.model().rewardPooling());
        Path from = resume.orElse(modelDir);
        TextEncoder encoder = own(TextEncoder.load(tokenizerDir));
        Padding padding = padding(encoder);
        ReadOptions read = ReadOptions.defaults().withLenient(cfg.data().lenient());
        Data data = new Data(encoder, cfg.data().truncationPolicy(), read);
        DataFormat format = cfg.dataFormat();
        ObjectiveConfig objective = cfg.objective();

        return objective.accept(
                new Families(
                        new Start(options, from, tokenizerDir, padding, data, format),
                        resume,
                        checkpointer));
    }

    /**
     * What every family starts from: model options, the directory to load the model from (the
     * configured model or the checkpoint to resume), the tokenizer, the padding, the data reader
     * and the resolved format.
     */
    private record Start(
            ModelOptions options,
            Path model,
            Path tokenizerDir,
            Padding padding,
            Data data,
            DataFormat format) {}

    /**
     * Builds the model, the training step and the held-out evaluation of each objective family and
     * trains (the family dispatch, checked by the compiler through {@link
     * ObjectiveConfig.Visitor}).
     */
    private final class Families implements ObjectiveConfig.Visitor<RunResult, IOException> {
        private final Start s;
        private final Optional<Path> resume;
        private final Checkpointer checkpointer;

        Families(Start start, Optional<Path> resume, Checkpointer checkpointer) {
            this.s = start;
            this.resume = resume;
            this.checkpointer = checkpointer;
        }

        @Override
        public RunResult rewardPairs(ObjectiveConfig.RewardPairs rp) throws IOException {
            DecoderModel model =
                    rewardModel(s.model(), ModelHead.REWARD, s.options(), s.tokenizerDir());
            RewardPairsStep rm = new RewardPairsStep(model, rp.loss());
            PairCollator collator = new PairCollator(s.padding());
            Function<List<Function<NDManager, PairBatch>>, Evaluator> heldOutRm =
                    heldOut -> new RewardPairsEvaluator(rm, heldOut, model.manager()); // adds ECE
            if (cfg.data().packing()) {
                // training batches packed into max_length rows; held-out stays padded (comparable)
                Packer packer = new Packer(cfg.data().maxLength(), s.padding().padId());
                log.println(
                        "reward4j: packing each micro-batch's pairs into rows of "
                                + cfg.data().maxLength()
                                + " tokens (held-out evaluation stays padded)");
                return train(
                        model,
                        s.tokenizerDir(),
                        s.data().pairs(s.format()),
                        packer::packPairs,
                        new PackedRewardPairsStep(model, rp.loss()),
                        resume,
                        checkpointer,
                        s.data(),
                        collator::collate,
                        heldOutRm);
            }
            return train(
                    model,
                    s.tokenizerDir(),
                    s.data().pairs(s.format()),
                    collator::collate,
                    rm,
                    resume,
                    checkpointer,
                    s.data(),
                    collator::collate,
                    heldOutRm);
        }

        @Override
        public RunResult regression(ObjectiveConfig.Regression r) throws IOException {
            DecoderModel model =
                    rewardModel(
                            s.model(),
                            ModelHead.reward(r.params().numLabels()),
                            s.options(),
                            s.tokenizerDir());
            return train(
                    model,
                    s.tokenizerDir(),
                    s.data().rated(s.format()),
                    new PointwiseCollator(s.padding())::collate,
                    new RegressionStep(model),
                    resume,
                    checkpointer,
                    s.data());
        }

        @Override
        public RunResult rewardLists(ObjectiveConfig.RewardLists rl) throws IOException {
            DecoderModel model =
                    rewardModel(s.model(), ModelHead.REWARD, s.options(), s.tokenizerDir());
            return train(
                    model,
                    s.tokenizerDir(),
                    s.data().lists(s.format()),
                    new ListCollator(s.padding())::collate,
                    new RewardListsStep(model, rl.loss()),
                    resume,
                    checkpointer,
                    s.data());
        }

        @Override
        public RunResult policyPairs(ObjectiveConfig.PolicyPairs pp) throws IOException {
            DecoderModel policy = policy();
            PairCollator collator = new PairCollator(s.padding());
            PairDiagnostics diagnostics =
                    cfg.diagnostics().enabled()
                            ? cfg.diagnostics().pairDiagnostics(objectiveBeta(pp.params()))
                            : null;
            if (cfg.curriculum().enabled()) {
                return curriculum(pp, policy, collator, diagnostics);
            }
            Examples<TokenizedPair> pairs =
                    cfg.relabel().enabled()
                            ? s.data().relabelled(s.format(), cfg.relabel())
                            : s.data().pairs(s.format());
            if (cfg.diagnostics().filter() != null) {
                pairs = chesFiltered(pairs, collator, s.data(), s.options());
            }
            PairReference reference =
                    pp.usesReference()
                            ? pairReference(s.options(), pairs, collator::collate, policy.manager())
                            : null;
            return train(
                    policy,
                    s.tokenizerDir(),
                    pairs,
                    collator::collate,
                    new PolicyPairsStep(policy, pp.loss(), reference, diagnostics),
                    resume,
                    checkpointer,
                    s.data());
        }

        /**
         * Curry-DPO: the staged pairs of the ranked lists, a {@link StagedSource}, and a {@link
         * CurriculumStep} that refreshes the frozen reference at every stage start; a checkpoint
         * after the first stage also holds the reference ({@code reference/}), which a resumed run
         * loads instead of {@code model.reference}.
         */
        private RunResult curriculum(
                ObjectiveConfig.PolicyPairs pp,
                DecoderModel policy,
                PairCollator collator,
                PairDiagnostics diagnostics)
                throws IOException {
            CurryCurriculum curry = cfg.curriculum().curry();
            CurriculumSchedule schedule = cfg.curriculum().schedule(cfg.train().maxSteps());
            Curriculum data = s.data().curriculum(s.format(), curry);
            for (int i = 0; i < data.stages().size(); i++) {
                log.println(
                        "reward4j: curriculum stage "
                                + (i + 1)
                                + " of "
                                + data.stages().size()
                                + ": "
                                + data.stages().get(i).size()
                                + " pairs, steps "
                                + schedule.firstStep(i)
                                + ".."
                                + schedule.ends()[i]);
            }
            Path savedReference = resume.map(p -> p.resolve(REFERENCE_DIR)).orElse(null);
            FrozenReference reference =
                    savedReference != null && Files.isDirectory(savedReference)
                            ? new FrozenReference(
                                    own(
                                            DecoderModel.load(
                                                    savedReference, ModelHead.LM, s.options())))
                            : frozenReference(s.options());
            CurriculumStep<PairBatch> step =
                    new CurriculumStep<>(
                            new PolicyPairsStep(policy, pp.loss(), reference, diagnostics),
                            schedule,
                            reference,
                            policy,
                            stage ->
                                    log.println(
                                            "reward4j: curriculum stage "
                                                    + (stage + 1)
                                                    + ": the reference is now the policy of step "
                                                    + (schedule.firstStep(stage) - 1)));
            StagedSource<TokenizedPair, PairBatch> source =
                    new StagedSource<>(
                            data.stages(),
                            schedule,
                            cfg.train().seed(),
                            cfg.data().batchSize(),
                            cfg.train().microSteps(),
                            collator::collate);
            List<TokenizedPair> all = new ArrayList<>();
            data.stages().forEach(all::addAll);
            return train(
                    policy,
                    s.tokenizerDir(),
                    new Examples<>(all, data.eval()),
                    collator::collate,
                    step,
                    resume,
                    checkpointer,
                    s.data(),
                    collator::collate,
                    heldOut -> new StepEvaluator<>(step, heldOut, policy.manager()),
                    source,
                    new Extras(
                            dir -> {
                                if (step.stage() > 0) {
                                    reference
                                            .model()
                                            .save(dir.resolve(REFERENCE_DIR), s.tokenizerDir());
                                }
                            },
                            null,
                            Map.of()));
        }

        @Override
        public RunResult policyUnpaired(ObjectiveConfig.PolicyUnpaired pu) throws IOException {
            DecoderModel policy = policy();
            FrozenReference ref = frozenReference(s.options());
            Examples<TokenizedUnpaired> examples = s.data().unpaired(s.format());
            UnpairedCollator collator = new UnpairedCollator(s.padding());
            // BCO's UDM classifier is fitted once, before training, from a seeded prompt sample
            DensityRatioClassifier udm =
                    pu.loss() instanceof UnpairedObjective.Bco b && b.udm()
                            ? PromptEmbeddings.fitDensityRatio(
                                    ref,
                                    examples.train(),
                                    collator,
                                    b,
                                    cfg.train().seed(),
                                    policy.manager())
                            : null;
            return train(
                    policy,
                    s.tokenizerDir(),
                    examples,
                    collator::collate,
                    new PolicyUnpairedStep(policy, pu.loss(), ref, udm),
                    resume,
                    checkpointer,
                    s.data());
        }

        @Override
        public RunResult policyLists(ObjectiveConfig.PolicyLists pl) throws IOException {
            DecoderModel policy = policy();
            FrozenReference ref = pl.usesReference() ? frozenReference(s.options()) : null;
            return train(
                    policy,
                    s.tokenizerDir(),
                    s.data().lists(s.format()),
                    new ListCollator(s.padding())::collate,
                    new PolicyListsStep(policy, pl.loss(), pl.beta(), ref),
                    resume,
                    checkpointer,
                    s.data());
        }

        @Override
        public RunResult hindsight(ObjectiveConfig.Hindsight h) throws IOException {
            DecoderModel policy = policy();
            return train(
                    policy,
                    s.tokenizerDir(),
                    s.data().hindsight(s.format(), h.params().transform(cfg.train().seed())),
                    new SequenceCollator(s.padding())::collate,
                    new WeightedNllStep(policy),
                    resume,
                    checkpointer,
                    s.data());
        }

        @Override
        public RunResult classConditioned(ObjectiveConfig.ClassConditioned c) throws IOException {
            DecoderModel policy = policy();
            return train(
                    policy,
                    s.tokenizerDir(),
                    s.data().weighted(c.params().transform()),
                    new SequenceCollator(s.padding())::collate,
                    new WeightedNllStep(policy),
                    resume,
                    checkpointer,
                    s.data());
        }

        @Override
        public RunResult tokenPairs(ObjectiveConfig.TokenPairs tp) throws IOException {
            if (cfg.model().referenceCache() != null) {
                throw new ConfigException(
                        "model.reference_cache: objective "
                                + tp.type()
                                + " needs the reference model's full next-token distributions,"
                                + " which a cache of summed log-probs does not hold (got "
                                + cfg.model().referenceCache()
                                + "); expected no reference_cache");
            }
            DecoderModel policy = policy();
            DecoderModel reference =
                    own(
                            DecoderModel.load(
                                    Path.of(cfg.model().referenceOrModel()),
                                    ModelHead.LM,
                                    s.options()));
            PairCollator collator = new PairCollator(s.padding());
            TokenMaskSource masks = new TokenMaskSource.ReferenceActivations();
            Extras extras = Extras.NONE;
            if (tp.learnedMasks()) {
                TokenMaskSource.Learned learned =
                        resume.isPresent()
                                ? LearnedMasks.load(resume.get(), policy)
                                : TokenMaskSource.Learned.create(policy, cfg.train().seed());
                masks = learned;
                // the masks shape training only: the model directory stays a plain policy
                extras =
                        new Extras(
                                dir -> LearnedMasks.save(learned, dir), null, learned.parameters());
            }
            TokenPairsStep step =
                    new TokenPairsStep(policy, reference, tp.loss(), masks, TOKEN_KL_CHUNK);
            return train(
                    policy,
                    s.tokenizerDir(),
                    s.data().pairs(s.format()),
                    collator::collate,
                    step,
                    resume,
                    checkpointer,
                    s.data(),
                    collator::collate,
                    heldOut -> new StepEvaluator<>(step, heldOut, policy.manager()),
                    null,
                    extras);
        }

        @Override
        public RunResult jointPairs(ObjectiveConfig.JointPairs jp) throws IOException {
            return pairVariants(
                    s.data().jointPairs(),
                    true,
                    (policy, reference) -> PairVariantsStep.joint(policy, jp.loss(), reference));
        }

        @Override
        public RunResult labeledPairs(ObjectiveConfig.LabeledPairs lp) throws IOException {
            return pairVariants(
                    s.data().pairs(s.format()),
                    true,
                    (policy, reference) ->
                            PairVariantsStep.labeled(
                                    policy, lp.loss(), reference, LabelSource.margin()));
        }

        @Override
        public RunResult absolutePairs(ObjectiveConfig.AbsolutePairs ap) throws IOException {
            return pairVariants(
                    s.data().pairs(s.format()),
                    false,
                    (policy, reference) -> PairVariantsStep.absolute(policy, ap.loss()));
        }

        @Override
        public RunResult triples(ObjectiveConfig.Triples t) throws IOException {
            DecoderModel policy = policy();
            return train(
                    policy,
                    s.tokenizerDir(),
                    s.data().triples(),
                    new TripleCollator(s.padding())::collate,
                    new TriplesStep(policy, t.loss()),
                    resume,
                    checkpointer,
                    s.data());
        }

        @Override
        public RunResult autoregressiveRewardPairs(ObjectiveConfig.AutoregressiveRewardPairs ar)
                throws IOException {
            return pairVariants(
                    s.data().pairs(s.format()),
                    false,
                    (model, reference) -> new AutoregressiveRewardPairsStep(model, ar.loss()),
                    Extras.layout(new HeadLayout.Autoregressive(ar.loss().betaR())));
        }

        @Override
        public RunResult preferenceEmbeddingPairs(ObjectiveConfig.PreferenceEmbeddingPairs gpm)
                throws IOException {
            PreferenceEmbeddingHead head = gpm.params().head();
            return rewardHeads(
                    head.modelHead(),
                    model -> new GeneralPreferenceStep(model, head, gpm.params().loss()),
                    new HeadLayout.PreferenceEmbedding(head.k(), head.gated(), gpm.params().tau()));
        }

        @Override
        public RunResult processReward(ObjectiveConfig.ProcessReward prm) throws IOException {
            DecoderModel model =
                    rewardModel(s.model(), StepHead.modelHead(), s.options(), s.tokenizerDir());
            return train(
                    model,
                    s.tokenizerDir(),
                    s.data().steps(prm.params().separator()),
                    new StepCollator(s.padding())::collate,
                    new ProcessRewardStep(model, new StepObjective.StepBce()),
                    resume,
                    checkpointer,
                    s.data(),
                    Extras.layout(new HeadLayout.ProcessReward(prm.params().separator())));
        }

        @Override
        public RunResult mixturePairs(ObjectiveConfig.MixturePairs m) throws IOException {
            MixtureHead head = m.params().head();
            HeadLayout layout = new HeadLayout.Mixture(head.heads());
            if (!m.params().userRouting()) {
                return rewardHeads(
                        head.modelHead(), model -> new MixturePairsStep(model, head), layout);
            }
            DecoderModel model =
                    rewardModel(s.model(), head.modelHead(), s.options(), s.tokenizerDir());
            Examples<TokenizedPair> pairs = s.data().pairs(s.format());
            UserIndex users = users(pairs);
            UserTable routing =
                    own(
                            resume.isPresent()
                                    ? UserTable.load(
                                            resume.get(), MixtureHead.USER_BIAS, model.manager())
                                    : UserTable.normal(
                                            model.manager(),
                                            MixtureHead.USER_BIAS,
                                            users,
                                            head.heads(),
                                            0.3,
                                            cfg.train().seed()));
            requireRunUsers(routing.users(), users);
            routing.setTrainable(true);
            UserRoutedMixtureStep step = new UserRoutedMixtureStep(model, head, routing);
            CheckpointExtra files =
                    dir -> {
                        layout.write(dir);
                        routing.save(dir);
                    };
            return perUser(
                    model, pairs, users, step, new Extras(files, files, routing.parameters()));
        }

        @Override
        public RunResult ensembleHeadsPairs(ObjectiveConfig.EnsembleHeadsPairs e)
                throws IOException {
            ScalarHeads heads = e.params().scalarHeads();
            return rewardHeads(
                    heads.modelHead(),
                    model ->
                            new EnsembleHeadsStep(
                                    model,
                                    heads,
                                    RewardModelObjective.BradleyTerry.defaults(),
                                    e.params().bootstrap(),
                                    cfg.train().seed()),
                    new HeadLayout.EnsembleHeads(heads.heads()));
        }

        @Override
        public RunResult userClusterPairs(ObjectiveConfig.UserClusterPairs mm) throws IOException {
            ScalarHeads heads = mm.params().heads();
            DecoderModel model =
                    rewardModel(s.model(), heads.modelHead(), s.options(), s.tokenizerDir());
            Examples<TokenizedPair> pairs = s.data().pairs(s.format());
            UserIndex users = users(pairs);
            UserClusters clusters =
                    resume.isPresent()
                            ? UserClusters.load(resume.get(), users, pairs.train())
                            : UserClusters.random(
                                    users, pairs.train(), heads.heads(), cfg.train().seed());
            UserClusterStep step =
                    new UserClusterStep(
                            model,
                            heads,
                            clusters,
                            pairs.train(),
                            s.padding(),
                            mm.params().roundSteps(),
                            cfg.data().evalBatchSize());
            HeadLayout layout = new HeadLayout.UserClusters(heads.heads());
            return perUser(
                    model,
                    pairs,
                    users,
                    step,
                    new Extras(
                            dir -> {
                                layout.write(dir);
                                clusters.save(dir);
                            },
                            dir -> {
                                // the model's clusters: one more E-step on the trained heads
                                int moved = step.expectationStep();
                                log.println(
                                        "reward4j: maxmin users moved per E-step "
                                                + clusters.moved()
                                                + " (final "
                                                + moved
                                                + ")");
                                layout.write(dir);
                                clusters.save(dir);
                            },
                            Map.of()));
        }

        @Override
        public RunResult idealPointPairs(ObjectiveConfig.IdealPointPairs pal) throws IOException {
            ScalarHeads embedding = pal.params().embedding();
            DecoderModel model =
                    rewardModel(s.model(), embedding.modelHead(), s.options(), s.tokenizerDir());
            Examples<TokenizedPair> pairs = s.data().pairs(s.format());
            UserIndex users = users(pairs);
            IdealPointParameters params =
                    own(
                            resume.isPresent()
                                    ? IdealPointParameters.load(resume.get(), model.manager())
                                    : IdealPointParameters.create(
                                            model.manager(),
                                            pal.params().prototypes(),
                                            pal.params().dims(),
                                            users,
                                            cfg.train().seed()));
            requireRunUsers(params.users().users(), users);
            params.setTrainable(true);
            IdealPointPairsStep step =
                    new IdealPointPairsStep(model, embedding, params, pal.params().loss());
            HeadLayout layout =
                    new HeadLayout.IdealPoints(
                            pal.params().prototypes(), pal.params().dims(), pal.params().tau());
            CheckpointExtra files =
                    dir -> {
                        layout.write(dir);
                        params.save(dir);
                    };
            return perUser(
                    model, pairs, users, step, new Extras(files, files, params.parameters()));
        }

        /** A per-user objective: pairs collated with their users' rows, held-out pairs too. */
        private RunResult perUser(
                DecoderModel model,
                Examples<TokenizedPair> pairs,
                UserIndex users,
                TrainingStep<UserPairBatch> step,
                Extras extras)
                throws IOException {
            UserPairCollator collator = new UserPairCollator(s.padding(), users);
            return train(
                    model,
                    s.tokenizerDir(),
                    pairs,
                    collator::collate,
                    step,
                    resume,
                    checkpointer,
                    s.data(),
                    collator::collate,
                    heldOut -> new StepEvaluator<>(step, heldOut, model.manager()),
                    null,
                    extras);
        }

        /** Per-user parameters read from a checkpoint must be those of the run's users. */
        private void requireRunUsers(UserIndex stored, UserIndex users) {
            if (!stored.equals(users)) {
                throw new ConfigException(
                        cfg.objective().type()
                                + ": checkpoint "
                                + resume.orElse(null)
                                + " holds other users than the run's data; expected the"
                                + " checkpoint of this run");
            }
        }

        /**
         * The users of a per-user objective: every pair's {@code user_id}, training and held-out
         * (held-out users without training pairs are reported: their parameters stay untrained).
         */
        private UserIndex users(Examples<TokenizedPair> pairs) {
            List<TokenizedPair> all = new ArrayList<>(pairs.train());
            all.addAll(pairs.eval());
            UserIndex users;
            try {
                users = UserIndex.ofPairs(all);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(
                        "objective.type: "
                                + cfg.objective().type()
                                + " learns per-user parameters: "
                                + e.getMessage(),
                        e);
            }
            java.util.Set<String> trained = new java.util.HashSet<>();
            pairs.train().forEach(p -> p.userId().ifPresent(trained::add));
            long heldOutOnly = users.users().stream().filter(u -> !trained.contains(u)).count();
            log.println(
                    "reward4j: "
                            + users.size()
                            + " users ("
                            + trained.size()
                            + " with training pairs"
                            + (heldOutOnly > 0
                                    ? ", " + heldOutOnly + " only in data.eval: not trained"
                                    : "")
                            + ")");
            return users;
        }

        /**
         * A reward model with {@code head} trained on pairs by the step {@code step} builds, saved
         * with its {@code layout}.
         */
        private RunResult rewardHeads(
                ModelHead head,
                Function<DecoderModel, TrainingStep<PairBatch>> step,
                HeadLayout layout)
                throws IOException {
            DecoderModel model = rewardModel(s.model(), head, s.options(), s.tokenizerDir());
            PairCollator collator = new PairCollator(s.padding());
            return train(
                    model,
                    s.tokenizerDir(),
                    s.data().pairs(s.format()),
                    collator::collate,
                    step.apply(model),
                    resume,
                    checkpointer,
                    s.data(),
                    Extras.layout(layout));
        }

        /**
         * The pair objectives of {@link PairVariantsStep} (and GenARM's): the LM-head model, the
         * reference (frozen model or cache) when {@code usesReference}, and the step built from
         * them.
         */
        private RunResult pairVariants(
                Examples<TokenizedPair> pairs,
                boolean usesReference,
                BiFunction<DecoderModel, PairReference, TrainingStep<PairBatch>> step)
                throws IOException {
            return pairVariants(pairs, usesReference, step, Extras.NONE);
        }

        /** As above, with {@code extras} in checkpoints and model. */
        private RunResult pairVariants(
                Examples<TokenizedPair> pairs,
                boolean usesReference,
                BiFunction<DecoderModel, PairReference, TrainingStep<PairBatch>> step,
                Extras extras)
                throws IOException {
            DecoderModel policy = policy();
            PairCollator collator = new PairCollator(s.padding());
            PairReference reference =
                    usesReference
                            ? pairReference(s.options(), pairs, collator::collate, policy.manager())
                            : null;
            return train(
                    policy,
                    s.tokenizerDir(),
                    pairs,
                    collator::collate,
                    step.apply(policy, reference),
                    resume,
                    checkpointer,
                    s.data(),
                    extras);
        }

        private DecoderModel policy() {
            return own(DecoderModel.load(s.model(), ModelHead.LM, s.options()));
        }
    }

    /**
     * Loads the reward model with the tokenizer it is trained with (which fixes the pad id of its
     * pooling, see {@link DecoderModel#load(Path, ModelHead, ModelOptions, Path)}) and reports the
     * pooling.
     */
    private DecoderModel rewardModel(
            Path start, ModelHead head, ModelOptions options, Path tokenizerDir) {
        DecoderModel model;
        try {
            model = own(DecoderModel.load(start, head, options, tokenizerDir));
        } catch (IllegalArgumentException e) {
            int labels = ModelConfig.load(start).numLabels();
            if (head instanceof ModelHead.Reward r
                    && r.numLabels() != labels
                    && String.valueOf(e.getMessage()).contains("score.weight")) {
                throw new ConfigException(
                        "model.path: "
                                + start
                                + " is a reward model with "
                                + labels
                                + " output(s) (num_labels); objective "
                                + cfg.objective().type()
                                + " needs a score head of "
                                + r.numLabels()
                                + "; expected a causal-LM checkpoint (a fresh head is created) or a"
                                + " model trained with the same objective and keys",
                        e);
            }
            throw e;
        }
        log.println(
                "reward4j: reward head pooling "
                        + model.pooling().key()
                        + (model.poolingPadId() >= 0
                                ? " (pad id " + model.poolingPadId() + ")"
                                : " (no pad id: last attended token)"));
        return model;
    }

    /**
     * The padding of every training and held-out batch (right, with the tokenizer's pad id); shared
     * with {@code eval}.
     */
    public static Padding padding(TextEncoder encoder) {
        return encoder.padding(PaddingSide.RIGHT);
    }

    private <T, B extends AutoCloseable> RunResult train(
            DecoderModel model,
            Path tokenizerDir,
            Examples<T> examples,
            BiFunction<List<T>, NDManager, B> collate,
            TrainingStep<B> objective,
            Optional<Path> resume,
            Checkpointer checkpointer,
            Data data)
            throws IOException {
        return train(
                model,
                tokenizerDir,
                examples,
                collate,
                objective,
                resume,
                checkpointer,
                data,
                Extras.NONE);
    }

    /** As above, with {@code extras} in checkpoints and model. */
    private <T, B extends AutoCloseable> RunResult train(
            DecoderModel model,
            Path tokenizerDir,
            Examples<T> examples,
            BiFunction<List<T>, NDManager, B> collate,
            TrainingStep<B> objective,
            Optional<Path> resume,
            Checkpointer checkpointer,
            Data data,
            Extras extras)
            throws IOException {
        return train(
                model,
                tokenizerDir,
                examples,
                collate,
                objective,
                resume,
                checkpointer,
                data,
                collate,
                heldOut -> new StepEvaluator<>(objective, heldOut, model.manager()),
                null,
                extras);
    }

    /**
     * Trains with training batches from {@code collate} and held-out batches from {@code
     * evalCollate} (they differ when training batches are packed: held-out batches stay padded).
     */
    private <T, B extends AutoCloseable, E extends AutoCloseable> RunResult train(
            DecoderModel model,
            Path tokenizerDir,
            Examples<T> examples,
            BiFunction<List<T>, NDManager, B> collate,
            TrainingStep<B> objective,
            Optional<Path> resume,
            Checkpointer checkpointer,
            Data data,
            BiFunction<List<T>, NDManager, E> evalCollate,
            Function<List<Function<NDManager, E>>, Evaluator> evaluatorFactory)
            throws IOException {
        return train(
                model,
                tokenizerDir,
                examples,
                collate,
                objective,
                resume,
                checkpointer,
                data,
                evalCollate,
                evaluatorFactory,
                null,
                Extras.NONE);
    }

    /** Files written next to a model (a directory): head layouts, per-user parameters, masks. */
    @FunctionalInterface
    private interface CheckpointExtra {
        void save(Path dir) throws IOException;
    }

    /**
     * What a run keeps besides the model: files for every checkpoint (with what a resumed run reads
     * back), files for the final model directory, and parameters trained with the model.
     *
     * @param checkpoint written into every checkpoint, or null
     * @param model written into the final model directory, or null
     * @param parameters trained with the model's parameters (by name; in the optimizer state)
     */
    private record Extras(
            CheckpointExtra checkpoint, CheckpointExtra model, Map<String, NDArray> parameters) {
        static final Extras NONE = new Extras(null, null, Map.of());

        /** The same files in checkpoints and in the model directory. */
        static Extras files(CheckpointExtra both) {
            return new Extras(both, both, Map.of());
        }

        /** The head layout of the model in checkpoints and the model directory. */
        static Extras layout(HeadLayout layout) {
            return files(layout::write);
        }
    }

    /**
     * As above, with the training batches from {@code sourceOrNull} (null: {@code examples.train()}
     * shuffled per epoch and collated) and the {@code extras} of checkpoints and model.
     */
    private <T, B extends AutoCloseable, E extends AutoCloseable> RunResult train(
            DecoderModel model,
            Path tokenizerDir,
            Examples<T> examples,
            BiFunction<List<T>, NDManager, B> collate,
            TrainingStep<B> objective,
            Optional<Path> resume,
            Checkpointer checkpointer,
            Data data,
            BiFunction<List<T>, NDManager, E> evalCollate,
            Function<List<Function<NDManager, E>>, Evaluator> evaluatorFactory,
            BatchSource<B> sourceOrNull,
            Extras extras)
            throws IOException {
        long seed = cfg.train().seed();
        BatchSource<B> source =
                sourceOrNull != null
                        ? sourceOrNull
                        : new CollatedSource<>(
                                examples.train(),
                                new ShuffleSampler(seed),
                                cfg.data().batchSize(),
                                collate);
        // an unpaired batch needs >= 2 examples (KL reference rows): a trailing singleton joins the
        // previous chunk
        int minChunk = cfg.objective().examples() == ExampleKind.UNPAIRED ? 2 : 1;
        if (examples.eval().size() == 1 && minChunk > 1) {
            throw new ConfigException(
                    "data.eval: "
                            + cfg.data().eval()
                            + " has 1 example after reading and truncation; "
                            + "expected >= 2 for objective "
                            + cfg.objective().type()
                            + " (its KL reference rows pair examples)");
        }
        List<Function<NDManager, E>> heldOut = new ArrayList<>();
        for (List<T> chunk :
                CollatedSource.chunks(examples.eval(), cfg.data().evalBatchSize(), minChunk)) {
            heldOut.add(m -> evalCollate.apply(chunk, m));
        }
        Evaluator evaluator = heldOut.isEmpty() ? null : evaluatorFactory.apply(heldOut);
        model.setTrainable(true);
        resolveSteps(examples.train().size());
        long resumeStep = resume.isPresent() ? Checkpointer.stepOf(resume.get()) : 0;
        if (resumeStep > cfg.train().maxSteps()) {
            throw new ConfigException(
                    "train.max_steps: "
                            + cfg.train().maxSteps()
                            + " is below the step of the checkpoint to resume ("
                            + resume.get()
                            + "); expected at least "
                            + resumeStep
                            + ", or a new train.output_dir");
        }
        Path out = runDir.path();
        RunInfo info =
                requested // its config is the resolved tree, with the resolved steps
                        .withIdentity(
                        session.runId(), requested.modelDigest(), requested.tokenizerDigest());
        info.write(out); // the run's record: what a later command into this directory is checked
        // against
        SummarySink summarySink = new SummarySink();
        JsonlMetricSink jsonl =
                resume.isPresent()
                        ? JsonlMetricSink.resume(out.resolve(METRICS_FILE), resumeStep)
                        : JsonlMetricSink.create(out.resolve(METRICS_FILE));
        jsonl.history().forEach(r -> summarySink.record(r.phase(), r.step(), r.values()));
        List<MetricSink> sinks =
                new ArrayList<>(
                        List.of(summarySink, jsonl, progress.apply(cfg.train().maxSteps())));
        if (cfg.train().tensorBoard()) {
            sinks.add(TensorBoardSink.open(out.resolve("tensorboard"), resumeStep));
        }
        TrainLoop<B> loop;
        LoopResult summary;
        try (AdamW optimizer =
                        new AdamW(
                                trainable(model, extras.parameters()),
                                cfg.optim().toAdamW(),
                                model.manager());
                MetricSink sink = diagnosed(MetricSinks.tee(sinks.toArray(new MetricSink[0])))) {
            TrainerState state = TrainerState.fresh(seed);
            if (resume.isPresent()) {
                optimizer.load(resume.get());
                state = TrainerState.read(resume.get());
            }
            CheckpointHook hook =
                    s ->
                            checkpointer.save(
                                    s.step(),
                                    dir -> {
                                        model.save(dir, tokenizerDir);
                                        optimizer.save(dir);
                                        s.write(dir);
                                        // config.json is the HF model config
                                        Files.writeString(
                                                dir.resolve("reward4j-config.json"),
                                                resolved.toPrettyString());
                                        info.write(dir);
                                        if (extras.checkpoint() != null) {
                                            extras.checkpoint().save(dir);
                                        }
                                    });
            boolean fp16 = cfg.model().dtype().equals("float16");
            LoopParts<B> parts =
                    LoopParts.<B>builder(model.manager())
                            .step(objective)
                            .source(source)
                            .optimizer(optimizer)
                            .schedule(
                                    cfg.schedule()
                                            .toSchedule(cfg.optim().lr(), cfg.train().maxSteps()))
                            .clip(cfg.optim().toClip())
                            .scaler(fp16 ? DynamicLossScaler.defaults() : LossScaler.none())
                            .sink(sink)
                            .evaluator(evaluator)
                            .checkpoint(hook)
                            .options(cfg.train().toLoopOptions(cfg.checkpoint()))
                            .start(state)
                            .build();
            loop = new TrainLoop<>(parts).stopWhen(stop::requested);
            stop.arm();
            summary = loop.run();
        }
        RunSummary facts =
                summarySink.summarize(
                        Duration.ofNanos((long) (summary.seconds() * 1e9)),
                        summary.tokens(),
                        (long) summary.examples(),
                        data.summaryCounters());
        Path checkpoint =
                summary.lastCheckpoint() != null ? summary.lastCheckpoint() : resume.orElse(null);
        Path finalDir = out.resolve(RunDirectory.FINAL);
        if (loop.stopped()) {
            summaryFile(SummaryFile.INTERRUPTED, facts, checkpoint).write(out);
            return new RunResult(
                    summary, facts, out, finalDir, RunResult.Status.INTERRUPTED, checkpoint);
        }
        runDir.writeAtomically(
                RunDirectory.FINAL,
                dir -> {
                    model.save(dir, tokenizerDir);
                    if (extras.model() != null) {
                        extras.model().save(dir);
                    }
                });
        summaryFile(SummaryFile.FINISHED, facts, checkpoint).write(out);
        return new RunResult(summary, facts, out, finalDir, RunResult.Status.FINISHED, checkpoint);
    }

    /** The model's parameters and {@code extra} (e.g. learned SparsePO masks), by name. */
    private static Map<String, NDArray> trainable(DecoderModel model, Map<String, NDArray> extra) {
        if (extra.isEmpty()) {
            return model.parameters();
        }
        Map<String, NDArray> all = new LinkedHashMap<>(model.parameters());
        all.putAll(extra);
        return all;
    }

    /**
     * The default {@code data.max_length} (512) on a model with fewer positions is capped at them
     * (and said so); a {@code max_length} the user gave that exceeds them stays an error.
     */
    private void capDefaultMaxLength() {
        int positions = modelConfig.maxPositions();
        int given = cfg.data().maxLength();
        if (given <= positions || given != DataSection.defaults().maxLength()) {
            return;
        }
        log.println(
                "reward4j: data.max_length "
                        + given
                        + " (the default) capped at the model's max_position_embeddings "
                        + positions);
        ((ObjectNode) resolved.get("data")).put("max_length", positions);
        cfg = cfg.withData(cfg.data().withTruncation(positions, cfg.data().truncation()));
    }

    /** The name of the run: {@code train.run_name}, else the output directory's name. */
    public static String runName(RunConfig cfg) {
        if (cfg.train().runName() != null) {
            return cfg.train().runName();
        }
        Path name = Path.of(cfg.train().outputDir()).toAbsolutePath().normalize().getFileName();
        return name == null ? cfg.train().outputDir() : name.toString();
    }

    private SummaryFile summaryFile(String status, RunSummary facts, Path checkpoint) {
        Map<String, String> files = new LinkedHashMap<>();
        if (SummaryFile.FINISHED.equals(status)) {
            files.put("model", RunDirectory.FINAL);
        }
        files.put("metrics", METRICS_FILE);
        if (checkpoint != null) {
            files.put("checkpoint", runDir.path().relativize(checkpoint).toString());
        }
        if (cfg.train().tensorBoard()) {
            files.put("tensorboard", "tensorboard");
        }
        Map<String, String> f = new LinkedHashMap<>();
        f.put("objective", cfg.objective().type());
        f.put("model", modelDir.toString());
        f.put("device", requested.device());
        f.put("seed", Long.toString(cfg.train().seed()));
        f.put("run_id", String.valueOf(session.runId()));
        return SummaryFile.of(
                "train", status, runName(cfg), facts, cfg.train().maxSteps(), files, f);
    }

    /**
     * Resolves {@code train.epochs} into {@code max_steps} and {@code schedule.warmup_ratio} into
     * {@code warmup_steps} for {@code examples} kept training examples, in the configuration and in
     * the resolved tree the checkpoints record.
     */
    private void resolveSteps(long examples) {
        TrainSection t = cfg.train();
        if (t.epochs() != null) {
            long steps =
                    TrainSection.stepsFor(
                            t.epochs(), examples, cfg.data().batchSize(), t.microSteps());
            log.println(
                    "reward4j: train.epochs "
                            + t.epochs()
                            + " over "
                            + examples
                            + " training examples in steps of "
                            + cfg.data().batchSize()
                            + " x "
                            + t.microSteps()
                            + " = "
                            + steps
                            + " steps (train.max_steps)");
            t = t.withMaxSteps(steps);
            ((ObjectNode) resolved.get("train")).put("max_steps", steps);
        }
        ScheduleSection sched = cfg.schedule();
        if (sched.warmupRatio() != null) {
            long warmup = sched.warmupFor(t.maxSteps());
            log.println(
                    "reward4j: schedule.warmup_ratio "
                            + sched.warmupRatio()
                            + " of "
                            + t.maxSteps()
                            + " steps = "
                            + warmup
                            + " warm-up steps");
            sched = sched.withWarmupSteps(warmup);
            ((ObjectNode) resolved.get("schedule")).put("warmup_steps", warmup);
        }
        cfg = cfg.withScheduleAndTrain(sched, t);
    }

    /**
     * The data files whose digests identify the run: {@code data.train}, {@code data.eval} (a
     * directory of tokenized shards counts as one file, digested by its files).
     */
    private List<Path> dataFiles() {
        List<Path> files = new ArrayList<>(List.of(Path.of(cfg.data().train())));
        if (cfg.data().eval() != null) {
            files.add(Path.of(cfg.data().eval()));
        }
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            if (ShardManifest.isShardDirectory(f)) {
                continue;
            }
            if (Files.isDirectory(f) || !Files.isRegularFile(f)) {
                String key = i == 0 ? "data.train" : "data.eval";
                throw new ConfigException(
                        key
                                + ": "
                                + f
                                + (Files.isDirectory(f) ? " is a directory" : " does not exist")
                                + "; expected a .jsonl, .jsonl.gz or .parquet file (or a"
                                + " directory of tokenized shards with manifest.json)");
            }
        }
        return files;
    }

    /**
     * Decides where this session starts from what the run directory holds and {@link #resumeMode}:
     * a new run, a resume of the same run, nothing (finished), or an error with the differences.
     */
    private Session decide() {
        if (!runDir.holdsRun()) {
            return new Session(Optional.empty(), java.util.UUID.randomUUID().toString(), false);
        }
        Optional<RunInfo> recordedInfo = runDir.recorded();
        if (recordedInfo.isEmpty()) {
            if (resumeMode != ResumeMode.FORCE) {
                throw new ConfigException(
                        "train.output_dir: "
                                + runDir.path()
                                + " holds files of a run but no run.json to compare this"
                                + " configuration with; expected a new or empty directory. Use"
                                + " another train.output_dir, or start over in this one with"
                                + " --resume=force (ResumeMode.FORCE)");
            }
            log.println("reward4j: starting over in " + runDir.path() + " (--resume=force)");
            return new Session(Optional.empty(), java.util.UUID.randomUUID().toString(), false);
        }
        RunInfo recorded = recordedInfo.get();
        // a record of an earlier version has no model or tokenizer digest: compare like with like
        RunInfo basis =
                recorded.modelDigest() == null
                        ? requested.withIdentity(null, null, null)
                        : requested;
        List<RunIdentity.Change> changes = RunIdentity.of(basis).diff(RunIdentity.of(recorded));
        String what = RunIdentity.render(changes);
        if (!changes.isEmpty() && resumeMode != ResumeMode.FORCE) {
            throw new ConfigException(
                    "train.output_dir: "
                            + runDir.path()
                            + " holds another run; this configuration differs from the one"
                            + " recorded in its run.json:\n"
                            + what
                            + modelPaths(recorded, changes)
                            + "Resuming would mix two runs in one directory, so nothing was run."
                            + " Either\n"
                            + "  - continue that run deliberately with these settings (e.g. a"
                            + " longer run): add --resume=force (ResumeMode.FORCE), or\n"
                            + "  - start a new run: give another train.output_dir (e.g. --set"
                            + " train.output_dir="
                            + runDir.path()
                            + "-2)");
        }
        if (resumeMode == ResumeMode.NEVER) {
            throw new ConfigException(
                    "train.output_dir: "
                            + runDir.path()
                            + " already holds this run and checkpoint.resume is false (or"
                            + " --resume=never); expected a new directory. Give another"
                            + " train.output_dir, delete this one to start over, or continue it"
                            + " with checkpoint.resume: true");
        }
        if (!changes.isEmpty()) {
            log.print(
                    "reward4j: --resume=force: continuing "
                            + runDir.path()
                            + " with these changes:\n"
                            + what);
        }
        if (runDir.finished() && changes.isEmpty()) {
            return new Session(Optional.empty(), recorded.runId(), true);
        }
        Checkpointer checkpointer =
                runDir.checkpointer(cfg.checkpoint().keepLast(), recorded.runId());
        return new Session(checkpointer.latest(), recorded.runId(), false);
    }

    private static String modelPaths(RunInfo recorded, List<RunIdentity.Change> changes) {
        if (changes.stream().noneMatch(c -> c.key().equals("model"))) {
            return "";
        }
        String before =
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .valueToTree(recorded.config())
                        .path("model")
                        .path("path")
                        .asText();
        return "  (model.path of the recorded run: " + before + ")\n";
    }

    /** The result of a run that is already finished: its summary, nothing run or rewritten. */
    private RunResult alreadyFinished() {
        Path out = runDir.path();
        SummaryFile file = runDir.summary().orElseThrow();
        SummarySink sink = new SummarySink();
        Path metrics = out.resolve(METRICS_FILE);
        if (Files.isRegularFile(metrics)) {
            MetricsLog.readDistinct(metrics)
                    .forEach(r -> sink.record(r.phase(), r.step(), r.values()));
        }
        RunSummary facts = sink.summarize(Duration.ZERO, 0, 0, file.data());
        Path checkpoint =
                file.files().containsKey("checkpoint")
                        ? out.resolve(file.files().get("checkpoint"))
                        : null;
        log.println(
                "reward4j: "
                        + out
                        + " is a finished run (step "
                        + file.steps()
                        + " of "
                        + file.maxSteps()
                        + "); nothing was run or rewritten. Use another train.output_dir for a new"
                        + " run, or --resume=force with a larger train.max_steps to extend it");
        LoopResult none =
                new LoopResult(file.steps(), List.of(), Map.of(), Map.of(), 0, 0, checkpoint, 0, 0);
        return new RunResult(
                none,
                facts,
                out,
                out.resolve(RunDirectory.FINAL),
                RunResult.Status.ALREADY_FINISHED,
                checkpoint);
    }

    /**
     * {@code sink} with the likelihood-displacement trajectory metrics added to every record when
     * {@code diagnostics.enabled}.
     */
    private MetricSink diagnosed(MetricSink sink) {
        return cfg.diagnostics().enabled() ? new DiagnosticsSink(sink) : sink;
    }

    /** The {@code beta} key of an objective's parameters, or NaN when it has none. */
    private static double objectiveBeta(Record params) {
        for (java.lang.reflect.RecordComponent c : params.getClass().getRecordComponents()) {
            if (c.getName().equals("beta") && c.getType() == double.class) {
                try {
                    return (double) c.getAccessor().invoke(params);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("objective: cannot read beta of " + params, e);
                }
            }
        }
        return Double.NaN;
    }

    /**
     * The training pairs without the {@code diagnostics.ches_filter} fraction of highest CHES
     * score, scored by the starting model ({@code model.path}, also on resume, so a resumed run
     * drops the same pairs); the held-out pairs are kept.
     */
    private Examples<TokenizedPair> chesFiltered(
            Examples<TokenizedPair> pairs, PairCollator collator, Data data, ModelOptions options) {
        ChesFilter filter = cfg.diagnostics().filter();
        List<Diagnosis.PairValues> values;
        try (DecoderModel start =
                DecoderModel.load(Path.of(cfg.model().path()), ModelHead.LM, options)) {
            values =
                    Diagnosis.pairs(
                            start,
                            null,
                            PairDiagnostics.defaults(0.1),
                            pairs.train(),
                            collator::collate,
                            cfg.data().evalBatchSize());
        }
        double[] scores = values.stream().mapToDouble(Diagnosis.PairValues::ches).toArray();
        ChesFilter.Filtered<TokenizedPair> f = filter.apply(pairs.train(), scores);
        log.println(
                "reward4j: diagnostics.ches_filter "
                        + filter.fraction()
                        + " drops "
                        + f.dropped().size()
                        + " of "
                        + pairs.train().size()
                        + " training pairs (CHES >= "
                        + (f.dropped().isEmpty()
                                ? "-"
                                : String.format(Locale.ROOT, "%.4f", f.threshold()))
                        + ", scored by "
                        + cfg.model().path()
                        + ")");
        data.summaryCounters().put("chesFiltered", (long) f.dropped().size());
        return new Examples<>(f.kept(), pairs.eval());
    }

    /** A frozen reference model ({@code model.reference}, else the starting model). */
    private FrozenReference frozenReference(ModelOptions options) {
        return new FrozenReference(
                own(
                        DecoderModel.load(
                                Path.of(cfg.model().referenceOrModel()), ModelHead.LM, options)));
    }

    /**
     * The frozen reference, or the on-disk cache of the training and held-out pairs (built once
     * with the reference model, which is then closed). The cache keys by pair id: ids must be
     * unique, and an existing cache must hold every pair with the same tokens (a pair whose tokens
     * changed since the cache was built is an error, not a silent reuse of stale log-probs).
     */
    private PairReference pairReference(
            ModelOptions options,
            Examples<TokenizedPair> pairs,
            BiFunction<List<TokenizedPair>, NDManager, PairBatch> collate,
            NDManager manager)
            throws IOException {
        if (cfg.model().referenceCache() == null) {
            return frozenReference(options);
        }
        List<TokenizedPair> all = new ArrayList<>(pairs.train());
        all.addAll(pairs.eval());
        Set<String> ids = new HashSet<>();
        for (TokenizedPair p : all) {
            if (!ids.add(p.id())) {
                throw new ConfigException(
                        "model.reference_cache: pair id '"
                                + p.id()
                                + "' occurs more than once in data.train"
                                + (cfg.data().eval() == null ? "" : " and data.eval")
                                + " (got a duplicate); expected unique ids, since the cache keys"
                                + " reference log-probs by id. Give every row a unique id or remove"
                                + " model.reference_cache");
            }
        }
        Path refDir = Path.of(cfg.model().referenceOrModel());
        String digest = ReferenceCache.digestOf(refDir);
        Path file = ReferenceCache.fileFor(Path.of(cfg.model().referenceCache()), digest);
        if (Files.exists(file)) {
            log.println("reward4j: reference log-probs from " + file);
            ReferenceCache cache = ReferenceCache.open(file, digest);
            List<String> missing =
                    all.stream().map(TokenizedPair::id).filter(id -> !cache.contains(id)).toList();
            if (!missing.isEmpty()) {
                throw new ConfigException(
                        "model.reference_cache: "
                                + file
                                + " lacks "
                                + missing.size()
                                + " of the "
                                + all.size()
                                + " training and held-out pairs (first: '"
                                + missing.get(0)
                                + "'); expected a cache of this data. Delete it "
                                + "to recompute");
            }
            List<String> changed = cache.changed(all);
            if (!changed.isEmpty()) {
                throw new ConfigException(
                        "model.reference_cache: the tokens of pair '"
                                + changed.get(0)
                                + "' changed since "
                                + file
                                + " was built ("
                                + changed.size()
                                + " of the "
                                + all.size()
                                + " training and held-out pairs changed); expected the token ids"
                                + " and response masks the cached reference log-probs were computed"
                                + " from. "
                                + ReferenceCache.staleHint(cfg.model().referenceCache()));
            }
            return cache;
        }
        log.println(
                "reward4j: computing reference log-probs of " + all.size() + " pairs into " + file);
        try (DecoderModel refModel = DecoderModel.load(refDir, ModelHead.LM, options)) {
            BatchSource<PairBatch> sequential =
                    new CollatedSource<>(
                            all,
                            dev.reward4j.core.data.Sampler.sequential(),
                            cfg.data().evalBatchSize(),
                            collate);
            return ReferenceCache.build(
                    file, digest, new FrozenReference(refModel), sequential, all.size(), manager);
        }
    }

    private <T extends AutoCloseable> T own(T resource) {
        resources.add(resource);
        return resource;
    }

    /**
     * Tokenized training and held-out examples (the held-out list is empty without {@code
     * data.eval}).
     */
    private record Examples<T>(List<T> train, List<T> eval) {}

    /** A curriculum's training stages and its held-out pairs (every stage's). */
    private record Curriculum(List<List<TokenizedPair>> stages, List<TokenizedPair> eval) {}

    /** The directory of a checkpoint holding a curriculum's refreshed reference. */
    static final String REFERENCE_DIR = "reference";

    /**
     * Reads and tokenizes the data files with the configured format, printing and keeping the
     * counters.
     */
    private final class Data {
        private final TextEncoder encoder;
        private final TruncationPolicy truncation;
        private final ReadOptions read;
        private final Map<String, Long> summaryCounters = new LinkedHashMap<>();

        Data(TextEncoder encoder, TruncationPolicy truncation, ReadOptions read) {
            this.encoder = encoder;
            this.truncation = truncation;
            this.read = read;
        }

        /**
         * The pairs of each file, or of a directory of tokenized shards ({@code reward4j spark
         * prepare}: read as prepared, after checking its format, truncation and tokenizer).
         */
        Examples<TokenizedPair> pairs(DataFormat format) {
            return both(
                    format,
                    (p, rows) -> {
                        if (ShardManifest.isShardDirectory(p)) {
                            try {
                                return TokenizedShards.prepared(
                                        p,
                                        format.key(),
                                        truncation,
                                        RunInfo.tokenizerFacts(encoder.directory()));
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }
                        return DataPipeline.pairs(
                                p, rows.apply(format.pairs()), encoder, truncation, read);
                    });
        }

        Examples<TokenizedSteps> steps(String separator) {
            return both(
                    DataFormat.STEPWISE,
                    (p, rows) ->
                            DataPipeline.steps(
                                    p,
                                    rows.apply(new StepwiseFormat()),
                                    encoder,
                                    separator,
                                    cfg.data().maxLength(),
                                    read));
        }

        Examples<TokenizedPair> jointPairs() {
            return both(
                    DataFormat.JOINT,
                    (p, rows) ->
                            DataPipeline.jointPairs(
                                    p,
                                    rows.apply(JointPreferenceFormat.standard()),
                                    encoder,
                                    truncation,
                                    read));
        }

        Examples<TokenizedList> triples() {
            return both(
                    DataFormat.TRIPLES,
                    (p, rows) ->
                            DataPipeline.triples(
                                    p,
                                    rows.apply(PreferenceTripleFormat.standard()),
                                    encoder,
                                    truncation,
                                    read));
        }

        Examples<TokenizedPair> relabelled(DataFormat format, RelabelSection relabel) {
            return both(
                    format,
                    (p, rows) ->
                            DataPipeline.pairs(
                                    p, rows.apply(relabel.on(format)), encoder, truncation, read));
        }

        /**
         * The curriculum's staged training pairs and the held-out pairs of every stage, from a
         * ranked-list format.
         */
        Curriculum curriculum(DataFormat format, CurryCurriculum curry) {
            List<List<List<TokenizedPair>>> stages = new ArrayList<>();
            Examples<TokenizedPair> flat =
                    both(
                            format,
                            (p, rows) -> {
                                Staged<TokenizedPair> st =
                                        DataPipeline.stagedPairs(
                                                p,
                                                curry.on(rows.apply(format.lists())),
                                                encoder,
                                                truncation,
                                                read,
                                                curry.stages());
                                stages.add(st.stages());
                                List<TokenizedPair> all = new ArrayList<>();
                                st.stages().forEach(all::addAll);
                                return new Prepared<>(all, st.counters());
                            });
            // the training file is read first
            return new Curriculum(stages.get(0), flat.eval());
        }

        Examples<WeightedSequence> hindsight(DataFormat format, ChainOfHindsight hindsight) {
            return both(
                    format,
                    (p, rows) ->
                            DataPipeline.hindsight(
                                    p,
                                    rows.apply(format.pairs()),
                                    hindsight,
                                    encoder,
                                    truncation,
                                    read));
        }

        Examples<WeightedSequence> weighted(ClassConditioning classes) {
            return both(
                    DataFormat.CLASS_LABELED,
                    (p, rows) ->
                            DataPipeline.weighted(
                                    p, rows.apply(classes.format()), encoder, truncation, read));
        }

        Examples<TokenizedRated> rated(DataFormat format) {
            return both(
                    format,
                    (p, rows) ->
                            DataPipeline.rated(
                                    p, rows.apply(format.rated()), encoder, truncation, read));
        }

        Examples<TokenizedList> lists(DataFormat format) {
            return both(
                    format,
                    (p, rows) ->
                            DataPipeline.lists(
                                    p, rows.apply(format.lists()), encoder, truncation, read));
        }

        Examples<TokenizedUnpaired> unpaired(DataFormat format) {
            return both(
                    format,
                    (p, rows) ->
                            DataPipeline.unpaired(
                                    p, rows.apply(format.unpaired()), encoder, truncation, read));
        }

        /**
         * The counters for {@code summary.txt}: the training file's, then the held-out file's
         * prefixed {@code eval}.
         */
        Map<String, Long> summaryCounters() {
            return summaryCounters;
        }

        /**
         * Reads the training file with {@code data.split}'s training rows and the held-out file
         * with the other rows (see {@link dev.reward4j.trainers.config.DataSection#split()}).
         */
        private <T> Examples<T> both(DataFormat format, FileReader<T> reader) {
            Optional<SplitFilter> trainRows = cfg.data().trainingRows(format);
            Optional<SplitFilter> evalRows = cfg.data().heldOutRows(format);
            List<T> train =
                    report(
                            cfg.data().train(),
                            p -> reader.read(p, Rows.of(trainRows)),
                            trainRows,
                            "");
            List<T> eval =
                    cfg.data().eval() == null
                            ? List.of()
                            : report(
                                    cfg.data().eval(),
                                    p -> reader.read(p, Rows.of(evalRows)),
                                    evalRows,
                                    "eval ");
            return new Examples<>(train, eval);
        }

        private <T> List<T> report(
                String file,
                Function<Path, Prepared<T>> reader,
                Optional<SplitFilter> rows,
                String prefix) {
            Prepared<T> prepared = reader.apply(Path.of(file));
            ModelFit.check(prepared.examples(), modelConfig, modelDir);
            log.println(
                    "reward4j: "
                            + file
                            + rows.map(r -> " (rows with " + r + ")").orElse("")
                            + ": "
                            + prepared.counters().summary());
            RunSummary.counters(prepared.counters())
                    .forEach((k, v) -> summaryCounters.put(prefix + k, v));
            return prepared.examples();
        }
    }

    /** Reads one data file with a row selection. */
    @FunctionalInterface
    private interface FileReader<T> {
        Prepared<T> read(Path file, Rows rows);
    }

    /** The row selection of one file: every row, or those a {@link SplitFilter} keeps. */
    private record Rows(Optional<SplitFilter> filter) {
        static Rows of(Optional<SplitFilter> filter) {
            return new Rows(filter);
        }

        <E> Format<E> apply(Format<E> format) {
            return filter.map(f -> f.on(format)).orElse(format);
        }
    }

    /** Closes the models and the tokenizer. */
    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                log.println("reward4j: closing " + resources.get(i) + " failed: " + e);
            }
        }
    }
}
