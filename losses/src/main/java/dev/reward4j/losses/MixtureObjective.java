package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * An objective over K Bradley-Terry reward heads (pluralistic reward models: a population whose
 * preferences are a mixture of K preference types). One validated record per variant; each record's
 * {@link #apply} calls its own function in {@link MixtureLosses}.
 */
public sealed interface MixtureObjective
        permits MixtureObjective.MixtureBt, MixtureObjective.ResponsibilityBt {

    /**
     * Short stable name for logs and configs.
     *
     * @return e.g. {@code "mixture-bt"}
     */
    String name();

    /**
     * Computes the objective.
     *
     * @param pair head rewards {@code (B, K)} and the variant's weighting input
     * @param weight optional {@code (B)} non-negative example weights, or null
     * @param reduction how to combine the per-pair losses
     * @return loss and diagnostics, attached to the manager of {@code pair.chosen()}
     */
    PreferenceOutput apply(HeadPair pair, NDArray weight, Reduction reduction);

    /**
     * Mixture of BT heads with a router (MiCRo): \( \ell = -\log\sum_k w_k\,\sigma(d_k) \), \( w =
     * \mathrm{softmax}(a) \) from {@link HeadPair#routerLogits()} (uniform when null), \( d_k =
     * r_{c,k} - r_{r,k} \). No hyperparameters.
     */
    record MixtureBt() implements MixtureObjective {
        @Override
        public String name() {
            return "mixture-bt";
        }

        @Override
        public PreferenceOutput apply(HeadPair pair, NDArray weight, Reduction reduction) {
            return MixtureLosses.mixtureBt(pair, weight, reduction);
        }
    }

    /**
     * Responsibility-weighted BT, the M-step of EM over K preference clusters (MaxMin-RLHF): \(
     * \ell = \sum_k \rho_k\,\mathrm{softplus}(-d_k) \) with constant responsibilities \( \rho \)
     * from {@link HeadPair#responsibilities()} (required; one-hot for hard EM). No hyperparameters.
     */
    record ResponsibilityBt() implements MixtureObjective {
        @Override
        public String name() {
            return "responsibility-bt";
        }

        @Override
        public PreferenceOutput apply(HeadPair pair, NDArray weight, Reduction reduction) {
            return MixtureLosses.responsibilityBt(pair, weight, reduction);
        }
    }
}
