package dev.reward4j.core.transform;

import dev.reward4j.core.data.Conversation;
import dev.reward4j.core.data.Format;
import dev.reward4j.core.data.Message;
import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.RankedList;
import dev.reward4j.core.data.Text;
import dev.reward4j.core.data.UltraFeedbackPairs.Pairing;
import dev.reward4j.core.util.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Reward-augmented relabelling: every preference pair with the quality scores of its two responses
 * becomes two goal-conditioned pairs. The first conditions the prompt on the chosen response's
 * score and keeps the preference; the second conditions it on the rejected response's score and
 * reverses it, because for that goal the rejected response is the one to produce:
 *
 * <p>\( (x, y_w, y_l, r_w, r_l) \mapsto \{(g(r_w) \oplus x,\ y_w \succ y_l),\ (g(r_l) \oplus x,\
 * y_l \succ y_w)\} \)
 *
 * <p>The goal \( g(r) \) is {@link #template()} with {@code {score}} replaced by the score (an
 * integral score printed without decimals, as the authors' script does). A conversation prompt gets
 * it as a leading system message; a plain-text prompt gets it as a prefix followed by a blank line
 * (the authors' variant for templates without a system role). The relabelled dataset is trained
 * with any pairwise objective (DPO in the paper). When both scores are equal the reversed pair
 * would contradict the first under the same goal: it is left out and counted as skipped.
 *
 * <p>Pair ids: {@code <id>#goal-chosen} and {@code <id>#goal-rejected}.
 *
 * <p>Reference: "Reward-Augmented Data Enhances Direct Preference Alignment of LLMs",
 * arXiv:2410.08067 (authors' {@code scripts/reward_augmentation.py}).
 *
 * @param template the goal text, containing {@code {score}} once or more
 * @param chosenScoreField the row field holding the chosen response's score ({@link #on} only)
 * @param rejectedScoreField the row field holding the rejected response's score ({@link #on} only)
 */
public record RewardAugmentation(
        String template, String chosenScoreField, String rejectedScoreField) {
    /** The placeholder replaced by a score. */
    public static final String SCORE = "{score}";

    /**
     * The authors' goal: "You are an assistant that generates responses for the instruction while
     * implicitly achieving the following target scores (on a scale of 1-10, where 1 is lowest and
     * 10 is highest):\nOverall score: {score}."
     */
    public static final String AUTHORS_TEMPLATE =
            "You are an assistant that generates responses for the instruction while implicitly"
                    + " achieving the following target scores (on a scale of 1-10, where 1 is"
                    + " lowest and 10 is highest):\nOverall score: "
                    + SCORE
                    + ".";

    /** Validates the fields. */
    public RewardAugmentation {
        Checks.argument(
                template != null && template.contains(SCORE),
                () ->
                        "RewardAugmentation: template ("
                                + template
                                + ") must contain "
                                + SCORE
                                + " where the goal score goes");
        Checks.argument(
                chosenScoreField != null
                        && !chosenScoreField.isBlank()
                        && rejectedScoreField != null
                        && !rejectedScoreField.isBlank(),
                () ->
                        "RewardAugmentation: score fields ("
                                + chosenScoreField
                                + ", "
                                + rejectedScoreField
                                + ") must be non-blank");
    }

    /**
     * The authors' template with UltraFeedback-binarized's score fields {@code score_chosen} and
     * {@code score_rejected}.
     */
    public static RewardAugmentation defaults() {
        return new RewardAugmentation(AUTHORS_TEMPLATE, "score_chosen", "score_rejected");
    }

    /** The goal text for {@code score}. */
    public String goal(double score) {
        String s =
                score == Math.rint(score) && Math.abs(score) < 1e15
                        ? Long.toString((long) score)
                        : Double.toString(score);
        return template.replace(SCORE, s);
    }

    /** {@code prompt} conditioned on {@code score}: a system message, or a text prefix. */
    public Text condition(Text prompt, double score) {
        String goal = goal(score);
        if (prompt instanceof Conversation c) {
            List<Message> messages = new ArrayList<>(c.messages().size() + 1);
            messages.add(new Message("system", goal));
            messages.addAll(c.messages());
            return new Conversation(messages);
        }
        String text = ((PlainText) prompt).text();
        return new PlainText(goal + "\n\n" + text);
    }

    /**
     * The relabelled pairs of {@code pair}.
     *
     * @param pair the preference pair ({@code chosen} better than {@code rejected})
     * @param chosenScore the chosen response's score
     * @param rejectedScore the rejected response's score
     * @param equalScores receives a reason when the reversed pair is left out (to be counted)
     * @return the goal-conditioned pairs: two, or one when the scores are equal
     */
    public List<PreferencePair> relabel(
            PreferencePair pair,
            double chosenScore,
            double rejectedScore,
            Consumer<String> equalScores) {
        Checks.argument(
                Double.isFinite(chosenScore) && Double.isFinite(rejectedScore),
                () ->
                        "RewardAugmentation: scores ("
                                + chosenScore
                                + ", "
                                + rejectedScore
                                + ") of pair "
                                + pair.id()
                                + " at "
                                + pair.source()
                                + "; expected finite numbers");
        List<PreferencePair> out = new ArrayList<>(2);
        out.add(
                new PreferencePair(
                        pair.id() + "#goal-chosen",
                        condition(pair.prompt(), chosenScore),
                        pair.chosen(),
                        pair.rejected(),
                        pair.margin(),
                        pair.weight(),
                        pair.source()));
        if (chosenScore == rejectedScore) {
            equalScores.accept(
                    "pair "
                            + pair.id()
                            + ": equal scores ("
                            + chosenScore
                            + "), no reversed goal-conditioned pair");
            return out;
        }
        out.add(
                new PreferencePair(
                        pair.id() + "#goal-rejected",
                        condition(pair.prompt(), rejectedScore),
                        pair.rejected(),
                        pair.chosen(),
                        pair.margin(),
                        pair.weight(),
                        pair.source()));
        return out;
    }

    /**
     * {@code pairs} relabelled with the scores read from the same row ({@link #chosenScoreField()}
     * and {@link #rejectedScoreField()}, e.g. UltraFeedback-binarized's {@code score_chosen} and
     * {@code score_rejected}); a missing or non-numeric score is an error naming file, line and
     * field.
     */
    public Format<PreferencePair> on(Format<PreferencePair> pairs) {
        Objects.requireNonNull(pairs, "RewardAugmentation: pairs");
        return (row, out) ->
                pairs.read(
                        row,
                        p ->
                                relabel(
                                                p,
                                                row.number(chosenScoreField),
                                                row.number(rejectedScoreField),
                                                row::skip)
                                        .forEach(out));
    }

    /**
     * Pairs formed from ranked lists (each response's own score: raw UltraFeedback) and relabelled.
     * Tied responses make no pair (counted as skipped).
     *
     * @param lists the list format
     * @param pairing all pairs, or the best response against each other one
     * @return the relabelled pairs, ids {@code <list id>#<i>-<j>#goal-...}
     */
    public Format<PreferencePair> onLists(Format<RankedList> lists, Pairing pairing) {
        Objects.requireNonNull(lists, "RewardAugmentation: lists");
        Objects.requireNonNull(pairing, "RewardAugmentation: pairing");
        return (row, out) ->
                lists.read(
                        row,
                        list -> {
                            double[] s = list.scores();
                            for (int[] c : CurryCurriculum.couples(list, pairing, row::skip)) {
                                PreferencePair p =
                                        new PreferencePair(
                                                list.id() + "#" + c[0] + "-" + c[1],
                                                list.prompt(),
                                                list.responses().get(c[0]),
                                                list.responses().get(c[1]),
                                                java.util.OptionalDouble.empty(),
                                                1.0,
                                                list.source());
                                relabel(p, s[c[0]], s[c[1]], row::skip).forEach(out);
                            }
                        });
    }
}
