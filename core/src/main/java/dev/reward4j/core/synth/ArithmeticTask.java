package dev.reward4j.core.synth;

import dev.reward4j.core.util.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Addition with answers of varying correctness: prompt {@code "compute 7 + 5 ."}, response {@code
 * "answer 12 ."}.
 *
 * <p>Ground truth: {@code correctness = 4 - min(|answer - (a + b)|, 4)}; an unreadable response
 * scores 0.
 *
 * @param maxOperand largest operand (operands are drawn from {@code [0, maxOperand]})
 */
public record ArithmeticTask(int maxOperand) implements SynthTask {
    private static final int LEVELS = 5;

    /** Validates the range. */
    public ArithmeticTask {
        Checks.argument(
                maxOperand >= 1 && maxOperand <= 99,
                () -> "ArithmeticTask.maxOperand (" + maxOperand + "); expected in [1, 99]");
    }

    /**
     * Operands 0 to 4: a 25-entry sum table, small enough that a reward model trained from scratch
     * learns it within the main job's few minutes (with operands up to 9 a 2-layer model stays near
     * chance on this task for thousands of steps).
     */
    public static ArithmeticTask defaults() {
        return new ArithmeticTask(4);
    }

    @Override
    public Scenario sample(SplittableRandom rng, int count) {
        int a = rng.nextInt(maxOperand + 1);
        int b = rng.nextInt(maxOperand + 1);
        int sum = a + b;
        List<String> responses = new ArrayList<>(count);
        for (int level : Draws.levels(rng, LEVELS, count)) {
            int error = level; // quality 4 - error
            int answer = rng.nextBoolean() || sum - error < 0 ? sum + error : sum - error;
            responses.add("answer " + answer + " .");
        }
        return new Scenario("arithmetic", "compute " + a + " + " + b + " .", responses);
    }

    @Override
    public Judgement judge(String prompt, String response) {
        String[] p = prompt.trim().split("\\s+");
        String[] r = response.trim().split("\\s+");
        Checks.argument(
                p.length == 5 && p[0].equals("compute") && p[2].equals("+"),
                () -> "ArithmeticTask: prompt (" + prompt + ") is not 'compute A + B .'");
        int sum = Integer.parseInt(p[1]) + Integer.parseInt(p[3]);
        double correctness = 0;
        if (r.length == 3 && r[0].equals("answer") && r[1].matches("\\d{1,4}")) {
            correctness =
                    Judgement.MAX
                            - Math.min(Math.abs(Integer.parseInt(r[1]) - sum), (int) Judgement.MAX);
        }
        return Judgement.single(0, correctness);
    }

    @Override
    public List<String> vocabulary() {
        List<String> words = new ArrayList<>(List.of("compute", "+", ".", "answer"));
        for (int i = 0; i <= 2 * maxOperand + LEVELS - 1; i++) {
            words.add(Integer.toString(i));
        }
        return words;
    }
}
