package dev.reward4j.core.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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
    private final int poolingPadId;

    private DecoderModel(
            ModelConfig config,
            ModelHead head,
            ModelOptions options,
            NDManager manager,
            Map<String, NDArray> params,
            LoadReport loadReport,
            int poolingPadId) {
        this.config = config;
        this.poolingPadId = poolingPadId;
        this.head = head;
        this.options = options;
        this.manager = manager;
        this.params = Collections.unmodifiableMap(params);
        this.loadReport = loadReport;
        this.kernels = Kernels.load(manager, options, config.normEps());
        this.backbone = Backbone.of(config, this.params, kernels, options.dtype());
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
     *
     * <p>The pad id of a reward head's pooling ({@link #poolingPadId()}) comes from the tokenizer
     * files in {@code checkpointDir}: see {@link #load(Path, ModelHead, ModelOptions, Path)}.
     */
    public static DecoderModel load(Path checkpointDir, ModelHead head, ModelOptions options) {
        return load(checkpointDir, head, options, checkpointDir);
    }

    /**
     * {@link #load(Path, ModelHead, ModelOptions)} with the tokenizer directory the model is used
     * with. For a reward head the pad id of the pooling ({@link #poolingPadId()}, and the {@code
     * pad_token_id} {@link #save} writes) is fixed here, once: {@code pad_token_id} of {@code
     * config.json}; else the tokenizer's pad token when it differs from EOS; else {@code
     * eos_token_id} (what TRL sets when a tokenizer has no pad token). When that pad id equals
     * {@code eos_token_id} a warning is logged (once, here) saying which token the reward head
     * reads; a checkpoint saved with a different {@code reward4j_pooling} than {@code
     * options.pooling()} is also warned about.
     *
     * @param tokenizerDir directory with {@code tokenizer.json} (null or without one: only {@code
     *     config.json} and EOS are used)
     */
    public static DecoderModel load(
            Path checkpointDir, ModelHead head, ModelOptions options, Path tokenizerDir) {
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
            int padId = poolingPadId(config, head, tokenizerDir);
            if (head instanceof ModelHead.Reward) {
                warnAboutPooling(checkpointDir.toString(), config, options.pooling(), padId);
            }
            return new DecoderModel(config, head, options, manager, params, report, padId);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Builds a model with freshly initialised parameters: matrices and embeddings ~ N(0,
     * initializer_range) (GPT-2 {@code c_proj} weights with std / sqrt(2 x layers); the
     * Llama-family pad-token embedding row zero), biases 0, norm weights 1. Values come from {@link
     * SplittableRandom}{@code (seed)} in parameter order, so they are the same on every device. The
     * pad id of a reward head's pooling is {@code config.padTokenId()}, else {@code
     * config.eosTokenId()} (set {@link ModelConfig#withPadTokenId} to the tokenizer's pad id when
     * it has a distinct one).
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
            int padId = poolingPadId(config, head, null);
            if (head instanceof ModelHead.Reward) {
                warnAboutPooling(
                        "(created " + config.architecture().modelType() + ")",
                        config,
                        options.pooling(),
                        padId);
            }
            return new DecoderModel(
                    config, head, options, manager, params, LoadReport.fromScratch(), padId);
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

    /** The reward-head pooling rule ({@code options().pooling()}). */
    public RewardPooling pooling() {
        return options.pooling();
    }

    /**
     * The pad id a reward head's {@link RewardPooling#HF} pooling skips, fixed when the model was
     * loaded or created (see {@link #load(Path, ModelHead, ModelOptions, Path)}); -1 when there is
     * none (then the last attended position is read). {@link #save} writes it as {@code
     * pad_token_id} when {@code config.json} had none, so transformers pools the same token.
     */
    public int poolingPadId() {
        return poolingPadId;
    }

    /** The pad id of the pooling: config, else a distinct tokenizer pad, else EOS (-1: none). */
    private static int poolingPadId(ModelConfig config, ModelHead head, Path tokenizerDir) {
        if (config.padTokenId() >= 0 || !(head instanceof ModelHead.Reward)) {
            return config.padTokenId();
        }
        int tokenizerPad;
        try {
            tokenizerPad = tokenizerPadId(tokenizerDir, config.eosTokenId());
        } catch (RuntimeException e) {
            // the weights load without a tokenizer; only the pad id's source is lost
            LOG.warn(
                    "model: cannot read the tokenizer in {} ({}); the reward head pools with"
                            + " eos_token_id {} as pad id",
                    tokenizerDir,
                    e.getMessage(),
                    config.eosTokenId());
            tokenizerPad = -1;
        }
        return tokenizerPad >= 0 ? tokenizerPad : config.eosTokenId();
    }

    /** Logs once per load: pad == EOS (which token is read), and a pooling other than saved. */
    private static void warnAboutPooling(
            String dir, ModelConfig config, RewardPooling pooling, int padId) {
        if (padId >= 0 && padId == config.eosTokenId()) {
            if (pooling == RewardPooling.HF) {
                LOG.warn(
                        "model: {} has pad_token_id = eos_token_id ({}){}; the reward head reads"
                            + " the last token that is not {} (transformers' pooling), so a"
                            + " sequence ending with EOS is scored at the token before it, as in"
                            + " Python. Give the tokenizer a pad token distinct from EOS to score"
                            + " the EOS itself.",
                        dir,
                        padId,
                        config.padTokenId() < 0 ? " (pad_token_id unset; EOS used as pad)" : "",
                        padId);
            } else {
                LOG.warn(
                        "model: {} has pad_token_id = eos_token_id ({}) and pooling {}: the"
                                + " reward head reads the final EOS, but transformers'"
                                + " *ForSequenceClassification reads the token before it, so the"
                                + " saved model scores differently in Python. Use pooling hf for"
                                + " identical scores.",
                        dir,
                        padId,
                        pooling.key());
            }
        }
        RewardPooling.recordedIn(config)
                .filter(saved -> saved != pooling)
                .ifPresent(
                        saved ->
                                LOG.warn(
                                        "model: {} was saved with {} {} but is loaded with"
                                                + " pooling {}; its rewards differ from the saved"
                                                + " model's wherever a sequence ends with the pad"
                                                + " id",
                                        dir,
                                        RewardPooling.CONFIG_KEY,
                                        saved.key(),
                                        pooling.key()));
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
     * The LM head weight (V, H): logits = {@code hidden @ W^T}. The token embedding when the
     * checkpoint ties them.
     *
     * @return the parameter array itself (do not close or modify it)
     */
    public NDArray lmHeadWeight() {
        requireHead(ModelHead.Lm.class, "lmHeadWeight");
        return config.tieWordEmbeddings()
                ? params.get(ParamSpec.embeddingName(config))
                : params.get(ParamSpec.LM_HEAD);
    }

    /**
     * Reward scores (N, K) float32 read at the position {@link #pooledPositions} gives: by default
     * ({@link RewardPooling#HF}) the last token whose id is not {@link #poolingPadId()}, as
     * transformers' {@code *ForSequenceClassification} (right or left padding). Positions are
     * {@code 0..T-1} for every row, as in HF without explicit position ids.
     *
     * @param inputIds (N, T) int64 token ids
     * @param attentionMask (N, T) 0/1 mask (any integer type)
     * @return (N, K), attached to {@code inputIds}' manager
     */
    public NDArray scores(NDArray inputIds, NDArray attentionMask) {
        requireHead(ModelHead.Reward.class, "scores");
        checkInputs(inputIds, attentionMask, "scores");
        NDArray hidden = backbone.hidden(inputIds, positions(inputIds), attentionMask);
        NDArray last = PoolPositions.padded(inputIds, attentionMask, pooling(), poolingPadId);
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
        NDArray shifted = attentionMask.get(new NDIndex(":, 1:"));
        NDArray valid = shifted.neq(Ops.scalar(shifted, 0));
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
        NDArray last =
                PoolPositions.padded(inputIds, attentionMask, RewardPooling.LAST_ATTENDED, -1);
        NDArray rows =
                inputIds.getManager()
                        .arange(0, (int) inputIds.getShape().get(0), 1, DataType.INT64);
        NDArray h = hidden.get(new NDIndex("{}, {}", rows, last));
        return kernels.toFloat32(Ops.linear(h, lmHeadWeight(), null)).logSoftmax(-1);
    }

    /**
     * The position {@link #scores} reads in each row (N) int64, by the {@link #pooling()} rule:
     * {@link RewardPooling#HF} gives {@code argmax_t(t * [mask[t] = 1 and ids[t] != pad])} with pad
     * = {@link #poolingPadId()} (0 when no position qualifies; the last attended position when
     * there is no pad id), {@link RewardPooling#LAST_ATTENDED} the last position whose mask is 1.
     *
     * @param inputIds (N, T) integer token ids
     * @param attentionMask (N, T) 0/1 mask
     * @return (N) int64, attached to the inputs' manager
     */
    public NDArray pooledPositions(NDArray inputIds, NDArray attentionMask) {
        return PoolPositions.padded(inputIds, attentionMask, pooling(), poolingPadId);
    }

    /**
     * The last hidden states (N, T, H) float32 of the backbone (after its final norm, before any
     * head), e.g. for prompt embeddings: {@link #meanHidden} pools them over a token mask.
     *
     * @param inputIds (N, T) int64
     * @param attentionMask (N, T), 1 on real tokens
     * @return (N, T, H), attached to {@code inputIds}' manager
     */
    public NDArray hiddenStates(NDArray inputIds, NDArray attentionMask) {
        checkInputs(inputIds, attentionMask, "hiddenStates");
        return kernels.toFloat32(backbone.hidden(inputIds, positions(inputIds), attentionMask));
    }

    /**
     * The mean of the last hidden states over the positions where {@code tokenMask} is 1, (N, H)
     * float32 (a row with no such position gives 0).
     *
     * @param inputIds (N, T) int64
     * @param attentionMask (N, T), 1 on real tokens
     * @param tokenMask (N, T), 1 on the positions to average (any numeric type)
     * @return (N, H), attached to {@code inputIds}' manager
     */
    public NDArray meanHidden(NDArray inputIds, NDArray attentionMask, NDArray tokenMask) {
        NDArray h = hiddenStates(inputIds, attentionMask);
        NDArray m = tokenMask.toType(DataType.FLOAT32, false);
        NDArray sum = h.mul(m.expandDims(2)).sum(new int[] {1});
        return sum.div(m.sum(new int[] {1}).maximum(1f).expandDims(1));
    }

    /**
     * {@link #tokenLogps} plus, from the same forward, the per-token log squared probability mass
     * \( \log\sum_v p(v \mid ids[&lt;t])^2 \) (N, T) float32, detached, 0 where {@code tokenLogps}
     * is 0 (WPO's alignment term: TRL computes it as {@code logsumexp(2 z) - 2 logsumexp(z)} of the
     * logits z). The extra pass over the vocabulary runs only here.
     *
     * @param inputIds (N, T) int64
     * @param attentionMask (N, T), 1 on real tokens
     * @return {@code [tokenLogps, logSquaredMass]}, each (N, T), attached to {@code inputIds}'
     *     manager
     */
    public NDList tokenLogpsWithSquaredMass(NDArray inputIds, NDArray attentionMask) {
        requireHead(ModelHead.Lm.class, "tokenLogpsWithSquaredMass");
        checkInputs(inputIds, attentionMask, "tokenLogpsWithSquaredMass");
        NDArray hidden = backbone.hidden(inputIds, positions(inputIds), attentionMask);
        NDArray valid = attentionMask.get(new NDIndex(":, 1:")).neq(0);
        NDArray[] out = new NDArray[2];
        out[0] = gatherLogps(inputIds, hidden, valid, out);
        return new NDList(out[0], out[1]);
    }

    /**
     * Reward scores (S, K) float32 of packed rows: several sequences per row, separated by segment
     * ids, each with its own positions; sequence s ends at (seqRow[s], seqLast[s]) and is read
     * there under {@link RewardPooling#LAST_ATTENDED}, or under {@link RewardPooling#HF} at the
     * last column of its segment whose id is not {@link #poolingPadId()} (its first column when
     * there is none). Equals {@link #scores} on each sequence alone.
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
        NDArray read =
                PoolPositions.packed(
                        inputIds, segmentIds, seqRow, seqLast, pooling(), poolingPadId);
        return scoreHead(hidden.get(new NDIndex("{}, {}", seqRow, read)));
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
        NDArray valid = next.eq(prev).logicalAnd(next.neq(Ops.scalar(next, 0)));
        return gatherLogps(inputIds, hidden, valid);
    }

    /**
     * {@link #tokenLogps} plus, from the same forward, what the training diagnostics read: the last
     * hidden states and, for the next-token distribution \( p_t \) that predicts each token, its
     * top-k probability mass \( M_t = \sum_{v \in \mathrm{top}_k(p_t)} p_t(v) \) and the entropy of
     * the distribution renormalised over those k tokens, \( H_t = -\sum_{v \in \mathrm{top}_k}
     * \frac{p_t(v)}{M_t} \log \frac{p_t(v)}{M_t} \) (in nats, in {@code [0, log k]}). The top-k
     * statistics use the log-probabilities already formed for the gather, so they cost a top-k over
     * the vocabulary and no extra matrix product.
     *
     * @param inputIds (N, T) int64
     * @param attentionMask (N, T), 1 on real tokens
     * @param topK k, {@code >= 1} (clamped to the vocabulary size)
     * @return the log-probs (part of the graph) and the detached statistics, attached to {@code
     *     inputIds}' manager
     */
    public TokenStatistics tokenStatistics(NDArray inputIds, NDArray attentionMask, int topK) {
        return tokenStatistics(inputIds, attentionMask, topK, false);
    }

    /**
     * {@link #tokenStatistics(NDArray, NDArray, int)}, and with {@code squaredMass} also WPO's
     * per-token \( \log\sum_v p_v^2 \) of {@link #tokenLogpsWithSquaredMass}, from the same
     * log-probabilities.
     *
     * @param inputIds (N, T) int64
     * @param attentionMask (N, T), 1 on real tokens
     * @param topK k, {@code >= 1} (clamped to the vocabulary size)
     * @param squaredMass whether to fill {@link TokenStatistics#logSquaredMass()}
     * @return the log-probs (part of the graph) and the detached statistics
     */
    public TokenStatistics tokenStatistics(
            NDArray inputIds, NDArray attentionMask, int topK, boolean squaredMass) {
        requireHead(ModelHead.Lm.class, "tokenStatistics");
        checkInputs(inputIds, attentionMask, "tokenStatistics");
        if (topK < 1) {
            throw new IllegalArgumentException(
                    "DecoderModel.tokenStatistics: topK (" + topK + ") must be >= 1");
        }
        NDArray hidden = backbone.hidden(inputIds, positions(inputIds), attentionMask);
        NDArray valid = attentionMask.get(new NDIndex(":, 1:")).neq(0);
        Extras extras = new Extras(squaredMass, Math.min(topK, config.vocabSize()));
        NDArray logps = gatherLogps(inputIds, hidden, valid, extras);
        return new TokenStatistics(
                logps,
                kernels.toFloat32(hidden).stopGradient(),
                extras.entropy,
                extras.mass,
                extras.squared);
    }

    /** Optional by-products of {@link #gatherLogps}, filled from the same log-probs. */
    private static final class Extras {
        final boolean squaredMass;
        final int topK;
        NDArray squared;
        NDArray entropy;
        NDArray mass;

        Extras(boolean squaredMass, int topK) {
            this.squaredMass = squaredMass;
            this.topK = topK;
        }
    }

    /**
     * log_softmax(h[:, :-1] W^T) gathered at ids[:, 1:], zeroed where {@code valid} is false, 0
     * prepended.
     */
    private NDArray gatherLogps(NDArray inputIds, NDArray hidden, NDArray valid) {
        return gatherLogps(inputIds, hidden, valid, (Extras) null);
    }

    /**
     * As above; when {@code squaredMass} is given, its slot 1 receives the detached per-token \(
     * \log\sum_v p_v^2 \) (N, T), zeroed like the log-probs.
     */
    private NDArray gatherLogps(
            NDArray inputIds, NDArray hidden, NDArray valid, NDArray[] squaredMass) {
        if (squaredMass == null) {
            return gatherLogps(inputIds, hidden, valid, (Extras) null);
        }
        Extras extras = new Extras(true, 0);
        NDArray out = gatherLogps(inputIds, hidden, valid, extras);
        squaredMass[1] = extras.squared;
        return out;
    }

    /**
     * As above; {@code extras} (may be null) receives the detached statistics it asks for, each (N,
     * T) in the log-prob layout (0 at t = 0 and where {@code valid} is false).
     */
    private NDArray gatherLogps(NDArray inputIds, NDArray hidden, NDArray valid, Extras extras) {
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
        NDArray validF = valid.toType(DataType.FLOAT32, false);
        NDArray first = inputIds.getManager().zeros(new Shape(n, 1), DataType.FLOAT32);
        if (extras != null && extras.squaredMass) {
            // log sum_v p_v^2 = log sum_v exp(2 log p_v); sum_v p_v^2 >= 1/V, so no underflow
            NDArray detached = logp.stopGradient();
            NDArray mass = detached.mul(Ops.scalar(detached, 2)).exp().sum(new int[] {-1}).log();
            extras.squared = first.concat(mass.mul(validF), 1);
        }
        if (extras != null && extras.topK > 0) {
            // top-k of the log-probs: M = sum p, H = log M - (sum p log p) / M (renormalised)
            NDList top = logp.stopGradient().topK(extras.topK, -1, true, false);
            NDArray lv = top.get(0);
            NDArray pv = lv.exp();
            NDArray mass = pv.sum(new int[] {-1});
            NDArray entropy = mass.log().sub(pv.mul(lv).sum(new int[] {-1}).div(mass));
            extras.mass = first.concat(mass.mul(validF), 1);
            extras.entropy = first.concat(entropy.mul(validF), 1);
        }
        logp.close(); // gather's backward keeps only the indices
        NDArray masked = picked.mul(validF);
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
        // one host read for both bounds
        long[] range;
        try (NDArray bounds =
                ai.djl.ndarray.NDArrays.stack(new ai.djl.ndarray.NDList(ids.min(), ids.max()))) {
            range = bounds.toType(DataType.INT64, false).toLongArray();
        }
        long minId = range[0];
        long maxId = range[1];
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
     * for an LM head; for a reward head {@code pad_token_id} set, to {@link #poolingPadId()} when
     * the config had none, and the pooling noted as {@code "reward4j_pooling": "hf"} or {@code
     * "last-attended"}), safetensors weights (sharded above {@link
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
                if (toWrite.padTokenId() < 0 && poolingPadId >= 0) {
                    LOG.info(
                            "model: pad_token_id unset in config.json; saving {}, the pad id the"
                                    + " reward head pools with",
                            poolingPadId);
                    toWrite = toWrite.withPadTokenId(poolingPadId);
                } else if (toWrite.padTokenId() < 0) {
                    // no pad and no EOS: rewards were read at the last attended position, which
                    // transformers reproduces with a pad id that never occurs in the text
                    int tokenizerPad = tokenizerPadId(tokenizerDirOrNull, toWrite.eosTokenId());
                    if (tokenizerPad < 0) {
                        throw new IllegalStateException(
                                "DecoderModel.save: the config has neither pad_token_id nor"
                                    + " eos_token_id and the tokenizer no pad token; HF sequence"
                                    + " classification needs pad_token_id. Set it with"
                                    + " ModelConfig.withPadTokenId.");
                    }
                    toWrite = toWrite.withPadTokenId(tokenizerPad);
                }
                if (toWrite.padTokenId() == toWrite.eosTokenId()
                        && pooling() == RewardPooling.LAST_ATTENDED) {
                    LOG.warn(
                            "model: saving pad_token_id = eos_token_id ({}) for a reward head"
                                + " trained with pooling last-attended: transformers'"
                                + " *ForSequenceClassification scores the last token that is not"
                                + " pad_token_id, so a sequence ending with EOS is scored one token"
                                + " earlier in Python than in reward4j. Use pooling hf (the"
                                + " default) or give the tokenizer a pad token distinct from EOS.",
                            toWrite.eosTokenId());
                }
            }
            var json = HfConfig.toJson(toWrite, head);
            if (options.dtype() == DataType.FLOAT16) {
                json.put("dtype", "float16");
            }
            if (head instanceof ModelHead.Reward) {
                json.put(RewardPooling.CONFIG_KEY, pooling().key());
            } else {
                json.remove(RewardPooling.CONFIG_KEY);
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
