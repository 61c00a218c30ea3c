package dev.reward4j.core.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which position of a sequence a reward head reads ({@link DecoderModel#scores}, {@link
 * DecoderModel#scoresPacked}, and so training, evaluation and scoring alike).
 *
 * <ul>
 *   <li>{@link #HF} (the default): transformers' {@code *ForSequenceClassification} rule ({@code
 *       GenericForSequenceClassification} in {@code modeling_layers.py}): the rightmost token whose
 *       id is not {@code pad_token_id}, i.e. {@code argmax_t(t * [ids[t] != pad])}, which handles
 *       left and right padding alike and gives position 0 when every token is the pad id. Without a
 *       pad id transformers reads the last position (batch size 1 only); reward4j then reads the
 *       last attended position, which is the same for an unpadded sequence. reward4j also never
 *       reads a position whose attention mask is 0 (padding added with another id than {@code
 *       pad_token_id} stays padding). When {@code pad_token_id == eos_token_id} (Llama 3, Qwen2.5
 *       base, any tokenizer without a pad token, where TRL sets pad = EOS) a sequence ending with
 *       EOS is read at the token before its trailing EOS run, exactly as the saved checkpoint
 *       scores in Python.
 *   <li>{@link #LAST_ATTENDED}: the last position whose attention mask is 1 (the trailing EOS
 *       included). Equals {@link #HF} whenever the pad id differs from every real token at the end
 *       of a sequence; with pad == EOS a checkpoint trained this way scores differently in
 *       transformers.
 * </ul>
 *
 * <p>Packed rows apply the same rule within each sequence (segment); a segment whose tokens are all
 * the pad id is read at its first token (what {@link #HF} gives that sequence alone, right padded).
 */
public enum RewardPooling {
    /** transformers' rule: the last token that is not the pad id. */
    HF("hf"),
    /** The last position whose attention mask is 1. */
    LAST_ATTENDED("last-attended");

    /**
     * The {@code config.json} key under which {@link DecoderModel#save} notes the pooling of a
     * reward head (transformers keeps unknown keys as config attributes and ignores them).
     */
    public static final String CONFIG_KEY = "reward4j_pooling";

    private final String key;

    RewardPooling(String key) {
        this.key = key;
    }

    /** The configuration name ({@code hf} or {@code last-attended}). */
    public String key() {
        return key;
    }

    /** Every configuration name, in declaration order. */
    public static List<String> keys() {
        return Arrays.stream(values()).map(RewardPooling::key).toList();
    }

    /**
     * The pooling a saved reward model notes in its {@code config.json} ({@value #CONFIG_KEY});
     * empty when the config has no such note (e.g. a checkpoint not saved by reward4j) or an
     * unknown value.
     */
    public static Optional<RewardPooling> recordedIn(ModelConfig config) {
        if (config.sourceJson().isEmpty()) {
            return Optional.empty();
        }
        try {
            JsonNode note = HfConfig.JSON.readTree(config.sourceJson()).get(CONFIG_KEY);
            if (note == null || !note.isTextual()) {
                return Optional.empty();
            }
            for (RewardPooling p : values()) {
                if (p.key.equals(note.asText())) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Parses a configuration name (case-insensitive).
     *
     * @throws IllegalArgumentException {@code pooling: expected one of [hf, last-attended] (got
     *     'x')}
     */
    public static RewardPooling parse(String key) {
        for (RewardPooling p : values()) {
            if (p.key.equals(key == null ? null : key.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException(
                "pooling: expected one of " + keys() + " (got '" + key + "')");
    }
}
