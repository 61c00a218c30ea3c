package dev.reward4j.core.data;

/**
 * What a data transform did: pairs seen, pairs changed (flipped, or given a margin) and pairs left
 * alone because no strength was measured for them. Never silent: a transform reports all three.
 *
 * @param seen pairs given to the transform
 * @param changed pairs the transform changed
 * @param unmeasured pairs without a measured strength (passed through unchanged)
 */
public record TransformCounters(long seen, long changed, long unmeasured) {
    /** One-line summary for logs. */
    public String summary() {
        return "seen=" + seen + " changed=" + changed + " unmeasured=" + unmeasured;
    }
}
