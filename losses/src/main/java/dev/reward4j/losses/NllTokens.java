package dev.reward4j.losses;

/**
 * Which tokens of the chosen sequence the NLL term of {@link PairwisePolicyObjective.WithChosenNll}
 * averages over.
 */
public enum NllTokens {
    /** The chosen response's tokens only (TRL's CPO; the DPO family's {@code rpo_alpha}). */
    RESPONSE,
    /**
     * Every predicted token of the chosen sequence: the prompt's (all but the first token) and the
     * response's. TRL's {@code ORPOTrainer} computes its NLL this way, on the full concatenated
     * sequence. Needs {@link PairLogps#policyChosenPrompt()} and {@link
     * PairLogps#chosenPromptTokens()}.
     */
    PROMPT_AND_RESPONSE
}
