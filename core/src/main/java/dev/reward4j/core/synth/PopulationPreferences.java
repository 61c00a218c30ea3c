package dev.reward4j.core.synth;

import dev.reward4j.core.data.Source;
import dev.reward4j.core.util.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A population of users in two groups with opposite preferences on one attribute: group 0 prefers a
 * formal tone, group 1 a casual tone, and everyone prefers a high-quality answer to a low-quality
 * one. A response is a tone word, two content words of one quality and a closing tone word ({@code
 * "indeed clear precise regards ."}).
 *
 * <p>A pair is a <i>conflict</i> pair with probability {@code conflictRate} (same quality,
 * different tone: the groups disagree) and an <i>agreement</i> pair otherwise (different quality,
 * random tones). Without knowing the user, no single reward model does better than half of the
 * conflict pairs on average over users; a per-user (pluralistic) model can get them all. User
 * {@code u} ({@code user-NN}) is in group {@code u mod 2}. Labels are deterministic. Pair {@code i}
 * of user {@code u} is a pure function of {@code (seed, split, u, i)}; users beyond the trained
 * ones serve as new users for few-shot personalisation.
 *
 * @param seed master seed
 * @param conflictRate probability that a pair is a conflict pair, in {@code [0, 1]}
 */
public record PopulationPreferences(long seed, double conflictRate) {
    private static final List<String> FORMAL = List.of("certainly", "indeed", "kindly", "regards");
    private static final List<String> CASUAL = List.of("yeah", "sure", "cool", "hey");
    private static final List<String> HIGH = List.of("clear", "correct", "complete", "precise");
    private static final List<String> LOW = List.of("vague", "wrong", "partial", "sloppy");
    private static final List<String> PROMPTS =
            List.of(
                    "tell me about rivers .",
                    "explain the tides .",
                    "how do plants grow ?",
                    "why is the sky blue ?",
                    "describe a volcano .");
    private static final long STREAM = 211;

    /** Validates the rate. */
    public PopulationPreferences {
        Checks.inClosedRange(conflictRate, 0, 1, "PopulationPreferences.conflictRate");
    }

    /**
     * Seed {@code seed}, 75% conflict pairs.
     *
     * @param seed master seed
     * @return the generator
     */
    public static PopulationPreferences defaults(long seed) {
        return new PopulationPreferences(seed, 0.75);
    }

    /**
     * The id of user {@code u}.
     *
     * @param u user number {@code >= 0}
     * @return {@code user-NN}
     */
    public static String userId(int u) {
        return String.format(Locale.ROOT, "user-%02d", u);
    }

    /**
     * The true group of user {@code u}.
     *
     * @param u user number
     * @return 0 (prefers formal) or 1 (prefers casual)
     */
    public static int group(int u) {
        return u % 2;
    }

    /**
     * {@code perUser} pairs of each of users {@code [firstUser, firstUser + users)}, user by user.
     *
     * @param split the stream
     * @param firstUser first user number
     * @param users number of users
     * @param perUser pairs per user
     * @return the pairs
     */
    public List<SynthUserPair> pairs(Split split, int firstUser, int users, int perUser) {
        List<SynthUserPair> out = new ArrayList<>(users * perUser);
        for (int u = firstUser; u < firstUser + users; u++) {
            out.addAll(pairsOf(split, u, 0, perUser));
        }
        return out;
    }

    /**
     * Pairs {@code [first, first + count)} of user {@code u}.
     *
     * @param split the stream
     * @param u user number
     * @param first index of the first pair
     * @param count number of pairs
     * @return the pairs
     */
    public List<SynthUserPair> pairsOf(Split split, int u, long first, int count) {
        Checks.argument(u >= 0, () -> "PopulationPreferences: user (" + u + "); expected >= 0");
        List<SynthUserPair> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long index = first + i;
            SplittableRandom rng =
                    new SplittableRandom(
                            Draws.mix(seed, STREAM + split.ordinal(), u * 1_000_003L + index));
            boolean conflict = rng.nextDouble() < conflictRate;
            String prompt = Draws.pick(rng, PROMPTS);
            String a;
            String b;
            boolean aWins;
            if (conflict) {
                boolean high = rng.nextBoolean();
                a = response(rng, true, high);
                b = response(rng, false, high);
                aWins = group(u) == 0; // a is formal
            } else {
                a = response(rng, rng.nextBoolean(), true);
                b = response(rng, rng.nextBoolean(), false);
                aWins = true; // a is high quality
            }
            String split0 = split.name().toLowerCase(Locale.ROOT);
            String id = String.format(Locale.ROOT, "synth-%s-%s-%06d", split0, userId(u), index);
            Source src = new Source("<synth:population:" + split0 + ">", u * 1_000_003L + index);
            out.add(
                    new SynthUserPair(
                            id,
                            userId(u),
                            group(u),
                            conflict,
                            prompt,
                            aWins ? a : b,
                            aWins ? b : a,
                            src));
        }
        return out;
    }

    /** Every word the generator emits. */
    public List<String> vocabulary() {
        List<String> words = new ArrayList<>();
        words.addAll(FORMAL);
        words.addAll(CASUAL);
        words.addAll(HIGH);
        words.addAll(LOW);
        words.add(".");
        for (String p : PROMPTS) {
            words.addAll(List.of(p.split(" ")));
        }
        return words;
    }

    private static String response(SplittableRandom rng, boolean formal, boolean high) {
        List<String> tone = formal ? FORMAL : CASUAL;
        List<String> content = Draws.distinct(rng, high ? HIGH : LOW, 2);
        return Draws.pick(rng, tone)
                + " "
                + content.get(0)
                + " "
                + content.get(1)
                + " "
                + Draws.pick(rng, tone)
                + " .";
    }
}
