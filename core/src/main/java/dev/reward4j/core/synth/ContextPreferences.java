package dev.reward4j.core.synth;

import dev.reward4j.core.data.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Context-conditioned preferences in context-flip couples. A response has a tone (formal or casual
 * words) and a level of detail (detailed or brief words); a context states which value of one
 * attribute is preferred ({@code "prefer formal tone ."}, {@code "prefer brief answers ."}). Pairs
 * {@code 2c} and {@code 2c+1} form couple {@code c}: the same prompt and the same two responses
 * (they differ in the stated attribute, the other attribute is random), under opposite contexts,
 * with opposite preferences. A context-blind model sees each couple as one comparison labelled both
 * ways and is exactly at chance on these pairs; a model that reads the context can get them all.
 * Pair {@code i} is a pure function of {@code (seed, split, i / 2)} and {@code i mod 2}.
 *
 * @param seed master seed
 */
public record ContextPreferences(long seed) {
    private static final List<String> FORMAL = List.of("certainly", "indeed", "kindly", "regards");
    private static final List<String> CASUAL = List.of("yeah", "sure", "cool", "hey");
    private static final List<String> DETAILED =
            List.of("because", "example", "therefore", "steps");
    private static final List<String> BRIEF = List.of("ok", "done", "short", "fine");
    private static final List<String> PROMPTS =
            List.of(
                    "how do i bake bread ?",
                    "explain rainbows .",
                    "what is a planet ?",
                    "how do magnets work ?",
                    "describe the moon .");
    private static final String[][] CONTEXTS = {
        {"prefer formal tone .", "prefer casual tone ."},
        {"prefer detailed answers .", "prefer brief answers ."}
    };
    private static final long STREAM = 307;

    /**
     * Pairs {@code [first, first + count)} of {@code split}; {@code first} should be even so that
     * couples stay together.
     *
     * @param split the stream
     * @param first index of the first pair
     * @param count number of pairs
     * @return the pairs
     */
    public List<SynthContextPair> pairs(Split split, long first, int count) {
        List<SynthContextPair> out = new ArrayList<>(count);
        String s = split.name().toLowerCase(Locale.ROOT);
        for (int i = 0; i < count; i++) {
            long index = first + i;
            long couple = index / 2;
            int member = (int) (index % 2);
            SplittableRandom rng =
                    new SplittableRandom(Draws.mix(seed, STREAM + split.ordinal(), couple));
            int dimension = rng.nextInt(2);
            String prompt = Draws.pick(rng, PROMPTS);
            // response a has value 0 of the dimension, b value 1; the other attribute is random
            String a = response(rng, dimension, 0);
            String b = response(rng, dimension, 1);
            String context = CONTEXTS[dimension][member];
            String id = String.format(Locale.ROOT, "synth-%s-context-%06d", s, index);
            String group = String.format(Locale.ROOT, "synth-%s-couple-%06d", s, couple);
            Source src = new Source("<synth:context:" + s + ">", index);
            out.add(
                    member == 0
                            ? new SynthContextPair(id, group, context, prompt, a, b, src)
                            : new SynthContextPair(id, group, context, prompt, b, a, src));
        }
        return out;
    }

    /** Every word the generator emits (contexts included). */
    public List<String> vocabulary() {
        List<String> words = new ArrayList<>();
        for (List<String> l : List.of(FORMAL, CASUAL, DETAILED, BRIEF)) {
            words.addAll(l);
        }
        words.add(".");
        for (String p : PROMPTS) {
            words.addAll(List.of(p.split(" ")));
        }
        for (String[] pair : CONTEXTS) {
            for (String c : pair) {
                words.addAll(List.of(c.split(" ")));
            }
        }
        return words;
    }

    /** A response with {@code value} of {@code dimension} and a random value of the other one. */
    private static String response(SplittableRandom rng, int dimension, int value) {
        boolean formal = dimension == 0 ? value == 0 : rng.nextBoolean();
        boolean detailed = dimension == 1 ? value == 0 : rng.nextBoolean();
        List<String> tone = formal ? FORMAL : CASUAL;
        List<String> detail = Draws.distinct(rng, detailed ? DETAILED : BRIEF, 2);
        return Draws.pick(rng, tone) + " " + detail.get(0) + " " + detail.get(1) + " .";
    }
}
