package dev.reward4j.trainers.metrics;

/**
 * The metric names shared by objectives, the loop, the JSONL file, the summary and the report, so
 * that every part reads the same keys. Keys are flat strings; a {@code /} groups related keys. The
 * pairwise names are those of TRL's {@code DPOTrainer} ({@code rewards/chosen}, {@code
 * rewards/rejected}, {@code rewards/accuracies}, {@code rewards/margins}, {@code logps/chosen},
 * {@code logps/rejected}), for reward models too, so TRL dashboards carry over; TRL's {@code
 * RewardTrainer} calls the last two {@code accuracy} and {@code margin}.
 */
public final class MetricNames {
    private MetricNames() {}

    /** The optimised loss (mean over valid pairs or tokens of the whole step). */
    public static final String LOSS = "loss";

    /**
     * Strict pairwise accuracy: chosen reward &gt; rejected reward; ties count as wrong (TRL's
     * {@code rewards/accuracies}).
     */
    public static final String ACCURACY = "rewards/accuracies";

    /** Mean reward of chosen responses. */
    public static final String REWARD_CHOSEN = "rewards/chosen";

    /** Mean reward of rejected responses. */
    public static final String REWARD_REJECTED = "rewards/rejected";

    /**
     * Mean of {@code chosen - rejected} (TRL's {@code rewards/margins}); the bag also yields {@code
     * rewards/margins_std}.
     */
    public static final String MARGIN = "rewards/margins";

    /**
     * Mean of every reward (chosen and rejected pooled); the bag also yields {@code
     * rewards/all_std}.
     */
    public static final String REWARD_ALL = "rewards/all";

    /** Expected calibration error of {@code sigmoid(r_c - r_r)} (see {@link Calibration}). */
    public static final String ECE = "ece";

    /**
     * Mean negative log-likelihood of the observed preferences under Bradley-Terry, {@code
     * mean(log(1 + exp(-(r_c - r_r))))}: a proper scoring rule that complements accuracy and ECE on
     * held-out pairs.
     */
    public static final String PREFERENCE_NLL = "preference_nll";

    /**
     * DPO family: strict accuracy of {@code log pi(chosen) > log pi(rejected)} under the policy
     * alone.
     */
    public static final String POLICY_RANKING_ACCURACY = "policy/ranking_accuracy";

    /** Summed completion log-probability of chosen responses under the policy. */
    public static final String LOGPS_CHOSEN = "logps/chosen";

    /** Summed completion log-probability of rejected responses under the policy. */
    public static final String LOGPS_REJECTED = "logps/rejected";

    /**
     * Listwise: mean NDCG@k over lists. The key is {@code ndcg@k} with the cut-off filled in
     * ({@link #ndcgAt}).
     */
    public static final String NDCG_PREFIX = "ndcg@";

    /** Listwise: mean Kendall tau-b over lists where it is defined. */
    public static final String KENDALL_TAU = "kendall_tau";

    /** Global gradient norm before clipping. */
    public static final String GRAD_NORM = "grad_norm";

    /** Learning rate of the first parameter group. */
    public static final String LR = "lr";

    /** Real (non-padding) tokens per second. */
    public static final String TOKENS_PER_SECOND = "tokens_per_s";

    /** Examples (pairs, lists, rows) per second. */
    public static final String EXAMPLES_PER_SECOND = "examples_per_s";

    /**
     * Diagnostics: mean CHES score of the pairs (centered hidden embedding similarity of chosen and
     * rejected, arXiv:2410.08847); the bag also yields {@code diagnostics/ches_std}.
     */
    public static final String CHES = "diagnostics/ches";

    /** Diagnostics: mean length-normalised CHES score (with {@code _std}). */
    public static final String CHES_LENGTH_NORMALIZED = "diagnostics/ches_ln";

    /**
     * Diagnostics: mean over response tokens of the entropy of the policy's next-token distribution
     * renormalised over its top k tokens (falls under over-optimisation).
     */
    public static final String TOPK_ENTROPY = "diagnostics/topk_entropy";

    /**
     * Diagnostics: mean over response tokens of the probability mass of the policy's top k tokens
     * (falls under over-optimisation).
     */
    public static final String TOPK_MASS = "diagnostics/topk_mass";

    /**
     * Diagnostics: the ranking accuracy the optimal DPO policy would reach from the reference
     * (arXiv:2405.19534).
     */
    public static final String IDEALIZED_RANKING_ACCURACY =
            "diagnostics/idealized_ranking_accuracy";

    /**
     * Diagnostics: idealized minus observed policy ranking accuracy ({@link
     * #POLICY_RANKING_ACCURACY}), the alignment gap.
     */
    public static final String ALIGNMENT_GAP = "diagnostics/alignment_gap";

    /**
     * Diagnostics: change of {@link #LOGPS_CHOSEN} since the first logged value of the phase
     * (smoothed in training).
     */
    public static final String LOGPS_CHOSEN_CHANGE = "diagnostics/logps_chosen_change";

    /**
     * Diagnostics: change of the policy log-prob margin {@code logps/chosen - logps/rejected} since
     * the first logged value of the phase (smoothed in training).
     */
    public static final String LOGPS_MARGIN_CHANGE = "diagnostics/logps_margin_change";

    /**
     * Diagnostics: 1 when the chosen log-prob has fallen below its starting value while the margin
     * rose above its own (likelihood displacement), else 0.
     */
    public static final String LIKELIHOOD_DISPLACEMENT = "diagnostics/likelihood_displacement";

    /** The NDCG key for cut-off {@code k}, e.g. {@code ndcg@4}. */
    public static String ndcgAt(int k) {
        return NDCG_PREFIX + k;
    }
}
