package dev.reward4j.core.synth;

import dev.reward4j.core.data.Source;
import dev.reward4j.core.util.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Intransitive preferences: a rotational tournament over an odd number of items
 * (rock-paper-scissors by default), where item {@code i} beats items {@code i+1 .. i+(n-1)/2} (mod
 * n). No scalar reward orders such a cycle, so a Bradley-Terry model is capped at {@link
 * #transitiveCeiling()} (2/3 for three items) while a preference-embedding model can be exact.
 *
 * <p>Responses name one item surrounded by random filler words ({@code "i play rock now ."}), so
 * held-out pairs are new token sequences and a model must learn the items, not memorise strings.
 * Pair {@code i} of a split compares the unordered item pair {@code i mod (n(n-1)/2)} in a random
 * orientation, so every item pair is equally frequent. Labels are deterministic (the winner is
 * chosen). Every example is a pure function of {@code (seed, split, index)}.
 *
 * @param seed master seed
 * @param items the cycle, odd size {@code >= 3}, distinct single words
 */
public record CyclicPreferences(long seed, List<String> items) {
    private static final List<String> FILLERS =
            List.of("i", "play", "choose", "my", "move", "is", "now", "then", "ok", "well");
    private static final List<String> PROMPTS =
            List.of("pick a move .", "your move ?", "play one .", "what do you play ?");
    private static final long STREAM = 101;

    /** Validates and copies the items. */
    public CyclicPreferences {
        List<String> copy = List.copyOf(items);
        Checks.argument(
                copy.size() >= 3 && copy.size() % 2 == 1 && copy.size() <= 9,
                () ->
                        "CyclicPreferences: "
                                + copy.size()
                                + " items; expected an odd count in [3, 9]");
        Checks.argument(
                copy.stream().distinct().count() == copy.size()
                        && copy.stream().noneMatch(FILLERS::contains),
                () -> "CyclicPreferences: items " + copy + " must be distinct non-filler words");
        items = copy;
    }

    /**
     * Rock-paper-scissors: rock beats scissors, scissors beats paper, paper beats rock.
     *
     * @param seed master seed
     * @return the generator
     */
    public static CyclicPreferences rockPaperScissors(long seed) {
        return new CyclicPreferences(seed, List.of("rock", "scissors", "paper"));
    }

    /**
     * Whether item {@code a} beats item {@code b}.
     *
     * @param a item index
     * @param b another item index
     * @return true when a wins
     */
    public boolean beats(int a, int b) {
        int n = items.size();
        int gap = Math.floorMod(b - a, n);
        return gap >= 1 && gap <= (n - 1) / 2;
    }

    /**
     * Pairs {@code [first, first + count)} of {@code split}.
     *
     * @param split the stream
     * @param first index of the first pair
     * @param count number of pairs
     * @return the pairs
     */
    public List<SynthCyclicPair> pairs(Split split, long first, int count) {
        List<int[]> types = itemPairs();
        List<SynthCyclicPair> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long index = first + i;
            SplittableRandom rng =
                    new SplittableRandom(Draws.mix(seed, STREAM + split.ordinal(), index));
            int[] t = types.get((int) Math.floorMod(index, (long) types.size()));
            int a = rng.nextBoolean() ? t[0] : t[1];
            int b = a == t[0] ? t[1] : t[0];
            String prompt = Draws.pick(rng, PROMPTS);
            String ra = response(rng, a);
            String rb = response(rng, b);
            String id =
                    String.format(
                            Locale.ROOT,
                            "synth-%s-cyclic-%06d",
                            split.name().toLowerCase(Locale.ROOT),
                            index);
            Source src =
                    new Source(
                            "<synth:cyclic:" + split.name().toLowerCase(Locale.ROOT) + ">", index);
            out.add(
                    beats(a, b)
                            ? new SynthCyclicPair(id, prompt, ra, rb, a, b, src)
                            : new SynthCyclicPair(id, prompt, rb, ra, b, a, src));
        }
        return out;
    }

    /**
     * The best accuracy any scalar reward (any total order of the items) reaches on pairs drawn
     * uniformly over the item pairs: the largest fraction of item pairs one order agrees with. 2/3
     * for three items.
     *
     * @return the ceiling of transitive models
     */
    public double transitiveCeiling() {
        int n = items.size();
        List<int[]> types = itemPairs();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        int best = 0;
        do {
            int[] rank = new int[n];
            for (int i = 0; i < n; i++) {
                rank[order[i]] = i;
            }
            int agree = 0;
            for (int[] t : types) {
                boolean firstHigher = rank[t[0]] < rank[t[1]];
                agree += firstHigher == beats(t[0], t[1]) ? 1 : 0;
            }
            best = Math.max(best, agree);
        } while (nextPermutation(order));
        return (double) best / types.size();
    }

    /** Every word the generator emits. */
    public List<String> vocabulary() {
        List<String> words = new ArrayList<>(items);
        words.addAll(FILLERS);
        for (String p : PROMPTS) {
            words.addAll(List.of(p.split(" ")));
        }
        return words;
    }

    private List<int[]> itemPairs() {
        List<int[]> types = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            for (int j = i + 1; j < items.size(); j++) {
                types.add(new int[] {i, j});
            }
        }
        return types;
    }

    private String response(SplittableRandom rng, int item) {
        List<String> words = new ArrayList<>();
        int before = rng.nextInt(3);
        int after = rng.nextInt(3);
        for (int i = 0; i < before; i++) {
            words.add(Draws.pick(rng, FILLERS));
        }
        words.add(items.get(item));
        for (int i = 0; i < after; i++) {
            words.add(Draws.pick(rng, FILLERS));
        }
        words.add(".");
        return String.join(" ", words);
    }

    private static boolean nextPermutation(int[] a) {
        int i = a.length - 2;
        while (i >= 0 && a[i] >= a[i + 1]) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        int j = a.length - 1;
        while (a[j] <= a[i]) {
            j--;
        }
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
        for (int l = i + 1, r = a.length - 1; l < r; l++, r--) {
            t = a[l];
            a[l] = a[r];
            a[r] = t;
        }
        return true;
    }
}
