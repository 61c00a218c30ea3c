package dev.reward4j.core.text;

import dev.reward4j.core.data.DataCounters;
import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.StepwiseExample;
import dev.reward4j.core.data.TokenizedSequence;
import dev.reward4j.core.data.TokenizedSteps;
import dev.reward4j.core.util.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Tokenizes step-annotated solutions for process reward models (TRL's PRM layout): the prompt
 * (rendered as for any example; plain text stays plain), then for each step its text encoded
 * without special tokens followed by the separator tokens; the step's label sits on the last
 * separator token.
 *
 * <p><b>Truncation.</b> The prompt is kept whole; steps are kept from the first while prompt + kept
 * steps fit {@code maxLength}; later steps are cut (counted as a truncated response). A solution
 * whose prompt plus first step does not fit is dropped (counted). Empty step texts are rejected by
 * {@link StepwiseExample}.
 *
 * <p>Not thread-safe (it owns its counters).
 */
public final class StepTokenizer {
    private final TextEncoder encoder;
    private final int[] separator;
    private final int maxLength;
    private final DataCounters counters;

    /**
     * Creates a tokenizer.
     *
     * @param encoder the text encoder
     * @param separator the step separator text (e.g. {@code "\n"} as TRL, or a tag); must encode to
     *     at least one token
     * @param maxLength largest sequence length, {@code >= 2}
     * @param counters where truncations and drops are counted
     */
    public StepTokenizer(
            TextEncoder encoder, String separator, int maxLength, DataCounters counters) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.counters = Objects.requireNonNull(counters, "counters");
        Checks.argument(
                maxLength >= 2,
                () -> "StepTokenizer: maxLength (" + maxLength + "); expected >= 2");
        this.maxLength = maxLength;
        this.separator = encoder.encode(Objects.requireNonNull(separator, "separator"), false);
        Checks.argument(
                this.separator.length >= 1,
                () ->
                        "StepTokenizer: the separator ("
                                + separator
                                + ") encodes to no token; expected text the tokenizer keeps (a"
                                + " whitespace-only separator is dropped by some pre-tokenizers)");
    }

    /** The counters. */
    public DataCounters counters() {
        return counters;
    }

    /** The separator's token ids (a copy). */
    public int[] separatorIds() {
        return separator.clone();
    }

    /**
     * Tokenizes solutions.
     *
     * @param chunk the solutions
     * @return the kept solutions, in order
     */
    public List<TokenizedSteps> tokenize(List<StepwiseExample> chunk) {
        List<TokenizedSteps> out = new ArrayList<>(chunk.size());
        for (StepwiseExample e : chunk) {
            TokenizedSteps t = one(e);
            if (t != null) {
                out.add(t);
                counters.kept();
            }
        }
        return out;
    }

    private TokenizedSteps one(StepwiseExample e) {
        String renderedPrompt = encoder.renderPrompt(e.prompt(), new PlainText(e.steps().get(0)));
        int[] prefix = encoder.prefixFor(renderedPrompt);
        int[] prompt = concat(prefix, encoder.encode(renderedPrompt, false));
        List<Integer> ids = new ArrayList<>();
        for (int id : prompt) {
            ids.add(id);
        }
        double[] labels = e.labels();
        int[] ends = new int[labels.length];
        int kept = 0;
        for (int s = 0; s < e.steps().size(); s++) {
            int[] step = concat(encoder.encode(e.steps().get(s), false), separator);
            if (ids.size() + step.length > maxLength) {
                break;
            }
            for (int id : step) {
                ids.add(id);
            }
            ends[kept++] = ids.size() - 1;
        }
        if (kept == 0) {
            counters.dropped(
                    e.source().toString(), "prompt + first step exceed maxLength " + maxLength);
            return null;
        }
        if (kept < labels.length) {
            counters.truncated(0, 1, 0);
        }
        int[] all = ids.stream().mapToInt(Integer::intValue).toArray();
        return new TokenizedSteps(
                e.id(),
                new TokenizedSequence(all, prompt.length),
                Arrays.copyOf(ends, kept),
                Arrays.copyOf(labels, kept),
                e.source());
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
