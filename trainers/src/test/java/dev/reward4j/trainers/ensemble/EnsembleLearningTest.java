package dev.reward4j.trainers.ensemble;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.core.data.AdaptiveMargin;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.PreferenceStrength;
import dev.reward4j.core.data.ReversalFlip;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.Transformed;
import dev.reward4j.core.heads.EnsembleAggregation;
import dev.reward4j.core.heads.EnsembleScores;
import dev.reward4j.core.heads.RewardEnsemble;
import dev.reward4j.core.heads.ScalarHeads;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.synth.ArithmeticTask;
import dev.reward4j.core.synth.ConsistencyTask;
import dev.reward4j.core.synth.ConstraintTask;
import dev.reward4j.core.synth.Split;
import dev.reward4j.core.synth.SynthConfig;
import dev.reward4j.core.synth.SynthPair;
import dev.reward4j.core.synth.SynthTask;
import dev.reward4j.core.synth.SynthTokenizer;
import dev.reward4j.core.synth.SyntheticPreferences;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.trainers.inmemory.CyclingSource;
import dev.reward4j.trainers.inmemory.ShortRun;
import dev.reward4j.trainers.metrics.Auroc;
import dev.reward4j.trainers.testkit.SynthText;
import dev.reward4j.trainers.testkit.TinyTraining;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 4-member ensemble trained on the noisy labels (Bradley-Terry temperature 0.5, 5% flips) of two
 * synthetic tasks, evaluated on held-out pairs of those tasks plus an unseen task: its uncertainty
 * flags the pairs it gets wrong, its penalised aggregate never exceeds the mean, it saves and loads
 * as one directory, and its preference strengths drive the Secrets-of-RLHF-II data tools.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EnsembleLearningTest {
    static final int MEMBERS = 4;

    SynthText text;
    List<SynthPair> trainSynth;
    List<TokenizedPair> train;
    List<TokenizedPair> test;
    RewardEnsemble ensemble;

    @BeforeAll
    void train(@TempDir Path dir) {
        List<SynthTask> all =
                List.of(
                        ArithmeticTask.defaults(),
                        ConstraintTask.defaults(),
                        ConsistencyTask.defaults());
        SynthConfig config = SynthConfig.defaults().withSeed(41);
        text = SynthText.of(dir, SynthTokenizer.vocabulary(all));
        trainSynth =
                new SyntheticPreferences(config.withTasks(List.of(all.get(0), all.get(1))))
                        .pairs(Split.TRAIN, 0, 4096);
        train = text.pairs(trainSynth.stream().map(SynthPair::toPreferencePair).toList());
        // held-out pairs of all three tasks (consistency is never seen in training), oriented by
        // the ground truth with ties dropped: "wrong" means the ensemble misjudges the pair, not
        // that a noisy label disagrees with it
        test =
                text.pairs(
                        new SyntheticPreferences(config)
                                .pairs(Split.HELD_OUT, 0, 800).stream()
                                        .filter(p -> p.chosenReward() != p.rejectedReward())
                                        .map(EnsembleLearningTest::byGroundTruth)
                                        .toList());
        ensemble =
                EnsembleTrainer.trainMembers(
                        MEMBERS,
                        i -> TinyTraining.tiny(text.vocabSize(), ModelHead.REWARD, 100 + i),
                        RewardModelObjective.BradleyTerry.defaults(),
                        train,
                        text.padding(),
                        32,
                        ShortRun.defaults(),
                        7);
    }

    @AfterAll
    void close() {
        ensemble.close();
        text.close();
    }

    @Test
    void uncertaintyIsHigherOnWrongHeldOutPairsAndThePenalisedAggregateNeverExceedsTheMean() {
        EnsembleScorer mean = new EnsembleScorer(ensemble, new EnsembleAggregation.Mean());
        EnsembleScorer penalised =
                new EnsembleScorer(ensemble, new EnsembleAggregation.MeanMinusStd(1.0));
        List<Double> uncertainty = new ArrayList<>();
        List<Double> disagreement = new ArrayList<>();
        List<Boolean> wrong = new ArrayList<>();
        int responses = 0;
        int above = 0;
        for (List<TokenizedPair> chunk : chunks(test)) {
            try (NDManager m = manager();
                    PairBatch b = new PairCollator(text.padding()).collate(chunk, m)) {
                PairDiagnostics d = mean.pairs(b);
                EnsembleScores plain = mean.score(b);
                EnsembleScores pen = penalised.score(b);
                for (int i = 0; i < plain.aggregate().length; i++) {
                    responses++;
                    above += pen.aggregate()[i] > plain.aggregate()[i] ? 1 : 0;
                }
                for (int i = 0; i < b.pairs(); i++) {
                    uncertainty.add(d.uncertainty()[i]);
                    disagreement.add(d.disagreement()[i]);
                    wrong.add(!(d.aggregateMargin()[i] > 0));
                }
            }
        }
        boolean[] w = new boolean[wrong.size()];
        int nWrong = 0;
        for (int i = 0; i < w.length; i++) {
            w[i] = wrong.get(i);
            nWrong += w[i] ? 1 : 0;
        }
        double auroc = Auroc.of(toArray(uncertainty), w);
        double aurocDisagreement = Auroc.of(toArray(disagreement), w);
        System.out.printf(
                "ensemble: %d members, held-out accuracy %.4f on %d pairs (a third from an unseen"
                        + " task); AUROC(wrong vs right) of uncertainty %.4f, of disagreement"
                        + " %.4f; mean-std aggregate above the mean for %d of %d responses%n",
                MEMBERS,
                1 - (double) nWrong / w.length,
                w.length,
                auroc,
                aurocDisagreement,
                above,
                responses);
        assertTrue(auroc >= 0.7, "uncertainty AUROC " + auroc);
        assertEquals(0, above, "the penalised aggregate is never above the mean");
    }

    @Test
    void theEnsembleSavesAsOneDirectoryOfHuggingFaceCheckpointsAndLoadsBackIdentically(
            @TempDir Path dir) throws IOException {
        ensemble.save(dir, text.dir());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("ensemble.json").toFile());
        assertEquals("members", json.path("kind").asText());
        for (int i = 0; i < MEMBERS; i++) {
            JsonNode config =
                    new ObjectMapper()
                            .readTree(dir.resolve("member-" + i).resolve("config.json").toFile());
            assertEquals(
                    "LlamaForSequenceClassification", config.path("architectures").get(0).asText());
            assertEquals(1, config.path("num_labels").asInt());
            assertTrue(
                    Files.isRegularFile(dir.resolve("member-" + i).resolve("model.safetensors")));
            assertTrue(Files.isRegularFile(dir.resolve("member-" + i).resolve("tokenizer.json")));
        }
        try (RewardEnsemble loaded = RewardEnsemble.load(dir, ModelOptions.defaults())) {
            assertEquals(MEMBERS, loaded.size());
            List<TokenizedPair> few = test.subList(0, 16);
            try (NDManager m = manager();
                    PairBatch b = new PairCollator(text.padding()).collate(few, m)) {
                EnsembleAggregation agg = new EnsembleAggregation.Median();
                double[][] before = new EnsembleScorer(ensemble, agg).score(b).members();
                double[][] after = new EnsembleScorer(loaded, agg).score(b).members();
                for (int i = 0; i < before.length; i++) {
                    assertArrayEquals(before[i], after[i], 0.0);
                }
            }
        }
    }

    @Test
    void strengthFlipsMostlyMislabelledPairsAndTheAdaptiveMarginFollowsTheTrueGap() {
        Map<String, PreferenceStrength> strengths =
                new EnsembleScorer(ensemble, new EnsembleAggregation.Mean())
                        .strengths(train, text.padding(), 128, ensemble.models().get(0).manager());
        List<PreferencePair> pairs = trainSynth.stream().map(SynthPair::toPreferencePair).toList();
        Map<String, SynthPair> truth = new HashMap<>();
        trainSynth.forEach(p -> truth.put(p.id(), p));
        Transformed flipped = new ReversalFlip(1.0).apply(pairs, strengths);
        int flips = 0;
        int mislabelledFlips = 0;
        int correctBefore = 0;
        int correctAfter = 0;
        int decided = 0;
        for (int i = 0; i < pairs.size(); i++) {
            SynthPair t = truth.get(pairs.get(i).id());
            if (t.chosenReward() == t.rejectedReward()) {
                continue;
            }
            decided++;
            boolean labelRight = t.chosenReward() > t.rejectedReward();
            boolean isFlipped = !flipped.pairs().get(i).chosen().equals(pairs.get(i).chosen());
            correctBefore += labelRight ? 1 : 0;
            correctAfter += labelRight != isFlipped ? 1 : 0;
            flips += isFlipped ? 1 : 0;
            mislabelledFlips += isFlipped && !labelRight ? 1 : 0;
        }
        double precision = (double) mislabelledFlips / flips;
        double baseRate = 1 - (double) correctBefore / decided;
        Transformed margined =
                new AdaptiveMargin(1.0, 4.0).apply(flipped.pairs(), flipped.strengths());
        double small = 0;
        double large = 0;
        int nSmall = 0;
        int nLarge = 0;
        for (PreferencePair p : margined.pairs()) {
            SynthPair t = truth.get(p.id());
            double gap = Math.abs(t.chosenReward() - t.rejectedReward());
            if (gap == 0) {
                continue;
            }
            if (gap <= 1) {
                small += p.margin().getAsDouble();
                nSmall++;
            } else if (gap >= 2) {
                large += p.margin().getAsDouble();
                nLarge++;
            }
        }
        System.out.printf(
                "ensemble: reversal flip %s, %d flips with precision %.4f (mislabelled base rate"
                        + " %.4f); correct labels %.4f ->"
                        + " %.4f of %d decided pairs; adaptive margin %s, mean margin %.3f (true"
                        + " gap <= 1) vs %.3f (gap >= 2)%n",
                flipped.counters().summary(),
                flips,
                precision,
                baseRate,
                (double) correctBefore / decided,
                (double) correctAfter / decided,
                decided,
                margined.counters().summary(),
                small / nSmall,
                large / nLarge);
        assertEquals(pairs.size(), flipped.counters().seen());
        assertEquals(flips, flipped.counters().changed());
        assertEquals(0, flipped.counters().unmeasured());
        assertEquals(pairs.size(), margined.counters().changed());
        // flipped pairs are mislabelled far more often than pairs at large
        assertTrue(
                precision >= 0.6 && precision >= 3 * baseRate,
                "flip precision " + precision + " vs base rate " + baseRate);
        assertTrue(correctAfter > correctBefore, "flipping improves the labels");
        assertTrue(large / nLarge > small / nSmall, "the margin grows with the true gap");
    }

    @Test
    void headsOnASharedBackboneTrainAsAnEnsembleAndSaveAsOneSequenceClassifier(@TempDir Path dir)
            throws IOException {
        ScalarHeads heads = new ScalarHeads(MEMBERS);
        PairCollator collator = new PairCollator(text.padding());
        try (RewardEnsemble shared =
                RewardEnsemble.ofHeads(
                        TinyTraining.tiny(text.vocabSize(), heads.modelHead(), 200))) {
            DecoderModel model = shared.models().get(0);
            ShortRun.defaults()
                    .train(
                            model.manager(),
                            model.parameters(),
                            new EnsembleHeadsStep(
                                    model,
                                    heads,
                                    RewardModelObjective.BradleyTerry.defaults(),
                                    true,
                                    3),
                            new CyclingSource<>(train, 32, collator::collate, 9, true),
                            null,
                            (p, s, v) -> {});
            EnsembleScorer scorer = new EnsembleScorer(shared, new EnsembleAggregation.Mean());
            int right = 0;
            double[][] members;
            try (NDManager m = manager();
                    PairBatch b = collator.collate(test.subList(0, 200), m)) {
                PairDiagnostics d = scorer.pairs(b);
                for (double x : d.aggregateMargin()) {
                    right += x > 0 ? 1 : 0;
                }
                members = scorer.score(b).members();
            }
            shared.save(dir, text.dir());
            JsonNode config =
                    new ObjectMapper()
                            .readTree(dir.resolve("model").resolve("config.json").toFile());
            assertEquals(MEMBERS, config.path("num_labels").asInt());
            try (RewardEnsemble loaded = RewardEnsemble.load(dir, ModelOptions.defaults());
                    NDManager m = manager();
                    PairBatch b = collator.collate(test.subList(0, 200), m)) {
                assertTrue(loaded.sharedBackbone());
                double[][] after =
                        new EnsembleScorer(loaded, new EnsembleAggregation.Mean())
                                .score(b)
                                .members();
                for (int i = 0; i < members.length; i++) {
                    assertArrayEquals(members[i], after[i], 0.0);
                }
            }
            System.out.printf(
                    "ensemble: %d bootstrap heads on one backbone, held-out accuracy %.4f%n",
                    MEMBERS, right / 200.0);
            assertTrue(right / 200.0 >= 0.6, "heads learn: " + right / 200.0);
        }
    }

    NDManager manager() {
        return ensemble.models().get(0).manager().newSubManager();
    }

    static List<List<TokenizedPair>> chunks(List<TokenizedPair> pairs) {
        List<List<TokenizedPair>> out = new ArrayList<>();
        for (int s = 0; s < pairs.size(); s += 100) {
            out.add(pairs.subList(s, Math.min(pairs.size(), s + 100)));
        }
        return out;
    }

    static PreferencePair byGroundTruth(SynthPair p) {
        return p.chosenReward() > p.rejectedReward()
                ? p.toPreferencePair()
                : p.toPreferencePair().swapped();
    }

    static double[] toArray(List<Double> l) {
        return l.stream().mapToDouble(x -> x).toArray();
    }
}
