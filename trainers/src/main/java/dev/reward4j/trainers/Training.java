package dev.reward4j.trainers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reward4j.losses.AbsoluteLikelihoodObjective;
import dev.reward4j.losses.AutoregressiveRewardObjective;
import dev.reward4j.losses.JointPairObjective;
import dev.reward4j.losses.LabeledPairObjective;
import dev.reward4j.losses.ListwiseObjective;
import dev.reward4j.losses.PairwisePolicyObjective;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.losses.TokenPreferenceObjective;
import dev.reward4j.losses.TriplePreferenceObjective;
import dev.reward4j.losses.UnpairedObjective;
import dev.reward4j.trainers.config.ConfigLoader;
import dev.reward4j.trainers.config.DataFormat;
import dev.reward4j.trainers.config.EnsembleHeadsParams;
import dev.reward4j.trainers.config.GeneralPreferenceParams;
import dev.reward4j.trainers.config.IdealPointParams;
import dev.reward4j.trainers.config.MaxMinParams;
import dev.reward4j.trainers.config.MixtureParams;
import dev.reward4j.trainers.config.ObjectiveConfig;
import dev.reward4j.trainers.config.PolicyPairParams;
import dev.reward4j.trainers.config.ProcessRewardParams;
import dev.reward4j.trainers.config.RunConfig;
import dev.reward4j.trainers.config.StandardObjectives;
import dev.reward4j.trainers.metrics.MetricSink;
import dev.reward4j.trainers.optim.ParamGroup;
import dev.reward4j.trainers.run.RunResult;
import dev.reward4j.trainers.run.TrainRun;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Trains a reward model or a policy in a few lines: a model directory, a data file, an objective
 * record of {@code dev.reward4j.losses} and the usual knobs, returning the final metrics, the model
 * directory and the run directory ({@link RunResult}).
 *
 * <pre>{@code
 * RunResult result =
 *         Training.model(modelDir)
 *                 .data(trainFile) // format detected; or .data(file, DataFormat.HH_RLHF)
 *                 .objective(RewardModelObjective.BradleyTerry.defaults())
 *                 .steps(200).batchSize(8).accumulation(2)
 *                 .learningRate(2e-5).schedule("cosine").warmupSteps(10)
 *                 .device("cpu").dtype("float32")
 *                 .outputDir(runDir)
 *                 .train();
 * }</pre>
 *
 * <p>The objective decides what is trained: a {@link RewardModelObjective} (or a listwise reward
 * objective, or {@link #regression()}) trains a score head on the model; a {@link
 * PairwisePolicyObjective} (DPO family; ORPO, CPO, f-DPO and combined losses through their {@link
 * PolicyPairParams}), an {@link UnpairedObjective} (KTO, BCO) or LiPO-lambda/PRO trains the model
 * as a policy against {@link #reference(Path)} (default: the starting model) or the reference
 * log-probs cached in {@link #referenceCache(Path)}.
 *
 * <p>One source of truth: every knob is a key of the YAML/JSON configuration, and {@link #config()}
 * parses the knobs with the launcher's {@link ConfigLoader}, so the result is the same validated
 * {@link RunConfig} that {@code reward4j train} runs; {@link #toYaml()} prints it, and a file with
 * that text trains the same run from the command line. A knob left unset keeps the configuration
 * default (the sections' {@code defaults()}), except {@link #resume(boolean)}: a Java run continues
 * a checkpoint in its output directory only when asked.
 *
 * <p>Not thread-safe; a builder may be reused (each {@link #train()} runs once more).
 */
public final class Training {
    private final ConfigLoader loader = new ConfigLoader(StandardObjectives.catalog());
    private final ObjectNode tree = loader.mapper().createObjectNode();
    private PrintStream log = System.err;
    private MetricSink progress = MetricSink.NONE;
    private dev.reward4j.trainers.run.ResumeMode resumeMode;

    private Training(Path modelDir) {
        section("model").put("path", Objects.requireNonNull(modelDir, "model dir").toString());
        section("checkpoint").put("resume", false);
    }

    /**
     * Starts a run of the Hugging Face model in {@code modelDir} (config.json + safetensors, and
     * the tokenizer unless {@link #tokenizer(Path)} says otherwise).
     */
    public static Training model(Path modelDir) {
        return new Training(modelDir);
    }

    // ---- model ----

    /** The tokenizer directory ({@code model.tokenizer}; default: the model directory). */
    public Training tokenizer(Path dir) {
        section("model").put("tokenizer", dir.toString());
        return this;
    }

    /** The frozen reference model of a policy objective ({@code model.reference}). */
    public Training reference(Path dir) {
        section("model").put("reference", dir.toString());
        return this;
    }

    /**
     * A directory of cached reference log-probs for pairwise policy objectives ({@code
     * model.reference_cache}): computed once with the reference model, reused by later runs.
     */
    public Training referenceCache(Path dir) {
        section("model").put("reference_cache", dir.toString());
        return this;
    }

    /** {@code float32} (default) or {@code float16} (GPU only). */
    public Training dtype(String dtype) {
        section("model").put("dtype", dtype);
        return this;
    }

    /** {@code eager} (default), {@code fused} or {@code auto}. */
    public Training attention(String attention) {
        section("model").put("attention", attention);
        return this;
    }

    /** {@code hf} (default) or {@code last-attended}: which token a reward head reads. */
    public Training pooling(String pooling) {
        section("model").put("pooling", pooling);
        return this;
    }

    // ---- data ----

    /**
     * The training file, its format detected from its first row ({@link DataFormat#detect}: TRL,
     * HH-RLHF, raw UltraFeedback or HelpSteer2-Preference rows for pairs; the one format of the
     * other example kinds) when {@link #config()} builds the configuration; {@code auto} (the
     * objective family's usual format) when the file does not exist yet.
     */
    public Training data(Path trainFile) {
        section("data").put("train", trainFile.toString());
        section("data").remove("format");
        return this;
    }

    /** The training file, read with {@code format} ({@code data.format}). */
    public Training data(Path trainFile, DataFormat format) {
        data(trainFile);
        section("data").put("format", format.key());
        return this;
    }

    /** A held-out file, evaluated every {@link #evalEvery(int)} steps and at the end. */
    public Training evalData(Path file) {
        section("data").put("eval", file.toString());
        return this;
    }

    /** Maximum tokens per sequence ({@code data.max_length}). */
    public Training maxLength(int tokens) {
        section("data").put("max_length", tokens);
        return this;
    }

    /** {@code keep-prompt-end} (default), {@code keep-end} or {@code drop}. */
    public Training truncation(String policy) {
        section("data").put("truncation", policy);
        return this;
    }

    /** Examples (pairs, lists, rows) per micro-batch ({@code data.batch_size}). */
    public Training batchSize(int examples) {
        section("data").put("batch_size", examples);
        return this;
    }

    /** Examples per held-out batch ({@code data.eval_batch_size}). */
    public Training evalBatchSize(int examples) {
        section("data").put("eval_batch_size", examples);
        return this;
    }

    /** Pack each micro-batch's pairs into {@code max_length} rows (pairwise reward models). */
    public Training packing(boolean pack) {
        section("data").put("packing", pack);
        return this;
    }

    /** The {@code split} value of the training rows ({@code data.split}). */
    public Training split(String split) {
        section("data").put("split", split);
        return this;
    }

    // ---- objective ----

    /** A pairwise reward model (Bradley-Terry and its variants). */
    public Training objective(RewardModelObjective loss) {
        return objective(new ObjectiveConfig.RewardPairs(loss));
    }

    /** A pairwise policy objective whose record is its configuration (DPO, IPO, SimPO, ...). */
    public Training objective(PairwisePolicyObjective loss) {
        return objective(new ObjectiveConfig.PolicyPairs(loss));
    }

    /** ORPO, CPO, f-DPO or a combined loss, by the keys of its configuration. */
    public Training objective(PolicyPairParams params) {
        return objective(
                new ObjectiveConfig.PolicyPairs(params.type(), (Record) params, params.toLoss()));
    }

    /** KTO, BCO or unpaired APO-zero (a policy on unpaired feedback). */
    public Training objective(UnpairedObjective loss) {
        return objective(new ObjectiveConfig.PolicyUnpaired(loss));
    }

    /**
     * A listwise objective: LiPO-lambda (implicit-reward scale 0.1, see {@link
     * ObjectiveConfig.ListPolicyParams}) and PRO train a policy, the others a listwise reward
     * model.
     */
    public Training objective(ListwiseObjective loss) {
        return objective(ObjectiveConfig.listwise(loss));
    }

    /** TDPO1, TDPO2 or SparsePO (token-level; needs a reference model, not a cache). */
    public Training objective(TokenPreferenceObjective loss) {
        return objective(new ObjectiveConfig.TokenPairs(loss));
    }

    /** JPO on joint pairs ({@code data.format: joint}). */
    public Training objective(JointPairObjective loss) {
        return objective(new ObjectiveConfig.JointPairs(loss));
    }

    /**
     * Soft preference, iREPO, MM-DPO or CREAM: the per-pair label is the pair formats' {@code
     * margin} column.
     */
    public Training objective(LabeledPairObjective loss) {
        return objective(new ObjectiveConfig.LabeledPairs(loss));
    }

    /** ASFT or MaPO (reference-free, absolute likelihood). */
    public Training objective(AbsoluteLikelihoodObjective loss) {
        return objective(new ObjectiveConfig.AbsolutePairs(loss));
    }

    /** TPO or TPO-L on preference triples ({@code data.format: triples}). */
    public Training objective(TriplePreferenceObjective loss) {
        return objective(new ObjectiveConfig.Triples(loss));
    }

    /**
     * An autoregressive reward model (GenARM): trains the model's LM head so that {@code beta_r}
     * times a response's summed token log-probs is its reward.
     */
    public Training objective(AutoregressiveRewardObjective loss) {
        return objective(new ObjectiveConfig.AutoregressiveRewardPairs(loss));
    }

    /**
     * A General Preference embedding Model (GPM): {@code 2k}-dimensional preference embeddings
     * (with prompt gates when {@code gated}) trained on pairs; scored with {@code
     * GeneralPreferenceScorer}.
     */
    public Training objective(GeneralPreferenceParams gpm) {
        return objective(new ObjectiveConfig.PreferenceEmbeddingPairs(gpm));
    }

    /**
     * A process reward model on step-annotated solutions ({@code data.format: stepwise}), scored at
     * each step's {@code separator}.
     */
    public Training objective(ProcessRewardParams prm) {
        return objective(new ObjectiveConfig.ProcessReward(prm));
    }

    /** A mixture of BT reward heads with a prompt router (MiCRo). */
    public Training objective(MixtureParams mixture) {
        return objective(new ObjectiveConfig.MixturePairs(mixture));
    }

    /** An ensemble of BT reward heads on one backbone (bootstrapped). */
    public Training objective(EnsembleHeadsParams ensemble) {
        return objective(new ObjectiveConfig.EnsembleHeadsPairs(ensemble));
    }

    /** MaxMin-RLHF's EM over user clusters (pairs with {@code user_id}). */
    public Training objective(MaxMinParams maxMin) {
        return objective(new ObjectiveConfig.UserClusterPairs(maxMin));
    }

    /** PAL-A ideal points (pairs with {@code user_id}). */
    public Training objective(IdealPointParams idealPoints) {
        return objective(new ObjectiveConfig.IdealPointPairs(idealPoints));
    }

    /** Multi-attribute regression (one output per attribute of the data format). */
    public Training regression() {
        return objective(
                new ObjectiveConfig.Regression(new ObjectiveConfig.RegressionParams(null)));
    }

    /** Any objective configuration (the {@code objective:} section). */
    public Training objective(ObjectiveConfig objective) {
        tree.set("objective", loader.objectiveTree(objective));
        return this;
    }

    // ---- optimizer and schedule ----

    /** The peak learning rate ({@code optim.lr}). */
    public Training learningRate(double lr) {
        section("optim").put("lr", lr);
        return this;
    }

    /** Decoupled weight decay ({@code optim.weight_decay}). */
    public Training weightDecay(double decay) {
        section("optim").put("weight_decay", decay);
        return this;
    }

    /** Global-norm clipping threshold; 0 disables clipping ({@code optim.max_grad_norm}). */
    public Training maxGradNorm(double norm) {
        section("optim").put("max_grad_norm", norm);
        return this;
    }

    /**
     * Adds a parameter group with its own learning-rate multiplier, weight decay or betas ({@code
     * optim.groups}), e.g. {@code ParamGroup.matching("^score\\.").withLrScale(10)}.
     */
    public Training parameterGroup(ParamGroup group) {
        ObjectNode optim = section("optim");
        ArrayNode groups =
                optim.has("groups") ? (ArrayNode) optim.get("groups") : optim.putArray("groups");
        groups.add(loader.mapper().valueToTree(group));
        return this;
    }

    /** {@code constant}, {@code linear} or {@code cosine} ({@code schedule.type}). */
    public Training schedule(String type) {
        section("schedule").put("type", type);
        return this;
    }

    /** Linear warm-up updates ({@code schedule.warmup_steps}). */
    public Training warmupSteps(long steps) {
        section("schedule").put("warmup_steps", steps);
        return this;
    }

    /** The learning-rate floor as a fraction of the peak ({@code schedule.min_lr_ratio}). */
    public Training minLrRatio(double ratio) {
        section("schedule").put("min_lr_ratio", ratio);
        return this;
    }

    // ---- run ----

    /** Optimizer steps ({@code train.max_steps}). */
    public Training steps(long steps) {
        section("train").put("max_steps", steps);
        return this;
    }

    /** Micro-batches per optimizer step, gradient accumulation ({@code train.micro_steps}). */
    public Training accumulation(int microSteps) {
        section("train").put("micro_steps", microSteps);
        return this;
    }

    /** Seed of the data order and of any initialisation ({@code train.seed}). */
    public Training seed(long seed) {
        section("train").put("seed", seed);
        return this;
    }

    /** {@code cpu} (default), {@code gpu}, {@code gpu:N} or {@code auto} ({@code train.device}). */
    public Training device(String device) {
        section("train").put("device", device);
        return this;
    }

    /** Log training metrics every this many steps ({@code train.log_every}). */
    public Training logEvery(int steps) {
        section("train").put("log_every", steps);
        return this;
    }

    /** Evaluate the held-out file every this many steps; 0 = at the end only. */
    public Training evalEvery(int steps) {
        section("train").put("eval_every", steps);
        return this;
    }

    /**
     * The run directory ({@code train.output_dir}): {@code metrics.jsonl}, {@code summary.txt},
     * {@code checkpoints/} and the final model in {@code final/}.
     */
    public Training outputDir(Path dir) {
        section("train").put("output_dir", dir.toString());
        return this;
    }

    /** Save a checkpoint every this many steps; 0 = at the end only ({@code checkpoint.every}). */
    public Training checkpointEvery(int steps) {
        section("checkpoint").put("every", steps);
        return this;
    }

    /** Checkpoints to keep ({@code checkpoint.keep_last}). */
    public Training keepLast(int checkpoints) {
        section("checkpoint").put("keep_last", checkpoints);
        return this;
    }

    /**
     * Continue from the newest checkpoint in the output directory when there is one ({@code
     * checkpoint.resume}); default false for a Java run.
     */
    public Training resume(boolean resume) {
        section("checkpoint").put("resume", resume);
        this.resumeMode = null;
        return this;
    }

    /**
     * When the output directory's recorded run is continued ({@link
     * dev.reward4j.trainers.run.ResumeMode}): {@code AUTO} only the same run, {@code FORCE} also
     * with a changed configuration (e.g. more steps), {@code NEVER} a directory holding a run is an
     * error (the default of a Java run).
     */
    public Training resume(dev.reward4j.trainers.run.ResumeMode mode) {
        section("checkpoint").put("resume", mode != dev.reward4j.trainers.run.ResumeMode.NEVER);
        this.resumeMode = Objects.requireNonNull(mode, "mode");
        return this;
    }

    // ---- curricula, relabelling and diagnostics ----

    /**
     * Curry-DPO over {@code stages} stages ({@code curriculum.type: curry}): pairs from the rated
     * responses of a ranked-list data file, easy to hard, the reference refreshed at every stage.
     */
    public Training curryCurriculum(int stages) {
        section("curriculum").put("type", "curry").put("stages", stages);
        return this;
    }

    /** Reward-augmented relabelling of the pairs ({@code relabel.type: reward-augmented}). */
    public Training rewardAugmented() {
        section("relabel").put("type", "reward-augmented");
        return this;
    }

    /** Logs the training diagnostics with every record ({@code diagnostics.enabled}). */
    public Training diagnostics(boolean enabled) {
        section("diagnostics").put("enabled", enabled);
        return this;
    }

    /**
     * Drops this fraction of the training pairs with the highest CHES score before training ({@code
     * diagnostics.ches_filter}).
     */
    public Training chesFilter(double fraction) {
        section("diagnostics").put("ches_filter", fraction);
        return this;
    }

    /** Where the run's progress lines go (default {@code System.err}). */
    public Training log(PrintStream stream) {
        this.log = Objects.requireNonNull(stream, "log");
        return this;
    }

    /** Also sends every logged metric record to {@code sink} (closed by the run). */
    public Training progress(MetricSink sink) {
        this.progress = Objects.requireNonNull(sink, "progress sink");
        return this;
    }

    // ---- results ----

    /**
     * The validated run configuration, exactly as {@code reward4j train} would parse the same keys
     * from YAML.
     *
     * @throws dev.reward4j.trainers.config.ConfigException naming the key of a missing or
     *     impossible value
     */
    public RunConfig config() {
        RunConfig cfg = loader.resolve(tree.deepCopy(), List.of());
        ObjectNode data = section("data");
        Path train = Path.of(cfg.data().train());
        if (data.has("format") || !Files.isRegularFile(train)) {
            return cfg;
        }
        ObjectNode detected = tree.deepCopy();
        // a curriculum forms its pairs from ranked lists
        DataFormat.detect(
                        train,
                        cfg.curriculum().enabled()
                                ? dev.reward4j.trainers.config.ExampleKind.LISTS
                                : cfg.objective().examples())
                .ifPresent(f -> detected.withObjectProperty("data").put("format", f.key()));
        return loader.resolve(detected, List.of());
    }

    /** {@link #config()} as YAML (a {@code reward4j train --config} file of this run). */
    public String toYaml() {
        return loader.toYaml(config());
    }

    /**
     * Trains and returns the loop's result, the run summary, the run directory and the final model
     * directory.
     *
     * @throws dev.reward4j.trainers.config.ConfigException before any work for a bad configuration
     * @throws IOException when reading data or writing the run directory fails
     */
    public RunResult train() throws IOException {
        RunConfig cfg = config();
        try (TrainRun run = new TrainRun(cfg, loader.toTree(cfg), log, progress)) {
            if (resumeMode != null) {
                run.withResumeMode(resumeMode);
            }
            return run.run();
        }
    }

    private ObjectNode section(String name) {
        return tree.withObjectProperty(name);
    }
}
