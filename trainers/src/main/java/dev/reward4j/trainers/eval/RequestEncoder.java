package dev.reward4j.trainers.eval;

import dev.reward4j.core.data.Conversation;
import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.Text;
import dev.reward4j.core.data.TokenizedSequence;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.core.util.Checks;
import dev.reward4j.trainers.checkpoint.RunInfo;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Encodes scoring requests the RewardBench way: chat template when the tokenizer has one ({@code
 * prompt messages + [assistant: completion]}), else plain prompt text then the completion; left
 * truncation to {@code maxLength} (RewardBench's {@code truncation_side = "left"}; cut prompt
 * tokens come off {@code promptLength}). {@link PaddedSequences} pads (right) and scores them.
 */
final class RequestEncoder {
    private final TextEncoder encoder;
    private final int maxLength;
    private final AtomicLong truncated = new AtomicLong();

    RequestEncoder(TextEncoder encoder, int maxLength) {
        Checks.argument(encoder != null, "scorer: encoder must not be null");
        this.encoder = encoder;
        this.maxLength = Checks.positive(maxLength, "scorer: maxLength");
    }

    /**
     * Run-record facts of the encoding: tokenizer directory and {@code tokenizer.json} digest,
     * template, truncation side and length, padding side, sequences truncated so far.
     */
    Map<String, String> runInfo() {
        Map<String, String> m = new LinkedHashMap<>(RunInfo.tokenizerFacts(encoder.directory()));
        m.put(
                "template",
                encoder.chatTemplate().isPresent()
                        ? "tokenizer chat template"
                        : "none (prompt + completion)");
        m.put("truncation_side", "left");
        m.put("max_length", Integer.toString(maxLength));
        m.put("padding_side", "right");
        m.put("truncated", Long.toString(truncated.get()));
        return m;
    }

    long truncatedCount() {
        return truncated.get();
    }

    TokenizedSequence encode(ScoringRequest request) {
        Text prompt;
        if (encoder.chatTemplate().isPresent()) {
            prompt = new Conversation(request.promptMessages());
        } else {
            Checks.argument(
                    request.prompt().size() == 1,
                    () ->
                            "scorer: row '"
                                    + request.rowId()
                                    + "' has a "
                                    + request.prompt().size()
                                    + "-turn prompt but the tokenizer has no chat template;"
                                    + " expected a single turn");
            prompt = new PlainText(request.prompt().get(0).content());
        }
        TokenizedSequence seq = encoder.encode(prompt, new PlainText(request.completion()));
        int[] ids = seq.ids();
        if (ids.length <= maxLength) {
            return seq;
        }
        truncated.incrementAndGet();
        int cut = ids.length - maxLength;
        return new TokenizedSequence(
                Arrays.copyOfRange(ids, cut, ids.length), Math.max(0, seq.promptLength() - cut));
    }

    /** The encoded requests, in order. */
    List<TokenizedSequence> encodeAll(List<ScoringRequest> batch) {
        return batch.stream().map(this::encode).toList();
    }

    /** The pad id of the right padding. */
    int padId() {
        return encoder.padId();
    }
}
