package dev.reward4j.trainers.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.SequenceLogps;
import dev.reward4j.core.util.Checks;
import dev.reward4j.trainers.optim.Gradients;
import java.util.Map;

/**
 * A frozen reference policy: its parameters never require gradients and its forwards run with grad
 * mode off, so the results carry no graph. Results are attached to the manager of the input ids.
 */
public final class FrozenReference implements PairReference {
    private final DecoderModel model;

    /**
     * Freezes {@code model} (an LM-head model, usually the initial policy loaded a second time).
     */
    public FrozenReference(DecoderModel model) {
        Checks.argument(
                model.head() instanceof ModelHead.Lm,
                () ->
                        "reference: the reference model has head "
                                + model.head()
                                + "; expected an LM head");
        this.model = model;
        model.setTrainable(false);
    }

    /** The frozen model. */
    public DecoderModel model() {
        return model;
    }

    /**
     * Makes this reference a copy of {@code policy}'s current weights (Curry-DPO and iterative DPO
     * refresh the reference between stages): every parameter is copied in place with grad mode off
     * and stays frozen. Both models must have the same parameter names and shapes (the reference
     * loaded from the policy's starting checkpoint has).
     *
     * @param policy the trained model whose weights the reference takes
     * @throws IllegalArgumentException when the parameters differ in name, shape or dtype
     */
    public void refreshFrom(DecoderModel policy) {
        Map<String, NDArray> from = policy.parameters();
        Map<String, NDArray> to = model.parameters();
        Checks.argument(
                from.keySet().equals(to.keySet()),
                () ->
                        "reference: cannot refresh from the policy: its parameters "
                                + from.keySet()
                                + " differ from the reference's "
                                + to.keySet()
                                + "; expected the same architecture");
        for (Map.Entry<String, NDArray> e : to.entrySet()) {
            NDArray src = from.get(e.getKey());
            NDArray dst = e.getValue();
            Checks.argument(
                    src.getShape().equals(dst.getShape()) && src.getDataType() == dst.getDataType(),
                    () ->
                            "reference: cannot refresh "
                                    + e.getKey()
                                    + ": the policy has "
                                    + src.getShape()
                                    + " "
                                    + src.getDataType()
                                    + ", the reference "
                                    + dst.getShape()
                                    + " "
                                    + dst.getDataType()
                                    + "; expected equal shapes and dtypes");
        }
        Gradients.withGradModeOff(
                () -> {
                    for (Map.Entry<String, NDArray> e : to.entrySet()) {
                        from.get(e.getKey()).copyTo(e.getValue());
                    }
                    return null;
                });
        model.setTrainable(false);
    }

    /** Summed response log-probs {@code (N)} of each row, detached. */
    public NDArray sequenceLogps(NDArray inputIds, NDArray attentionMask, NDArray responseMask) {
        return Gradients.withGradModeOff(
                () ->
                        SequenceLogps.of(model.tokenLogps(inputIds, attentionMask), responseMask)
                                .sum()
                                .stopGradient());
    }

    @Override
    public NDArray chosenAndRejected(PairBatch batch, NDManager manager) {
        return sequenceLogps(batch.inputIds(), batch.attentionMask(), batch.responseMask());
    }

    @Override
    public NDArray chosenAndRejectedOver(PairBatch batch, NDArray mask, NDManager manager) {
        return sequenceLogps(batch.inputIds(), batch.attentionMask(), mask);
    }
}
