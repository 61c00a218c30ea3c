package dev.reward4j.trainers.app.launcher;

/**
 * The exit status of every {@code reward4j} command.
 *
 * <table>
 *   <caption>Exit codes</caption>
 *   <tr><th>code</th><th>meaning</th></tr>
 *   <tr><td>0</td><td>success (also {@code --help}, {@code --version}, a finished run found again)</td></tr>
 *   <tr><td>1</td><td>internal error: a bug; the message says so ({@code --debug} prints the stack trace)</td></tr>
 *   <tr><td>2</td><td>user error, reported before any work where possible: usage, configuration, data, paths, unreadable or unwritable files, a run directory holding another run</td></tr>
 *   <tr><td>3</td><td>non-finite loss or gradient; the last good checkpoint is left untouched</td></tr>
 *   <tr><td>4</td><td>{@code doctor}: the device cannot train</td></tr>
 *   <tr><td>130</td><td>stopped by SIGINT (Ctrl-C): a checkpoint was written, the resume command printed</td></tr>
 *   <tr><td>143</td><td>stopped by SIGTERM: as 130</td></tr>
 * </table>
 */
public final class ExitCodes {
    private ExitCodes() {}

    /** Success. */
    public static final int OK = 0;

    /** An internal error (a bug). */
    public static final int INTERNAL = 1;

    /** A user error: usage, configuration, data, paths, files. */
    public static final int USER = 2;

    /** A non-finite loss or gradient. */
    public static final int NON_FINITE = 3;

    /** {@code doctor}: the device cannot train. */
    public static final int CANNOT_TRAIN = 4;

    /** Stopped by SIGINT (128 + 2). */
    public static final int SIGINT = 130;

    /** Stopped by SIGTERM (128 + 15). */
    public static final int SIGTERM = 143;
}
