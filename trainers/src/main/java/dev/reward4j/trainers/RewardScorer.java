package dev.reward4j.trainers;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.DataCounters;
import dev.reward4j.core.data.RatedResponse;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.data.StepBatch;
import dev.reward4j.core.data.StepCollator;
import dev.reward4j.core.data.StepwiseExample;
import dev.reward4j.core.data.TokenizedRated;
import dev.reward4j.core.data.TokenizedSequence;
import dev.reward4j.core.data.TokenizedSteps;
import dev.reward4j.core.heads.EnsembleAggregation;
import dev.reward4j.core.heads.HeadLayout;
import dev.reward4j.core.heads.RewardEnsemble;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.text.ExampleTokenizer;
import dev.reward4j.core.text.StepTokenizer;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.core.text.TruncationPolicy;
import dev.reward4j.core.util.Checks;
import dev.reward4j.trainers.checkpoint.RunInfo;
import dev.reward4j.trainers.config.DataSection;
import dev.reward4j.trainers.config.TrainSection;
import dev.reward4j.trainers.device.DeviceSpec;
import dev.reward4j.trainers.eval.ImplicitReward;
import dev.reward4j.trainers.eval.PaddedSequences;
import dev.reward4j.trainers.eval.RewardModels;
import dev.reward4j.trainers.optim.Gradients;
import dev.reward4j.trainers.process.ProcessRewardScorer;
import dev.reward4j.trainers.process.StepAggregation;
import dev.reward4j.trainers.process.StepRewards;
import dev.reward4j.trainers.run.TrainRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Scores (prompt, response) pairs or conversations with a trained reward model, batched, with
 * exactly the formatting of training: the texts are tokenized by the training tokenizer path
 * ({@link ExampleTokenizer}: plain text stays plain, conversations use the chat template, BOS never
 * doubled, EOS by the encoder's policy), truncated by the training policy ({@code data.max_length}
 * and {@code data.truncation}, same defaults), right-padded with the training pad id and read at
 * the position the model's pooling gives. The model is loaded with the score head of its {@code
 * config.json} ({@code num_labels} outputs) and the pooling it records ({@link RewardModels}). So a
 * row scores here as its chosen side scored in training, in {@code reward4j eval} and in {@code
 * reward4j score} (which runs on this class).
 *
 * <pre>{@code
 * try (RewardScorer scorer = RewardScorer.load(modelDir)) {
 *     double r = scorer.score(ScoreInput.of("What is 2 + 2?", " 4"));
 * }
 * }</pre>
 *
 * <p>With {@link Builder#reference(Path)} the model directory holds a DPO-family policy and the
 * score is its implicit reward without beta, {@code sum log pi(y|x) - sum log pi_ref(y|x)} over the
 * response tokens. Not thread-safe.
 */
public final class RewardScorer implements AutoCloseable {
    private final TextEncoder encoder;
    private final TruncationPolicy truncation;
    private final int batchSize;
    private final DecoderModel model;
    private final DecoderModel reference;
    private final int padId;
    private final java.nio.file.Path modelDir;
    private final Map<String, String> info = new LinkedHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong truncated =
            new java.util.concurrent.atomic.AtomicLong();
    private final HeadLayout layout;
    private final HeadReadout readout;
    private final RewardEnsemble ensemble;

    private RewardScorer(Builder b) {
        this.truncation =
                DataSection.defaults().withTruncation(b.maxLength, b.truncation).truncationPolicy();
        this.batchSize = Checks.positive(b.batchSize, "scorer: batch size");
        boolean isEnsemble = b.referenceDir == null && RewardEnsemble.isEnsemble(b.modelDir);
        Path tokenizerDir =
                b.tokenizerDir != null
                        ? b.tokenizerDir
                        : isEnsemble ? RewardEnsemble.checkpoints(b.modelDir).get(0) : b.modelDir;
        ModelOptions options = ModelOptions.defaults().withDevice(DeviceSpec.resolve(b.device));
        TextEncoder enc = TextEncoder.load(tokenizerDir);
        DecoderModel m = null;
        DecoderModel ref = null;
        HeadLayout headLayout = null;
        HeadReadout layoutReadout = null;
        RewardEnsemble members = null;
        try {
            if (isEnsemble) {
                members = RewardModels.loadEnsemble(b.modelDir, options);
                m = members.models().get(0);
                headLayout = new HeadLayout.EnsembleHeads(members.size());
                layoutReadout = new HeadReadout(headLayout, b.modelDir, m, b.aggregation);
            } else if (b.referenceDir == null) {
                headLayout = HeadLayout.read(b.modelDir).orElse(null);
                m =
                        headLayout instanceof HeadLayout.Autoregressive
                                ? DecoderModel.load(b.modelDir, ModelHead.LM, options)
                                : RewardModels.load(b.modelDir, tokenizerDir, options);
                layoutReadout = new HeadReadout(headLayout, b.modelDir, m, b.aggregation);
            } else {
                m = DecoderModel.load(b.modelDir, ModelHead.LM, options);
                ref = DecoderModel.load(b.referenceDir, ModelHead.LM, options);
                layoutReadout = new HeadReadout(null, b.modelDir, m, b.aggregation);
            }
        } catch (RuntimeException e) {
            if (members != null) {
                members.close();
            } else if (m != null) {
                m.close();
            }
            enc.close();
            throw e;
        }
        this.ensemble = members;
        this.layout = headLayout;
        this.readout = layoutReadout;
        this.encoder = enc;
        this.model = m;
        this.reference = ref;
        this.padId = TrainRun.padding(enc).padId();
        this.modelDir = b.modelDir;
        info.put("model", b.modelDir.toAbsolutePath().toString());
        info.putAll(RunInfo.tokenizerFacts(enc.directory()));
        info.put(
                "template",
                enc.chatTemplate().isPresent()
                        ? "conversations: tokenizer chat template; plain text: as is"
                        : "none");
        info.put("truncation", truncation.toString());
        info.put("max_length", Integer.toString(truncation.maxLength()));
        info.put("padding_side", "right");
        if (members != null) {
            info.put(
                    "reward",
                    "ensemble of "
                            + members.size()
                            + (members.sharedBackbone() ? " heads" : " members")
                            + ", aggregate "
                            + b.aggregation.name());
        } else if (headLayout instanceof HeadLayout.Autoregressive a) {
            info.put("reward", "beta_r " + a.betaR() + " x summed response log-probs (genarm)");
        } else if (ref == null) {
            info.put("reward", "score head, " + m.head());
            info.put("pooling", RewardModels.poolingFact(m));
            if (headLayout != null) {
                info.put("layout", headLayout.kind() + " " + headLayout.values());
            }
        } else {
            info.put(
                    "reward",
                    "log-ratio vs " + b.referenceDir + " (summed response log-probs, no beta)");
        }
    }

    /**
     * A scorer of the reward model in {@code modelDir} with every default (see {@link Builder}).
     */
    public static RewardScorer load(Path modelDir) {
        return builder(modelDir).build();
    }

    /** A builder for the model in {@code modelDir}. */
    public static Builder builder(Path modelDir) {
        return new Builder(modelDir);
    }

    /**
     * The reward of one input: column 0 of a plain model (the reward; more columns are regression
     * attributes), the layout's reward of a model with a {@link HeadLayout} (e.g. an ensemble's
     * aggregate, a mixture's weighted reward; see {@link ScoredResponse}).
     *
     * @throws IllegalArgumentException for a model without a scalar reward (a GPM, a PAL-A model
     *     without a user: use {@link #scoreResponses} or {@link #preferenceProbability})
     */
    public double score(ScoreInput input) {
        return score(List.of(input))[0];
    }

    /** The rewards of {@code inputs}, in order (see {@link #score(ScoreInput)}). */
    public double[] score(List<ScoreInput> inputs) {
        List<Source> sources = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            sources.add(new Source("<input>", i + 1)); // 1-based, as file lines
        }
        return score(inputs, sources);
    }

    /**
     * {@link #score(List)} with where each input came from, for error messages (e.g. the file and
     * line of a JSONL row).
     */
    public double[] score(List<ScoreInput> inputs, List<Source> sources) {
        if (layout != null) {
            List<String> none = java.util.Collections.nCopies(inputs.size(), null);
            List<ScoredResponse> r = scoreResponses(inputs, sources, none);
            double[] out = new double[r.size()];
            for (int i = 0; i < out.length; i++) {
                int row = i;
                out[i] =
                        r.get(i)
                                .reward()
                                .orElseThrow(
                                        () ->
                                                new IllegalArgumentException(
                                                        "score: "
                                                                + sources.get(row)
                                                                + ": the model ("
                                                                + layout.kind()
                                                                + ") has no scalar reward for"
                                                                + " this response; expected"
                                                                + " scoreResponses or"
                                                                + " preferenceProbability"));
            }
            return out;
        }
        double[][] all = scoreAll(inputs, sources);
        double[] out = new double[all.length];
        for (int i = 0; i < all.length; i++) {
            out[i] = all[i][0];
        }
        return out;
    }

    /**
     * Every raw output of {@code inputs} at the model's pooling position: {@code (N, K)}, K = the
     * model's {@code num_labels} (1 for an implicit reward and a GenARM model, whose column is the
     * reward); {@link #scoreResponses} interprets the columns by the model's layout.
     *
     * @throws IllegalArgumentException when an input cannot be scored as training would tokenize it
     *     (dropped by the truncation policy, or invalid, e.g. an empty response), naming it
     */
    public double[][] scoreAll(List<ScoreInput> inputs) {
        List<Source> sources = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            sources.add(new Source("<input>", i + 1)); // 1-based, as file lines
        }
        return scoreAll(inputs, sources);
    }

    /**
     * {@link #scoreAll(List)} with where each input came from, for error messages (e.g. the file
     * and line of a JSONL row).
     */
    public double[][] scoreAll(List<ScoreInput> inputs, List<Source> sources) {
        Checks.argument(
                inputs.size() == sources.size(),
                () ->
                        "scorer: "
                                + inputs.size()
                                + " inputs but "
                                + sources.size()
                                + " sources; expected one each");
        List<TokenizedSequence> seqs = tokenize(inputs, sources);
        double[][] out = new double[seqs.size()][];
        for (int from = 0; from < seqs.size(); from += batchSize) {
            List<TokenizedSequence> chunk =
                    seqs.subList(from, Math.min(seqs.size(), from + batchSize));
            double[][] part = Gradients.withGradModeOff(() -> scoreBatch(chunk));
            System.arraycopy(part, 0, out, from, part.length);
        }
        return out;
    }

    private double[][] scoreBatch(List<TokenizedSequence> chunk) {
        if (ensemble != null) {
            return PaddedSequences.scores(chunk, padId, ensemble::memberRewards, model.manager());
        }
        if (reference == null && !(layout instanceof HeadLayout.Autoregressive)) {
            return PaddedSequences.scores(chunk, padId, model::scores, model.manager());
        }
        double scale =
                layout instanceof HeadLayout.Autoregressive a
                        ? a.betaR()
                        : 1; // a policy's implicit reward is reported without beta
        double[] r =
                PaddedSequences.implicitRewards(
                        chunk,
                        padId,
                        model::tokenLogps,
                        reference == null ? null : reference::tokenLogps,
                        reference == null
                                ? new ImplicitReward.PolicySum()
                                : new ImplicitReward.LogRatio(),
                        model.manager());
        double[][] out = new double[r.length][];
        for (int i = 0; i < r.length; i++) {
            out[i] = new double[] {scale * r[i]};
        }
        return out;
    }

    /**
     * What the model's outputs mean ({@code reward4j-head.json} of the model directory); empty for
     * a plain reward model and for an implicit-reward scorer.
     */
    public Optional<HeadLayout> layout() {
        return Optional.ofNullable(layout);
    }

    /**
     * Every input read as the model's {@link HeadLayout} says: its reward where the model has one,
     * and its other outputs by name (see {@link ScoredResponse}). Formatting, truncation and errors
     * as {@link #scoreAll(List, List)}.
     *
     * @param inputs the responses
     * @param sources where each came from, for error messages
     * @param users each response's user id, or null entries (used by {@code maxmin} and {@code pal}
     *     models; ignored by the others)
     * @return one readout per input, in order
     */
    public List<ScoredResponse> scoreResponses(
            List<ScoreInput> inputs, List<Source> sources, List<String> users) {
        Checks.argument(
                users.size() == inputs.size(),
                () ->
                        "scorer: "
                                + inputs.size()
                                + " inputs but "
                                + users.size()
                                + " users; expected one each (null for none)");
        if (!readout.readsPromptEnd()) {
            return readout.read(scoreAll(inputs, sources), users);
        }
        List<TokenizedSequence> seqs = tokenize(inputs, sources);
        double[][] out = new double[seqs.size()][];
        for (int from = 0; from < seqs.size(); from += batchSize) {
            List<TokenizedSequence> chunk =
                    seqs.subList(from, Math.min(seqs.size(), from + batchSize));
            double[][] part =
                    Gradients.withGradModeOff(
                            () -> readout.endColumns(chunk, padId, model.manager()));
            System.arraycopy(part, 0, out, from, part.length);
        }
        return readout.read(out, users);
    }

    /**
     * The probability that each chosen response is preferred over its rejected response to the same
     * prompt, by the model's layout: \( \sigma(r_c - r_r) \) for a model with a scalar reward
     * (plain, ensemble aggregate, MaxMin cluster of the user, PAL-A user, GenARM), \( \sum_k w_k
     * \sigma(r_{c,k} - r_{r,k}) \) for a mixture, \( \sigma(s(y_c, y_r)/\tau) \) for a GPM; {@code
     * NaN} where the model has no reward for the pair (a PAL-A pair without a known user).
     *
     * @param chosen the chosen responses
     * @param rejected the rejected responses (same prompts, in order)
     * @param sources where each pair came from
     * @param users each pair's user id, or null entries
     * @return one probability per pair
     */
    public double[] preferenceProbability(
            List<ScoreInput> chosen,
            List<ScoreInput> rejected,
            List<Source> sources,
            List<String> users) {
        Checks.argument(
                chosen.size() == rejected.size(),
                () ->
                        "scorer: "
                                + chosen.size()
                                + " chosen but "
                                + rejected.size()
                                + " rejected responses; expected pairs");
        List<ScoreInput> both = new ArrayList<>(chosen);
        both.addAll(rejected);
        List<Source> where = new ArrayList<>(sources);
        where.addAll(sources);
        List<String> who = new ArrayList<>(users);
        who.addAll(users);
        List<ScoredResponse> r = scoreResponses(both, where, who);
        int n = chosen.size();
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = preferenceProbability(r.get(i), r.get(n + i));
        }
        return p;
    }

    /**
     * {@link #preferenceProbability(List, List, List, List)} of one pair already read by {@link
     * #scoreResponses} (both responses to the same prompt, for the same user).
     *
     * @param chosen the chosen response's readout
     * @param rejected the rejected response's readout
     * @return the probability, or {@code NaN} where the model has no reward for the pair
     */
    public double preferenceProbability(ScoredResponse chosen, ScoredResponse rejected) {
        return Gradients.withGradModeOff(
                () -> readout.probability(chosen, rejected, model.manager()));
    }

    /**
     * The per-step rewards \( \sigma(z_s) \) of step-annotated solutions under a process reward
     * model (a model trained with {@code objective.type: prm}, whose layout names the step
     * separator): tokenized as training tokenizes them ({@link StepTokenizer}: the prompt whole,
     * each step followed by the separator); steps cut by {@code max_length} get no reward (counted
     * in {@link #truncatedCount()}). Aggregate with {@link StepAggregation}.
     *
     * @param solutions the solutions (their labels are ignored)
     * @return per solution, the rewards of its kept steps, in order
     * @throws IllegalArgumentException for a model without a {@code prm} layout, or a solution
     *     whose prompt and first step do not fit, naming it
     */
    public List<double[]> stepRewards(List<StepwiseExample> solutions) {
        if (!(layout instanceof HeadLayout.ProcessReward prm)) {
            throw new IllegalArgumentException(
                    "scorer: "
                            + modelDir
                            + " is not a process reward model (layout "
                            + (layout == null ? "none" : layout.kind())
                            + "); expected a model trained with objective.type prm");
        }
        DataCounters counters = new DataCounters();
        StepTokenizer tokenizer =
                new StepTokenizer(encoder, prm.separator(), truncation.maxLength(), counters);
        List<TokenizedSteps> kept = tokenizer.tokenize(solutions);
        Map<String, TokenizedSteps> byId = new HashMap<>();
        kept.forEach(t -> byId.put(t.id(), t));
        for (StepwiseExample e : solutions) {
            if (!byId.containsKey(e.id())) {
                throw new IllegalArgumentException(
                        "score: "
                                + e.source()
                                + " cannot be scored as training tokenizes it ("
                                + counters.summary()
                                + "); expected a prompt and first step that fit "
                                + truncation.maxLength()
                                + " tokens");
            }
            dev.reward4j.trainers.run.ModelFit.check(
                    byId.get(e.id()).sequence(), e.source(), model.config(), modelDir);
        }
        truncated.addAndGet(counters.truncatedCount());
        StepCollator collator = new StepCollator(TrainRun.padding(encoder));
        ProcessRewardScorer scorer = new ProcessRewardScorer(model);
        Map<String, double[]> rewards = new HashMap<>();
        for (int from = 0; from < kept.size(); from += batchSize) {
            List<TokenizedSteps> chunk =
                    kept.subList(from, Math.min(kept.size(), from + batchSize));
            try (NDManager m = model.manager().newSubManager();
                    StepBatch batch = collator.collate(chunk, m)) {
                StepRewards r = scorer.stepRewards(batch);
                for (int i = 0; i < r.ids().size(); i++) {
                    rewards.put(r.ids().get(i), r.steps().get(i));
                }
            }
        }
        List<double[]> out = new ArrayList<>(solutions.size());
        solutions.forEach(e -> out.add(rewards.get(e.id())));
        return out;
    }

    /** Tokenizes as training tokenizes one response to a prompt; every input must survive. */
    private List<TokenizedSequence> tokenize(List<ScoreInput> inputs, List<Source> sources) {
        DataCounters counters = new DataCounters();
        ExampleTokenizer tokenizer = new ExampleTokenizer(encoder, truncation, counters);
        List<RatedResponse> rows = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            ScoreInput in = inputs.get(i);
            rows.add(
                    new RatedResponse(
                            Integer.toString(i),
                            in.prompt(),
                            in.response(),
                            List.of(),
                            new double[0],
                            new boolean[0],
                            sources.get(i)));
        }
        Map<String, TokenizedSequence> byId = new HashMap<>();
        for (TokenizedRated t : tokenizer.rated(rows)) {
            byId.put(t.id(), t.sequence());
        }
        List<TokenizedSequence> seqs = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            TokenizedSequence s = byId.get(Integer.toString(i));
            if (s == null) {
                String where = sources.get(i).toString();
                List<String> why = new ArrayList<>(counters.droppedAt());
                why.addAll(counters.invalidAt());
                throw new IllegalArgumentException(
                        "score: "
                                + where
                                + " cannot be scored as training tokenizes it ("
                                + why.stream()
                                        .filter(w -> w.startsWith(where))
                                        .findFirst()
                                        .orElse(counters.summary())
                                + "); expected a non-empty response that fits "
                                + truncation);
            }
            // ids the embedding table does not have fail here, naming the input, not in the forward
            dev.reward4j.trainers.run.ModelFit.check(s, sources.get(i), model.config(), modelDir);
            seqs.add(s);
        }
        truncated.addAndGet(counters.truncatedCount());
        return seqs;
    }

    /** Inputs cut by the truncation policy so far (each counted once per call that scored it). */
    public long truncatedCount() {
        return truncated.get();
    }

    /** The score head of the model ({@link ModelHead#LM} for an implicit-reward scorer). */
    public ModelHead head() {
        return model.head();
    }

    /** The tokenization and model facts of this scorer (for a run record). */
    public Map<String, String> runInfo() {
        return new LinkedHashMap<>(info);
    }

    /** Closes the models and the tokenizer. */
    @Override
    public void close() {
        readout.close();
        if (reference != null) {
            reference.close();
        }
        if (ensemble != null) {
            ensemble.close();
        } else {
            model.close();
        }
        encoder.close();
    }

    /**
     * Options of a {@link RewardScorer}. Defaults: the tokenizer of the model directory, CPU, the
     * training truncation defaults ({@code data.max_length} 512, {@code keep-prompt-end}; {@link
     * DataSection#defaults()}), batches of {@code data.eval_batch_size} (16), no reference.
     */
    public static final class Builder {
        private final Path modelDir;
        private Path tokenizerDir;
        private Path referenceDir;
        private String device = TrainSection.defaults().device();
        private int maxLength = DataSection.defaults().maxLength();
        private String truncation = DataSection.defaults().truncation();
        private int batchSize = DataSection.defaults().evalBatchSize();
        private EnsembleAggregation aggregation = new EnsembleAggregation.Mean();

        private Builder(Path modelDir) {
            this.modelDir = Objects.requireNonNull(modelDir, "scorer: model directory");
        }

        /** The tokenizer directory (default: the model directory). */
        public Builder tokenizer(Path dir) {
            this.tokenizerDir = dir;
            return this;
        }

        /** {@code cpu}, {@code gpu}, {@code gpu:N} or {@code auto}. */
        public Builder device(String name) {
            this.device = name;
            return this;
        }

        /** Maximum tokens per sequence, as {@code data.max_length}. */
        public Builder maxLength(int tokens) {
            this.maxLength = tokens;
            return this;
        }

        /**
         * The truncation policy, as {@code data.truncation}: {@code keep-prompt-end}, {@code
         * keep-end} or {@code drop}.
         */
        public Builder truncation(String policy) {
            this.truncation = policy;
            return this;
        }

        /** Sequences per forward pass. */
        public Builder batchSize(int n) {
            this.batchSize = n;
            return this;
        }

        /**
         * Scores a DPO-family policy (the model directory, LM head) by its implicit reward against
         * the reference model in {@code dir}.
         */
        public Builder reference(Path dir) {
            this.referenceDir = dir;
            return this;
        }

        /**
         * How the members of an {@code ensemble-heads} model combine into its reward (default
         * {@code mean}).
         */
        public Builder aggregation(EnsembleAggregation how) {
            this.aggregation = Objects.requireNonNull(how, "scorer: aggregation");
            return this;
        }

        /**
         * Loads the tokenizer and the model(s).
         *
         * @throws IllegalArgumentException for an impossible option (named as its config key)
         */
        public RewardScorer build() {
            return new RewardScorer(this);
        }
    }
}
