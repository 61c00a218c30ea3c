package dev.reward4j.core.text;

import dev.reward4j.core.data.JointPreferencePair;
import dev.reward4j.core.data.PreferenceTriple;
import dev.reward4j.core.data.RankedList;
import dev.reward4j.core.data.RatedResponse;
import dev.reward4j.core.data.TokenizedList;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.TokenizedRated;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Tokenizes joint preference pairs (each response with its own prompt) and preference triples
 * through an {@link ExampleTokenizer}, so templates, truncation and counters are the ones of every
 * other example type.
 *
 * <p>Joint pairs: each side is tokenized as one single-response example (its own prompt, its own
 * truncation; the tokenizer's counters therefore count sides, not pairs); a pair is kept only when
 * both sides are, and {@link #droppedJointPairs()} counts the pairs lost because one side was
 * dropped. The result is a {@link TokenizedPair} whose chosen and rejected sequences carry
 * different prompts, which {@code PairCollator} collates like any pair (each row its own response
 * mask). Triples: the three responses share the prompt tokens (one ranked list of three).
 */
public final class JointPairTokenizer {
    private final ExampleTokenizer tokenizer;
    private long droppedJointPairs;

    /**
     * Wraps a tokenizer.
     *
     * @param tokenizer the example tokenizer (template, truncation policy, counters)
     */
    public JointPairTokenizer(ExampleTokenizer tokenizer) {
        this.tokenizer = java.util.Objects.requireNonNull(tokenizer, "tokenizer");
    }

    /** Joint pairs dropped because one of their sides was dropped by the truncation policy. */
    public long droppedJointPairs() {
        return droppedJointPairs;
    }

    /**
     * Tokenizes joint pairs.
     *
     * @param chunk the pairs
     * @return kept pairs in order, chosen = \( (x_w, y_w) \), rejected = \( (x_l, y_l) \)
     */
    public List<TokenizedPair> jointPairs(List<JointPreferencePair> chunk) {
        List<RatedResponse> sides = new ArrayList<>(2 * chunk.size());
        for (JointPreferencePair p : chunk) {
            sides.add(side(p.id() + "#chosen", p.promptChosen(), p.chosen(), p));
            sides.add(side(p.id() + "#rejected", p.promptRejected(), p.rejected(), p));
        }
        List<TokenizedRated> kept = tokenizer.rated(sides);
        java.util.Map<String, TokenizedRated> byId = new java.util.HashMap<>();
        kept.forEach(t -> byId.put(t.id(), t));
        List<TokenizedPair> out = new ArrayList<>(chunk.size());
        for (JointPreferencePair p : chunk) {
            TokenizedRated c = byId.get(p.id() + "#chosen");
            TokenizedRated r = byId.get(p.id() + "#rejected");
            if (c == null || r == null) {
                droppedJointPairs++;
                continue;
            }
            out.add(
                    new TokenizedPair(
                            p.id(),
                            c.sequence(),
                            r.sequence(),
                            OptionalDouble.empty(),
                            p.weight(),
                            p.source()));
        }
        return out;
    }

    /**
     * Tokenizes preference triples as lists of three (gold, chosen, rejected) sharing the prompt.
     *
     * @param chunk the triples
     * @return kept triples in order
     */
    public List<TokenizedList> triples(List<PreferenceTriple> chunk) {
        List<RankedList> lists = new ArrayList<>(chunk.size());
        for (PreferenceTriple t : chunk) {
            lists.add(
                    new RankedList(
                            t.id(),
                            t.prompt(),
                            List.of(t.gold(), t.chosen(), t.rejected()),
                            new double[] {3, 2, 1},
                            t.source()));
        }
        return tokenizer.lists(lists);
    }

    private static RatedResponse side(
            String id,
            dev.reward4j.core.data.Text prompt,
            dev.reward4j.core.data.Text response,
            JointPreferencePair p) {
        return new RatedResponse(
                id, prompt, response, List.of(), new double[0], new boolean[0], p.source());
    }
}
