package dev.reward4j.core.synth;

import dev.reward4j.core.util.Checks;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Consistent versus contradictory statements: prompt {@code "describe the ball and the cup ."},
 * response of four statements such as {@code "the ball is red . the cup is blue . the ball is green
 * . the cup is blue ."}.
 *
 * <p>Ground truth: {@code coherence = max(0, 4 - 2 * contradictions)} where {@code contradictions}
 * sums, over objects, the number of distinct colours given to the object minus one. Malformed
 * statements are ignored.
 *
 * @param statements number of statements per response (at least 4, so that 0, 1 and 2
 *     contradictions occur with both objects mentioned)
 */
public record ConsistencyTask(int statements) implements SynthTask {
    private static final List<String> OBJECTS = List.of("ball", "cup", "box", "hat", "car", "pen");
    private static final List<String> COLOURS =
            List.of("red", "blue", "green", "black", "white", "pink");
    private static final int LEVELS = 3;

    /** Validates the count. */
    public ConsistencyTask {
        Checks.argument(
                statements >= 4 && statements <= 6,
                () -> "ConsistencyTask.statements (" + statements + "); expected in [4, 6]");
    }

    /** Four statements per response. */
    public static ConsistencyTask defaults() {
        return new ConsistencyTask(4);
    }

    @Override
    public Scenario sample(SplittableRandom rng, int count) {
        List<String> objects = Draws.distinct(rng, OBJECTS, 2);
        List<String> responses = new ArrayList<>(count);
        for (int contradictions : Draws.levels(rng, LEVELS, count)) {
            responses.add(respond(rng, objects, contradictions));
        }
        String prompt = "describe the " + objects.get(0) + " and the " + objects.get(1) + " .";
        return new Scenario("consistency", prompt, responses);
    }

    /**
     * Object 0 gets {@code contradictions + 1} distinct colours; the other statements repeat
     * earlier facts.
     */
    private String respond(SplittableRandom rng, List<String> objects, int contradictions) {
        List<String> colours = Draws.distinct(rng, COLOURS, contradictions + 2);
        List<String> facts = new ArrayList<>();
        for (int i = 0; i <= contradictions; i++) {
            facts.add(sentence(objects.get(0), colours.get(i)));
        }
        String other = sentence(objects.get(1), colours.get(contradictions + 1));
        List<String> known = new ArrayList<>(List.of(other, facts.get(0)));
        facts.add(other);
        while (facts.size() < statements) {
            facts.add(Draws.pick(rng, known));
        }
        Draws.shuffle(rng, facts);
        return String.join(" ", facts);
    }

    private static String sentence(String object, String colour) {
        return "the " + object + " is " + colour + " .";
    }

    @Override
    public Judgement judge(String prompt, String response) {
        Checks.argument(
                prompt.trim().startsWith("describe the "),
                () ->
                        "ConsistencyTask: prompt ("
                                + prompt
                                + ") is not 'describe the X and the Y .'");
        Map<String, Set<String>> colours = new LinkedHashMap<>();
        for (String statement : response.split("\\.")) {
            String[] w = statement.trim().split("\\s+");
            if (w.length == 4 && w[0].equals("the") && w[2].equals("is")) {
                colours.computeIfAbsent(w[1], k -> new HashSet<>()).add(w[3]);
            }
        }
        int contradictions = colours.values().stream().mapToInt(s -> s.size() - 1).sum();
        return Judgement.single(2, Math.max(0, Judgement.MAX - 2 * contradictions));
    }

    @Override
    public List<String> vocabulary() {
        List<String> words = new ArrayList<>(List.of("describe", "the", "and", "is", "."));
        words.addAll(OBJECTS);
        words.addAll(COLOURS);
        return words;
    }
}
