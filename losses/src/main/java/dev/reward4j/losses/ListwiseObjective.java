package dev.reward4j.losses;

import ai.djl.ndarray.NDArray;

/**
 * A listwise objective over masked lists of K candidates: one validated record per variant. Each
 * record's {@link #apply} calls its own function of {@link ListwiseLosses}.
 */
public sealed interface ListwiseObjective
        permits ListwiseObjective.PlackettLuce,
                ListwiseObjective.ListNet,
                ListwiseObjective.LipoLambda,
                ListwiseObjective.Pro,
                ListwiseObjective.AllPairsBt {

    /**
     * Short stable name for logs and configs.
     *
     * @return the name
     */
    String name();

    /**
     * Computes the objective (each record calls its own function of {@link ListwiseLosses}).
     *
     * @param scores model scores {@code (B, K)}
     * @param labels gold labels {@code (B, K)}, higher is better
     * @param itemMask {@code (B, K)} 1 for real items, or null
     * @param weight optional {@code (B)} list weights, or null
     * @param reduction reduction over lists
     * @return loss and diagnostics, attached to the manager of {@code scores}
     */
    ListwiseOutput apply(
            NDArray scores, NDArray labels, NDArray itemMask, NDArray weight, Reduction reduction);

    /**
     * Plackett-Luce negative log-likelihood of the label order (ListMLE): \( \ell = \sum_{i}
     * [\log\sum_{j \succeq i} e^{s_j} - s_i] \) over valid items, where \( j \succeq i \) means j
     * is ranked at or after i by the labels (ties broken by position). No hyperparameters.
     */
    record PlackettLuce() implements ListwiseObjective {
        @Override
        public String name() {
            return "plackett-luce";
        }

        @Override
        public ListwiseOutput apply(
                NDArray scores,
                NDArray labels,
                NDArray itemMask,
                NDArray weight,
                Reduction reduction) {
            return ListwiseLosses.plackettLuce(scores, labels, itemMask, weight, reduction);
        }
    }

    /**
     * ListNet top-one softmax cross-entropy: \( \ell = -\sum_i \mathrm{softmax}(y/\tau)_i
     * \log\mathrm{softmax}(s)_i \) over valid items.
     *
     * @param labelTemperature \( \tau > 0 \), default 1
     */
    record ListNet(double labelTemperature) implements ListwiseObjective {
        /**
         * Validates the components.
         *
         * @param labelTemperature see the record description
         */
        public ListNet {
            LossChecks.positive("listnet", "labelTemperature", labelTemperature);
        }

        /**
         * {@code labelTemperature = 1}.
         *
         * @return the result
         */
        public static ListNet defaults() {
            return new ListNet(1);
        }

        @Override
        public String name() {
            return "listnet";
        }

        @Override
        public ListwiseOutput apply(
                NDArray scores,
                NDArray labels,
                NDArray itemMask,
                NDArray weight,
                Reduction reduction) {
            return ListwiseLosses.listNet(scores, labels, itemMask, this, weight, reduction);
        }
    }

    /**
     * LiPO-lambda: \( \ell = \sum_{y_i > y_j} \Delta_{ij} \,\mathrm{softplus}(-(s_i - s_j)) \) with
     * \( \Delta_{ij} = |G_i - G_j|\,|1/D(\tau_i) - 1/D(\tau_j)| \), gains \( G = 2^{y} - 1 \),
     * discount \( D(\tau) = \log_2(1 + \tau) \) and \( \tau \) the 1-based rank by the current
     * (detached) scores. No hyperparameters; labels should be small graded relevances.
     */
    record LipoLambda() implements ListwiseObjective {
        @Override
        public String name() {
            return "lipo-lambda";
        }

        @Override
        public ListwiseOutput apply(
                NDArray scores,
                NDArray labels,
                NDArray itemMask,
                NDArray weight,
                Reduction reduction) {
            return ListwiseLosses.lipoLambda(scores, labels, itemMask, weight, reduction);
        }
    }

    /**
     * PRO with its reward-difference temperatures (paper eqs. 7-8 and the authors' code): for each
     * valid item k with strictly lower-labelled items \( L_k \), \( T_{ki} = 1/(y_k - y_i) \) for
     * \( i \in L_k \), \( T_{kk} = \min_{i\in L_k} T_{ki} \), and \( \ell = \sum_k [\log(e^{s_k /
     * T_{kk}} + \sum_{i \in L_k} e^{s_i / T_{ki}}) - s_k / T_{kk}] \): every score is
     * <b>multiplied</b> by its label gap \( y_k - y_i \), the anchor's by the largest gap (the
     * official code's {@code exp(score * temperature)} with {@code neg_temperatures = pos_reward -
     * neg_reward}, {@code pos_temperature = max(neg_temperatures)}). No hyperparameters; scores are
     * usually per-token mean policy log-probs.
     */
    record Pro() implements ListwiseObjective {
        @Override
        public String name() {
            return "pro";
        }

        @Override
        public ListwiseOutput apply(
                NDArray scores,
                NDArray labels,
                NDArray itemMask,
                NDArray weight,
                Reduction reduction) {
            return ListwiseLosses.pro(scores, labels, itemMask, weight, reduction);
        }
    }

    /**
     * All-pairs BT over a ranked or rated list (InstructGPT): \( \ell = \frac{1}{|P|}\sum_{(i,j)\in
     * P} \mathrm{softplus}(-(s_i - s_j)) \), \( P = \{(i,j) : y_i > y_j\} \) over valid items (0
     * when P is empty). No hyperparameters.
     */
    record AllPairsBt() implements ListwiseObjective {
        @Override
        public String name() {
            return "all-pairs-bt";
        }

        @Override
        public ListwiseOutput apply(
                NDArray scores,
                NDArray labels,
                NDArray itemMask,
                NDArray weight,
                Reduction reduction) {
            return ListwiseLosses.allPairsBt(scores, labels, itemMask, weight, reduction);
        }
    }
}
