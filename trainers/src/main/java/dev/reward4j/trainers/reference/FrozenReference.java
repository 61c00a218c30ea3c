package dev.reward4j.trainers.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.SequenceLogps;
import dev.reward4j.core.util.Checks;
import dev.reward4j.trainers.optim.Gradients;

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
