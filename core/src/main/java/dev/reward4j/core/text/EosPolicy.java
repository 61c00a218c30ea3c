package dev.reward4j.core.text;

/**
 * When the EOS token is appended to a response. The rule is explicit because trainers differ (TRL's
 * reward trainer appends EOS to plain-text rows only; conversational rows end with the template's
 * end-of-turn tokens).
 */
public enum EosPolicy {
    /**
     * Append EOS to plain-text responses (unless already last); templated conversations end as the
     * template says.
     */
    APPEND_TO_PLAIN_TEXT,
    /** Append EOS to every response unless it already ends with EOS. */
    ALWAYS,
    /** Never append EOS. */
    NEVER
}
