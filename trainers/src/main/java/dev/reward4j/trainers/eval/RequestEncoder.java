package dev.reward4j.trainers.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
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
 * Encodes scoring requests the RewardBench way and pads them: chat template when the tokenizer has
 * one ({@code prompt messages + [assistant: completion]}), else plain prompt text then the
 * completion; left truncation to {@code maxLength} (RewardBench's {@code truncation_side = "left"};
 * cut prompt tokens come off {@code promptLength}); right padding with the pad id.
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

    /** Right-padded host arrays of a batch. */
    record Padded(int rows, int width, long[] ids, long[] mask, float[] responseMask) {}

    Padded pad(List<ScoringRequest> batch) {
        TokenizedSequence[] seqs =
                batch.stream().map(this::encode).toArray(TokenizedSequence[]::new);
        int width = 1;
        for (TokenizedSequence s : seqs) {
            width = Math.max(width, s.length());
        }
        int rows = seqs.length;
        long[] ids = new long[rows * width];
        long[] mask = new long[rows * width];
        float[] response = new float[rows * width];
        Arrays.fill(ids, encoder.padId());
        for (int r = 0; r < rows; r++) {
            int[] s = seqs[r].ids();
            for (int t = 0; t < s.length; t++) {
                ids[r * width + t] = s[t];
                mask[r * width + t] = 1;
                response[r * width + t] = t >= seqs[r].promptLength() ? 1f : 0f;
            }
        }
        return new Padded(rows, width, ids, mask, response);
    }

    /**
     * What a scorer computes from one padded batch (arrays attached to a per-batch sub-manager).
     */
    @FunctionalInterface
    interface BatchFunction {
        double[] apply(Padded padded, NDArray ids, NDArray mask, NDArray responseMask);
    }

    /**
     * Pads {@code batch}, creates its (N, T) ids, mask (int64) and response mask (float32) in a
     * sub-manager of {@code parent}, applies {@code fn} and closes the sub-manager (with everything
     * the forward pass attached to it).
     */
    double[] scoreBatch(List<ScoringRequest> batch, NDManager parent, BatchFunction fn) {
        if (batch.isEmpty()) {
            return new double[0];
        }
        Padded p = pad(batch);
        try (NDManager step = parent.newSubManager()) {
            Shape shape = new Shape(p.rows(), p.width());
            return fn.apply(
                    p,
                    step.create(p.ids(), shape),
                    step.create(p.mask(), shape),
                    step.create(p.responseMask(), shape));
        }
    }

    static double[] toDoubles(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
