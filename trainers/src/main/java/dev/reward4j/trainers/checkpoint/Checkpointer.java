package dev.reward4j.trainers.checkpoint;

import dev.reward4j.core.util.Checks;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Writes checkpoints atomically under a root directory as {@code checkpoint-100/} (Hugging Face's
 * name; directories named {@code step-00000100/} by earlier versions are still read) and keeps the
 * last {@code keepLast} of the run that writes them.
 *
 * <p>A save writes into {@code .tmp-checkpoint-...}, fsyncs every file and directory, then renames
 * it to its final name (an atomic rename on POSIX file systems) and fsyncs the root. Older
 * checkpoints are deleted only after the new one is in place, and only those the {@code owned}
 * predicate accepts (the checkpoints of the current run): a checkpoint of another run is never
 * pruned. If the writer fails, the temporary directory is removed and the previous checkpoints are
 * untouched; a process killed during a save leaves only a temporary directory, removed by the next
 * checkpointer on the root.
 */
public final class Checkpointer {
    private static final Pattern STEP_DIR = Pattern.compile("(?:checkpoint-|step-)(\\d+)");

    /** Directory name prefix of a checkpoint. */
    public static final String PREFIX = "checkpoint-";

    private final Path root;
    private final int keepLast;
    private final Predicate<Path> owned;

    /**
     * Creates a checkpointer; removes temporary directories left by an interrupted save.
     *
     * @param root directory holding the checkpoints (created when missing)
     * @param keepLast number of checkpoints to keep, &ge; 1
     */
    public Checkpointer(Path root, int keepLast) {
        this(root, keepLast, p -> true);
    }

    /**
     * Creates a checkpointer that prunes only the checkpoints {@code owned} accepts; removes
     * temporary directories left by an interrupted save.
     *
     * @param root directory holding the checkpoints (created when missing)
     * @param keepLast number of checkpoints of the current run to keep, &ge; 1
     * @param owned whether a checkpoint directory belongs to the current run
     */
    public Checkpointer(Path root, int keepLast, Predicate<Path> owned) {
        Checks.positive(keepLast, "checkpoint: keep_last");
        this.root = root;
        this.keepLast = keepLast;
        this.owned = owned;
        try {
            Files.createDirectories(root);
            try (Stream<Path> s = Files.list(root)) {
                for (Path p :
                        s.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList()) {
                    deleteTree(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint: cannot prepare " + root, e);
        }
    }

    /** The checkpoint root directory. */
    public Path root() {
        return root;
    }

    /** The directory name of {@code step}'s checkpoint: {@code checkpoint-<step>}. */
    public static String dirName(long step) {
        return PREFIX + step;
    }

    /**
     * Saves the checkpoint of {@code step} atomically and prunes old ones.
     *
     * @return the final checkpoint directory
     * @throws IOException when writing fails (previous checkpoints stay as they were)
     */
    public Path save(long step, CheckpointWriter writer) throws IOException {
        Path target = root.resolve(dirName(step));
        Path tmp =
                root.resolve(
                        ".tmp-"
                                + dirName(step)
                                + "-"
                                + ProcessHandle.current().pid()
                                + "-"
                                + System.nanoTime());
        Files.createDirectory(tmp);
        try {
            writer.writeTo(tmp);
            fsyncTree(tmp);
            if (Files.exists(target)) {
                // re-saving a step (e.g. after a resume): move the old copy aside first, delete it
                // after the swap
                Path old = root.resolve(".tmp-old-" + dirName(step) + "-" + System.nanoTime());
                move(target, old);
                move(tmp, target);
                deleteTree(old);
            } else {
                move(tmp, target);
            }
            // the same step under the name of an earlier version is superseded
            deleteTree(root.resolve(String.format("step-%08d", step)));
            fsync(root, true);
        } catch (IOException | RuntimeException | Error e) {
            deleteTree(tmp);
            throw e;
        }
        prune();
        return target;
    }

    /** The newest complete checkpoint of the current run ({@code owned}), if any. */
    public Optional<Path> latest() {
        List<Path> all = list().stream().filter(owned).toList();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /**
     * Complete checkpoints, oldest first (of two directories of one step, the {@code checkpoint-}
     * one comes last).
     */
    public List<Path> list() {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(
                            p ->
                                    STEP_DIR.matcher(p.getFileName().toString()).matches()
                                            && Files.isDirectory(p))
                    .sorted(
                            Comparator.comparingLong(Checkpointer::stepOf)
                                    .thenComparing(
                                            p -> p.getFileName().toString().startsWith(PREFIX)))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("checkpoint: cannot list " + root, e);
        }
    }

    /** The step number of a checkpoint directory. */
    public static long stepOf(Path checkpointDir) {
        Matcher m = STEP_DIR.matcher(checkpointDir.getFileName().toString());
        Checks.argument(
                m.matches(),
                () ->
                        "checkpoint: '"
                                + checkpointDir
                                + "' is not a checkpoint-<step> (or step-NNNNNNNN) directory");
        return Long.parseLong(m.group(1));
    }

    private void prune() throws IOException {
        List<Path> mine = new ArrayList<>(list().stream().filter(owned).toList());
        while (mine.size() > keepLast) {
            deleteTree(mine.remove(0));
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException(
                    "checkpoint: the file system of "
                            + from.getParent()
                            + " cannot rename atomically",
                    e);
        }
    }

    private static void fsyncTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                fsync(p, Files.isDirectory(p));
            }
        }
    }

    private static void fsync(Path p, boolean directory) throws IOException {
        try (FileChannel ch =
                FileChannel.open(
                        p, directory ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
            ch.force(true);
        } catch (IOException e) {
            if (!directory) {
                throw e; // some platforms cannot open directories for fsync; files must always sync
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
