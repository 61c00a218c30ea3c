package dev.reward4j.trainers.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointerTest {
    @TempDir Path root;

    private static CheckpointWriter files(String content) {
        return dir -> {
            Files.writeString(dir.resolve("model.safetensors"), content);
            Files.createDirectories(dir.resolve("sub"));
            Files.writeString(dir.resolve("sub/optimizer.json"), content);
        };
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Nested
    class Atomicity {
        @Test
        void aFailureDuringSaveLeavesThePreviousCheckpointLoadable() throws IOException {
            Checkpointer c = new Checkpointer(root, 3);
            c.save(10, files("ten"));
            IOException boom =
                    assertThrows(
                            IOException.class,
                            () ->
                                    c.save(
                                            20,
                                            dir -> {
                                                Files.writeString(
                                                        dir.resolve("model.safetensors"),
                                                        "half-written");
                                                throw new IOException("disk full (injected)");
                                            }));
            assertEquals("disk full (injected)", boom.getMessage());
            assertEquals(
                    List.of("checkpoint-10"), names()); // no temp directory, no partial step 20
            Path latest = c.latest().orElseThrow();
            assertEquals(10, Checkpointer.stepOf(latest));
            assertEquals("ten", Files.readString(latest.resolve("model.safetensors")));
        }

        @Test
        void aRuntimeFailureIsCleanedUpToo() throws IOException {
            Checkpointer c = new Checkpointer(root, 3);
            assertThrows(
                    IllegalStateException.class,
                    () ->
                            c.save(
                                    5,
                                    dir -> {
                                        throw new IllegalStateException("x");
                                    }));
            assertTrue(names().isEmpty());
            assertTrue(c.latest().isEmpty());
        }

        @Test
        void staleTemporaryDirectoriesFromAKilledSaveAreRemoved() throws IOException {
            Files.createDirectories(root.resolve(".tmp-step-00000030-1-2"));
            Files.writeString(root.resolve(".tmp-step-00000030-1-2/model.safetensors"), "partial");
            new Checkpointer(root, 3);
            assertTrue(names().isEmpty());
        }

        @Test
        void resavingAStepReplacesIt() throws IOException {
            Checkpointer c = new Checkpointer(root, 3);
            c.save(10, files("old"));
            c.save(10, files("new"));
            assertEquals(List.of("checkpoint-10"), names());
            assertEquals("new", Files.readString(root.resolve("checkpoint-10/sub/optimizer.json")));
        }
    }

    @Nested
    class Retention {
        @Test
        void keepsTheLastN() throws IOException {
            Checkpointer c = new Checkpointer(root, 2);
            for (long s : new long[] {1, 2, 3, 100}) {
                c.save(s, files("s" + s));
            }
            assertEquals(List.of("checkpoint-100", "checkpoint-3"), names());
            assertEquals(100, Checkpointer.stepOf(c.latest().orElseThrow()));
        }

        @Test
        void pruningConsidersOnlyTheCheckpointsOfTheCurrentRun() throws IOException {
            // an older run's checkpoints at higher steps must neither be pruned nor make the
            // current run's newest checkpoint look old
            new Checkpointer(root, 5).save(500, files("other run"));
            new Checkpointer(root, 5).save(400, files("other run"));
            Checkpointer mine =
                    new Checkpointer(
                            root,
                            2,
                            p -> {
                                try {
                                    return Files.readString(p.resolve("model.safetensors"))
                                            .startsWith("mine");
                                } catch (IOException e) {
                                    throw new java.io.UncheckedIOException(e);
                                }
                            });
            for (long s : new long[] {1, 2, 3}) {
                mine.save(s, files("mine " + s));
            }
            assertEquals(
                    List.of("checkpoint-2", "checkpoint-3", "checkpoint-400", "checkpoint-500"),
                    names());
            assertEquals(3, Checkpointer.stepOf(mine.latest().orElseThrow()));
        }

        @Test
        void readsTheDirectoriesOfEarlierVersionsAndSupersedesThem() throws IOException {
            Files.createDirectories(root.resolve("step-00000007"));
            Checkpointer c = new Checkpointer(root, 3);
            assertEquals(7, Checkpointer.stepOf(c.latest().orElseThrow()));
            c.save(7, files("again"));
            assertEquals(List.of("checkpoint-7"), names());
        }

        @Test
        void ordersByStepNotByName() throws IOException {
            Checkpointer c = new Checkpointer(root, 5);
            c.save(99_999_999L, files("a"));
            c.save(100_000_000L, files("b"));
            assertEquals(100_000_000L, Checkpointer.stepOf(c.latest().orElseThrow()));
            assertFalse(c.list().isEmpty());
        }
    }

    @Nested
    class State {
        @Test
        void trainerStateRoundTrips() throws IOException {
            TrainerState s =
                    new TrainerState(
                            7, 1, 12, 42, new double[] {1024, 3, 0, 1}, 1, new double[] {0.25, 9});
            s.write(root);
            TrainerState r = TrainerState.read(root);
            assertEquals(7, r.step());
            assertEquals(12, r.index());
            assertEquals(1024, r.lossScaler()[0]);
            assertEquals(0.25, r.objectiveState()[0]); // e.g. BCO's running mean
            assertEquals(0, new TrainerState(1, 0, 0, 0, null, 0).objectiveState().length);
        }

        @Test
        void runInfoRecordsDigestsAndVersions() throws IOException {
            Path data = root.resolve("train.jsonl");
            Files.writeString(data, "abc");
            RunInfo info = RunInfo.capture("cpu", 42, List.of(data), java.util.Map.of("seed", 42));
            assertEquals(
                    "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                    info.dataDigests().get(data.toString()));
            assertEquals("0.35.1", info.djlVersion());
            info.write(root);
            assertTrue(Files.readString(root.resolve("run.json")).contains("\"seed\" : 42"));
            RunInfo back = RunInfo.read(root).orElseThrow();
            assertEquals(info.dataDigests(), back.dataDigests());
            assertEquals("cpu", back.device());
        }
    }
}
