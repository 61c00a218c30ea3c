package dev.reward4j.core.synth;

import dev.reward4j.core.util.Checks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Instructions with checkable constraints: prompt {@code "list 3 fruit words ."}, response {@code
 * "fig pear kiwi ."}.
 *
 * <p>Ground truth: {@code instruction_following = max(0, 4 - min(|count - n|, 2) - min(offCategory,
 * 2))} where {@code count} is the number of words before the final {@code "."} and {@code
 * offCategory} the number of them that are not in the requested category.
 *
 * @param maxCount largest requested count (requests are drawn from {@code [1, maxCount]})
 */
public record ConstraintTask(int maxCount) implements SynthTask {
    private static final int LEVELS = 5;
    private static final Map<String, List<String>> CATEGORIES = categories();

    /** Validates the range. */
    public ConstraintTask {
        Checks.argument(
                maxCount >= 1 && maxCount <= 4,
                () -> "ConstraintTask.maxCount (" + maxCount + "); expected in [1, 4]");
    }

    /** Requests of 1 to 4 words. */
    public static ConstraintTask defaults() {
        return new ConstraintTask(4);
    }

    private static Map<String, List<String>> categories() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("animal", List.of("cat", "dog", "cow", "pig", "hen", "fox"));
        m.put("fruit", List.of("apple", "pear", "plum", "fig", "lime", "kiwi"));
        m.put("tool", List.of("saw", "drill", "hammer", "axe", "rake", "wrench"));
        return m;
    }

    @Override
    public Scenario sample(SplittableRandom rng, int count) {
        List<String> names = new ArrayList<>(CATEGORIES.keySet());
        String category = Draws.pick(rng, names);
        int n = 1 + rng.nextInt(maxCount);
        List<String> others = new ArrayList<>();
        CATEGORIES.forEach(
                (k, v) -> {
                    if (!k.equals(category)) {
                        others.addAll(v);
                    }
                });
        List<String> responses = new ArrayList<>(count);
        for (int level : Draws.levels(rng, LEVELS, count)) {
            responses.add(respond(rng, category, n, others, (int) Judgement.MAX - level));
        }
        return new Scenario("constraint", "list " + n + " " + category + " words .", responses);
    }

    /**
     * A response whose deficit {@code countError + offCategory} equals {@code deficit} (each part
     * at most 2).
     */
    private static String respond(
            SplittableRandom rng, String category, int n, List<String> others, int deficit) {
        List<int[]> options = new ArrayList<>(); // (count, off)
        for (int e = Math.max(0, deficit - 2); e <= Math.min(2, deficit); e++) {
            int off = deficit - e;
            for (int count : e == 0 ? new int[] {n} : new int[] {n - e, n + e}) {
                if (count >= 1 && count >= off) {
                    options.add(new int[] {count, off});
                }
            }
        }
        int[] choice = Draws.pick(rng, options);
        List<String> words = Draws.distinct(rng, CATEGORIES.get(category), choice[0] - choice[1]);
        words.addAll(Draws.distinct(rng, others, choice[1]));
        Draws.shuffle(rng, words);
        return String.join(" ", words) + " .";
    }

    @Override
    public Judgement judge(String prompt, String response) {
        String[] p = prompt.trim().split("\\s+");
        Checks.argument(
                p.length == 5 && p[0].equals("list") && CATEGORIES.containsKey(p[2]),
                () -> "ConstraintTask: prompt (" + prompt + ") is not 'list N CATEGORY words .'");
        int n = Integer.parseInt(p[1]);
        List<String> allowed = CATEGORIES.get(p[2]);
        List<String> words = new ArrayList<>(List.of(response.trim().split("\\s+")));
        if (!words.isEmpty() && words.get(words.size() - 1).equals(".")) {
            words.remove(words.size() - 1);
        }
        words.removeIf(String::isEmpty);
        long off = words.stream().filter(w -> !allowed.contains(w)).count();
        double value = Judgement.MAX - Math.min(Math.abs(words.size() - n), 2) - Math.min(off, 2);
        return Judgement.single(1, Math.max(0, value));
    }

    @Override
    public List<String> vocabulary() {
        List<String> words = new ArrayList<>(List.of("list", "words", "."));
        for (int i = 1; i <= maxCount; i++) {
            words.add(Integer.toString(i));
        }
        CATEGORIES.forEach(
                (k, v) -> {
                    words.add(k);
                    words.addAll(v);
                });
        return words;
    }
}
