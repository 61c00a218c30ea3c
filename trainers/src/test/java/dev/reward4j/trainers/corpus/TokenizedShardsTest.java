package dev.reward4j.trainers.corpus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.DataPosition;
import dev.reward4j.core.data.Padding;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.Source;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.TokenizedSequence;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenizedShardsTest {
    @TempDir Path dir;

    /** Pairs of random lengths; every third has a margin, weights vary; pair 5 is long (30). */
    static List<TokenizedPair> pairs(int n) {
        SplittableRandom r = new SplittableRandom(3);
        List<TokenizedPair> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int prompt = 1 + r.nextInt(5);
            out.add(
                    new TokenizedPair(
                            "id" + i,
                            seq(r, prompt, i == 5 ? 30 : 2 + r.nextInt(6)),
                            seq(r, prompt, 2 + r.nextInt(6)),
                            i % 3 == 0 ? OptionalDouble.of(i / 4.0) : OptionalDouble.empty(),
                            1.0 + (i % 2),
                            new Source("in.jsonl", i + 1)));
        }
        return out;
    }

    private static TokenizedSequence seq(SplittableRandom r, int prompt, int length) {
        int[] ids = new int[prompt + length];
        for (int t = 0; t < ids.length; t++) {
            ids[t] = 3 + r.nextInt(500);
        }
        return new TokenizedSequence(ids, prompt);
    }

    private Path write(String name, List<TokenizedPair> pairs, int packLength) throws Exception {
        Path f = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(f);
                TokenizedShards.Writer w = TokenizedShards.writer(out, packLength)) {
            for (TokenizedPair p : pairs) {
                w.write(p);
            }
        }
        return f;
    }

    private static List<TokenizedPair> read(Path f) {
        List<TokenizedPair> out = new ArrayList<>();
        TokenizedShards.read(f).forEachRemaining(out::add);
        return out;
    }

    @Test
    void bothLayoutsReadBackEveryPairExactly() throws Exception {
        List<TokenizedPair> pairs = pairs(40);
        assertEquals(pairs, read(write("a.parquet", pairs, 0)));
        // 24 tokens per packed row: pair 5 (longer) gets a row of its own
        assertEquals(pairs, read(write("b.parquet", pairs, 24)));
    }

    @Test
    void theSamePairsGiveTheSameBytes() throws Exception {
        for (int pack : new int[] {0, 40}) {
            ByteArrayOutputStream a = new ByteArrayOutputStream();
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (ByteArrayOutputStream out : List.of(a, b)) {
                try (TokenizedShards.Writer w = TokenizedShards.writer(out, pack)) {
                    for (TokenizedPair p : pairs(25)) {
                        w.write(p);
                    }
                }
            }
            assertArrayEquals(a.toByteArray(), b.toByteArray());
        }
    }

    @Test
    void theSourceStreamsEpochsAndResumesAtAPosition() throws Exception {
        List<TokenizedPair> all = pairs(10);
        Path shards = dir.resolve("shards");
        Files.createDirectories(shards);
        write(TokenizedShards.shardName(0), all.subList(0, 6), 0);
        Files.move(
                dir.resolve(TokenizedShards.shardName(0)),
                shards.resolve(TokenizedShards.shardName(0)));
        write(TokenizedShards.shardName(1), all.subList(6, 10), 0);
        Files.move(
                dir.resolve(TokenizedShards.shardName(1)),
                shards.resolve(TokenizedShards.shardName(1)));
        new ShardManifest(
                        List.of("in.jsonl"),
                        "trl",
                        "policy",
                        Map.of(),
                        6,
                        0,
                        List.of(
                                new ShardManifest.Shard(TokenizedShards.shardName(0), 6),
                                new ShardManifest.Shard(TokenizedShards.shardName(1), 4)),
                        Map.of("read", 10L, "kept", 10L),
                        Map.of())
                .write(shards);
        PairCollator collator = new PairCollator(Padding.right(0));
        ShardPairSource source = new ShardPairSource(shards, 4, collator);
        List<String> seen = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            for (int b = 0; b < 4; b++) { // 16 pairs: one epoch of 10, then 6 of the next
                try (PairBatch batch = source.next(m)) {
                    seen.addAll(batch.ids());
                }
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                expected.add("id" + (i % 10));
            }
            assertEquals(expected, seen);
            assertEquals(new DataPosition(1, 6), source.position());
            ShardPairSource resumed = new ShardPairSource(shards, 4, collator);
            resumed.seek(new DataPosition(1, 6));
            try (PairBatch a = source.next(m);
                    PairBatch b = resumed.next(m)) {
                assertEquals(a.ids(), b.ids());
                assertEquals(List.of("id6", "id7", "id8", "id9"), b.ids());
            }
        }
    }
}
