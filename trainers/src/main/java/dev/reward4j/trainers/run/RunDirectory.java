package dev.reward4j.trainers.run;

import dev.reward4j.trainers.checkpoint.CheckpointWriter;
import dev.reward4j.trainers.checkpoint.Checkpointer;
import dev.reward4j.trainers.checkpoint.RunInfo;
import dev.reward4j.trainers.config.ConfigException;
import dev.reward4j.trainers.metrics.SummaryFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The directory of one run ({@code train.output_dir}):
 *
 * <pre>
 * run.json              the run's record (configuration, digests, run id): what a resume is checked against
 * metrics.jsonl         every logged record, each (phase, step) once
 * checkpoints/checkpoint-N/   resumable checkpoints (HF model, optimizer, trainer state, run.json)
 * final/                the model after the last step (written atomically)
 * summary.json          written last; status "finished" marks a run that is never rewritten
 * report/report.html    the report (written by the launcher)
 * tensorboard/          event files, with train.report_to: [tensorboard]
 * </pre>
 */
public final class RunDirectory {
    /** The metrics file. */
    public static final String METRICS = "metrics.jsonl";

    /** The checkpoint root. */
    public static final String CHECKPOINTS = "checkpoints";

    /** The final model. */
    public static final String FINAL = "final";

    private final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    /**
     * Opens (creating when missing) the run directory {@code dir}. A path blocked by a file, or a
     * directory that cannot be written, is a {@link ConfigException} naming {@code key}.
     *
     * @param dir the directory
     * @param key the configuration key or option naming it, for messages
     */
    public static RunDirectory open(Path dir, String key) {
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                throw new ConfigException(
                        key
                                + ": cannot create "
                                + dir
                                + ": "
                                + p
                                + " is a file, not a directory; expected a directory (or a path"
                                + " to create)");
            }
        }
        try {
            Files.createDirectories(dir);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new ConfigException(
                    key + ": " + dir + " is a file; expected a directory (or a path to create)", e);
        } catch (FileSystemException e) {
            throw new ConfigException(
                    key
                            + ": cannot create "
                            + dir
                            + " ("
                            + reason(e)
                            + "); expected a writable directory",
                    e);
        } catch (IOException e) {
            throw new ConfigException(
                    key + ": cannot create " + dir + " (" + e + "); expected a writable directory",
                    e);
        }
        if (!Files.isWritable(dir)) {
            throw new ConfigException(
                    key
                            + ": "
                            + dir
                            + " is not writable (permission denied); expected a writable"
                            + " directory");
        }
        return new RunDirectory(dir);
    }

    /** A file system error's reason: the OS message and the path it concerns. */
    static String reason(FileSystemException e) {
        String why = e.getReason() == null ? e.getClass().getSimpleName() : e.getReason();
        return why.toLowerCase(java.util.Locale.ROOT)
                + (e.getFile() == null ? "" : ": " + e.getFile());
    }

    /** The directory. */
    public Path path() {
        return dir;
    }

    /** The checkpoint root. */
    public Path checkpoints() {
        return dir.resolve(CHECKPOINTS);
    }

    /**
     * The checkpointer of run {@code runId}: it resumes from and prunes only the checkpoints whose
     * {@code run.json} names that run.
     */
    public Checkpointer checkpointer(int keepLast, String runId) {
        return new Checkpointer(
                checkpoints(),
                keepLast,
                p -> Objects.equals(runId, RunInfo.read(p).map(RunInfo::runId).orElse(null)));
    }

    /** Whether the directory holds (part of) a run: a record, metrics, checkpoints or a model. */
    public boolean holdsRun() {
        return Files.exists(dir.resolve(RunInfo.FILE))
                || Files.exists(dir.resolve(METRICS))
                || Files.exists(dir.resolve(FINAL))
                || Files.exists(dir.resolve(SummaryFile.FILE))
                || (Files.isDirectory(checkpoints())
                        && !new Checkpointer(checkpoints(), 1).list().isEmpty());
    }

    /**
     * The run's record: {@code run.json} of the directory, else (a directory written by an earlier
     * version) that of its newest checkpoint.
     */
    public Optional<RunInfo> recorded() {
        Optional<RunInfo> root = RunInfo.read(dir);
        if (root.isPresent()) {
            return root;
        }
        if (!Files.isDirectory(checkpoints())) {
            return Optional.empty();
        }
        List<Path> all = new Checkpointer(checkpoints(), 1).list();
        return all.isEmpty() ? Optional.empty() : RunInfo.read(all.get(all.size() - 1));
    }

    /** The summary, when one was written. */
    public Optional<SummaryFile> summary() {
        return SummaryFile.read(dir);
    }

    /**
     * Whether the run reached its last step: a finished {@code summary.json} and {@code final/}.
     */
    public boolean finished() {
        return Files.isDirectory(dir.resolve(FINAL))
                && summary().map(SummaryFile::finished).orElse(false);
    }

    /**
     * Writes {@code name} (e.g. {@code final}) through {@code writer} atomically: into a temporary
     * sibling first, then renamed into place, so a process killed during the write leaves the
     * previous version (or none), never a half-written one.
     */
    public Path writeAtomically(String name, CheckpointWriter writer) throws IOException {
        Path target = dir.resolve(name);
        Path tmp = dir.resolve(".tmp-" + name + "-" + System.nanoTime());
        Files.createDirectories(tmp);
        try {
            writer.writeTo(tmp);
            Path old = null;
            if (Files.exists(target)) {
                old = dir.resolve(".tmp-old-" + name + "-" + System.nanoTime());
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            if (old != null) {
                deleteTree(old);
            }
            return target;
        } finally {
            deleteTree(tmp);
        }
    }

    /** Removes temporary directories left in the run directory by a killed process. */
    public void removeLeftovers() {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(".tmp-")).toList()) {
                deleteTree(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("run directory: cannot clean " + dir, e);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
