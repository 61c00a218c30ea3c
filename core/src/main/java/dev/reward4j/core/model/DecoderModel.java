package dev.reward4j.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.core.text.TextEncoder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A decoder-only transformer (Llama, Mistral, Qwen2/2.5, GPT-2) with a reward head or an LM head,
 * written on DJL NDArray ops over HF-named parameters.
 *
 * <p><b>Memory:</b> the parameters live in {@link #manager()} (owned by the model, freed by {@link
 * #close()}). Every forward result (and all intermediates) is attached to the manager of the {@code
 * inputIds} argument: create inputs in a per-step sub-manager and close it (or use an {@code
 * NDScope}) after backward.
 *
 * <p><b>Gradients:</b> parameters start frozen; call {@link #setTrainable(boolean)
 * setTrainable(true)} before training.
 *
 * <p><b>Thread safety:</b> forwards may run concurrently only without gradient collection; DJL
 * allows one {@code GradientCollector} per JVM.
 */
public final class DecoderModel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DecoderModel.class);

    /**
     * Seed of a freshly initialised score head when a causal-LM checkpoint is loaded as a reward
     * model.
     */
    public static final long FRESH_HEAD_SEED = 0L;

    private final ModelConfig config;
    private final ModelHead head;
    private final ModelOptions options;
    private final NDManager manager;
    private final Map<String, NDArray> params;
    private final Kernels kernels;
    private final Backbone backbone;
    private final LoadReport loadReport;

    private DecoderModel(
            ModelConfig config,
            ModelHead head,
            ModelOptions options,
            NDManager manager,
            Map<String, NDArray> params,
            LoadReport loadReport) {
        this.config = config;
        this.head = head;
        this.options = options;
        this.manager = manager;
        this.params = Collections.unmodifiableMap(params);
        this.loadReport = loadReport;
        this.kernels = Kernels.load(manager, options);
        this.backbone = Backbone.of(config, this.params, kernels.attention(), options.dtype());
    }

    /**
     * Loads an HF checkpoint directory ({@code config.json} + {@code model.safetensors} or a
     * sharded index).
     *
     * <p>Tensor names are matched strictly: missing and unexpected tensors are errors listing them,
     * except tensors the head does not use ({@code lm_head.weight} for a reward head, {@code
     * score.weight} for an LM head) and HF buffers, which are dropped and listed in {@link
     * #loadReport()}. A causal-LM checkpoint loaded with a reward head gets a fresh {@code
     * score.weight} ~ N(0, initializer_range) (seed {@value #FRESH_HEAD_SEED}), logged as a warning
     * and recorded in {@link LoadReport#freshScoreHead()}; a {@code *ForSequenceClassification}
     * checkpoint without {@code score.weight} is an error.
     */
    public static DecoderModel load(Path checkpointDir, ModelHead head, ModelOptions options) {
        ModelConfig config = ModelConfig.load(checkpointDir);
        List<ParamSpec> layout = ParamSpec.layout(config, head);
        NDManager manager = NDManager.newBaseManager(options.device());
        try (Checkpoint ckpt = Checkpoint.open(checkpointDir)) {
            WeightMatch match = WeightMatch.of(ckpt, layout, config, head);
            Map<String, NDArray> params = new LinkedHashMap<>();
            for (ParamSpec spec : layout) {
                NDArray a;
                if (spec.isScoreHead() && match.freshScoreHead()) {
                    a = init(manager, spec, new SplittableRandom(FRESH_HEAD_SEED), options.dtype());
                } else {
                    a = ckpt.read(spec.name(), manager, options.dtype());
                }
                a.setName(spec.name());
                params.put(spec.name(), a);
            }
            if (match.freshScoreHead()) {
                LOG.warn(
                        "model: {} is a causal-LM checkpoint without score.weight; created a fresh"
                                + " reward head {} ~ N(0, {}) (seed {}). Train it before use.",
                        checkpointDir,
                        new Shape(head.outputs(config.vocabSize()), config.hiddenSize()),
                        config.initializerRange(),
                        FRESH_HEAD_SEED);
            }
            if (!match.dropped().isEmpty()) {
                LOG.info(
                        "model: dropped {} checkpoint tensor(s) the {} head does not use: {}",
                        match.dropped().size(),
                        head,
                        match.dropped());
            }
            LoadReport report =
                    new LoadReport(checkpointDir, match.dropped(), match.freshScoreHead());
            return new DecoderModel(config, head, options, manager, params, report);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Builds a model with freshly initialised parameters: matrices and embeddings ~ N(0,
     * initializer_range) (GPT-2 {@code c_proj} weights with std / sqrt(2 x layers); the
     * Llama-family pad-token embedding row zero), biases 0, norm weights 1. Values come from {@link
     * SplittableRandom}{@code (seed)} in parameter order, so they are the same on every device.
     */
    public static DecoderModel create(
            ModelConfig config, ModelHead head, long seed, ModelOptions options) {
        NDManager manager = NDManager.newBaseManager(options.device());
        try {
            SplittableRandom rng = new SplittableRandom(seed);
            Map<String, NDArray> params = new LinkedHashMap<>();
            for (ParamSpec spec : ParamSpec.layout(config, head)) {
                NDArray a = init(manager, spec, rng, options.dtype());
                if (spec.name().equals("model.embed_tokens.weight")
                        && config.padTokenId() >= 0
                        && config.padTokenId() < config.vocabSize()) {
                    a.set(new NDIndex(config.padTokenId()), 0f);
                }
                a.setName(spec.name());
                params.put(spec.name(), a);
            }
            return new DecoderModel(
                    config, head, options, manager, params, LoadReport.fromScratch());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static NDArray init(
            NDManager manager, ParamSpec spec, SplittableRandom rng, DataType dtype) {
        int n = Math.toIntExact(spec.shape().size());
        float[] values = new float[n];
        switch (spec.init()) {
            case NORMAL:
                for (int i = 0; i < n; i++) {
                    values[i] = (float) (rng.nextGaussian() * spec.std());
                }
                break;
            case ONES:
                java.util.Arrays.fill(values, 1f);
                break;
            case ZEROS:
            default:
                break;
        }
        NDArray a = manager.create(values, spec.shape());
        if (dtype != DataType.FLOAT32) {
            NDArray cast = a.toType(dtype, true);
            a.close();
            return cast;
        }
        return a;
    }

    /** Architecture hyper-parameters. */
    public ModelConfig config() {
        return config;
    }

    /** The output head. */
    public ModelHead head() {
        return head;
    }

    /** Device of the parameters. */
    public Device device() {
        return options.device();
    }

    /** Options the model was built with. */
    public ModelOptions options() {
        return options;
    }

    /** The attention implementation actually in use ({@link AttentionImpl#AUTO} resolved). */
    public AttentionImpl attention() {
        return kernels.attention().impl();
    }

    /** The manager owning the parameters. */
    public NDManager manager() {
        return manager;
    }

    /** What loading did (dropped tensors, fresh score head). */
    public LoadReport loadReport() {
        return loadReport;
    }

    /**
     * HF tensor name to parameter array, in HF module order (unmodifiable; the arrays are the live
     * parameters).
     */
    public Map<String, NDArray> parameters() {
        return params;
    }

    /** Turns requires-gradient on or off for every parameter. */
    public void setTrainable(boolean trainable) {
        params.values().forEach(a -> a.setRequiresGradient(trainable));
    }

    /**
     * Reward scores (N, K) float32 read at the last position whose attention mask is 1 (right or
     * left padding, pad == EOS safe). Positions are {@code 0..T-1} for every row, as in HF without
     * explicit position ids.
     *
     * @param inputIds (N, T) int64 token ids
     * @param attentionMask (N, T) 0/1 mask (any integer type)
     * @return (N, K), attached to {@code inputIds}' manager
     */
    public NDArray scores(NDArray inputIds, NDArray attentionMask) {
        requireHead(ModelHead.Reward.class, "scores");
        checkInputs(inputIds, attentionMask, "scores");
        NDArray hidden = backbone.hidden(inputIds, positions(inputIds), attentionMask);
        NDArray last = Masks.lastIndex(attentionMask);
        NDArray rows =
                inputIds.getManager()
                        .arange(0, (int) inputIds.getShape().get(0), 1, DataType.INT64);
        return scoreHead(hidden.get(new NDIndex("{}, {}", rows, last)));
    }

    /**
     * Reward-head outputs (S, K) float32 read at arbitrary positions of one forward pass: entry s
     * is the score head applied to the hidden state of row {@code rows[s]} at position {@code
     * positions[s]}. With {@code positions} = the last attended position of each row this equals
     * {@link #scores}; other positions serve heads read elsewhere (a router or gate at the end of
     * the prompt, process rewards at step separators). Causal attention makes the output at
     * position t depend on tokens {@code 0..t} only.
     *
     * @param inputIds (N, T) int64 token ids
     * @param attentionMask (N, T) 0/1 mask (any integer type)
     * @param rows (S) int64 row of each read, in {@code [0, N)}
     * @param positions (S) int64 position of each read, in {@code [0, T)}
     * @return (S, K), attached to {@code inputIds}' manager
     */
    public NDArray scoresAt(
            NDArray inputIds, NDArray attentionMask, NDArray rows, NDArray positions) {
        requireHead(ModelHead.Reward.class, "scoresAt");
        checkInputs(inputIds, attentionMask, "scoresAt");
        checkReads(inputIds, rows, positions);
        NDArray hidden = backbone.hidden(inputIds, positions(inputIds), attentionMask);
        return scoreHead(hidden.get(new NDIndex("{}, {}", rows, positions)));
    }

    private static void checkReads(NDArray ids, NDArray rows, NDArray positions) {
        if (rows.getShape().dimension() != 1
                || !rows.getShape().equals(positions.getShape())
                || rows.getDataType() != DataType.INT64
                || positions.getDataType() != DataType.INT64) {
            throw new IllegalArgumentException(
                    "DecoderModel.scoresAt: rows ("
                            + rows.getShape()
                            + " "
                            + rows.getDataType()
                            + ") and positions ("
                            + positions.getShape()
                            + " "
                            + positions.getDataType()
                            + "); expected two int64 vectors of the same length (S)");
        }
        if (rows.size() == 0) {
            return;
        }
        long n = ids.getShape().get(0);
        long t = ids.getShape().get(1);
        long rowMin = rows.min().getLong();
        long rowMax = rows.max().getLong();
        long posMin = positions.min().getLong();
        long posMax = positions.max().getLong();
        if (rowMin < 0 || rowMax >= n || posMin < 0 || posMax >= t) {
            throw new IllegalArgumentException(
                    "DecoderModel.scoresAt: reads at rows ["
                            + rowMin
                            + ", "
                            + rowMax
                            + "] and positions ["
                            + posMin
                            + ", "
                            + posMax
                            + "]; expected rows in [0, "
                            + n
                            + ") and positions in [0, "
                            + t
                            + ")");
        }
    }

    /**
     * Per-token log-probabilities (N, T) float32: entry t = log p(ids[t] | ids[&lt;t]) for t &gt;=
     * 1 where {@code attentionMask[t] = 1}, and 0 at t = 0 and at masked positions. Full-vocabulary
     * logits are released as soon as the target log-probs are gathered.
     *
     * @return (N, T), attached to {@code inputIds}' manager
     */
    public NDArray tokenLogps(NDArray inputIds, NDArray attentionMask) {
        requireHead(ModelHead.Lm.class, "tokenLogps");
        checkInputs(inputIds, attentionMask, "tokenLogps");
        NDArray hidden = backbone.hidden(inputIds, positions(inputIds), attentionMask);
        NDArray valid = attentionMask.get(new NDIndex(":, 1:")).neq(0);
        return gatherLogps(inputIds, hidden, valid);
    }

    /**
     * Next-token log-probabilities (N, V) float32 at the last attended position of each row: entry
     * v = log p(v | ids[0..last]). The full distribution an autoregressive reward model (GenARM)
     * gives as next-token rewards, or a policy for guided decoding; only the N last positions are
     * projected to the vocabulary.
     *
     * @param inputIds (N, T) int64 token ids (the prefixes, left or right padded)
     * @param attentionMask (N, T) 0/1 mask
     * @return (N, V), attached to {@code inputIds}' manager
     */
    public NDArray nextTokenLogps(NDArray inputIds, NDArray attentionMask) {
        requireHead(ModelHead.Lm.class, "nextTokenLogps");
        checkInputs(inputIds, attentionMask, "nextTokenLogps");
        NDArray hidden = backbone.hidden(inputIds, positions(inputIds), attentionMask);
        NDArray last = Masks.lastIndex(attentionMask);
        NDArray rows =
                inputIds.getManager()
                        .arange(0, (int) inputIds.getShape().get(0), 1, DataType.INT64);
        NDArray h = hidden.get(new NDIndex("{}, {}", rows, last));
        NDArray w =
                config.tieWordEmbeddings()
                        ? params.get(ParamSpec.embeddingName(config))
                        : params.get(ParamSpec.LM_HEAD);
        return kernels.toFloat32(Ops.linear(h, w, null)).logSoftmax(-1);
    }

    /**
     * Reward scores (S, K) float32 of packed rows: several sequences per row, separated by segment
     * ids, each with its own positions; sequence s is read at (seqRow[s], seqLast[s]). Equals
     * {@link #scores} on each sequence alone.
     *
     * @param inputIds (R, T) int64
     * @param positionIds (R, T) int64 positions restarting at 0 in each segment
     * @param segmentIds (R, T) int64, 0 = padding, 1.. = segment within the row
     * @param seqRow (S) int64 row of each sequence
     * @param seqLast (S) int64 last position of each sequence in its row
     * @return (S, K) in sequence order, attached to {@code inputIds}' manager
     */
    public NDArray scoresPacked(
            NDArray inputIds,
            NDArray positionIds,
            NDArray segmentIds,
            NDArray seqRow,
            NDArray seqLast) {
        requireHead(ModelHead.Reward.class, "scoresPacked");
        checkPacked(inputIds, positionIds, segmentIds, "scoresPacked");
        NDArray hidden = backbone.hidden(inputIds, positionIds, segmentIds);
        return scoreHead(hidden.get(new NDIndex("{}, {}", seqRow, seqLast)));
    }

    /**
     * Per-token log-probabilities (R, T) float32 of packed rows: entry t = log p(ids[t] | earlier
     * tokens of the same segment), 0 at the first token of each segment and on padding. Use {@link
     * SequenceLogps#ofPacked} for per-sequence sums in sequence order.
     *
     * @return (R, T), attached to {@code inputIds}' manager
     */
    public NDArray tokenLogpsPacked(NDArray inputIds, NDArray positionIds, NDArray segmentIds) {
        requireHead(ModelHead.Lm.class, "tokenLogpsPacked");
        checkPacked(inputIds, positionIds, segmentIds, "tokenLogpsPacked");
        NDArray hidden = backbone.hidden(inputIds, positionIds, segmentIds);
        NDArray next = segmentIds.get(new NDIndex(":, 1:"));
        NDArray prev = segmentIds.get(new NDIndex(":, :-1"));
        NDArray valid = next.eq(prev).logicalAnd(next.neq(0));
        return gatherLogps(inputIds, hidden, valid);
    }

    /**
     * log_softmax(h[:, :-1] W^T) gathered at ids[:, 1:], zeroed where {@code valid} is false, 0
     * prepended.
     */
    private NDArray gatherLogps(NDArray inputIds, NDArray hidden, NDArray valid) {
        long n = inputIds.getShape().get(0);
        NDArray h = hidden.get(new NDIndex(":, :-1"));
        NDArray w =
                head instanceof ModelHead.Lm && config.tieWordEmbeddings()
                        ? params.get(ParamSpec.embeddingName(config))
                        : params.get(ParamSpec.LM_HEAD);
        NDArray logits = kernels.toFloat32(Ops.linear(h, w, null));
        NDArray logp = logits.logSoftmax(-1);
        logits.close(); // log_softmax's backward needs only its output
        NDArray targets =
                inputIds.get(new NDIndex(":, 1:")).toType(DataType.INT64, false).expandDims(-1);
        NDArray picked = logp.gather(targets, -1).squeeze(-1);
        logp.close(); // gather's backward keeps only the indices
        NDArray masked = picked.mul(valid.toType(DataType.FLOAT32, false));
        NDArray first = inputIds.getManager().zeros(new Shape(n, 1), DataType.FLOAT32);
        return first.concat(masked, 1);
    }

    private NDArray scoreHead(NDArray pooled) {
        return kernels.toFloat32(Ops.linear(pooled, params.get(ParamSpec.SCORE), null));
    }

    private static NDArray positions(NDArray inputIds) {
        long t = inputIds.getShape().get(1);
        return inputIds.getManager().arange(0, (int) t, 1, DataType.INT64).expandDims(0);
    }

    private void requireHead(Class<? extends ModelHead> kind, String method) {
        if (!kind.isInstance(head)) {
            throw new IllegalStateException(
                    "DecoderModel."
                            + method
                            + ": the model has head "
                            + head
                            + "; expected "
                            + (kind == ModelHead.Lm.class
                                    ? "ModelHead.LM"
                                    : "a ModelHead.Reward head")
                            + ". Load the checkpoint again with the other head.");
        }
    }

    private void checkInputs(NDArray ids, NDArray mask, String method) {
        checkIds(ids, method);
        if (!mask.getShape().equals(ids.getShape())) {
            throw new IllegalArgumentException(
                    "DecoderModel."
                            + method
                            + ": attentionMask shape ("
                            + mask.getShape()
                            + ") differs from inputIds shape ("
                            + ids.getShape()
                            + "); expected both (N, T)");
        }
        if (config.architecture() == Architecture.GPT2
                && ids.getShape().get(1) > config.maxPositions()) {
            throw new IllegalArgumentException(
                    "DecoderModel."
                            + method
                            + ": sequence length ("
                            + ids.getShape().get(1)
                            + ") exceeds GPT-2 n_positions ("
                            + config.maxPositions()
                            + "); truncate the inputs");
        }
    }

    private void checkPacked(NDArray ids, NDArray positions, NDArray segments, String method) {
        checkIds(ids, method);
        if (!positions.getShape().equals(ids.getShape())
                || !segments.getShape().equals(ids.getShape())) {
            throw new IllegalArgumentException(
                    "DecoderModel."
                            + method
                            + ": positionIds ("
                            + positions.getShape()
                            + ") and segmentIds ("
                            + segments.getShape()
                            + ") must have the inputIds shape ("
                            + ids.getShape()
                            + ")");
        }
    }

    private void checkIds(NDArray ids, String method) {
        if (ids.getShape().dimension() != 2 || ids.getShape().get(1) < 1) {
            throw new IllegalArgumentException(
                    "DecoderModel."
                            + method
                            + ": inputIds must be (N, T) with T >= 1 ("
                            + ids.getShape()
                            + ")");
        }
        if (ids.getDataType() != DataType.INT64 && ids.getDataType() != DataType.INT32) {
            throw new IllegalArgumentException(
                    "DecoderModel."
                            + method
                            + ": inputIds dtype ("
                            + ids.getDataType()
                            + "); expected INT64 or INT32");
        }
        long maxId = ids.max().getLong();
        long minId = ids.min().getLong();
        if (minId < 0 || maxId >= config.vocabSize()) {
            throw new IllegalArgumentException(
                    "DecoderModel."
                            + method
                            + ": token ids in ["
                            + minId
                            + ", "
                            + maxId
                            + "] outside the vocabulary [0, "
                            + config.vocabSize()
                            + "); check that the tokenizer matches the model");
        }
        if (!ids.getDevice().equals(options.device())) {
            throw new IllegalArgumentException(
                    "DecoderModel."
                            + method
                            + ": inputIds on "
                            + ids.getDevice()
                            + " but the model is on "
                            + options.device()
                            + "; create the batch on the model's device");
        }
    }

    /**
     * Saves an HF checkpoint directory: {@code config.json} ({@code architectures} = {@code
     * *ForSequenceClassification} with {@code num_labels} for a reward head, the causal-LM class
     * for an LM head; {@code pad_token_id} set), safetensors weights (sharded above {@link
     * SafetensorsWriter#DEFAULT_MAX_SHARD_BYTES}) and the tokenizer files of {@code
     * tokenizerDirOrNull}.
     */
    public void save(Path dir, Path tokenizerDirOrNull) {
        save(dir, tokenizerDirOrNull, SafetensorsWriter.DEFAULT_MAX_SHARD_BYTES);
    }

    /** {@link #save(Path, Path)} with an explicit shard size threshold in bytes. */
    public void save(Path dir, Path tokenizerDirOrNull, long maxShardBytes) {
        try {
            Files.createDirectories(dir);
            ModelConfig toWrite = config;
            if (head instanceof ModelHead.Reward r) {
                toWrite = toWrite.withNumLabels(r.numLabels());
                if (toWrite.padTokenId() < 0) {
                    int tokenizerPad = tokenizerPadId(tokenizerDirOrNull, toWrite.eosTokenId());
                    if (tokenizerPad >= 0) {
                        LOG.info(
                                "model: pad_token_id unset in config.json; saving the tokenizer's"
                                        + " pad token id {}",
                                tokenizerPad);
                        toWrite = toWrite.withPadTokenId(tokenizerPad);
                    } else if (toWrite.eosTokenId() >= 0) {
                        toWrite = toWrite.withPadTokenId(toWrite.eosTokenId());
                    } else {
                        throw new IllegalStateException(
                                "DecoderModel.save: the config has neither pad_token_id nor"
                                    + " eos_token_id and the tokenizer no pad token; HF sequence"
                                    + " classification needs pad_token_id. Set it with"
                                    + " ModelConfig.withPadTokenId.");
                    }
                }
                if (toWrite.padTokenId() == toWrite.eosTokenId()) {
                    // transformers pools the last token whose id != pad_token_id; reward4j pools
                    // the last attention-mask position
                    LOG.warn(
                            "model: saving pad_token_id = eos_token_id ({}). transformers'"
                                + " *ForSequenceClassification scores the last token that is not"
                                + " pad_token_id, so a sequence ending with EOS is scored one token"
                                + " earlier in Python than in reward4j. For identical scores give"
                                + " the tokenizer a pad token distinct from EOS.",
                            toWrite.eosTokenId());
                }
            }
            var json = HfConfig.toJson(toWrite, head);
            if (options.dtype() == DataType.FLOAT16) {
                json.put("dtype", "float16");
            }
            Files.writeString(
                    dir.resolve("config.json"),
                    HfConfig.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json));
            SafetensorsWriter.write(dir, params, maxShardBytes);
            if (tokenizerDirOrNull != null) {
                copyTokenizer(tokenizerDirOrNull, dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "DecoderModel.save: cannot write " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The pad token id of the tokenizer in {@code tokenizerDir} when it defines one distinct from
     * {@code eosId}; -1 when there is no tokenizer directory, no {@code tokenizer.json} or no
     * distinct pad token.
     */
    private static int tokenizerPadId(Path tokenizerDir, int eosId) {
        if (tokenizerDir == null || !Files.isRegularFile(tokenizerDir.resolve("tokenizer.json"))) {
            return -1;
        }
        try (TextEncoder encoder = TextEncoder.load(tokenizerDir)) {
            int pad = encoder.padId();
            return pad >= 0 && pad != encoder.eosId() && pad != eosId ? pad : -1;
        }
    }

    private static final List<String> TOKENIZER_FILES =
            List.of(
                    "tokenizer.json",
                    "tokenizer_config.json",
                    "special_tokens_map.json",
                    "added_tokens.json",
                    "vocab.json",
                    "merges.txt",
                    "tokenizer.model",
                    "chat_template.jinja",
                    "chat_template.json",
                    "generation_config.json");

    private static void copyTokenizer(Path from, Path to) throws IOException {
        List<String> copied = new ArrayList<>();
        for (String name : TOKENIZER_FILES) {
            Path src = from.resolve(name);
            if (Files.isRegularFile(src)
                    && !src.toAbsolutePath()
                            .normalize()
                            .equals(to.resolve(name).toAbsolutePath().normalize())) {
                Files.copy(src, to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                copied.add(name);
            }
        }
        if (copied.isEmpty()
                && !from.toAbsolutePath().normalize().equals(to.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException(
                    "DecoderModel.save: no tokenizer files in "
                            + from
                            + "; expected one of "
                            + TOKENIZER_FILES);
        }
    }

    @Override
    public void close() {
        kernels.close();
        manager.close();
    }

    @Override
    public String toString() {
        return "DecoderModel("
                + config.architecture().modelType()
                + ", layers="
                + config.numLayers()
                + ", hidden="
                + config.hiddenSize()
                + ", head="
                + head
                + ", "
                + options
                + ", attention="
                + attention()
                + ")";
    }
}
