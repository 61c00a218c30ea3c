package dev.reward4j.core.synth;

import dev.reward4j.core.data.Source;
import dev.reward4j.core.util.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Step-by-step addition chains with at most one injected wrong step, for process reward models. The
 * prompt lists the numbers ({@code "add 3 4 2 5 ."}); step {@code s} adds the next number to the
 * running total ({@code "7 + 2 = 9"}). In a chain with an error, one step's result is off by 1 or
 * 2; later steps continue correctly from the wrong total, so only a model that checks each step (or
 * remembers an earlier error) can tell where the solution went wrong. Step labels follow
 * Math-Shepherd: 1 while the solution can still reach the right answer, 0 from the wrong step on.
 * Every example is a pure function of {@code (seed, split, index)}.
 *
 * @param seed master seed
 * @param minSteps fewest steps per chain, {@code >= 1}
 * @param maxSteps most steps per chain
 * @param maxOperand numbers are drawn from {@code [1, maxOperand]}
 * @param errorRate probability that a chain has one wrong step, in {@code [0, 1]}
 */
public record ArithmeticChains(
        long seed, int minSteps, int maxSteps, int maxOperand, double errorRate) {
    private static final String SEPARATOR = ";";
    private static final long STREAM = 401;

    /** Validates the ranges. */
    public ArithmeticChains {
        Checks.argument(
                minSteps >= 1 && maxSteps >= minSteps && maxSteps <= 8,
                () ->
                        "ArithmeticChains: steps ["
                                + minSteps
                                + ", "
                                + maxSteps
                                + "]; expected 1 <= minSteps <= maxSteps <= 8");
        Checks.argument(
                maxOperand >= 2 && maxOperand <= 20,
                () -> "ArithmeticChains: maxOperand (" + maxOperand + "); expected in [2, 20]");
        Checks.inClosedRange(errorRate, 0, 1, "ArithmeticChains.errorRate");
    }

    /**
     * 2 to 4 steps, numbers 1 to 2, an error in 70% of the chains. The small addition table (totals
     * up to 10) is what a 2-layer model of width 32 learns to check within a few hundred steps;
     * with numbers up to 4 it stays near 60-70% first-error localisation after 1500 steps.
     *
     * @param seed master seed
     * @return the generator
     */
    public static ArithmeticChains defaults(long seed) {
        return new ArithmeticChains(seed, 2, 4, 2, 0.7);
    }

    /**
     * A copy with another error rate (1 for test sets where every chain has one wrong step).
     *
     * @param rate probability of one wrong step
     * @return the copy
     */
    public ArithmeticChains withErrorRate(double rate) {
        return new ArithmeticChains(seed, minSteps, maxSteps, maxOperand, rate);
    }

    /**
     * The step separator the chains are meant to be tokenized with (one word-level token).
     *
     * @return {@code ";"}
     */
    public static String separator() {
        return SEPARATOR;
    }

    /**
     * Chains {@code [first, first + count)} of {@code split}.
     *
     * @param split the stream
     * @param first index of the first chain
     * @param count number of chains
     * @return the chains
     */
    public List<SynthStepChain> chains(Split split, long first, int count) {
        List<SynthStepChain> out = new ArrayList<>(count);
        String s = split.name().toLowerCase(Locale.ROOT);
        for (int i = 0; i < count; i++) {
            long index = first + i;
            SplittableRandom rng =
                    new SplittableRandom(Draws.mix(seed, STREAM + split.ordinal(), index));
            int n = minSteps + rng.nextInt(maxSteps - minSteps + 1);
            int[] numbers = new int[n + 1];
            StringBuilder prompt = new StringBuilder("add");
            for (int k = 0; k <= n; k++) {
                numbers[k] = 1 + rng.nextInt(maxOperand);
                prompt.append(' ').append(numbers[k]);
            }
            prompt.append(" .");
            int wrong = rng.nextDouble() < errorRate ? rng.nextInt(n) : -1;
            List<String> steps = new ArrayList<>(n);
            double[] labels = new double[n];
            int total = numbers[0];
            for (int k = 0; k < n; k++) {
                int result = total + numbers[k + 1];
                if (k == wrong) {
                    int delta = 1 + rng.nextInt(2);
                    result =
                            rng.nextBoolean() || result - delta < 0
                                    ? result + delta
                                    : result - delta;
                }
                steps.add(total + " + " + numbers[k + 1] + " = " + result);
                labels[k] = wrong >= 0 && k >= wrong ? 0 : 1;
                total = result;
            }
            out.add(
                    new SynthStepChain(
                            String.format(Locale.ROOT, "synth-%s-chain-%06d", s, index),
                            prompt.toString(),
                            steps,
                            labels,
                            wrong,
                            new Source("<synth:chain:" + s + ">", index)));
        }
        return out;
    }

    /** Every word the generator emits (numbers up to the largest reachable total + 2). */
    public List<String> vocabulary() {
        List<String> words = new ArrayList<>(List.of("add", ".", "+", "=", SEPARATOR));
        int largest = (maxSteps + 1) * maxOperand + 2 * maxSteps;
        for (int v = 0; v <= largest; v++) {
            words.add(Integer.toString(v));
        }
        return words;
    }
}
