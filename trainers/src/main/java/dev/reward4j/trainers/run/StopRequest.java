package dev.reward4j.trainers.run;

/**
 * A request to stop a training at the next step boundary, set from another thread (typically a
 * signal handler) and read by the loop. While {@link #armed()} is false (before the loop starts)
 * there is nothing to save, and a handler may end the process at once instead of requesting a stop.
 */
public final class StopRequest {
    private volatile boolean armed;
    private volatile String reason;
    private volatile int exitCode;

    /** Marks the loop as running: from now on a stop is honoured at the next step boundary. */
    public void arm() {
        armed = true;
    }

    /** Whether the loop is running and honours stop requests. */
    public boolean armed() {
        return armed;
    }

    /**
     * Requests a stop.
     *
     * @param reason what asked for it (e.g. {@code SIGINT})
     * @param exitCode the process exit status to end with (e.g. 130)
     */
    public void request(String reason, int exitCode) {
        this.exitCode = exitCode;
        this.reason = reason;
    }

    /** Whether a stop was requested. */
    public boolean requested() {
        return reason != null;
    }

    /** What asked for the stop, or null. */
    public String reason() {
        return reason;
    }

    /** The exit status the stop asks for (0 when none was requested). */
    public int exitCode() {
        return exitCode;
    }
}
