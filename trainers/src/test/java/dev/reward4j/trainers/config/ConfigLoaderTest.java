package dev.reward4j.trainers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import dev.reward4j.losses.PairwisePolicyObjective;
import dev.reward4j.losses.RewardModelObjective;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private final ConfigLoader loader = new ConfigLoader(StandardObjectives.catalog());

  private static double beta(RunConfig c) {
    return ((PairwisePolicyObjective.Dpo) ((ObjectiveConfig.PolicyPairs) c.objective()).loss()).beta();
  }

  @TempDir Path dir;

  private RunConfig load(String yaml, String... overrides) throws IOException {
    Path f = dir.resolve("run.yaml");
    Files.writeString(f, yaml);
    return loader.load(f, List.of(overrides));
  }

  private String error(String yaml, String... overrides) {
    return assertThrows(ConfigException.class, () -> load(yaml, overrides)).getMessage();
  }

  @Nested
  class Values {
    @Test
    void mergesTheFileOverTheDefaults() throws IOException {
      RunConfig c = load("data:\n  train: t.jsonl\noptim:\n  lr: 1e-4\nobjective:\n  type: dpo\n");
      assertEquals(1e-4, c.optim().lr()); // YAML 1.1 reads 1e-4 as a string; coerced to a number
      assertEquals(0.999, c.optim().beta2());
      assertEquals("dpo", c.objective().type());
      assertEquals(0.1, beta(c)); // dpo defaults
      assertEquals(8, c.data().batchSize());
    }

    @Test
    void appliesCommandLineOverrides() throws IOException {
      RunConfig c = load("data: {train: t.jsonl}\n", "optim.lr=3e-5", "objective.type=dpo", "objective.beta=0.5", "train.device=gpu:1");
      assertEquals(3e-5, c.optim().lr());
      assertEquals(0.5, beta(c));
      assertEquals("gpu:1", c.train().device());
    }

    @Test
    void readsJsonToo() throws IOException {
      Path f = dir.resolve("run.json");
      Files.writeString(f, "{\"data\": {\"train\": \"t.jsonl\", \"batch_size\": 4}, \"train\": {\"max_steps\": 7}}");
      RunConfig c = loader.load(f, List.of());
      assertEquals(4, c.data().batchSize());
      assertEquals(7, c.train().maxSteps());
    }

    @Test
    void theResolvedTreeRoundTrips() throws IOException {
      RunConfig c = load("data: {train: t.jsonl}\nobjective: {type: dpo, beta: 0.25}\n");
      RunConfig again = loader.resolve(loader.toTree(c), List.of());
      assertEquals(c.optim(), again.optim());
      assertEquals(c.objective(), again.objective());
    }
  }

  @Nested
  class Errors {
    @Test
    void anImpossibleObjectiveValueNamesItsPath() {
      assertEquals(
          "objective.beta: expected a number > 0 (got -1)",
          error("data: {train: t.jsonl}\nobjective: {type: dpo, beta: -1}\n"));
    }

    @Test
    void anImpossibleLossValueNamesItsCamelCaseKeyInSnakeCase() {
      assertEquals(
          "objective.label_smoothing: expected 0.0 <= label_smoothing <= 0.5 (got 0.7)",
          error("data: {train: t.jsonl}\nobjective: {type: bt, label_smoothing: 0.7}\n"));
    }

    @Test
    void theDefaultObjectiveIsPlainBradleyTerry() throws IOException {
      RunConfig c = load("data: {train: t.jsonl}\n");
      assertEquals(new ObjectiveConfig.RewardPairs(RewardModelObjective.BradleyTerry.defaults()), c.objective());
    }

    @Test
    void anImpossibleSectionValueNamesItsPath() {
      assertEquals("optim.beta2: expected a number in [0, 1) (got 1)", error("data: {train: t.jsonl}\noptim: {beta2: 1}\n"));
    }

    @Test
    void anUnknownKeyNamesItsPathAndTheKnownKeys() {
      String m = error("data: {train: t.jsonl}\noptim: {learning_rate: 0.1}\n");
      assertTrue(m.startsWith("optim.learning_rate: unknown key; expected one of [beta1, beta2, decay, eps, lr,"), m);
    }

    @Test
    void anUnknownObjectiveKeyIsAnError() {
      String m = error("data: {train: t.jsonl}\nobjective: {type: dpo, betta: 0.1}\n");
      assertTrue(m.startsWith("objective.betta: unknown key"), m);
    }

    @Test
    void anUnknownObjectiveTypeListsTheKnownOnes() {
      assertEquals(
          "objective.type: unknown type 'sigmod'; expected one of " + StandardObjectives.catalog().types(),
          error("data: {train: t.jsonl}\nobjective: {type: sigmod}\n"));
      assertTrue(StandardObjectives.catalog().types().containsAll(List.of("bt", "dpo", "kto", "bco", "lipo-lambda", "pro", "regression", "rm-plackett-luce", "scaled-bt", "rao-kupper", "soft-bt", "ipo", "simpo")), StandardObjectives.catalog().types().toString());
    }

    @Test
    void aWrongTypeNamesItsPath() {
      assertEquals("train.max_steps: expected an integer (got 'many')", error("data: {train: t.jsonl}\ntrain: {max_steps: many}\n"));
      assertEquals("train.max_steps: expected an integer (got '1.5')", error("data: {train: t.jsonl}\ntrain: {max_steps: 1.5}\n"));
    }

    @Test
    void aScalarWhereASectionBelongsIsAnError() {
      assertEquals("optim: expected a mapping (got '3')", error("data: {train: t.jsonl}\noptim: 3\n"));
    }

    @Test
    void aMissingTrainingFileIsAnError() {
      assertEquals("data.train: required (got nothing); give the training file", error("optim: {lr: 0.1}\n"));
    }

    @Test
    void aMalformedOverrideIsAnError() {
      assertEquals("--set: expected key.path=value (got 'optim.lr')", error("data: {train: t.jsonl}\n", "optim.lr"));
    }
  }
}
