package dev.reward4j.trainers.app.launcher;

import dev.reward4j.trainers.loop.NonFiniteException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * Turns what a command threw into one message on standard error and an exit code ({@link
 * ExitCodes}): user-caused failures (bad arguments, configuration, data, paths, unreadable,
 * truncated or unwritable files) exit 2, a non-finite loss exits 3, anything else is an internal
 * error (exit 1). A stack trace is printed only with {@code --debug}.
 */
final class Failures {
    private Failures() {}

    /**
     * Reports {@code e} of {@code command} to {@code err}; returns the exit code.
     *
     * @param e what the command threw
     * @param command the command, e.g. {@code reward4j train}
     * @param err standard error
     * @param debug whether to print the stack trace
     */
    static int report(Throwable e, String command, PrintStream err, boolean debug) {
        int code;
        String message;
        if (e instanceof NonFiniteException) {
            code = ExitCodes.NON_FINITE;
            message = e.getMessage();
        } else if (e instanceof IllegalArgumentException) {
            code = ExitCodes.USER;
            message = e.getMessage();
        } else if (ioCause(e) != null) {
            code = ExitCodes.USER;
            message = describe(e, ioCause(e));
        } else {
            code = ExitCodes.INTERNAL;
            message =
                    "internal error: "
                            + e
                            + (debug
                                    ? ""
                                    : " (a bug: run again with --debug for the stack trace and"
                                            + " report it)");
        }
        err.println(command + ": " + (message == null ? e.toString() : message));
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** The I/O failure behind {@code e}, or null. */
    private static IOException ioCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                return io;
            }
            if (t instanceof UncheckedIOException u) {
                return u.getCause();
            }
        }
        return null;
    }

    /**
     * One line for an I/O failure: the context of the wrapping exception (which names what was
     * being done) and the file system's reason with the path.
     */
    static String describe(Throwable e, IOException io) {
        String why;
        if (io instanceof NoSuchFileException n) {
            why = "no such file or directory: " + n.getFile();
        } else if (io instanceof AccessDeniedException a) {
            why = "permission denied: " + a.getFile();
        } else if (io instanceof NotDirectoryException n) {
            why = "not a directory: " + n.getFile();
        } else if (io instanceof FileSystemException f) {
            why =
                    (f.getReason() == null ? "file system error" : f.getReason())
                                    .toLowerCase(Locale.ROOT)
                            + (f.getFile() == null ? "" : ": " + f.getFile());
        } else {
            why = io.getMessage() == null ? io.toString() : io.getMessage();
        }
        String context = e == io ? null : e.getMessage();
        if (context != null && context.contains(why)) {
            return context;
        }
        return (context == null ? "" : context + " (") + why + (context == null ? "" : ")");
    }
}
