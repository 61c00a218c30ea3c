package dev.reward4j.trainers.eval;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.core.util.Checks;
import java.util.List;
import java.util.Map;

/**
 * A {@link TextScorer} for policy (DPO-family) models: the reward of a completion is an {@link
 * ImplicitReward} of its summed or averaged completion-token log-probs under the policy and, for
 * {@link ImplicitReward.LogRatio}, a frozen reference model. Requests are encoded, left-truncated
 * and right-padded exactly as in {@link ModelTextScorer}; the completion tokens are the positions
 * after the (possibly truncated) prompt. Rows never interact, so the result does not depend on the
 * batch size beyond float32 rounding.
 */
public final class PolicyTextScorer implements TextScorer {
    private final RequestEncoder requests;
    private final TokenLogpsModel policy;
    private final TokenLogpsModel reference;
    private final ImplicitReward reward;
    private final NDManager manager;

    /**
     * A policy scorer.
     *
     * @param encoder tokenizer and chat template
     * @param policy the policy's per-token log-probs, e.g. {@code policyModel::tokenLogps}
     * @param reference the reference model's, or null for a reference-free reward
     * @param reward how log-probs become a reward
     * @param manager parent manager for per-batch arrays
     * @param maxLength tokens kept per sequence (left truncation)
     */
    public PolicyTextScorer(
            TextEncoder encoder,
            TokenLogpsModel policy,
            TokenLogpsModel reference,
            ImplicitReward reward,
            NDManager manager,
            int maxLength) {
        Checks.argument(
                policy != null && reward != null && manager != null,
                "policy scorer: policy, reward and manager must not be null");
        Checks.argument(
                !reward.needsReference() || reference != null,
                () ->
                        "policy scorer: "
                                + reward
                                + " needs a reference model (got null); pass one or use a"
                                + " reference-free reward (PolicySum, PolicyMean)");
        this.requests = new RequestEncoder(encoder, maxLength);
        this.policy = policy;
        this.reference = reference;
        this.reward = reward;
        this.manager = manager;
    }

    /**
     * Run-record facts (tokenizer digest, template, truncation, padding, truncated count, implicit
     * reward).
     */
    public Map<String, String> runInfo() {
        Map<String, String> m = requests.runInfo();
        m.put("scorer", "policy, implicit reward " + reward.getClass().getSimpleName());
        return m;
    }

    @Override
    public double[] score(List<ScoringRequest> batch) {
        if (batch.isEmpty()) {
            return new double[0];
        }
        return PaddedSequences.implicitRewards(
                requests.encodeAll(batch), requests.padId(), policy, reference, reward, manager);
    }
}
