package dev.reward4j.trainers.pluralistic;

import dev.reward4j.core.data.UserPairBatch;
import dev.reward4j.core.heads.MixtureHead;
import dev.reward4j.core.heads.UserTable;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.util.Checks;
import dev.reward4j.losses.HeadPair;
import dev.reward4j.trainers.loop.StepContext;
import dev.reward4j.trainers.loop.StepResult;
import dev.reward4j.trainers.loop.TrainingStep;

/**
 * A mixture of K Bradley-Terry heads routed by prompt and user (MiCRo's context-aware routing with
 * the user as context): the mixture weights are \( w(x, u) = \mathrm{softmax}(g(x) + b_u) \), the
 * prompt router's logits \( g(x) \) plus a learned per-user bias \( b_u \) ({@link UserTable} of
 * width K; initialise it randomly, {@link UserTable#normal}, so that the heads have a reason to
 * differ). The per-user bias is what lets the mixture separate users whose prompts look alike; a
 * new user gets its bias from a few comparisons with everything else frozen ({@link
 * FewShotFit#routingBias}). Loss, units and metrics as {@link MixturePairsStep}.
 */
public final class UserRoutedMixtureStep implements TrainingStep<UserPairBatch> {
    private final DecoderModel model;
    private final MixtureHead head;
    private final UserTable routing;

    /**
     * Creates the objective.
     *
     * @param model a model created or loaded with {@code head.modelHead()}
     * @param head the head layout
     * @param routing per-user routing biases of width K
     */
    public UserRoutedMixtureStep(DecoderModel model, MixtureHead head, UserTable routing) {
        Checks.argument(
                routing.width() == head.heads(),
                () ->
                        "UserRoutedMixtureStep: routing width ("
                                + routing.width()
                                + "); expected K = "
                                + head.heads());
        this.model = model;
        this.head = head;
        this.routing = routing;
    }

    /**
     * The mixture inputs of a batch: head rewards and the router logits shifted by each pair's user
     * bias.
     *
     * @param batch the batch
     * @return the head pair, attached to the batch's manager
     */
    public HeadPair heads(UserPairBatch batch) {
        HeadPair p = MixtureLoss.heads(model, head, batch.pairs());
        return p.withRouterLogits(p.routerLogits().add(routing.rows(batch.userRows())));
    }

    @Override
    public StepResult compute(UserPairBatch batch, StepContext ctx) {
        return MixtureLoss.step(heads(batch), batch.pairs());
    }
}
