package dev.reward4j.trainers.ensemble;

import dev.reward4j.core.data.Padding;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.heads.RewardEnsemble;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.util.Checks;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.trainers.inmemory.CyclingSource;
import dev.reward4j.trainers.inmemory.ShortRun;
import dev.reward4j.trainers.step.RewardPairsStep;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Trains an ensemble of K independent reward models. Member {@code i} is made by {@code
 * member.apply(i)} (a fresh model from seed i, or a different base checkpoint per member: the
 * "pretrain" ensembles of "Helping or Herding?") and trained on the same pairs in its own data
 * order (seed {@code seed + i}).
 */
public final class EnsembleTrainer {
    private EnsembleTrainer() {}

    /**
     * Trains the members one after another.
     *
     * @param k number of members {@code >= 1}
     * @param member makes member i (trainable, scalar reward head); ownership passes to the
     *     ensemble
     * @param loss the BT-family loss of every member
     * @param train training pairs
     * @param padding collation padding
     * @param batchSize pairs per micro-batch
     * @param run the training run of each member
     * @param seed data-order seed of member 0
     * @return the ensemble (close it)
     */
    public static RewardEnsemble trainMembers(
            int k,
            IntFunction<DecoderModel> member,
            RewardModelObjective loss,
            List<TokenizedPair> train,
            Padding padding,
            int batchSize,
            ShortRun run,
            long seed) {
        Checks.positive(k, "EnsembleTrainer.k");
        PairCollator collator = new PairCollator(padding);
        List<DecoderModel> members = new ArrayList<>();
        try {
            for (int i = 0; i < k; i++) {
                DecoderModel m = member.apply(i);
                members.add(m);
                run.train(
                        m.manager(),
                        m.parameters(),
                        new RewardPairsStep(m, loss),
                        new CyclingSource<>(train, batchSize, collator::collate, seed + i, true),
                        null,
                        (phase, step, values) -> {});
            }
        } catch (RuntimeException e) {
            members.forEach(DecoderModel::close);
            throw e;
        }
        return RewardEnsemble.ofMembers(members);
    }
}
