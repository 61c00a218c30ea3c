package dev.reward4j.trainers.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.core.data.Message;
import dev.reward4j.core.data.PaddingSide;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.ShuffleSampler;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.TrlFormat;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.pipeline.DataPipeline;
import dev.reward4j.core.testing.Fixtures;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.core.text.TruncationPolicy;
import dev.reward4j.losses.PairwisePolicyObjective;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.trainers.RewardScorer;
import dev.reward4j.trainers.ScoreInput;
import dev.reward4j.trainers.Training;
import dev.reward4j.trainers.config.ConfigLoader;
import dev.reward4j.trainers.config.StandardObjectives;
import dev.reward4j.trainers.loop.LoopParts;
import dev.reward4j.trainers.loop.LoopResult;
import dev.reward4j.trainers.loop.TrainLoop;
import dev.reward4j.trainers.optim.AdamW;
import dev.reward4j.trainers.optim.AdamWConfig;
import dev.reward4j.trainers.optim.ParamGroup;
import dev.reward4j.trainers.run.CollatedSource;
import dev.reward4j.trainers.run.RunResult;
import dev.reward4j.trainers.step.RewardPairsStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java examples of the README, compiled and run. The README quotes the code between each pair
 * of {@code README example NAME begins/ends} markers verbatim ({@link ReadmeSyncTest} checks it).
 */
class ReadmeExampleTest {
    @TempDir Path dir;

    /** A Hugging Face directory: a fixture model with the fixture tokenizer files beside it. */
    Path modelWithTokenizer(String fixture) throws IOException {
        Path target = dir.resolve(fixture);
        Files.createDirectories(target);
        for (Path source : List.of(Fixtures.hf(fixture), Fixtures.hf("tokenizer"))) {
            try (Stream<Path> files = Files.list(source)) {
                for (Path f : files.toList()) {
                    Files.copy(f, target.resolve(f.getFileName()));
                }
            }
        }
        return target;
    }

    Path prefs() throws IOException {
        Path file = dir.resolve("prefs.jsonl");
        Files.write(
                file,
                List.of(
                        "{\"prompt\": \"What is 2 + 2?\", \"chosen\": \" 4\", \"rejected\": \""
                                + " 5\"}",
                        "{\"prompt\": \"Capital of France?\", \"chosen\": \" Paris.\","
                                + " \"rejected\": \" Lyon.\"}",
                        "{\"prompt\": [{\"role\": \"user\", \"content\": \"Say hi.\"}], \"chosen\":"
                            + " [{\"role\": \"assistant\", \"content\": \"Hi!\"}], \"rejected\":"
                            + " [{\"role\": \"assistant\", \"content\": \"No.\"}]}",
                        "{\"prompt\": \"Is ice cold?\", \"chosen\": \" Yes.\", \"rejected\":"
                                + " \"Purple.\"}"));
        return file;
    }

    @Test
    void trainsARewardModelPrintsItsConfigAndScoresWithIt() throws IOException {
        Path modelDir = modelWithTokenizer("llama-rm");
        Path trainFile = prefs();
        Path runDir = dir.resolve("runs/rm");
        // README example reward-model begins
        Training training =
                Training.model(modelDir)
                        .data(trainFile) // format detected (TRL, HH-RLHF, ...) or named
                        .objective(RewardModelObjective.BradleyTerry.defaults())
                        .steps(20)
                        .batchSize(4)
                        .accumulation(2)
                        .learningRate(1e-4)
                        .schedule("cosine")
                        .device("cpu")
                        .dtype("float32")
                        .outputDir(runDir);
        RunResult rm = training.train();
        System.out.println(rm.finalTrain() + " -> " + rm.modelDir());
        Files.writeString(runDir.resolve("rm.yaml"), training.toYaml()); // reward4j train --config
        // README example reward-model ends
        assertEquals(20, rm.loop().steps());
        assertTrue(Files.exists(rm.modelDir().resolve("model.safetensors")));
        assertEquals(
                training.config(),
                new ConfigLoader(StandardObjectives.catalog())
                        .load(runDir.resolve("rm.yaml"), List.of()));

        // README example scoring begins
        try (RewardScorer scorer = RewardScorer.load(rm.modelDir())) {
            double[] rewards =
                    scorer.score(
                            List.of(
                                    ScoreInput.of("What is 2 + 2?", " 4"),
                                    ScoreInput.conversation(
                                            List.of(Message.user("What is 2 + 2?")), "5")));
            System.out.printf("rewards %.4f / %.4f%n", rewards[0], rewards[1]);
        }
        // README example scoring ends
    }

    @Test
    void trainsADpoPolicy() throws IOException {
        Path sftDir = modelWithTokenizer("llama-lm");
        Path pairsFile = prefs();
        Path runDir = dir.resolve("runs/dpo");
        // README example dpo begins
        RunResult dpo =
                Training.model(sftDir)
                        .reference(sftDir) // or .referenceCache(dir): reference log-probs, once
                        .data(pairsFile)
                        .objective(new PairwisePolicyObjective.Dpo(0.1))
                        .steps(4)
                        .batchSize(2)
                        .learningRate(1e-4)
                        .outputDir(runDir)
                        .train();
        System.out.println(dpo.finalTrain().get("rewards/margins"));
        // README example dpo ends
        assertEquals(Math.log(2), dpo.loop().losses().get(0), 1e-5); // policy = reference
        assertTrue(dpo.finalTrain().containsKey("rewards/margins"), dpo.finalTrain().toString());
    }

    @Test
    void composesTheLoopFromItsParts() throws IOException {
        Path modelDir = modelWithTokenizer("llama-rm");
        Path trainFile = prefs();
        // README example loop begins
        LoopResult result; // outlives the model and the optimizer
        AdamWConfig adamwConfig =
                AdamWConfig.defaults() // the score head learns at 10x the schedule's rate
                        .withGroups(List.of(ParamGroup.matching("^score\\.").withLrScale(10)));
        try (TextEncoder encoder = TextEncoder.load(modelDir);
                DecoderModel model =
                        DecoderModel.load(modelDir, ModelHead.REWARD, ModelOptions.defaults());
                AdamW adamw = new AdamW(model.parameters(), adamwConfig, model.manager())) {
            List<TokenizedPair> pairs =
                    DataPipeline.pairs(
                                    trainFile,
                                    TrlFormat.standard(),
                                    encoder,
                                    TruncationPolicy.defaults(),
                                    ReadOptions.defaults())
                            .examples();
            PairCollator collator = new PairCollator(encoder.padding(PaddingSide.RIGHT));
            model.setTrainable(true);
            LoopParts<PairBatch> parts =
                    LoopParts.<PairBatch>builder(model.manager())
                            .step(
                                    new RewardPairsStep(
                                            model, RewardModelObjective.BradleyTerry.defaults()))
                            .source(
                                    new CollatedSource<>(
                                            pairs, new ShuffleSampler(7), 4, collator::collate))
                            .optimizer(adamw)
                            .schedule(step -> 1e-4 / Math.sqrt(step)) // any function of the step
                            .maxSteps(5)
                            .build();
            result = new TrainLoop<>(parts).run();
        }
        // README example loop ends
        assertEquals(5, result.steps());
        assertTrue(result.losses().stream().allMatch(Double::isFinite), result.losses().toString());
    }
}
