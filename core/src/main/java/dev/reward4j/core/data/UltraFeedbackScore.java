package dev.reward4j.core.data;

/** Which UltraFeedback number ranks a completion. */
public enum UltraFeedbackScore {
    /**
     * {@code fine-grained_score}: mean of the four aspect ratings (what {@code
     * ultrafeedback_binarized} uses).
     */
    FINE_GRAINED("fine-grained_score"),
    /** {@code overall_score}: the critique's overall score (1-10). */
    OVERALL("overall_score");

    private final String field;

    UltraFeedbackScore(String field) {
        this.field = field;
    }

    /** The completion field holding the score. */
    public String field() {
        return field;
    }
}
