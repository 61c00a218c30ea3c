package dev.reward4j.trainers.config;

/** The record type an objective trains on and a data format produces. */
public enum ExampleKind {
    /** Preference pairs (prompt, chosen, rejected): reward models on pairs and the DPO family. */
    PAIRS("preference pairs"),
    /** Ranked lists of responses: listwise reward models, LiPO-lambda, PRO. */
    LISTS("ranked lists"),
    /** Responses rated on several attributes: multi-attribute regression. */
    RATED("rated responses"),
    /** Unpaired binary feedback (prompt, completion, label): KTO, BCO. */
    UNPAIRED("unpaired feedback"),
    /** Responses labelled with their source class (prompt, completion, class): C-RLFT. */
    CLASS_LABELED("class-labelled responses"),
    /** Preference pairs whose chosen and rejected responses answer different prompts (JPO). */
    JOINT_PAIRS("joint preference pairs"),
    /** A gold, a chosen and a rejected response to one prompt (TPO). */
    TRIPLES("preference triples"),
    /** Step-annotated solutions: a prompt, its steps and a label in [0, 1] per step (PRM). */
    STEPS("step-annotated solutions");

    private final String description;

    ExampleKind(String description) {
        this.description = description;
    }

    /** A short description for messages, e.g. {@code preference pairs}. */
    public String description() {
        return description;
    }
}
