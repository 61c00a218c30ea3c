package dev.reward4j.bench.data;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.DataCounters;
import dev.reward4j.core.data.PaddingSide;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.TrlFormat;
import dev.reward4j.core.pipeline.DataPipeline;
import dev.reward4j.core.text.ExampleTokenizer;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.core.text.TruncationPolicy;
import java.nio.file.Path;
import java.util.List;

/**
 * One pass of the measured data path over a TRL file: stream in chunks → {@link ExampleTokenizer}
 * (KeepPromptEnd 512) → {@link PairCollator} micro-batches of 32 pairs in a per-batch sub-manager
 * (created and closed like a training step does).
 */
final class PairPass {
    /** Micro-batch size. */
    static final int BATCH = 32;

    private PairPass() {}

    /** Result of one pass. */
    record Totals(long pairs, long tokens, DataCounters counters) {}

    static Totals run(Path file, TextEncoder encoder, NDManager manager) {
        DataCounters counters = new DataCounters();
        ExampleTokenizer tokenizer =
                new ExampleTokenizer(
                        encoder, new TruncationPolicy.KeepPromptEnd(512, 64, false), counters);
        PairCollator collator = new PairCollator(encoder.padding(PaddingSide.RIGHT));
        long[] totals = {0, 0};
        DataCounters read =
                DataPipeline.stream(
                        file,
                        TrlFormat.standard(),
                        ReadOptions.defaults(),
                        DataPipeline.CHUNK,
                        chunk -> {
                            List<TokenizedPair> tok = tokenizer.pairs(chunk);
                            for (int i = 0; i < tok.size(); i += BATCH) {
                                try (NDManager step = manager.newSubManager();
                                        PairBatch b =
                                                collator.collate(
                                                        tok.subList(
                                                                i, Math.min(tok.size(), i + BATCH)),
                                                        step)) {
                                    totals[0] += b.pairs();
                                    totals[1] += b.realTokens();
                                }
                            }
                        });
        counters.add(read);
        return new Totals(totals[0], totals[1], counters);
    }
}
