package dev.reward4j.core.heads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code reward4j-head.json}: every layout survives a write and read; bad files are named. */
class HeadLayoutTest {
    @TempDir Path dir;

    @Test
    void everyLayoutRoundTrips() {
        List<HeadLayout> all =
                List.of(
                        new HeadLayout.PreferenceEmbedding(3, true, 0.25),
                        new HeadLayout.Mixture(4),
                        new HeadLayout.EnsembleHeads(5),
                        new HeadLayout.ProcessReward(" ;\n"),
                        new HeadLayout.UserClusters(2),
                        new HeadLayout.IdealPoints(2, 8, 0.5),
                        new HeadLayout.Autoregressive(0.1));
        assertEquals(
                HeadLayout.class.getPermittedSubclasses().length,
                all.size(),
                "a layout without a round-trip case");
        for (HeadLayout layout : all) {
            Path d = dir.resolve(layout.kind());
            layout.write(d);
            assertEquals(layout, HeadLayout.read(d).orElseThrow());
        }
    }

    @Test
    void aDirectoryWithoutTheFileIsAPlainModel() {
        assertTrue(HeadLayout.read(dir).isEmpty());
    }

    @Test
    void badFilesAreNamed() throws IOException {
        Files.writeString(
                dir.resolve(HeadLayout.FILE),
                "{\"format\": \"reward4j-head\", \"version\": 1, \"kind\": \"tree\"}");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> HeadLayout.read(dir));
        assertTrue(e.getMessage().contains("kind 'tree'"), e.getMessage());
        Files.writeString(
                dir.resolve(HeadLayout.FILE),
                "{\"format\": \"reward4j-head\", \"version\": 1, \"kind\": \"mixture\"}");
        e = assertThrows(IllegalArgumentException.class, () -> HeadLayout.read(dir));
        assertTrue(e.getMessage().contains("'heads'"), e.getMessage());
        Files.writeString(dir.resolve(HeadLayout.FILE), "{\"version\": 2}");
        e = assertThrows(IllegalArgumentException.class, () -> HeadLayout.read(dir));
        assertTrue(e.getMessage().contains(HeadLayout.FILE), e.getMessage());
        Files.writeString(dir.resolve(HeadLayout.FILE), "not json");
        e = assertThrows(IllegalArgumentException.class, () -> HeadLayout.read(dir));
        assertTrue(e.getMessage().contains(HeadLayout.FILE), e.getMessage());
    }
}
