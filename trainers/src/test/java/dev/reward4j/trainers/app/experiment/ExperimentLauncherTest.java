package dev.reward4j.trainers.app.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.core.testing.Fixtures;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.trainers.experiment.ExperimentResult;
import dev.reward4j.trainers.experiment.ExperimentSettings;
import dev.reward4j.trainers.experiment.RewardExperiment;
import dev.reward4j.trainers.experiment.RunContext;
import dev.reward4j.trainers.run.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExperimentLauncherTest {
    private static final String PREFIX = ExperimentLauncherTest.class.getName() + "$";

    // Fixture experiments: static nested classes are not picked up by surefire's scan (it excludes
    // **/*$*); they run
    // only when selected through the launcher below.

    @Tag("fixture")
    @RewardExperiment(seed = 11)
    static class RecordingFixture {
        @Test
        void recordsMetricsAndArtifacts(RunContext run) {
            run.metrics().put("accuracy", 0.75);
            run.metrics().put("seed", run.seed());
            run.metrics().put("on_cpu", run.djlDevice().isGpu() ? 0 : 1);
            run.artifacts().text("device.txt", run.device());
            run.metrics().add("loss", 1, 0.9);
            run.metrics().asSink().record("train", 2, Map.of("loss", 0.5));
            run.artifacts().text("notes.txt", "hello");
            run.artifacts().json("table.json", Map.of("a", 1));
            run.manager().ones(new ai.djl.ndarray.types.Shape(2)).sum().getFloat();
        }
    }

    @Tag("fixture")
    @RewardExperiment
    static class FailingFixture {
        @Test
        void accuracyAboveBound(RunContext run) {
            double accuracy = run.metrics().put("accuracy", 0.4);
            assertTrue(accuracy > 0.6, "accuracy " + accuracy + " not above 0.6");
        }

        @Test
        void passes(RunContext run) {
            run.metrics().put("x", 1);
        }
    }

    @Tag("fixture")
    @RewardExperiment(device = "auto")
    static class AutoDeviceFixture {
        @Test
        void recordsItsDevice(RunContext run) {
            run.metrics().put("on_gpu", run.djlDevice().isGpu() ? 1 : 0);
        }
    }

    @Tag("fixture")
    @RewardExperiment(device = "auto")
    static class DisabledAutoDeviceFixture {
        @Disabled("fixture: a skipped experiment has no result.json")
        @Test
        void skipped(RunContext run) {}
    }

    /** Trains the fixture reward model for 2 steps (3 when continuing) in its run directory. */
    static void trainTiny(RunContext run) throws java.io.IOException {
        Path data =
                Fixtures.hf().getParent().getParent().resolve("data").resolve("trl-standard.jsonl");
        RunResult r =
                run.training(Fixtures.hf("llama-rm"))
                        .tokenizer(Fixtures.hf("tokenizer"))
                        .data(data)
                        .objective(RewardModelObjective.BradleyTerry.defaults())
                        .maxLength(64)
                        .batchSize(2)
                        .steps(run.resume() ? 3 : 2)
                        // a longer run than the first: a deliberate change of the recorded run
                        .resume(
                                run.resume()
                                        ? dev.reward4j.trainers.run.ResumeMode.FORCE
                                        : dev.reward4j.trainers.run.ResumeMode.NEVER)
                        .checkpointEvery(0)
                        .log(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                        .train();
        run.metrics().put("steps_trained", r.loop().losses().size());
        run.metrics().put("resumed", run.resume() ? 1 : 0);
    }

    @Tag("fixture")
    @RewardExperiment
    static class FreshTrainingFixture {
        @Test
        void trains(RunContext run) throws java.io.IOException {
            trainTiny(run);
        }
    }

    @Tag("fixture")
    @RewardExperiment(resume = true)
    static class ResumingTrainingFixture {
        @Test
        void trains(RunContext run) throws java.io.IOException {
            trainTiny(run);
        }
    }

    private static JsonNode json(Path file) throws Exception {
        return new ObjectMapper().readTree(file.toFile());
    }

    @Test
    void passingExperimentRecordsMetricsArtifactsAndResultFiles(@TempDir Path out)
            throws Exception {
        ExperimentSummary s =
                ExperimentLauncher.run(
                        LaunchRequest.of(PREFIX + "RecordingFixture").withOutputDir(out));

        assertTrue(s.successful(), s.markdown());
        assertEquals(1, s.succeeded());
        ExperimentResult r = s.experiments().get(0);
        assertEquals("ExperimentLauncherTest.RecordingFixture/recordsMetricsAndArtifacts", r.id());
        assertEquals(Map.of("accuracy", 0.75, "seed", 11.0, "on_cpu", 1.0), r.metrics());
        assertEquals(List.of("loss", "train/loss"), List.copyOf(r.series().keySet()));
        assertEquals(List.of("device.txt", "notes.txt", "table.json"), r.artifacts());
        Path dir = Path.of(r.outputDir());
        assertEquals(
                out.resolve("ExperimentLauncherTest.RecordingFixture/recordsMetricsAndArtifacts"),
                dir.getParent());
        // RunContext.device() is the configuration name train.device accepts (not DJL's "cpu()")
        assertEquals("cpu", Files.readString(dir.resolve("artifacts/device.txt")));
        assertEquals("hello", Files.readString(dir.resolve("artifacts/notes.txt")));
        JsonNode result = json(dir.resolve("result.json"));
        assertEquals("SUCCESSFUL", result.get("status").asText());
        assertEquals(0.75, result.get("metrics").get("accuracy").asDouble());
        assertEquals(0.5, result.get("series").get("train/loss").get(0).get(1).asDouble());
        JsonNode summary = json(out.resolve("summary.json"));
        assertTrue(summary.get("successful").asBoolean());
        assertTrue(
                Files.readString(out.resolve("summary.md"))
                        .contains("| ExperimentLauncherTest.RecordingFixture/"));
    }

    @Test
    void failingAssertionFailsTheRunAndIsReported(@TempDir Path out) throws Exception {
        ExperimentSummary s =
                ExperimentLauncher.run(
                        LaunchRequest.of(PREFIX + "FailingFixture").withOutputDir(out));

        assertFalse(s.successful());
        assertEquals(1, s.failed());
        assertEquals(1, s.succeeded());
        ExperimentResult failed =
                s.experiments().stream()
                        .filter(r -> r.method().equals("accuracyAboveBound"))
                        .findFirst()
                        .orElseThrow();
        assertEquals("FAILED", failed.status());
        assertTrue(failed.failure().contains("accuracy 0.4 not above 0.6"), failed.failure());
        assertEquals(
                0.4,
                failed.metrics().get("accuracy")); // metrics recorded before the failure are kept
        JsonNode result = json(Path.of(failed.outputDir()).resolve("result.json"));
        assertEquals("FAILED", result.get("status").asText());
        assertFalse(json(out.resolve("summary.json")).get("successful").asBoolean());
        String md = Files.readString(out.resolve("summary.md"));
        assertTrue(md.contains("result: **FAILED**") && md.contains("not above 0.6"), md);
    }

    @Test
    void seedOverrideReachesTheExperiment(@TempDir Path out) {
        ExperimentSummary s =
                ExperimentLauncher.run(
                        LaunchRequest.of(PREFIX + "RecordingFixture#recordsMetricsAndArtifacts")
                                .withOutputDir(out)
                                .withSeed(123));

        assertEquals(123.0, s.experiments().get(0).metrics().get("seed"));
        assertEquals(123, s.experiments().get(0).seed());
    }

    @Test
    void unknownClassIsNotASuccess(@TempDir Path out) {
        ExperimentSummary s =
                ExperimentLauncher.run(LaunchRequest.of("no.such.Experiment").withOutputDir(out));

        assertFalse(s.successful());
        assertEquals(0, s.succeeded());
    }

    @Test
    void exampleExperimentPassesThroughTheLauncher(@TempDir Path out) {
        ExperimentSummary s =
                ExperimentLauncher.run(
                        LaunchRequest.of(
                                        "dev.reward4j.trainers.experiment.SyntheticDataExperimentTest")
                                .withOutputDir(out));

        assertTrue(s.successful(), s.markdown());
        ExperimentResult r = s.experiments().get(0);
        assertNotNull(r.metrics().get("ceiling"));
        assertNull(r.failure());
        assertTrue(Files.exists(Path.of(r.outputDir()).resolve("artifacts/sample-pairs.json")));
    }

    @Nested
    class RunDirectories {
        @Test
        void aSecondRunGetsAFreshDirectoryAndTrainsFromTheStart(@TempDir Path out) {
            LaunchRequest request =
                    LaunchRequest.of(PREFIX + "FreshTrainingFixture").withOutputDir(out);
            ExperimentResult first = ExperimentLauncher.run(request).experiments().get(0);
            ExperimentResult second = ExperimentLauncher.run(request).experiments().get(0);
            assertTrue(first.successful() && second.successful(), first + "\n" + second);
            assertTrue(!first.outputDir().equals(second.outputDir()), first.outputDir());
            assertEquals(
                    Path.of(first.outputDir()).getParent(),
                    Path.of(second.outputDir()).getParent());
            assertEquals(2.0, second.metrics().get("steps_trained")); // not a stitched resume
            assertEquals(0.0, second.metrics().get("resumed"));
        }

        @Test
        void resumeAskedForContinuesTheNewestRunDirectory(@TempDir Path out) {
            LaunchRequest request =
                    LaunchRequest.of(PREFIX + "ResumingTrainingFixture").withOutputDir(out);
            ExperimentResult first = ExperimentLauncher.run(request).experiments().get(0);
            ExperimentResult second = ExperimentLauncher.run(request).experiments().get(0);
            assertTrue(first.successful() && second.successful(), first + "\n" + second);
            assertEquals(0.0, first.metrics().get("resumed")); // nothing to continue yet
            assertEquals(first.outputDir(), second.outputDir());
            assertEquals(1.0, second.metrics().get("resumed"));
            assertEquals(1.0, second.metrics().get("steps_trained")); // steps 3 of 3 after 2
        }
    }

    @Test
    void requestRejectsUnknownDevicesAndOptions() {
        assertThrows(IllegalArgumentException.class, () -> LaunchRequest.of("X").withDevice("tpu"));
        assertThrows(
                IllegalArgumentException.class, () -> LaunchRequest.parse("--color", "red", "X"));
        assertThrows(IllegalArgumentException.class, () -> LaunchRequest.parse("--device", "cpu"));
        LaunchRequest r =
                LaunchRequest.parse("--device", "gpu:1", "--seed", "5", "--out", "o", "A", "B#m");
        assertEquals(List.of("A", "B#m"), r.selectors());
        assertEquals(Optional.of("gpu:1"), r.device());
        assertEquals(5, r.seed().getAsLong());
    }

    @Nested
    class DevicePrecedence {
        private RewardExperiment annotationOf(Class<?> fixture) {
            return fixture.getAnnotation(RewardExperiment.class);
        }

        @Test
        void launcherDeviceOverridesTheAnnotationThenTheAnnotationAppliesThenCpu() {
            RewardExperiment auto = annotationOf(AutoDeviceFixture.class);
            RewardExperiment unset = annotationOf(FailingFixture.class);
            assertEquals(
                    "gpu:1", ExperimentSettings.device(Optional.of("gpu:1"), Optional.of(auto)));
            assertEquals("auto", ExperimentSettings.device(Optional.empty(), Optional.of(auto)));
            assertEquals("cpu", ExperimentSettings.device(Optional.empty(), Optional.of(unset)));
            assertEquals("cpu", ExperimentSettings.device(Optional.empty(), Optional.empty()));
        }

        @Test
        void withoutDeviceOptionEachExperimentKeepsItsAnnotationDevice(@TempDir Path out)
                throws Exception {
            ExperimentSummary s =
                    ExperimentLauncher.run(
                            LaunchRequest.of(PREFIX + "AutoDeviceFixture").withOutputDir(out));

            assertTrue(s.successful(), s.markdown());
            assertEquals("auto", s.experiments().get(0).device());
            assertEquals("auto", s.device());
            assertEquals(
                    "auto",
                    json(Path.of(s.experiments().get(0).outputDir()).resolve("result.json"))
                            .get("device")
                            .asText());
        }

        @Test
        void deviceOptionOverridesTheAnnotationDevice(@TempDir Path out) {
            ExperimentSummary s =
                    ExperimentLauncher.run(
                            LaunchRequest.parse(
                                    "--device",
                                    "cpu",
                                    "--out",
                                    out.toString(),
                                    PREFIX + "AutoDeviceFixture"));

            assertTrue(s.successful(), s.markdown());
            ExperimentResult r = s.experiments().get(0);
            assertEquals("cpu", r.device());
            assertEquals(
                    0.0,
                    r.metrics().get("on_gpu")); // the override reached the experiment's RunContext
            assertEquals("cpu", s.device());
        }

        @Test
        void skippedExperimentsReportTheSameDeviceAsTheyWouldHaveRunOn(@TempDir Path out) {
            LaunchRequest request =
                    LaunchRequest.of(PREFIX + "DisabledAutoDeviceFixture").withOutputDir(out);

            ExperimentResult own = ExperimentLauncher.run(request).experiments().get(0);
            ExperimentResult overridden =
                    ExperimentLauncher.run(request.withDevice("cpu")).experiments().get(0);

            assertEquals("SKIPPED", own.status());
            assertEquals("auto", own.device());
            assertEquals("cpu", overridden.device());
        }

        @Test
        void parsedRequestWithoutDeviceOptionHasNoOverride() {
            assertEquals(Optional.empty(), LaunchRequest.parse("A").device());
            assertEquals(Optional.empty(), LaunchRequest.of("A").device());
            assertThrows(
                    IllegalArgumentException.class,
                    () ->
                            new LaunchRequest(
                                    List.of("A"),
                                    null,
                                    Path.of("o"),
                                    java.util.OptionalLong.empty()));
        }
    }
}
