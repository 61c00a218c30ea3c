package dev.reward4j.core.synth;

import dev.reward4j.core.data.Source;
import dev.reward4j.core.util.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * Deterministic generator of preference data with a known ground-truth reward.
 *
 * <p>Example {@code i} of a split and variant is drawn from its own random stream seeded by {@code
 * (seed, split, variant, i)}, so {@code pairs(TRAIN, 0, 100)} equals the first 100 of {@code
 * pairs(TRAIN, 0, 1000)}, and train and held-out data never share a stream. The ground-truth reward
 * of a response is {@link SynthTask#judge} of its text.
 *
 * <pre>{@code
 * SyntheticPreferences gen = new SyntheticPreferences(SynthConfig.defaults());
 * List<SynthPair> train = gen.pairs(Split.TRAIN, 0, 4000);
 * double ceiling = Ceiling.pairwise(gen.pairs(Split.HELD_OUT, 0, 500));
 * }</pre>
 */
public final class SyntheticPreferences {
    private static final int LIST_SIZE = 4;
    private final SynthConfig config;

    /** A generator for {@code config}. */
    public SyntheticPreferences(SynthConfig config) {
        Checks.argument(
                config != null, "SyntheticPreferences: config is null; expected a SynthConfig");
        this.config = config;
    }

    /** The generator's config. */
    public SynthConfig config() {
        return config;
    }

    /**
     * Pairs {@code [first, first + count)} of {@code split}; labels drawn from the Bradley-Terry
     * label model.
     */
    public List<SynthPair> pairs(Split split, long first, int count) {
        return generate(count, i -> pair(split, first + i));
    }

    /**
     * Ranked lists of 4 responses; orders drawn from Plackett-Luce (Gumbel-max) on {@code reward /
     * temperature}.
     */
    public List<SynthList> rankedLists(Split split, long first, int count) {
        return generate(count, i -> list(split, first + i));
    }

    /**
     * Responses rated on their task's attributes: {@code round(truth + temperature * N(0,1))},
     * clamped to [0, 4].
     */
    public List<SynthRated> rated(Split split, long first, int count) {
        return generate(count, i -> rated(split, first + i));
    }

    /**
     * Unpaired completions labelled desirable with probability {@code preferProbability(reward,
     * threshold)}.
     */
    public List<SynthUnpaired> unpaired(Split split, long first, int count) {
        return generate(count, i -> unpaired(split, first + i));
    }

    private static <T> List<T> generate(int count, IntFunction<T> one) {
        Checks.argument(
                count >= 0, () -> "SyntheticPreferences: count (" + count + "); expected >= 0");
        List<T> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(one.apply(i));
        }
        return out;
    }

    private SynthPair pair(Split split, long index) {
        SplittableRandom rng = rng(split, 0, index);
        SynthTask task = Draws.pick(rng, config.tasks());
        Scenario s = task.sample(rng, 2);
        double ra = task.judge(s.prompt(), s.responses().get(0)).reward();
        double rb = task.judge(s.prompt(), s.responses().get(1)).reward();
        double pa = config.noise().preferProbability(ra, rb);
        boolean aWins = rng.nextDouble() < pa;
        String id = id(split, "pair", index);
        Source src = source(split, "pair", index);
        return aWins
                ? new SynthPair(
                        id,
                        s.task(),
                        s.prompt(),
                        s.responses().get(0),
                        s.responses().get(1),
                        ra,
                        rb,
                        pa,
                        src)
                : new SynthPair(
                        id,
                        s.task(),
                        s.prompt(),
                        s.responses().get(1),
                        s.responses().get(0),
                        rb,
                        ra,
                        1 - pa,
                        src);
    }

    private SynthList list(Split split, long index) {
        SplittableRandom rng = rng(split, 1, index);
        SynthTask task = Draws.pick(rng, config.tasks());
        Scenario s = task.sample(rng, LIST_SIZE);
        double[] rewards = new double[LIST_SIZE];
        int best = 0;
        for (int k = 0; k < LIST_SIZE; k++) {
            rewards[k] = task.judge(s.prompt(), s.responses().get(k)).reward();
            best = rewards[k] > rewards[best] ? k : best;
        }
        LabelNoise noise = config.noise();
        double[] keys = new double[LIST_SIZE];
        boolean uniform = rng.nextDouble() < 2 * noise.flipRate();
        for (int k = 0; k < LIST_SIZE; k++) {
            keys[k] = (uniform ? 0 : rewards[k] / noise.temperature()) + Draws.gumbel(rng);
        }
        double[] scores = new double[LIST_SIZE];
        for (int k = 0; k < LIST_SIZE; k++) {
            for (int j = 0; j < LIST_SIZE; j++) {
                scores[k] += keys[j] < keys[k] ? 1 : 0; // number of items ranked below k
            }
        }
        return new SynthList(
                id(split, "list", index),
                s.task(),
                s.prompt(),
                s.responses(),
                scores,
                rewards,
                noise.firstProbability(rewards, best),
                source(split, "list", index));
    }

    private SynthRated rated(Split split, long index) {
        SplittableRandom rng = rng(split, 2, index);
        SynthTask task = Draws.pick(rng, config.tasks());
        Scenario s = task.sample(rng, 1);
        String response = s.responses().get(0);
        Judgement truth = task.judge(s.prompt(), response);
        double[] values = truth.values();
        boolean[] present = truth.present();
        double[] ratings = new double[values.length];
        for (int k = 0; k < values.length; k++) {
            if (present[k]) {
                double noisy =
                        Math.rint(values[k] + config.noise().temperature() * Draws.gaussian(rng));
                ratings[k] = Math.max(0, Math.min(Judgement.MAX, noisy));
            }
        }
        return new SynthRated(
                id(split, "rated", index),
                s.task(),
                s.prompt(),
                response,
                ratings,
                present,
                truth,
                source(split, "rated", index));
    }

    private SynthUnpaired unpaired(Split split, long index) {
        SplittableRandom rng = rng(split, 3, index);
        SynthTask task = Draws.pick(rng, config.tasks());
        Scenario s = task.sample(rng, 1);
        String completion = s.responses().get(0);
        double r = task.judge(s.prompt(), completion).reward();
        double p = config.noise().desirableProbability(r, config.desirableThreshold());
        boolean desirable = rng.nextDouble() < p;
        return new SynthUnpaired(
                id(split, "unpaired", index),
                s.task(),
                s.prompt(),
                completion,
                desirable,
                r,
                desirable ? p : 1 - p,
                source(split, "unpaired", index));
    }

    private SplittableRandom rng(Split split, int variant, long index) {
        Checks.argument(
                index >= 0, () -> "SyntheticPreferences: index (" + index + "); expected >= 0");
        return new SplittableRandom(
                Draws.mix(config.seed(), split.ordinal() * 16L + variant, index));
    }

    private static Source source(Split split, String variant, long index) {
        return new Source(
                "<synth:" + variant + ":" + split.name().toLowerCase(Locale.ROOT) + ">", index);
    }

    private static String id(Split split, String variant, long index) {
        return String.format(
                Locale.ROOT,
                "synth-%s-%s-%06d",
                split.name().toLowerCase(Locale.ROOT),
                variant,
                index);
    }
}
