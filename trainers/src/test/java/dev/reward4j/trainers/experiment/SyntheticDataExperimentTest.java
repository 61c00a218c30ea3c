package dev.reward4j.trainers.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.reward4j.core.synth.Ceiling;
import dev.reward4j.core.synth.Split;
import dev.reward4j.core.synth.SynthConfig;
import dev.reward4j.core.synth.SynthPair;
import dev.reward4j.core.synth.SyntheticPreferences;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Example experiment class: checks that the ground-truth reward attains the computed ceiling on
 * freshly drawn labels. Run it with {@code ExperimentLauncher
 * dev.reward4j.trainers.experiment.SyntheticDataExperimentTest} (the launcher test does so).
 */
// README example experiment begins
@RewardExperiment(seed = 7)
class SyntheticDataExperimentTest {
    @Test
    void groundTruthRewardAttainsTheCeiling(RunContext run) {
        int n = 5000;
        List<SynthPair> pairs =
                new SyntheticPreferences(SynthConfig.defaults().withSeed(run.seed()))
                        .pairs(Split.HELD_OUT, 0, n);
        double ceiling = run.metrics().put("ceiling", Ceiling.pairwise(pairs));
        double hits = pairs.stream().filter(p -> p.chosenReward() > p.rejectedReward()).count();
        double accuracy = run.metrics().put("oracle_accuracy", hits / n);
        run.artifacts().json("sample-pairs.json", pairs.subList(0, 5));
        assertEquals(ceiling, accuracy, 4 * Math.sqrt(0.25 / n));
    }
}
// README example experiment ends
