package dev.reward4j.trainers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.core.text.TruncationPolicy;
import dev.reward4j.losses.NllNormalization;
import dev.reward4j.losses.NllTokens;
import dev.reward4j.losses.PairwisePolicyObjective;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.losses.UnpairedObjective;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
    private final ConfigLoader loader = new ConfigLoader(StandardObjectives.catalog());

    private static double beta(RunConfig c) {
        return ((PairwisePolicyObjective.Dpo) ((ObjectiveConfig.PolicyPairs) c.objective()).loss())
                .beta();
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
            RunConfig c =
                    load("data:\n  train: t.jsonl\noptim:\n  lr: 1e-4\nobjective:\n  type: dpo\n");
            assertEquals(
                    1e-4, c.optim().lr()); // YAML 1.1 reads 1e-4 as a string; coerced to a number
            assertEquals(0.999, c.optim().beta2());
            assertEquals("dpo", c.objective().type());
            assertEquals(0.1, beta(c)); // dpo defaults
            assertEquals(8, c.data().batchSize());
        }

        @Test
        void appliesCommandLineOverrides() throws IOException {
            RunConfig c =
                    load(
                            "data: {train: t.jsonl}\n",
                            "optim.lr=3e-5",
                            "objective.type=dpo",
                            "objective.beta=0.5",
                            "train.device=gpu:1");
            assertEquals(3e-5, c.optim().lr());
            assertEquals(0.5, beta(c));
            assertEquals("gpu:1", c.train().device());
        }

        @Test
        void readsJsonToo() throws IOException {
            Path f = dir.resolve("run.json");
            Files.writeString(
                    f,
                    "{\"data\": {\"train\": \"t.jsonl\", \"batch_size\": 4}, \"train\":"
                            + " {\"max_steps\": 7}}");
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
            assertEquals(
                    new ObjectiveConfig.RewardPairs(RewardModelObjective.BradleyTerry.defaults()),
                    c.objective());
        }

        @Test
        void anImpossibleSectionValueNamesItsPath() {
            assertEquals(
                    "optim.beta2: expected a number in [0, 1) (got 1)",
                    error("data: {train: t.jsonl}\noptim: {beta2: 1}\n"));
        }

        @Test
        void anUnknownKeyNamesItsPathAndTheKnownKeys() {
            String m = error("data: {train: t.jsonl}\noptim: {learning_rate: 0.1}\n");
            assertTrue(
                    m.startsWith(
                            "optim.learning_rate: unknown key; expected one of [beta1, beta2,"
                                    + " decay, eps, groups, lr,"),
                    m);
        }

        @Test
        void anUnknownObjectiveKeyIsAnError() {
            String m = error("data: {train: t.jsonl}\nobjective: {type: dpo, betta: 0.1}\n");
            assertTrue(m.startsWith("objective.betta: unknown key"), m);
        }

        @Test
        void anUnknownObjectiveTypeListsTheKnownOnes() {
            assertEquals(
                    "objective.type: unknown type 'sigmod'; expected one of "
                            + StandardObjectives.catalog().types(),
                    error("data: {train: t.jsonl}\nobjective: {type: sigmod}\n"));
            assertTrue(
                    StandardObjectives.catalog()
                            .types()
                            .containsAll(
                                    List.of(
                                            "bt",
                                            "dpo",
                                            "kto",
                                            "bco",
                                            "lipo-lambda",
                                            "pro",
                                            "regression",
                                            "rm-plackett-luce",
                                            "scaled-bt",
                                            "rao-kupper",
                                            "soft-bt",
                                            "ipo",
                                            "simpo")),
                    StandardObjectives.catalog().types().toString());
        }

        @Test
        void aWrongTypeNamesItsPath() {
            assertEquals(
                    "train.max_steps: expected an integer (got 'many')",
                    error("data: {train: t.jsonl}\ntrain: {max_steps: many}\n"));
            assertEquals(
                    "train.max_steps: expected an integer (got '1.5')",
                    error("data: {train: t.jsonl}\ntrain: {max_steps: 1.5}\n"));
        }

        @Test
        void aScalarWhereASectionBelongsIsAnError() {
            assertEquals(
                    "optim: expected a mapping (got '3')",
                    error("data: {train: t.jsonl}\noptim: 3\n"));
        }

        @Test
        void aMissingTrainingFileIsAnError() {
            assertEquals(
                    "data.train: required (got nothing); give the training file",
                    error("optim: {lr: 0.1}\n"));
        }

        @Test
        void aMalformedOverrideIsAnError() {
            assertEquals(
                    "--set: expected key.path=value (got 'optim.lr')",
                    error("data: {train: t.jsonl}\n", "optim.lr"));
        }
    }

    @Nested
    class DataFormats {
        @Test
        void autoResolvesToTheUsualFormatOfEachObjectiveFamily() throws IOException {
            assertEquals(DataFormat.TRL, load("data: {train: t.jsonl}\n").dataFormat());
            assertEquals(
                    DataFormat.TRL,
                    load("data: {train: t.jsonl}\nobjective: {type: dpo}\n").dataFormat());
            assertEquals(
                    DataFormat.ULTRAFEEDBACK_RANKED,
                    load("data: {train: t.jsonl}\nobjective: {type: rm-plackett-luce}\n")
                            .dataFormat());
            assertEquals(
                    DataFormat.ULTRAFEEDBACK_RANKED,
                    load("data: {train: t.jsonl}\nobjective: {type: pro}\n").dataFormat());
            assertEquals(
                    DataFormat.HELPSTEER2,
                    load("data: {train: t.jsonl}\nobjective: {type: regression}\n").dataFormat());
            assertEquals(
                    DataFormat.KTO,
                    load("data: {train: t.jsonl}\nobjective: {type: bco}\n").dataFormat());
            assertEquals("auto", load("data: {train: t.jsonl}\n").data().format());
        }

        @Test
        void everyPairFormatIsAcceptedByPairwiseObjectives() throws IOException {
            for (String f :
                    List.of(
                            "trl",
                            "hh-rlhf",
                            "hh-rlhf-chat",
                            "ultrafeedback-binarized",
                            "ultrafeedback-pairs",
                            "ultrafeedback-best-vs-rest",
                            "helpsteer2-preference")) {
                assertEquals(
                        f,
                        load("data: {train: t.jsonl, format: " + f + "}\nobjective: {type: dpo}\n")
                                .dataFormat()
                                .key());
                assertEquals(
                        f,
                        load("data: {train: t.jsonl, format: " + f + "}\nobjective: {type: bt}\n")
                                .dataFormat()
                                .key());
                assertEquals(ExampleKind.PAIRS, DataFormat.parse(f).kind());
                DataFormat.parse(f).pairs(); // has a pair reader
            }
        }

        @Test
        void theOtherFamiliesTakeTheirFormatsByName() throws IOException {
            assertEquals(
                    DataFormat.ULTRAFEEDBACK_RANKED,
                    load("data: {train: t.jsonl, format: ultrafeedback-ranked}\n"
                                    + "objective: {type: lipo-lambda}\n")
                            .dataFormat());
            assertEquals(
                    DataFormat.HELPSTEER2,
                    load("data: {train: t.jsonl, format: helpsteer2}\n"
                                    + "objective: {type: regression}\n")
                            .dataFormat());
            assertEquals(
                    DataFormat.KTO,
                    load("data: {train: t.jsonl, format: kto}\nobjective: {type: kto}\n")
                            .dataFormat());
        }

        @Test
        void anUnknownFormatListsTheFormats() {
            assertEquals(
                    "data.format: expected one of " + DataFormat.keys() + " (got 'csv')",
                    error("data: {train: t.jsonl, format: csv}\n"));
            assertTrue(
                    DataFormat.keys()
                            .containsAll(
                                    List.of(
                                            "auto",
                                            "trl",
                                            "hh-rlhf",
                                            "ultrafeedback-binarized",
                                            "ultrafeedback-pairs",
                                            "helpsteer2-preference",
                                            "ultrafeedback-ranked",
                                            "helpsteer2",
                                            "kto")),
                    DataFormat.keys().toString());
        }

        @Test
        void aFormatOfAnotherRecordTypeNamesTheKeyTheObjectiveAndTheAcceptedFormats() {
            assertEquals(
                    "data.format: kto reads unpaired feedback but objective dpo trains on"
                            + " preference pairs (got 'kto'); expected one of [auto, trl, hh-rlhf,"
                            + " hh-rlhf-chat, ultrafeedback-binarized, ultrafeedback-pairs,"
                            + " ultrafeedback-best-vs-rest, helpsteer2-preference] for dpo",
                    error("data: {train: t.jsonl, format: kto}\nobjective: {type: dpo}\n"));
            assertEquals(
                    "data.format: hh-rlhf reads preference pairs but objective kto trains on"
                        + " unpaired feedback (got 'hh-rlhf'); expected one of [auto, kto] for kto",
                    error("data: {train: t.jsonl, format: hh-rlhf}\nobjective: {type: kto}\n"));
            String m =
                    error(
                            "data: {train: t.jsonl}\nobjective: {type: rm-listnet}\n",
                            "data.format=helpsteer2");
            assertTrue(
                    m.startsWith(
                            "data.format: helpsteer2 reads rated responses but objective rm-listnet"
                                    + " trains on ranked lists"),
                    m);
            assertTrue(
                    m.endsWith("expected one of [auto, ultrafeedback-ranked] for rm-listnet"), m);
        }

        @Test
        void theFormatSurvivesTheResolvedTree() throws IOException {
            RunConfig c =
                    load("data: {train: t.jsonl, format: hh-rlhf}\nobjective: {type: simpo}\n");
            RunConfig again = loader.resolve(loader.toTree(c), List.of());
            assertEquals(c.data(), again.data());
            assertEquals(DataFormat.HH_RLHF, again.dataFormat());
        }
    }

    @Nested
    class Truncation {
        @Test
        void theDefaultKeepsThePromptEndAndReservesUpTo64ResponseTokens() throws IOException {
            assertEquals(
                    new TruncationPolicy.KeepPromptEnd(512, 64, false),
                    load("data: {train: t.jsonl}\n").data().truncationPolicy());
            assertEquals(
                    new TruncationPolicy.KeepPromptEnd(100, 50, false),
                    load("data: {train: t.jsonl, max_length: 100}\n").data().truncationPolicy());
        }

        @Test
        void eachPolicyIsSelectableWithItsParameters() throws IOException {
            assertEquals(
                    new TruncationPolicy.Drop(128),
                    load("data: {train: t.jsonl, max_length: 128, truncation: drop}\n")
                            .data()
                            .truncationPolicy());
            assertEquals(
                    new TruncationPolicy.KeepEnd(128),
                    load("data: {train: t.jsonl, max_length: 128, truncation: keep-end}\n")
                            .data()
                            .truncationPolicy());
            assertEquals(
                    new TruncationPolicy.KeepPromptEnd(128, 16, true),
                    load("data: {train: t.jsonl, max_length: 128, truncation: keep-prompt-end,"
                                    + " reserve_response: 16, force_eos: true}\n")
                            .data()
                            .truncationPolicy());
        }

        @Test
        void badValuesNameTheirKey() {
            assertEquals(
                    "data.truncation: expected one of [drop, keep-end, keep-prompt-end] (got"
                            + " 'left')",
                    error("data: {train: t.jsonl, truncation: left}\n"));
            assertEquals(
                    "data.reserve_response: only used with truncation keep-prompt-end (got"
                            + " truncation 'drop'); remove the key",
                    error("data: {train: t.jsonl, truncation: drop, reserve_response: 8}\n"));
            assertEquals(
                    "data.force_eos: only used with truncation keep-prompt-end (got truncation"
                            + " 'keep-end'); remove the key",
                    error("data: {train: t.jsonl, truncation: keep-end, force_eos: true}\n"));
            assertEquals(
                    "data.reserve_response: expected an integer < max_length (64) (got 64); the"
                            + " prompt keeps at least one token",
                    error("data: {train: t.jsonl, max_length: 64, reserve_response: 64}\n"));
            assertEquals(
                    "data.reserve_response: expected an integer >= 1 (got 0)",
                    error("data: {train: t.jsonl, reserve_response: 0}\n"));
        }
    }

    @Nested
    class Regression {
        @Test
        void numLabelsDefaultsToTheFormatsAttributeCount() throws IOException {
            RunConfig c = load("data: {train: t.jsonl}\nobjective: {type: regression}\n");
            assertEquals(5, ((ObjectiveConfig.Regression) c.objective()).params().numLabels());
            assertEquals(5, loader.toTree(c).path("objective").path("num_labels").asInt());
            assertEquals(c.objective(), loader.resolve(loader.toTree(c), List.of()).objective());
        }

        @Test
        void aMatchingNumLabelsIsAccepted() throws IOException {
            RunConfig c =
                    load("data: {train: t.jsonl}\nobjective: {type: regression, num_labels: 5}\n");
            assertEquals(5, ((ObjectiveConfig.Regression) c.objective()).params().numLabels());
        }

        @Test
        void anotherNumLabelsIsAnErrorNamingTheKeyAndTheAttributes() {
            assertEquals(
                    "objective.num_labels: expected 5, the attributes of data.format helpsteer2"
                        + " [helpfulness, correctness, coherence, complexity, verbosity] (got 1);"
                        + " remove the key to take the count from the data",
                    error(
                            "data: {train: t.jsonl}\n"
                                    + "objective: {type: regression, num_labels: 1}\n"));
            assertEquals(
                    "objective.num_labels: expected an integer >= 1 (got 0)",
                    error(
                            "data: {train: t.jsonl}\n"
                                    + "objective: {type: regression, num_labels: 0}\n"));
        }
    }

    @Nested
    class PolicyObjectives {
        private PairwisePolicyObjective loss(String yaml, String... overrides) throws IOException {
            return ((ObjectiveConfig.PolicyPairs)
                            load("data: {train: t.jsonl}\n" + yaml, overrides).objective())
                    .loss();
        }

        @Test
        void orpoIncludesTheChosenNllWithTrlsNormalisationAndWeightOne() throws IOException {
            // TRL's ORPOTrainer: the NLL over the chosen sequence's prompt and response tokens
            assertEquals(
                    new PairwisePolicyObjective.WithChosenNll(
                            new PairwisePolicyObjective.Orpo(0.1),
                            1.0,
                            NllNormalization.BATCH_TOKEN_MEAN,
                            NllTokens.PROMPT_AND_RESPONSE),
                    loss("objective: {type: orpo}\n"));
            assertEquals(PairwisePolicyObjective.Orpo.trl(), loss("objective: {type: orpo}\n"));
            assertEquals(
                    new PairwisePolicyObjective.WithChosenNll(
                            new PairwisePolicyObjective.Orpo(0.2),
                            0.5,
                            NllNormalization.BATCH_TOKEN_MEAN,
                            NllTokens.PROMPT_AND_RESPONSE),
                    loss("objective: {type: orpo, beta: 0.2, nll_weight: 0.5}\n"));
            // the response-only NLL is an explicit option
            assertEquals(
                    new PairwisePolicyObjective.WithChosenNll(
                            new PairwisePolicyObjective.Orpo(0.1),
                            1.0,
                            NllNormalization.BATCH_TOKEN_MEAN,
                            NllTokens.RESPONSE),
                    loss("objective: {type: orpo, nll_tokens: response}\n"));
            assertEquals(
                    "objective.nll_tokens: expected prompt-and-response or response (got 'all')",
                    error("data: {train: t.jsonl}\nobjective: {type: orpo, nll_tokens: all}\n"));
            assertEquals(
                    new PairwisePolicyObjective.Orpo(0.1),
                    loss("objective: {type: orpo, nll_weight: 0}\n"));
        }

        @Test
        void cpoIncludesTheChosenNllWithWeightOne() throws IOException {
            assertEquals(
                    new PairwisePolicyObjective.WithChosenNll(
                            new PairwisePolicyObjective.Cpo(0.1, 0.0),
                            1.0,
                            NllNormalization.BATCH_TOKEN_MEAN),
                    loss("objective: {type: cpo}\n"));
            assertEquals(
                    new PairwisePolicyObjective.Cpo(0.3, 0.1),
                    loss(
                            "objective: {type: cpo, beta: 0.3, label_smoothing: 0.1, nll_weight:"
                                    + " 0}\n"));
            assertEquals(PairwisePolicyObjective.Cpo.trl(), loss("objective: {type: cpo}\n"));
            // AlphaPO's reward shape
            assertEquals(
                    new PairwisePolicyObjective.Cpo(0.1, 0, 0.25),
                    loss("objective: {type: cpo, alpha: 0.25, nll_weight: 0}\n"));
        }

        @Test
        void trlLossTypesAreConfigNames() throws IOException {
            assertEquals(
                    PairwisePolicyObjective.ExoPair.defaults(),
                    loss("objective: {type: exo_pair}\n"));
            assertEquals(
                    new PairwisePolicyObjective.ExoPair(0.2, 0.01),
                    loss("objective: {type: exo_pair, beta: 0.2, epsilon: 0.01}\n"));
            assertEquals(
                    new PairwisePolicyObjective.NcaPair(0.1),
                    loss("objective: {type: nca_pair}\n"));
            assertEquals(
                    new PairwisePolicyObjective.BcoPair(0.1),
                    loss("objective: {type: bco_pair}\n"));
            assertEquals(
                    new PairwisePolicyObjective.SppoHard(0.1),
                    loss("objective: {type: sppo_hard}\n"));
            assertEquals(new PairwisePolicyObjective.Aot(0.1, 0), loss("objective: {type: aot}\n"));
            assertEquals(
                    new PairwisePolicyObjective.AotUnpaired(0.1, 0),
                    loss("objective: {type: aot_unpaired}\n"));
            assertEquals(
                    new PairwisePolicyObjective.AotUnpaired(0.1, 0),
                    loss("objective: {type: aot_pair}\n"));
            assertEquals(
                    new PairwisePolicyObjective.ApoZero(0.1),
                    loss("objective: {type: apo_zero}\n"));
            assertEquals(
                    new PairwisePolicyObjective.ApoDown(0.1),
                    loss("objective: {type: apo_down}\n"));
            assertEquals(
                    new PairwisePolicyObjective.DiscoPop(0.05, 0.05),
                    loss("objective: {type: discopop, beta: 0.05}\n"));
            assertEquals(new PairwisePolicyObjective.Sft(), loss("objective: {type: sft}\n"));
            assertTrue(
                    !((ObjectiveConfig.PolicyPairs)
                                    load("data: {train: t.jsonl}\nobjective: {type: sft}\n")
                                            .objective())
                            .usesReference());
            assertEquals(
                    new UnpairedObjective.ApoZeroUnpaired(0.2, 1, 1),
                    ((ObjectiveConfig.PolicyUnpaired)
                                    load("data: {train: t.jsonl, format: kto}\n"
                                                    + "objective: {type: apo_zero_unpaired,"
                                                    + " beta: 0.2}\n")
                                            .objective())
                            .loss());
        }

        @Test
        void combinedTakesTrlLossTypesAndWeights() throws IOException {
            // MPO's default combination
            assertEquals(
                    new PairwisePolicyObjective.Combination(
                            List.of(
                                    new PairwisePolicyObjective.Dpo(0.1),
                                    new PairwisePolicyObjective.BcoPair(0.1),
                                    new PairwisePolicyObjective.Sft()),
                            List.of(0.8, 0.2, 1.0)),
                    loss("objective: {type: combined}\n"));
            assertEquals(
                    PairwisePolicyObjective.Combination.of(
                            new PairwisePolicyObjective.Ipo(0.3),
                            new PairwisePolicyObjective.ApoZero(0.3)),
                    loss(
                            "objective: {type: combined, beta: 0.3, loss_type: [ipo, apo_zero],"
                                    + " loss_weights: null}\n"));
            assertEquals(
                    "objective.loss_weights: expected one weight per loss_type entry (2) (got 1)",
                    error(
                            "data: {train: t.jsonl}\nobjective: {type: combined, loss_type:"
                                    + " [ipo, sft], loss_weights: [1]}\n"));
            // TRL's DPO options on the list: WPO weighting and LD-DPO
            assertEquals(
                    new PairwisePolicyObjective.LengthDesensitized(
                            PairwisePolicyObjective.Wpo.of(
                                    PairwisePolicyObjective.Combination.of(
                                            new PairwisePolicyObjective.Dpo(0.1))),
                            0.5),
                    loss(
                            "objective: {type: combined, loss_type: [sigmoid], loss_weights: null,"
                                    + " use_weighting: true, ld_alpha: 0.5}\n"));
            assertEquals(
                    "objective.ld_alpha: expected a number in [0, 1] (got 2)",
                    error(
                            "data: {train: t.jsonl}\nobjective: {type: combined, ld_alpha:"
                                    + " 2}\n"));
            RunConfig c = load("data: {train: t.jsonl}\nobjective: {type: combined}\n");
            assertEquals(c.objective(), loader.resolve(loader.toTree(c), List.of()).objective());
        }

        @Test
        void orpoAndCpoStayReferenceFreeAndKeepTheirTypeAndKeys() throws IOException {
            for (String type : List.of("orpo", "cpo", "simpo")) {
                RunConfig c = load("data: {train: t.jsonl}\nobjective: {type: " + type + "}\n");
                ObjectiveConfig.PolicyPairs pp = (ObjectiveConfig.PolicyPairs) c.objective();
                assertEquals(type, pp.type());
                assertTrue(!pp.usesReference(), type);
                assertEquals(type, loader.toTree(c).path("objective").path("type").asText());
                assertEquals(
                        c.objective(), loader.resolve(loader.toTree(c), List.of()).objective());
            }
            assertTrue(
                    ((ObjectiveConfig.PolicyPairs)
                                    load("data: {train: t.jsonl}\nobjective: {type: dpo}\n")
                                            .objective())
                            .usesReference());
            assertEquals(
                    1.0,
                    loader.toTree(load("data: {train: t.jsonl}\nobjective: {type: cpo}\n"))
                            .path("objective")
                            .path("nll_weight")
                            .asDouble());
        }

        @Test
        void aNegativeNllWeightIsAnError() {
            assertEquals(
                    "objective.nll_weight: expected a number >= 0 (got -1)",
                    error("data: {train: t.jsonl}\nobjective: {type: orpo, nll_weight: -1}\n"));
            assertEquals(
                    "objective.label_smoothing: expected a number in [0, 0.5] (got 0.7)",
                    error(
                            "data: {train: t.jsonl}\n"
                                    + "objective: {type: cpo, label_smoothing: 0.7}\n"));
        }

        @Test
        void fDpoTakesADivergence() throws IOException {
            assertEquals(
                    PairwisePolicyObjective.FDpo.defaults(), loss("objective: {type: f-dpo}\n"));
            assertEquals(
                    new PairwisePolicyObjective.FDpo(
                            0.2, new PairwisePolicyObjective.FDivergence.JensenShannon()),
                    loss("objective: {type: f-dpo, beta: 0.2, divergence: js}\n"));
            assertEquals(
                    new PairwisePolicyObjective.FDpo(
                            0.1, new PairwisePolicyObjective.FDivergence.ForwardKl()),
                    loss("objective: {type: f-dpo, divergence: forward-kl}\n"));
            assertEquals(
                    new PairwisePolicyObjective.FDpo(
                            0.1, new PairwisePolicyObjective.FDivergence.Alpha(1.0)),
                    loss("objective: {type: f-dpo, divergence: alpha}\n"));
            assertEquals(
                    new PairwisePolicyObjective.FDpo(
                            0.1, new PairwisePolicyObjective.FDivergence.Alpha(0.5)),
                    loss("objective: {type: f-dpo, divergence: alpha, alpha: 0.5}\n"));
            // TRL >= 0.29's form, default 0.5
            assertEquals(
                    new PairwisePolicyObjective.FDpo(
                            0.1, new PairwisePolicyObjective.FDivergence.AlphaPower(0.5)),
                    loss("objective: {type: f-dpo, divergence: alpha-power}\n"));
            assertEquals(
                    new PairwisePolicyObjective.FDpo(
                            0.1, new PairwisePolicyObjective.FDivergence.AlphaPower(1.5)),
                    loss("objective: {type: f-dpo, divergence: alpha-power, alpha: 1.5}\n"));
            RunConfig c =
                    load("data: {train: t.jsonl}\nobjective: {type: f-dpo, divergence: js}\n");
            assertEquals("f-dpo", c.objective().type());
            assertTrue(((ObjectiveConfig.PolicyPairs) c.objective()).usesReference());
            assertEquals(c.objective(), loader.resolve(loader.toTree(c), List.of()).objective());
        }

        @Test
        void fDpoRejectsAnUnknownDivergenceAndAnUnusedAlpha() {
            assertEquals(
                    "objective.divergence: expected one of [reverse-kl, forward-kl, js, alpha,"
                            + " alpha-power] (got 'chi2')",
                    error("data: {train: t.jsonl}\nobjective: {type: f-dpo, divergence: chi2}\n"));
            assertEquals(
                    "objective.alpha: only used with divergence alpha or alpha-power (got"
                            + " divergence 'js'); remove the key",
                    error(
                            "data: {train: t.jsonl}\n"
                                    + "objective: {type: f-dpo, divergence: js, alpha: 0.5}\n"));
            assertEquals(
                    "objective.alpha: expected a number > 0 (got 0)",
                    error(
                            "data: {train: t.jsonl}\n"
                                    + "objective: {type: f-dpo, divergence: alpha, alpha: 0}\n"));
        }

        @Test
        void proHasNoBetaWhileLipoLambdaHasOne() throws IOException {
            String m = error("data: {train: t.jsonl}\nobjective: {type: pro, beta: 0.5}\n");
            assertTrue(m.startsWith("objective.beta: unknown key"), m);
            assertEquals(
                    new ObjectiveConfig.ProParams(),
                    load("data: {train: t.jsonl}\nobjective: {type: pro}\n").objective().params());
            RunConfig lipo =
                    load("data: {train: t.jsonl}\nobjective: {type: lipo-lambda, beta: 0.5}\n");
            assertEquals(0.5, ((ObjectiveConfig.PolicyLists) lipo.objective()).beta());
        }
    }

    @Nested
    class Unpaired {
        @Test
        void aBatchOfOneIsAnErrorForKtoAndBco() {
            assertEquals(
                    "data.batch_size: expected an integer >= 2 for objective kto (got 1); each"
                        + " completion's KL reference row pairs it with another example's prompt",
                    error("data: {train: t.jsonl, batch_size: 1}\nobjective: {type: kto}\n"));
            assertTrue(
                    error("data: {train: t.jsonl, eval_batch_size: 1}\nobjective: {type: bco}\n")
                            .startsWith(
                                    "data.eval_batch_size: expected an integer >= 2 for objective"
                                            + " bco (got 1)"));
        }

        @Test
        void aBatchOfOneIsFineForPairs() throws IOException {
            assertEquals(
                    1,
                    load("data: {train: t.jsonl, batch_size: 1, eval_batch_size: 1}\n"
                                    + "objective: {type: dpo}\n")
                            .data()
                            .batchSize());
        }
    }

    @Nested
    class Packing {
        @Test
        void isOffByDefaultAndAcceptedForEveryPairwiseRewardModelObjective() throws IOException {
            assertFalse(load("data: {train: t.jsonl}\n").data().packing());
            for (String type : List.of("bt", "bt-direct", "scaled-bt", "soft-bt", "rao-kupper")) {
                RunConfig c =
                        load(
                                "data: {train: t.jsonl, packing: true}\nobjective: {type: "
                                        + type
                                        + "}\n");
                assertTrue(c.data().packing(), type);
            }
        }

        @Test
        void withDpoIsAnErrorNamingTheKeyAndTheObjective() {
            assertEquals(
                    "data.packing: only for the pairwise reward-model objectives (bt, bt-direct,"
                        + " scaled-bt, soft-bt, rao-kupper) (got true with objective dpo); expected"
                        + " data.packing: false for dpo",
                    error("data: {train: t.jsonl, packing: true}\nobjective: {type: dpo}\n"));
        }

        @Test
        void withTheOtherFamiliesIsAnErrorToo() {
            for (String type : List.of("regression", "rm-plackett-luce", "kto", "pro")) {
                assertTrue(
                        error(
                                        "data: {train: t.jsonl, packing: true}\nobjective: {type: "
                                                + type
                                                + "}\n")
                                .startsWith(
                                        "data.packing: only for the pairwise reward-model"
                                                + " objectives"),
                        type);
            }
        }
    }

    @Nested
    class Pooling {
        @Test
        void defaultsToTransformersRuleAndTakesLastAttendedByName() throws IOException {
            assertEquals(
                    dev.reward4j.core.model.RewardPooling.HF,
                    load("data: {train: t.jsonl}\n").model().rewardPooling());
            RunConfig c = load("data: {train: t.jsonl}\nmodel: {pooling: last-attended}\n");
            assertEquals(
                    dev.reward4j.core.model.RewardPooling.LAST_ATTENDED, c.model().rewardPooling());
            // stated in the resolved tree (what reward4j-config.json and run.json store)
            assertEquals("last-attended", loader.toTree(c).path("model").path("pooling").asText());
        }

        @Test
        void anUnknownPoolingNamesTheKeyAndTheChoices() {
            assertEquals(
                    "model.pooling: expected one of [hf, last-attended] (got 'eos')",
                    error("data: {train: t.jsonl}\nmodel: {pooling: eos}\n"));
        }
    }

    @Nested
    class Splits {
        @Test
        void helpSteer2PreferenceTrainsOnTrainRowsAndHoldsOutTheRest() throws IOException {
            RunConfig c = load("data: {train: t.jsonl, format: helpsteer2-preference}\n");
            assertEquals(
                    "split == 'train'",
                    c.data().trainingRows(c.dataFormat()).orElseThrow().toString());
            assertEquals(
                    "split != 'train'",
                    c.data().heldOutRows(c.dataFormat()).orElseThrow().toString());
        }

        @Test
        void otherFormatsReadEveryRowUnlessASplitIsSelected() throws IOException {
            RunConfig plain = load("data: {train: t.jsonl}\n");
            assertTrue(plain.data().trainingRows(plain.dataFormat()).isEmpty());
            RunConfig split = load("data: {train: t.jsonl, split: test}\n");
            assertEquals(
                    "split == 'test'",
                    split.data().trainingRows(split.dataFormat()).orElseThrow().toString());
            RunConfig all =
                    load("data: {train: t.jsonl, format: helpsteer2-preference, split: all}\n");
            assertTrue(all.data().heldOutRows(all.dataFormat()).isEmpty());
        }

        @Test
        void aBlankSplitNamesTheKey() {
            assertTrue(
                    error("data: {train: t.jsonl, split: ' '}\n").startsWith("data.split:"),
                    error("data: {train: t.jsonl, split: ' '}\n"));
        }
    }
}
