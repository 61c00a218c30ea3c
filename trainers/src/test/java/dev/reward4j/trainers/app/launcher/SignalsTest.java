package dev.reward4j.trainers.app.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.trainers.checkpoint.Checkpointer;
import dev.reward4j.trainers.checkpoint.TrainerState;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGINT and SIGTERM sent to a real launcher process (a child JVM training the tiny fixture): the
 * run stops at a step boundary, writes a loadable checkpoint, prints the resume command and exits
 * 130 or 143, without a native crash; a second signal ends it at once and the last complete
 * checkpoint stays loadable.
 */
@EnabledOnOs(OS.LINUX)
class SignalsTest {
    @TempDir Path dir;
    Path output;
    Path cfg;

    @BeforeEach
    void setUp() throws IOException {
        Runs runs = new Runs(dir);
        Path train = runs.prefs("train.jsonl", 24, 1);
        output = dir.resolve("run");
        cfg =
                runs.config(
                        "long.yaml",
                        runs.rmYaml(train, output, 1_000_000)
                                .replace("log_every: 1", "log_every: 10")
                                .replace("every: 2,", "every: 20,"));
    }

    /** A launcher process with its standard error collected. */
    static final class Child {
        final Process process;
        final StringBuffer err = new StringBuffer();

        Child(Path workDir, String... args) throws IOException {
            List<String> cmd = new ArrayList<>();
            if (inheritsIgnoredStopSignals()) {
                // A job started with '&' by a non-interactive shell ignores SIGINT, and an ignored
                // signal stays ignored across exec: the JVM then never sees it. The launcher under
                // test must get the default dispositions, as it does from a terminal or a CI
                // runner.
                cmd.addAll(List.of("env", "--default-signal=INT,TERM"));
            }
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.add("-Xmx512m");
            cmd.add("-Dai.djl.offline=true");
            cmd.add("-Dai.djl.pytorch.num_threads=1");
            cmd.add("-Dai.djl.pytorch.num_interop_threads=1");
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(Reward4j.class.getName());
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
            process = pb.start();
            Thread reader =
                    new Thread(
                            () -> {
                                try (InputStream in = process.getErrorStream()) {
                                    byte[] buf = new byte[4096];
                                    for (int n; (n = in.read(buf)) > 0; ) {
                                        err.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                                    }
                                } catch (IOException e) {
                                    // the process ended
                                }
                            });
            reader.setDaemon(true);
            reader.start();
        }

        /** True when this JVM ignores SIGINT or SIGTERM ({@code SigIgn} of /proc/self/status). */
        static boolean inheritsIgnoredStopSignals() throws IOException {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    long intAndTerm = (1L << (2 - 1)) | (1L << (15 - 1));
                    return (mask & intAndTerm) != 0;
                }
            }
            return false;
        }

        /** Waits until standard error contains {@code text} (at most 60 s). */
        void awaitErr(String text) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!err.toString().contains(text)) {
                assertTrue(process.isAlive(), "ended early:\n" + err);
                assertTrue(System.nanoTime() < end, "no '" + text + "' in:\n" + err);
                Thread.sleep(20);
            }
        }

        void signal(String name) throws IOException, InterruptedException {
            Process kill =
                    new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
            assertEquals(0, kill.waitFor(), "kill -" + name);
        }

        int exit() throws InterruptedException {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "did not exit:\n" + err);
            return process.exitValue();
        }
    }

    /** The checkpoint named by "stopped by ... checkpoint X", loaded as the trainer would. */
    static long loadable(Path checkpoint) throws IOException {
        long step = TrainerState.read(checkpoint).step();
        try (DecoderModel m =
                DecoderModel.load(checkpoint, ModelHead.REWARD, ModelOptions.defaults())) {
            assertEquals(1, m.config().numLabels());
        }
        return step;
    }

    void noCrashReport() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            assertFalse(
                    s.anyMatch(p -> p.getFileName().toString().startsWith("hs_err_pid")),
                    "a JVM crash report was written");
        }
    }

    @Test
    void sigintStopsAtAStepBoundaryWithACheckpointAndSigtermStopsTheResumedRun() throws Exception {
        Child first = new Child(dir, "train", "--config", cfg.toString(), "--progress", "lines");
        first.awaitErr("[train] step 30/");
        first.signal("INT");
        assertEquals(130, first.exit(), first.err.toString());
        String err = first.err.toString();
        Matcher m =
                Pattern.compile("stopped by SIGINT after step (\\d+); checkpoint (\\S+)")
                        .matcher(err);
        assertTrue(m.find(), err);
        long step = Long.parseLong(m.group(1));
        Path checkpoint = Path.of(m.group(2));
        assertEquals(output.resolve("checkpoints/checkpoint-" + step), checkpoint);
        assertEquals(step, loadable(checkpoint));
        assertTrue(
                err.contains("resume with: reward4j train --config " + cfg + " --progress lines"),
                err);
        assertEquals(
                "interrupted",
                new ObjectMapper()
                        .readTree(output.resolve("summary.json").toFile())
                        .path("status")
                        .asText());
        noCrashReport();

        Child second = new Child(dir, "train", "--config", cfg.toString(), "--progress", "lines");
        second.awaitErr("resuming from " + checkpoint);
        second.awaitErr("[train] step " + (step / 10 * 10 + 20) + "/");
        second.signal("TERM");
        assertEquals(143, second.exit(), second.err.toString());
        Matcher t =
                Pattern.compile("stopped by SIGTERM after step (\\d+); checkpoint (\\S+)")
                        .matcher(second.err.toString());
        assertTrue(t.find(), second.err.toString());
        assertTrue(Long.parseLong(t.group(1)) > step);
        assertEquals(Long.parseLong(t.group(1)), loadable(Path.of(t.group(2))));
        noCrashReport();
    }

    @Test
    void aSecondSignalExitsAtOnceAndTheLastCompleteCheckpointStaysLoadable() throws Exception {
        Child child = new Child(dir, "train", "--config", cfg.toString(), "--progress", "lines");
        child.awaitErr("[train] step 40/"); // after the checkpoint of step 20 (and perhaps 40)
        child.signal("INT");
        child.signal("INT");
        assertEquals(130, child.exit(), child.err.toString());
        noCrashReport();
        List<Path> complete = new Checkpointer(output.resolve("checkpoints"), 2).list();
        assertFalse(complete.isEmpty(), child.err.toString());
        for (Path c : complete) {
            assertEquals(Checkpointer.stepOf(c), loadable(c));
        }
    }
}
