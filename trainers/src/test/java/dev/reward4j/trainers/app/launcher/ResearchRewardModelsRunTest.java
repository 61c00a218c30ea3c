package dev.reward4j.trainers.app.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reward models beyond Bradley-Terry that the launcher trains by {@code objective.type}: GPM
 * ({@code gpm}), the autoregressive reward model GenARM ({@code genarm}), the process reward model
 * ({@code prm}), the MiCRo mixture ({@code mixture}) and bootstrapped ensemble heads ({@code
 * ensemble-heads}), two steps each on the tiny causal-LM fixture.
 */
class ResearchRewardModelsRunTest {
    @TempDir Path dir;

    LauncherRuns runs;

    @BeforeEach
    void setUp() {
        runs = new LauncherRuns(dir);
    }

    @Test
    void gpmTrainsPreferenceEmbeddingsIntoARewardCheckpoint() throws IOException {
        Path train = runs.labelledPairs(new double[] {1, 1, 1, 1, 1, 1, 1, 1});
        List<JsonNode> steps =
                runs.train(
                        "{train: " + train + ", max_length: 64, batch_size: 4}",
                        "{type: gpm, tau: 0.5, k: 3, gated: true}",
                        "gpm");
        assertTrue(steps.get(0).has("rewards/accuracies"), steps.get(0).toString());
        JsonNode config =
                new ObjectMapper().readTree(dir.resolve("gpm/final/config.json").toFile());
        // 2k embedding columns and k gate columns
        assertEquals(9, config.path("num_labels").asInt(), config.toString());
        assertTrue(config.toString().contains("ForSequenceClassification"), config.toString());
    }

    @Test
    void genarmTrainsAnAutoregressiveRewardModelWithoutAReference() throws IOException {
        Path train = runs.labelledPairs(new double[] {1, 1, 1, 1, 1, 1, 1, 1});
        List<JsonNode> steps =
                runs.train(
                        "{train: " + train + ", max_length: 64, batch_size: 4}",
                        "{type: genarm, beta_r: 0.5}",
                        "genarm");
        assertTrue(steps.get(0).has("rewards/accuracies"), steps.get(0).toString());
        assertTrue(!runs.err.toString().contains("reference log-probs"), runs.err.toString());
        // the result is a causal LM: its token log-probs are the rewards
        assertTrue(
                Files.readString(dir.resolve("genarm/final/config.json")).contains("ForCausalLM"),
                "not a causal LM checkpoint");
    }

    @Test
    void prmTrainsOnStepAnnotatedSolutions() throws IOException {
        Path train = runs.stepRows();
        List<JsonNode> steps =
                runs.train(
                        "{train: " + train + ", max_length: 64, batch_size: 4}",
                        "{type: prm, separator: \" ;\"}",
                        "prm");
        assertTrue(steps.get(0).path("loss").asDouble() > 0, steps.get(0).toString());
        JsonNode config =
                new ObjectMapper().readTree(dir.resolve("prm/final/config.json").toFile());
        assertEquals(1, config.path("num_labels").asInt(1), config.toString());
        assertTrue(runs.err.toString().contains("kept=8"), runs.err.toString());
    }

    /** Trains {@code objective} for two steps; the final checkpoint's {@code num_labels}. */
    int numLabelsAfterTraining(String objective, String name) throws IOException {
        Path train = runs.labelledPairs(new double[] {1, 1, 1, 1, 1, 1, 1, 1});
        List<JsonNode> steps =
                runs.train(
                        "{train: " + train + ", max_length: 64, batch_size: 4}", objective, name);
        assertTrue(steps.get(0).has("rewards/accuracies"), steps.get(0).toString());
        return new ObjectMapper()
                .readTree(dir.resolve(name + "/final/config.json").toFile())
                .path("num_labels")
                .asInt();
    }

    @Test
    void mixtureSavesTheRewardsAndTheRouterLogits() throws IOException {
        assertEquals(6, numLabelsAfterTraining("{type: mixture, heads: 3}", "mixture"));
    }

    @Test
    void ensembleHeadsSaveOneRewardPerMember() throws IOException {
        assertEquals(
                3,
                numLabelsAfterTraining(
                        "{type: ensemble-heads, heads: 3, bootstrap: true}", "ensemble"));
    }
}
