package dev.reward4j.trainers.app.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.reward4j.trainers.config.ConfigException;
import dev.reward4j.trainers.config.ConfigLoader;
import dev.reward4j.trainers.config.ObjectiveConfig;
import dev.reward4j.trainers.config.RunConfig;
import dev.reward4j.trainers.config.StandardObjectives;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TRL's flat names as exact aliases of the sectioned keys. */
class TrlKeysTest {
    static ObjectNode yaml(String text) throws Exception {
        return (ObjectNode) new ObjectMapper(new YAMLFactory()).readTree(text);
    }

    static RunConfig resolve(String text, String... sets) throws Exception {
        ConfigLoader loader = new ConfigLoader(StandardObjectives.catalog());
        return loader.resolve(
                TrlKeys.normalize(yaml(text), "t.yaml"), TrlKeys.overrides(List.of(sets)));
    }

    @Test
    void aFlatTrlConfigMeansTheSameAsItsSectionedForm() throws Exception {
        RunConfig trl =
                resolve(
                        String.join(
                                "\n",
                                "model_name_or_path: m",
                                "learning_rate: 2.0e-5",
                                "per_device_train_batch_size: 4",
                                "per_device_eval_batch_size: 8",
                                "gradient_accumulation_steps: 2",
                                "max_steps: 300",
                                "warmup_steps: 10",
                                "lr_scheduler_type: constant_with_warmup",
                                "logging_steps: 5",
                                "eval_steps: 50",
                                "save_steps: 100",
                                "save_total_limit: 3",
                                "center_rewards_coefficient: 0.01",
                                "max_length: 256",
                                "seed: 7",
                                "output_dir: runs/x",
                                "weight_decay: 0.1",
                                "max_grad_norm: 0.5",
                                "data: {train: t.jsonl}"));
        RunConfig sectioned =
                resolve(
                        String.join(
                                "\n",
                                "model: {path: m}",
                                "optim: {lr: 2.0e-5, weight_decay: 0.1, max_grad_norm: 0.5}",
                                "data: {train: t.jsonl, batch_size: 4, eval_batch_size: 8,"
                                        + " max_length: 256}",
                                "train: {micro_steps: 2, max_steps: 300, log_every: 5, eval_every:"
                                        + " 50, seed: 7, output_dir: runs/x}",
                                "schedule: {warmup_steps: 10, type: constant}",
                                "checkpoint: {every: 100, keep_last: 3}",
                                "objective: {centering_coefficient: 0.01}"));
        assertEquals(sectioned, trl);
    }

    @Test
    void policyKeysAndTrlLossNamesMapOntoTheObjective() throws Exception {
        RunConfig dpo =
                resolve(
                        "model: {path: m}\n"
                                + "data: {train: t.jsonl}\n"
                                + "loss_type: sigmoid\n"
                                + "beta: 0.05\n"
                                + "max_prompt_length: 64\n"
                                + "num_train_epochs: 2\n"
                                + "warmup_ratio: 0.1\n");
        assertEquals("dpo", dpo.objective().type());
        assertTrue(dpo.objective().toString().contains("0.05"), dpo.objective().toString());
        assertEquals(64, dpo.data().maxPromptLength());
        assertEquals(2.0, dpo.train().epochs());
        assertEquals(0.1, dpo.schedule().warmupRatio());
        assertEquals("rdpo", resolve("data: {train: t}\nloss_type: robust\n").objective().type());
        RunConfig combined =
                resolve(
                        "data: {train: t}\n"
                                + "loss_type: [sigmoid, sft]\n"
                                + "loss_weights: [1.0, 0.5]\n"
                                + "beta: 0.1\n");
        assertEquals("combined", combined.objective().type());
        assertTrue(combined.objective() instanceof ObjectiveConfig.PolicyPairs);
        // TRL's "max_steps: -1" means "not set": num_train_epochs decides
        assertEquals(
                3.0,
                resolve("data: {train: t}\nmax_steps: -1\nnum_train_epochs: 3\n").train().epochs());
    }

    @Test
    void overridesTakeTrlNamesAndValuesToo() throws Exception {
        RunConfig c =
                resolve(
                        "data: {train: t.jsonl}\noptim: {lr: 1.0e-5}\n",
                        "learning_rate=3.0e-5",
                        "lr_scheduler_type=linear",
                        "report_to=tensorboard");
        assertEquals(3.0e-5, c.optim().lr());
        assertEquals("linear", c.schedule().type());
        assertEquals(List.of("tensorboard"), c.train().reportTo());
        assertEquals(List.of(), resolve("data: {train: t}\nreport_to: none\n").train().reportTo());
    }

    @Test
    void aKeyGivenTwiceAsAliasAndTargetIsAnError() {
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () ->
                                resolve(
                                        "data: {train: t}\n"
                                                + "optim: {lr: 1.0e-5}\n"
                                                + "learning_rate: 2.0e-5\n"));
        assertEquals(
                "learning_rate: given twice in t.yaml, as learning_rate (TRL's name of optim.lr)"
                        + " and as optim.lr; expected one of them",
                e.getMessage());
        ConfigException both =
                assertThrows(
                        ConfigException.class,
                        () -> resolve("data: {train: t}\nmax_steps: 10\nnum_train_epochs: 1\n"));
        assertTrue(
                both.getMessage().startsWith("train.epochs and train.max_steps: both given"),
                both.getMessage());
        ConfigException warm =
                assertThrows(
                        ConfigException.class,
                        () -> resolve("data: {train: t}\nwarmup_steps: 10\nwarmup_ratio: 0.1\n"));
        assertTrue(warm.getMessage().contains("both given"), warm.getMessage());
    }

    @Test
    void anUnknownTopLevelKeyNamesTheSectionsAndTheTrlNames() {
        ConfigException e =
                assertThrows(
                        ConfigException.class, () -> resolve("data: {train: t}\nbf16: true\n"));
        assertTrue(e.getMessage().startsWith("bf16: unknown key in t.yaml; expected a section"));
        assertTrue(e.getMessage().contains("learning_rate"), e.getMessage());
        ConfigException v =
                assertThrows(
                        ConfigException.class,
                        () -> resolve("data: {train: t}\nlr_scheduler_type: polynomial\n"));
        assertTrue(v.getMessage().startsWith("lr_scheduler_type: 'polynomial'"), v.getMessage());
        assertFalse(TrlKeys.ALIASES.containsValue("optim.learning_rate"));
    }
}
