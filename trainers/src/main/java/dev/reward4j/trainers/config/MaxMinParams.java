package dev.reward4j.trainers.config;

import dev.reward4j.core.heads.ScalarHeads;

/**
 * The keys of objective {@code maxmin}: MaxMin-RLHF's expectation-maximisation over users
 * ("MaxMin-RLHF: Alignment with Diverse Human Preferences", arXiv 2402.08925). {@code clusters}
 * Bradley-Terry heads share one backbone; every user (the pairs' {@code user_id}) belongs to one
 * cluster, whose head alone learns from the user's pairs (M-step); every {@code round_steps}
 * optimizer steps each user moves to the head that explains its training pairs best (E-step, hard
 * assignment). The start is a seeded random assignment. The checkpoint's {@code num_labels} is
 * {@code clusters}; the users' clusters are written next to it ({@code user-clusters.json}).
 *
 * @param clusters number of clusters K, {@code >= 2}
 * @param roundSteps optimizer steps per EM round (M-step length), {@code >= 1}
 */
public record MaxMinParams(int clusters, int roundSteps) {
    /** Validates the values. */
    public MaxMinParams {
        Require.atLeast(clusters, 2, "clusters");
        Require.atLeast(roundSteps, 1, "round_steps");
    }

    /** Two clusters, rounds of 100 steps. */
    public static MaxMinParams defaults() {
        return new MaxMinParams(2, 100);
    }

    /** The cluster heads. */
    public ScalarHeads heads() {
        return new ScalarHeads(clusters);
    }
}
