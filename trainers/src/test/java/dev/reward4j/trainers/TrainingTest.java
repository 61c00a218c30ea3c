package dev.reward4j.trainers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.core.testing.Fixtures;
import dev.reward4j.losses.AbsoluteLikelihoodObjective;
import dev.reward4j.losses.AutoregressiveRewardObjective;
import dev.reward4j.losses.JointPairObjective;
import dev.reward4j.losses.LabeledPairObjective;
import dev.reward4j.losses.ListwiseObjective;
import dev.reward4j.losses.PairwisePolicyObjective;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.losses.TokenPreferenceObjective;
import dev.reward4j.losses.TriplePreferenceObjective;
import dev.reward4j.losses.UnpairedObjective;
import dev.reward4j.trainers.config.ConfigException;
import dev.reward4j.trainers.config.ConfigLoader;
import dev.reward4j.trainers.config.DataFormat;
import dev.reward4j.trainers.config.EnsembleHeadsParams;
import dev.reward4j.trainers.config.GeneralPreferenceParams;
import dev.reward4j.trainers.config.MixtureParams;
import dev.reward4j.trainers.config.ObjectiveConfig;
import dev.reward4j.trainers.config.PolicyPairParams;
import dev.reward4j.trainers.config.ProcessRewardParams;
import dev.reward4j.trainers.config.RunConfig;
import dev.reward4j.trainers.config.StandardObjectives;
import dev.reward4j.trainers.optim.ParamGroup;
import dev.reward4j.trainers.run.RunResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The fluent training API: one source of truth with the YAML launcher, and real tiny runs. */
class TrainingTest {
    @TempDir Path dir;
    final ByteArrayOutputStream log = new ByteArrayOutputStream();

    /** A sample file of the core test-jar ({@code core/src/test/resources/data}). */
    static Path coreData(String name) {
        return Fixtures.hf().getParent().getParent().resolve("data").resolve(name);
    }

    Training tiny(String model) {
        return Training.model(Fixtures.hf(model))
                .tokenizer(Fixtures.hf("tokenizer"))
                .maxLength(64)
                .batchSize(2)
                .steps(2)
                .learningRate(1e-3)
                .logEvery(1)
                .checkpointEvery(0)
                .log(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @Nested
    class OneSourceOfTruth {
        static Stream<ObjectiveConfig> objectives() {
            return Stream.of(
                    new ObjectiveConfig.RewardPairs(
                            new RewardModelObjective.BradleyTerry(0.1, 0.01)),
                    new ObjectiveConfig.PolicyPairs(new PairwisePolicyObjective.Dpo(0.2)),
                    new ObjectiveConfig.PolicyPairs(
                            "orpo",
                            PolicyPairParams.Orpo.defaults(),
                            PolicyPairParams.Orpo.defaults().toLoss()),
                    new ObjectiveConfig.PolicyUnpaired(UnpairedObjective.Kto.defaults()),
                    ObjectiveConfig.listwise(new ListwiseObjective.LipoLambda()),
                    ObjectiveConfig.listwise(new ListwiseObjective.PlackettLuce()),
                    new ObjectiveConfig.TokenPairs(new TokenPreferenceObjective.Tdpo2(0.2, 0.3)),
                    new ObjectiveConfig.LabeledPairs(new LabeledPairObjective.Irepo(0.2, 0.05)),
                    new ObjectiveConfig.AbsolutePairs(AbsoluteLikelihoodObjective.Mapo.defaults()),
                    new ObjectiveConfig.JointPairs(new JointPairObjective.Jpo(0.3)),
                    new ObjectiveConfig.Triples(TriplePreferenceObjective.Tpo.defaults()),
                    new ObjectiveConfig.AutoregressiveRewardPairs(
                            new AutoregressiveRewardObjective.GenArm(0.5)),
                    new ObjectiveConfig.PreferenceEmbeddingPairs(
                            new GeneralPreferenceParams(0.3, 1, false)),
                    new ObjectiveConfig.MixturePairs(new MixtureParams(3)),
                    new ObjectiveConfig.EnsembleHeadsPairs(new EnsembleHeadsParams(5, false)),
                    new ObjectiveConfig.ProcessReward(new ProcessRewardParams("<step>")));
        }

        @ParameterizedTest
        @MethodSource("objectives")
        void theBuilderPrintsYamlThatTheLauncherParsesToAnEqualRecord(ObjectiveConfig objective)
                throws IOException {
            Training t =
                    Training.model(Path.of("models/base"))
                            .data(Path.of("train.jsonl"))
                            .evalData(Path.of("eval.jsonl"))
                            .objective(objective)
                            .steps(120)
                            .batchSize(4)
                            .accumulation(2)
                            .learningRate(2e-5)
                            .schedule("linear")
                            .warmupSteps(10)
                            .parameterGroup(
                                    ParamGroup.matching("^score\\.")
                                            .withLrScale(10)
                                            .withWeightDecay(0.0))
                            .device("cpu")
                            .dtype("float32")
                            .outputDir(dir.resolve("run"));
            RunConfig built = t.config();
            Path yaml = dir.resolve("run.yaml");
            Files.writeString(yaml, t.toYaml());
            RunConfig parsed = new ConfigLoader(StandardObjectives.catalog()).load(yaml, List.of());
            assertEquals(built, parsed);
            assertEquals(objective.type(), parsed.objective().type());
            assertEquals(120, parsed.train().maxSteps());
            assertEquals(2, parsed.train().microSteps());
            assertEquals(10.0, parsed.optim().groups().get(0).lrScale());
            assertEquals("linear", parsed.schedule().type());
            // a Java run resumes only when asked
            assertEquals(false, parsed.checkpoint().resume());
        }

        @Test
        void unsetKnobsKeepTheConfigurationDefaults() throws IOException {
            RunConfig c =
                    Training.model(Path.of("m"))
                            .data(Path.of("t.jsonl"))
                            .objective(RewardModelObjective.BradleyTerry.defaults())
                            .config();
            RunConfig defaults =
                    new ConfigLoader(StandardObjectives.catalog())
                            .resolve(
                                    (com.fasterxml.jackson.databind.node.ObjectNode)
                                            new ObjectMapper()
                                                    .readTree(
                                                            "{\"model\":{\"path\":\"m\"},\"data\":{\"train\":\"t.jsonl\"},"
                                                                + "\"checkpoint\":{\"resume\":false}}"),
                                    List.of());
            assertEquals(defaults, c);
        }

        @Test
        void theDataFormatIsDetectedFromTheFirstRowOrNamed() {
            Map<String, String> expected =
                    Map.of(
                            "trl-standard.jsonl", "trl",
                            "trl-conversational.jsonl", "trl",
                            "hh-rlhf.jsonl.gz", "hh-rlhf",
                            "ultrafeedback.jsonl", "ultrafeedback-pairs",
                            "helpsteer2-preference.jsonl", "helpsteer2-preference",
                            "ultrafeedback-binarized.jsonl", "trl");
            expected.forEach(
                    (file, format) ->
                            assertEquals(
                                    format,
                                    Training.model(Path.of("m"))
                                            .data(coreData(file))
                                            .objective(RewardModelObjective.BradleyTerry.defaults())
                                            .config()
                                            .data()
                                            .format(),
                                    file));
            // a listwise objective reads the same UltraFeedback file as ranked lists
            assertEquals(
                    "ultrafeedback-ranked",
                    Training.model(Path.of("m"))
                            .data(coreData("ultrafeedback.jsonl"))
                            .objective(new ListwiseObjective.PlackettLuce())
                            .config()
                            .data()
                            .format());
            // a named format wins
            assertEquals(
                    "hh-rlhf-chat",
                    Training.model(Path.of("m"))
                            .data(coreData("hh-rlhf.jsonl.gz"), DataFormat.HH_RLHF_CHAT)
                            .config()
                            .data()
                            .format());
        }

        @Test
        void aBadKnobFailsBeforeAnyWorkNamingItsConfigurationKey() {
            ConfigException e =
                    assertThrows(
                            ConfigException.class,
                            () ->
                                    Training.model(Path.of("m"))
                                            .data(Path.of("t.jsonl"))
                                            .batchSize(0)
                                            .config());
            assertTrue(e.getMessage().startsWith("data.batch_size:"), e.getMessage());
            ConfigException format =
                    assertThrows(
                            ConfigException.class,
                            () ->
                                    Training.model(Path.of("m"))
                                            .data(Path.of("t.jsonl"), DataFormat.KTO)
                                            .objective(new PairwisePolicyObjective.Dpo(0.1))
                                            .config());
            assertTrue(format.getMessage().startsWith("data.format:"), format.getMessage());
            ConfigException missing =
                    assertThrows(
                            ConfigException.class, () -> Training.model(Path.of("m")).config());
            assertTrue(missing.getMessage().startsWith("data.train:"), missing.getMessage());
        }
    }

    @Nested
    class Runs {
        @Test
        void trainsARewardModelAndReturnsMetricsModelAndRunDirectories() throws IOException {
            RunResult r =
                    tiny("llama-rm")
                            .data(coreData("trl-standard.jsonl"))
                            .evalData(coreData("trl-standard.jsonl"))
                            .objective(RewardModelObjective.BradleyTerry.defaults())
                            .accumulation(2)
                            .outputDir(dir.resolve("rm"))
                            .train();
            assertEquals(2, r.loop().steps());
            assertTrue(Double.isFinite(r.finalTrain().get("loss")), r.finalTrain().toString());
            assertTrue(r.finalEval().containsKey("rewards/accuracies"), r.finalEval().toString());
            assertEquals(dir.resolve("rm"), r.runDir());
            assertTrue(Files.exists(r.modelDir().resolve("model.safetensors")));
            assertTrue(Files.exists(r.metricsFile()));
            assertTrue(log.toString().contains("trl-standard.jsonl"), log.toString());
        }

        @Test
        void trainsADpoPolicyAgainstItsStartingModelAsTheReference() throws IOException {
            RunResult r =
                    tiny("llama-lm")
                            .data(coreData("trl-conversational.jsonl"))
                            .objective(new PairwisePolicyObjective.Dpo(0.1))
                            .outputDir(dir.resolve("dpo"))
                            .train();
            assertEquals(2, r.loop().steps());
            // policy = reference at step 1: DPO's loss is log 2
            assertEquals(Math.log(2), r.loop().losses().get(0), 1e-5);
            JsonNode hf = new ObjectMapper().readTree(r.modelDir().resolve("config.json").toFile());
            assertTrue(hf.path("architectures").toString().contains("CausalLM"), hf.toString());
        }

        @Test
        void trainsKtoOnUnpairedFeedbackWithAReferenceModel() throws IOException {
            RunResult r =
                    tiny("llama-lm")
                            .reference(Fixtures.hf("llama-lm"))
                            .data(coreData("kto.jsonl"))
                            .objective(UnpairedObjective.Kto.defaults())
                            .outputDir(dir.resolve("kto"))
                            .train();
            assertEquals(2, r.loop().steps());
            assertTrue(r.finalTrain().containsKey("kl"), r.finalTrain().toString());
        }

        @Test
        void trainsAListwiseRewardModelAndALipoPolicy() throws IOException {
            RunResult rm =
                    tiny("llama-rm")
                            .data(coreData("ultrafeedback.jsonl"))
                            .objective(new ListwiseObjective.PlackettLuce())
                            .outputDir(dir.resolve("pl"))
                            .train();
            assertTrue(Double.isFinite(rm.finalTrain().get("loss")));
            RunResult lipo =
                    tiny("llama-lm")
                            .data(coreData("ultrafeedback.jsonl"))
                            .objective(new ListwiseObjective.LipoLambda())
                            .outputDir(dir.resolve("lipo"))
                            .train();
            assertTrue(Double.isFinite(lipo.finalTrain().get("loss")));
        }

        @Test
        void aSecondRunIntoTheSameDirectoryDoesNotResumeUnlessAsked() throws IOException {
            Training t =
                    tiny("llama-rm")
                            .data(coreData("trl-standard.jsonl"))
                            .objective(RewardModelObjective.BradleyTerry.defaults())
                            .outputDir(dir.resolve("again"));
            t.train();
            log.reset();
            // without resume a directory holding a run is refused (it would mix two runs)
            dev.reward4j.trainers.config.ConfigException e =
                    org.junit.jupiter.api.Assertions.assertThrows(
                            dev.reward4j.trainers.config.ConfigException.class, t::train);
            assertTrue(e.getMessage().contains("already holds this run"), e.getMessage());
            assertTrue(!log.toString().contains("resuming"), log.toString());
            // the same run with more steps is a deliberate change: resumed when forced
            org.junit.jupiter.api.Assertions.assertThrows(
                    dev.reward4j.trainers.config.ConfigException.class,
                    () -> t.steps(3).resume(true).train());
            RunResult resumed =
                    t.steps(3).resume(dev.reward4j.trainers.run.ResumeMode.FORCE).train();
            assertTrue(log.toString().contains("resuming from"), log.toString());
            assertEquals(1, resumed.loop().losses().size());
        }
    }
}
