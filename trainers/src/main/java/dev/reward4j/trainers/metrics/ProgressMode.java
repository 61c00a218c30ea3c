package dev.reward4j.trainers.metrics;

/** How {@link ConsoleProgressSink} shows progress. */
public enum ProgressMode {
    /** An in-place progress bar of at most 80 columns; for interactive terminals. */
    BAR,
    /** One plain line per record; for CI logs and redirected output. */
    LINES,
    /** Nothing. */
    OFF;

    /**
     * {@link #BAR} on an interactive terminal ({@code System.console() != null}) outside CI (no
     * {@code CI} environment variable), otherwise {@link #LINES}.
     */
    public static ProgressMode auto() {
        return System.console() != null && System.getenv("CI") == null ? BAR : LINES;
    }

    /** Parses {@code bar | lines | off | auto} (case-insensitive) at the config edge. */
    public static ProgressMode parse(String value) {
        return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "bar" -> BAR;
            case "lines" -> LINES;
            case "off" -> OFF;
            case "auto" -> auto();
            default ->
                    throw new IllegalArgumentException(
                            "progress: unknown mode '"
                                    + value
                                    + "'; expected one of [bar, lines, off, auto]");
        };
    }
}
