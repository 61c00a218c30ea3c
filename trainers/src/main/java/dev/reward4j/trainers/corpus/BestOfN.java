package dev.reward4j.trainers.corpus;

import dev.reward4j.core.util.Checks;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Best-of-N selection over the scored responses to one prompt: the response with the highest
 * selection score {@code reward - penalty * uncertainty} is chosen (uncertainty 0 when the scorer
 * gives none, e.g. a single reward model; an ensemble's disagreement otherwise), and paired against
 * the lowest one ({@link Pairing#BEST_VS_WORST}) or against every response with a lower selection
 * score ({@link Pairing#BEST_VS_REST}). Ties at the top go to the first response in input order;
 * responses whose selection score equals the best one's are never rejected (that is no preference),
 * so a prompt whose responses all tie gives no pair.
 *
 * @param pairing which pairs to write
 * @param penalty weight of the uncertainty, {@code >= 0}
 */
public record BestOfN(Pairing pairing, double penalty) implements java.io.Serializable {
    /** Which pairs a prompt gives. */
    public enum Pairing {
        /** The best response against the worst one: one pair per prompt. */
        BEST_VS_WORST,
        /** The best response against every lower one: N - 1 pairs per prompt (fewer on ties). */
        BEST_VS_REST;

        /** The command-line name, e.g. {@code best-vs-rest}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /**
         * Parses {@code best-vs-worst} or {@code best-vs-rest}.
         *
         * @throws IllegalArgumentException for any other name
         */
        public static Pairing parse(String key) {
            for (Pairing p : values()) {
                if (p.key().equals(key)) {
                    return p;
                }
            }
            throw new IllegalArgumentException(
                    "best-of-n: pairing '" + key + "'; expected best-vs-worst or best-vs-rest");
        }
    }

    /** Validates the fields. */
    public BestOfN {
        Objects.requireNonNull(pairing, "pairing");
        Checks.argument(
                Double.isFinite(penalty) && penalty >= 0,
                () -> "best-of-n: penalty (" + penalty + "); expected a finite value >= 0");
    }

    /**
     * One scored response to a prompt.
     *
     * @param row the scored row
     * @param uncertainty the scorer's uncertainty about the reward ({@code >= 0}; 0 when none)
     */
    public record Candidate(ScoredRow row, double uncertainty) {
        /** Validates the fields. */
        public Candidate {
            Objects.requireNonNull(row, "row");
            Checks.argument(
                    Double.isFinite(uncertainty) && uncertainty >= 0,
                    () ->
                            "best-of-n: uncertainty of "
                                    + row.source()
                                    + " ("
                                    + uncertainty
                                    + "); expected a finite value >= 0");
        }

        /** A candidate without uncertainty. */
        public static Candidate of(ScoredRow row) {
            return new Candidate(row, 0);
        }
    }

    /** The selection score of a candidate. */
    public double selectionScore(Candidate c) {
        return c.row().reward() - penalty * c.uncertainty();
    }

    /**
     * The pairs of one prompt's candidates.
     *
     * @param candidates the responses to one prompt, in input order (ties go to the first)
     * @return the pairs, the rejected responses in input order
     */
    public List<Pair> select(List<Candidate> candidates) {
        List<Pair> out = new ArrayList<>();
        if (candidates.size() < 2) {
            return out;
        }
        Candidate best = candidates.get(0);
        for (Candidate c : candidates) {
            if (selectionScore(c) > selectionScore(best)) {
                best = c;
            }
        }
        double top = selectionScore(best);
        if (pairing == Pairing.BEST_VS_WORST) {
            Candidate worst =
                    candidates.stream()
                            .min(Comparator.comparingDouble(this::selectionScore))
                            .orElseThrow();
            if (selectionScore(worst) < top) {
                out.add(new Pair(best, worst));
            }
            return out;
        }
        for (Candidate c : candidates) {
            if (selectionScore(c) < top) {
                out.add(new Pair(best, c));
            }
        }
        return out;
    }

    private static String trlResponse(ScoredRow r) {
        if (r.prompt().startsWith("[") && r.response().startsWith("\"")) {
            return "[{\"role\":\"assistant\",\"content\":" + r.response() + "}]";
        }
        return r.response();
    }

    /**
     * One preference pair of best-of-N selection.
     *
     * @param chosen the best response
     * @param rejected a lower one
     */
    public record Pair(Candidate chosen, Candidate rejected) {
        /** The pair's id: {@code <chosen id>><rejected id>} (unique when the row ids are). */
        public String id() {
            return chosen.row().id() + ">" + rejected.row().id();
        }

        /**
         * The pair as one TRL JSON line, the format {@code train} reads ({@code data.format: trl}):
         * {@code id}, {@code prompt}, {@code chosen}, {@code rejected} (strings, or message lists
         * for conversations), plus {@code chosen_reward} and {@code rejected_reward}. A string
         * response to a conversation prompt is written as one assistant message, the form of a TRL
         * conversational row (TRL reads a prompt and responses of different kinds differently).
         */
        public String toTrlJson() {
            return "{\"id\":"
                    + Json.quote(id())
                    + ",\"prompt\":"
                    + chosen.row().prompt()
                    + ",\"chosen\":"
                    + trlResponse(chosen.row())
                    + ",\"rejected\":"
                    + trlResponse(rejected.row())
                    + ",\"chosen_reward\":"
                    + chosen.row().reward()
                    + ",\"rejected_reward\":"
                    + rejected.row().reward()
                    + "}";
        }
    }
}
