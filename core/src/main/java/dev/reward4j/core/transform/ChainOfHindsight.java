package dev.reward4j.core.transform;

import dev.reward4j.core.data.Conversation;
import dev.reward4j.core.data.DataCounters;
import dev.reward4j.core.data.Message;
import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.Text;
import dev.reward4j.core.data.WeightedSequence;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.core.text.TruncationPolicy;
import dev.reward4j.core.util.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Chain of Hindsight: a preference pair becomes one sequence in which both responses follow the
 * prompt, each introduced by a natural-language feedback phrase, e.g.
 *
 * <pre>{prompt} A helpful answer: {chosen} An unhelpful answer: {rejected}</pre>
 *
 * (or the rejected one first). The model is trained by negative log-likelihood on the responses
 * only: the prompt and the feedback tokens are context, masked from the loss (\( \log p(x) = \sum_i
 * \mathbb{1}_{O(x)}(x_i) \log p(x_i \mid x_{&lt;i}) \), with \( O(x) \) the model-output tokens),
 * so the model learns to produce the response that matches the feedback it is given and is prompted
 * with the positive phrase at inference.
 *
 * <p>Layout and tokenization: the prompt is rendered as training renders prompts (plain text as is;
 * a conversation through the chat template with the generation prompt); each segment (feedback
 * phrase, response) is encoded on its own without special tokens, so the mask follows segment
 * boundaries exactly, and an EOS follows the last response when the tokenizer has one (a target
 * token). A plain-text prompt is separated from the first phrase by a space, and the second phrase
 * from the first response by a space. A conversation response contributes the text of its messages.
 * The order of the two responses is {@link Order#RANDOM} by default, drawn per example from {@code
 * seed} and the example id (the paper randomises it). The paper's random masking of past tokens is
 * not applied.
 *
 * <p>Length: a sequence longer than the policy's {@code maxLength} is dropped under {@link
 * TruncationPolicy.Drop}; under the other policies it is cut at {@code maxLength} from the end (the
 * later response loses its tail), and dropped when no target token would remain. Every cut, drop
 * and invalid example (an empty response, a sequence starting with BOS BOS) is counted.
 *
 * <p>Reference: "Chain of Hindsight Aligns Language Models with Feedback", arXiv:2302.02676.
 *
 * @param positiveFeedback the phrase before the chosen response
 * @param negativeFeedback the phrase before the rejected response
 * @param order which response comes first
 * @param seed seed of the per-example order under {@link Order#RANDOM}
 */
public record ChainOfHindsight(
        String positiveFeedback, String negativeFeedback, Order order, long seed) {

    /** Which response of a pair comes first in the sequence. */
    public enum Order {
        /** Drawn per example from the seed and the example id. */
        RANDOM,
        /** The chosen response first. */
        GOOD_FIRST,
        /** The rejected response first. */
        BAD_FIRST
    }

    /** Validates the fields. */
    public ChainOfHindsight {
        Checks.argument(
                positiveFeedback != null
                        && !positiveFeedback.isBlank()
                        && negativeFeedback != null
                        && !negativeFeedback.isBlank()
                        && !positiveFeedback.equals(negativeFeedback),
                () ->
                        "ChainOfHindsight: feedback phrases ('"
                                + positiveFeedback
                                + "', '"
                                + negativeFeedback
                                + "') must be non-blank and differ");
        Objects.requireNonNull(order, "ChainOfHindsight: order");
    }

    /**
     * "A helpful answer: " / "An unhelpful answer: " (the paper's dialogue template), random order,
     * seed 0.
     */
    public static ChainOfHindsight defaults() {
        return new ChainOfHindsight("A helpful answer: ", "An unhelpful answer: ", Order.RANDOM, 0);
    }

    /** Whether the chosen response comes first in {@code pair}'s sequence. */
    public boolean chosenFirst(PreferencePair pair) {
        return switch (order) {
            case GOOD_FIRST -> true;
            case BAD_FIRST -> false;
            case RANDOM -> new SplittableRandom(seed * 31 + pair.id().hashCode()).nextBoolean();
        };
    }

    /**
     * Tokenizes pairs into hindsight sequences (weight = the pair's weight).
     *
     * @param chunk the pairs
     * @param encoder the text encoder (tokenizer and chat template)
     * @param policy the length limit and what to do beyond it (see the class description)
     * @param counters where kept, truncated, dropped and invalid examples are counted
     * @return the kept sequences, in order
     */
    public List<WeightedSequence> tokenize(
            List<PreferencePair> chunk,
            TextEncoder encoder,
            TruncationPolicy policy,
            DataCounters counters) {
        String[] texts = new String[chunk.size() * 5];
        boolean[] templated = new boolean[chunk.size()];
        for (int i = 0; i < chunk.size(); i++) {
            PreferencePair p = chunk.get(i);
            boolean first = chosenFirst(p);
            String out1 = text(first ? p.chosen() : p.rejected());
            String out2 = text(first ? p.rejected() : p.chosen());
            String prompt;
            try {
                prompt = encoder.renderPrompt(p.prompt(), new PlainText(out1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(p.source() + ": " + e.getMessage(), e);
            }
            templated[i] = p.prompt() instanceof Conversation;
            boolean space = !templated[i] && !prompt.isEmpty();
            texts[5 * i] = prompt;
            texts[5 * i + 1] = (space ? " " : "") + (first ? positiveFeedback : negativeFeedback);
            texts[5 * i + 2] = out1;
            texts[5 * i + 3] = " " + (first ? negativeFeedback : positiveFeedback);
            texts[5 * i + 4] = out2;
        }
        int[][] ids = encoder.encodeBatch(texts);
        List<WeightedSequence> out = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
            PreferencePair p = chunk.get(i);
            String where = p.source().toString();
            if (p.chosen().isEmpty() || p.rejected().isEmpty()) {
                counters.invalid(where, "empty response");
                continue;
            }
            int[] prefix = encoder.prefixFor(texts[5 * i]);
            List<int[]> parts = new ArrayList<>(List.of(prefix, ids[5 * i]));
            List<Boolean> isTarget = new ArrayList<>(List.of(false, false));
            for (int k = 1; k <= 4; k++) {
                parts.add(ids[5 * i + k]);
                isTarget.add(k % 2 == 0);
            }
            if (encoder.eosId() >= 0) {
                parts.add(new int[] {encoder.eosId()});
                isTarget.add(true);
            }
            int n = 0;
            for (int[] part : parts) {
                n += part.length;
            }
            int[] seq = new int[n];
            boolean[] target = new boolean[n];
            int at = 0;
            for (int k = 0; k < parts.size(); k++) {
                int[] part = parts.get(k);
                System.arraycopy(part, 0, seq, at, part.length);
                Arrays.fill(target, at, at + part.length, isTarget.get(k));
                at += part.length;
            }
            if (n > 0) {
                target[0] = false;
            }
            if (encoder.startsWithDoubleBos(seq)) {
                counters.invalid(where, "starts with BOS BOS");
                continue;
            }
            int limit = policy.maxLength();
            if (n > limit) {
                if (policy instanceof TruncationPolicy.Drop) {
                    counters.dropped(
                            where,
                            "hindsight sequence of "
                                    + n
                                    + " tokens > maxLength "
                                    + limit
                                    + " (Drop policy)");
                    continue;
                }
                seq = Arrays.copyOf(seq, limit);
                target = Arrays.copyOf(target, limit);
                if (!anyTrue(target)) {
                    counters.dropped(
                            where,
                            "hindsight sequence of "
                                    + n
                                    + " tokens keeps no response token under maxLength "
                                    + limit);
                    continue;
                }
                counters.truncated(0, 1, 0);
            }
            out.add(new WeightedSequence(p.id(), seq, target, p.weight(), p.source()));
            counters.kept();
        }
        return out;
    }

    private static boolean anyTrue(boolean[] b) {
        for (boolean x : b) {
            if (x) {
                return true;
            }
        }
        return false;
    }

    /** A response's text: plain text as is, a conversation's message contents joined by spaces. */
    private static String text(Text t) {
        if (t instanceof PlainText p) {
            return p.text();
        }
        List<String> parts = new ArrayList<>();
        for (Message m : ((Conversation) t).messages()) {
            parts.add(m.content());
        }
        return String.join(" ", parts);
    }
}
