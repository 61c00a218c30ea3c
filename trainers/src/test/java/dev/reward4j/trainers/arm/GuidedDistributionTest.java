package dev.reward4j.trainers.arm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GuidedDistributionTest {
    @Test
    void guidedLogProbsAreTheNormalisedBasePlusRewardOverBeta() {
        double[] base = {Math.log(0.5), Math.log(0.25), Math.log(0.25)};
        double[] reward = {0, Math.log(4), 0};
        // beta 1: weights 0.5, 1.0, 0.25 -> normalised 2/7, 4/7, 1/7
        double[] g = AutoregressiveRewardScorer.guided(base, reward, 1.0);
        assertEquals(Math.log(2.0 / 7), g[0], 1e-12);
        assertEquals(Math.log(4.0 / 7), g[1], 1e-12);
        assertEquals(Math.log(1.0 / 7), g[2], 1e-12);
        // a large beta returns the base distribution
        double[] b = AutoregressiveRewardScorer.guided(base, reward, 1e12);
        assertEquals(Math.log(0.25), b[1], 1e-9);
    }
}
