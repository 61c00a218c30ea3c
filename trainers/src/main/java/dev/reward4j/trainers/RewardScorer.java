package dev.reward4j.trainers;

import dev.reward4j.core.data.DataCounters;
import dev.reward4j.core.data.RatedResponse;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.data.TokenizedRated;
import dev.reward4j.core.data.TokenizedSequence;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.text.ExampleTokenizer;
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
import dev.reward4j.trainers.run.TrainRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

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

    private RewardScorer(Builder b) {
        this.truncation =
                DataSection.defaults().withTruncation(b.maxLength, b.truncation).truncationPolicy();
        this.batchSize = Checks.positive(b.batchSize, "scorer: batch size");
        Path tokenizerDir = b.tokenizerDir == null ? b.modelDir : b.tokenizerDir;
        ModelOptions options = ModelOptions.defaults().withDevice(DeviceSpec.resolve(b.device));
        TextEncoder enc = TextEncoder.load(tokenizerDir);
        DecoderModel m = null;
        DecoderModel ref = null;
        try {
            if (b.referenceDir == null) {
                m = RewardModels.load(b.modelDir, tokenizerDir, options);
            } else {
                m = DecoderModel.load(b.modelDir, ModelHead.LM, options);
                ref = DecoderModel.load(b.referenceDir, ModelHead.LM, options);
            }
        } catch (RuntimeException e) {
            if (m != null) {
                m.close();
            }
            enc.close();
            throw e;
        }
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
        if (ref == null) {
            info.put("reward", "score head, " + m.head());
            info.put("pooling", RewardModels.poolingFact(m));
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

    /** The score (column 0 of a multi-output model) of one input. */
    public double score(ScoreInput input) {
        return score(List.of(input))[0];
    }

    /** The scores (column 0 of a multi-output model) of {@code inputs}, in order. */
    public double[] score(List<ScoreInput> inputs) {
        double[][] all = scoreAll(inputs);
        double[] out = new double[all.length];
        for (int i = 0; i < all.length; i++) {
            out[i] = all[i][0];
        }
        return out;
    }

    /**
     * {@link #score(List)} with where each input came from, for error messages (e.g. the file and
     * line of a JSONL row).
     */
    public double[] score(List<ScoreInput> inputs, List<Source> sources) {
        double[][] all = scoreAll(inputs, sources);
        double[] out = new double[all.length];
        for (int i = 0; i < all.length; i++) {
            out[i] = all[i][0];
        }
        return out;
    }

    /**
     * Every output of {@code inputs}: {@code (N, K)}, K = the model's {@code num_labels} (1 for an
     * implicit reward).
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
        if (reference == null) {
            return PaddedSequences.scores(chunk, padId, model::scores, model.manager());
        }
        double[] r =
                PaddedSequences.implicitRewards(
                        chunk,
                        padId,
                        model::tokenLogps,
                        reference::tokenLogps,
                        new ImplicitReward.LogRatio(),
                        model.manager());
        double[][] out = new double[r.length][];
        for (int i = 0; i < r.length; i++) {
            out[i] = new double[] {r[i]};
        }
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
        if (reference != null) {
            reference.close();
        }
        model.close();
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
         * Loads the tokenizer and the model(s).
         *
         * @throws IllegalArgumentException for an impossible option (named as its config key)
         */
        public RewardScorer build() {
            return new RewardScorer(this);
        }
    }
}
