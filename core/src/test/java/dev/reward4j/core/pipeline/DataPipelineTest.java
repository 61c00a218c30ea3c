package dev.reward4j.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.Format;
import dev.reward4j.core.data.HelpSteer2Format;
import dev.reward4j.core.data.HelpSteer2PreferenceFormat;
import dev.reward4j.core.data.HhRlhfFormat;
import dev.reward4j.core.data.KtoFormat;
import dev.reward4j.core.data.ListCollator;
import dev.reward4j.core.data.PaddingSide;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.PointwiseCollator;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.SequenceBatch;
import dev.reward4j.core.data.SequenceCollator;
import dev.reward4j.core.data.TokenizedList;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.TokenizedRated;
import dev.reward4j.core.data.TokenizedUnpaired;
import dev.reward4j.core.data.TrlFormat;
import dev.reward4j.core.data.UltraFeedbackBinarized;
import dev.reward4j.core.data.UltraFeedbackRanked;
import dev.reward4j.core.data.UnpairedCollator;
import dev.reward4j.core.data.WeightedSequence;
import dev.reward4j.core.testing.Fixtures;
import dev.reward4j.core.testing.Samples;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.core.text.TruncationPolicy;
import dev.reward4j.core.transform.ChainOfHindsight;
import dev.reward4j.core.transform.CurryCurriculum;
import dev.reward4j.core.transform.StagedPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataPipelineTest {
    static TextEncoder encoder;

    @BeforeAll
    static void load() {
        encoder = TextEncoder.load(Fixtures.hf("tokenizer"));
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void everySampleFormatGoesFromFileToBatch() {
        TruncationPolicy policy = TruncationPolicy.defaults();
        ReadOptions opts = ReadOptions.defaults();
        try (NDManager m = NDManager.newBaseManager()) {
            for (String f :
                    List.of(
                            "trl-standard.jsonl",
                            "trl-conversational.jsonl",
                            "trl-conversational-implicit.jsonl",
                            "hh-rlhf.jsonl.gz",
                            "helpsteer2-preference.jsonl",
                            "ultrafeedback-binarized.jsonl")) {
                Format<PreferencePair> format =
                        f.startsWith("hh")
                                ? HhRlhfFormat.text()
                                : f.startsWith("helpsteer")
                                        ? new HelpSteer2PreferenceFormat()
                                        : f.startsWith("ultra")
                                                ? new UltraFeedbackBinarized(true)
                                                : TrlFormat.standard();
                Prepared<TokenizedPair> p =
                        DataPipeline.pairs(Samples.of(f), format, encoder, policy, opts);
                assertTrue(p.examples().size() >= 2, f);
                try (PairBatch b =
                        new PairCollator(encoder.padding(PaddingSide.RIGHT))
                                .collate(p.examples(), m)) {
                    assertEquals(2L * p.examples().size(), b.inputIds().getShape().get(0), f);
                }
            }
            Prepared<TokenizedList> lists =
                    DataPipeline.lists(
                            Samples.of("ultrafeedback.jsonl"),
                            UltraFeedbackRanked.defaults(),
                            encoder,
                            policy,
                            opts);
            assertEquals(1, lists.counters().skippedCount());
            new ListCollator(encoder.padding(PaddingSide.LEFT))
                    .collate(lists.examples(), m)
                    .close();
            Prepared<TokenizedRated> rated =
                    DataPipeline.rated(
                            Samples.of("helpsteer2.jsonl"),
                            HelpSteer2Format.defaults(),
                            encoder,
                            policy,
                            opts);
            new PointwiseCollator(encoder.padding(PaddingSide.RIGHT))
                    .collate(rated.examples(), m)
                    .close();
            Prepared<TokenizedUnpaired> kto =
                    DataPipeline.unpaired(
                            Samples.of("kto.jsonl"), new KtoFormat(), encoder, policy, opts);
            new UnpairedCollator(encoder.padding(PaddingSide.RIGHT))
                    .collate(kto.examples(), m)
                    .close();
            assertEquals(3, kto.counters().keptCount());
        }
    }

    @Test
    void countersMergeReaderAndTokenizerAndNameTheLines(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("mixed.jsonl");
        Files.writeString(
                file,
                "{\"prompt\":\"q\",\"chosen\":\" a\",\"rejected\":\" b\"}\n"
                        + "{\"prompt\":\"q\",\"chosen\":\" same\",\"rejected\":\" same\"}\n"
                        + "not json\n"
                        + "{\"prompt\":\""
                        + "seven plus twelve equals 19. ".repeat(30)
                        + "\",\"chosen\":\" a\",\"rejected\":\" b\"}\n"
                        + "{\"prompt\":\"q\",\"chosen\":\"\",\"rejected\":\" b\"}\n");
        Prepared<TokenizedPair> p =
                DataPipeline.pairs(
                        file,
                        TrlFormat.standard(),
                        encoder,
                        new TruncationPolicy.Drop(64),
                        ReadOptions.defaults().withLenient(true));
        assertEquals(1, p.examples().size());
        assertEquals(5, p.counters().readCount());
        assertEquals(4, p.counters().parsedCount());
        assertEquals(1, p.counters().keptCount());
        assertEquals(1, p.counters().skippedCount());
        assertEquals(1, p.counters().droppedCount());
        assertEquals(2, p.counters().invalidCount());
        assertTrue(p.counters().skippedAt().get(0).contains("mixed.jsonl:3"));
        assertTrue(p.counters().droppedAt().get(0).contains("mixed.jsonl:4"));
        List<String> invalid = new ArrayList<>(p.counters().invalidAt());
        assertTrue(
                invalid.get(0).contains("mixed.jsonl:2")
                        && invalid.get(1).contains("mixed.jsonl:5"),
                invalid.toString());
    }

    @Test
    void stagedPairsAreTokenizedStageByStageWithTheReadersCounters() {
        CurryCurriculum curry = CurryCurriculum.defaults();
        Staged<TokenizedPair> staged =
                DataPipeline.stagedPairs(
                        Samples.of("ultrafeedback.jsonl"),
                        curry.on(UltraFeedbackRanked.defaults()),
                        encoder,
                        TruncationPolicy.defaults(),
                        ReadOptions.defaults(),
                        3);
        List<StagedPair> read =
                Samples.read("ultrafeedback.jsonl", curry.on(UltraFeedbackRanked.defaults()));
        assertEquals(3, staged.stages().size());
        assertEquals(read.size(), staged.size());
        assertEquals(read.size(), staged.counters().keptCount());
        for (StagedPair p : read) {
            assertTrue(
                    staged.stages().get(p.stage()).stream()
                            .anyMatch(t -> t.id().equals(p.pair().id())),
                    p.pair().id());
        }
    }

    @Test
    void hindsightSequencesGoFromFileToBatch() {
        Prepared<WeightedSequence> prepared =
                DataPipeline.hindsight(
                        Samples.of("trl-standard.jsonl"),
                        TrlFormat.standard(),
                        ChainOfHindsight.defaults(),
                        encoder,
                        TruncationPolicy.defaults(),
                        ReadOptions.defaults());
        assertEquals(
                Samples.read("trl-standard.jsonl", TrlFormat.standard()).size(),
                prepared.examples().size());
        try (NDManager m = NDManager.newBaseManager();
                SequenceBatch b =
                        new SequenceCollator(encoder.padding(PaddingSide.RIGHT))
                                .collate(prepared.examples(), m)) {
            assertEquals(prepared.examples().size(), b.size());
            assertTrue(b.targetTokens() > 0 && b.targetTokens() < b.realTokens());
        }
    }
}
