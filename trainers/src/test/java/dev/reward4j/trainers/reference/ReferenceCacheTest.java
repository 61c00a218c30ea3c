package dev.reward4j.trainers.reference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.Padding;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.testing.Fixtures;
import dev.reward4j.trainers.loop.BatchSource;
import dev.reward4j.trainers.step.TinyTasks;
import dev.reward4j.trainers.step.TinyTasks.Seq;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceCacheTest {
    @TempDir Path dir;

    @Nested
    class Values {
        @Test
        void cachedLogProbsEqualTheFrozenModelsAndAreReloadedByDigest() throws IOException {
            List<Seq[]> pairs = TinyTasks.policyPairs(10, 41);
            try (DecoderModel refModel =
                    DecoderModel.create(
                            TinyTasks.tinyLlama(), ModelHead.LM, 42, ModelOptions.defaults())) {
                FrozenReference frozen = new FrozenReference(refModel);
                Path file = dir.resolve("ref.bin");
                ReferenceCache built =
                        ReferenceCache.build(
                                file,
                                "sha256:abc",
                                frozen,
                                TinyTasks.source(pairs, 4, TinyTasks::pairBatch),
                                pairs.size(),
                                refModel.manager());
                assertEquals(10, built.size());
                ReferenceCache opened = ReferenceCache.open(file, "sha256:abc");
                try (NDManager m = refModel.manager().newSubManager();
                        PairBatch batch =
                                TinyTasks.source(pairs, 5, TinyTasks::pairBatch).next(m)) {
                    float[] expected = frozen.chosenAndRejected(batch, m).toFloatArray();
                    assertArrayEquals(
                            expected, opened.chosenAndRejected(batch, m).toFloatArray(), 0f);
                }
            }
        }
    }

    /** Tokenized pairs "ex-0".. "ex-(n-1)" from policy pairs, as the launcher's cache sees them. */
    static List<TokenizedPair> tokenized(List<Seq[]> pairs) {
        List<TokenizedPair> out = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            Seq[] p = pairs.get(i);
            out.add(
                    PairTokenDigestTest.pair(
                            "ex-" + i,
                            p[0].ids(),
                            p[0].promptLength(),
                            p[1].ids(),
                            p[1].promptLength()));
        }
        return out;
    }

    static BatchSource<PairBatch> collated(List<TokenizedPair> pairs, int size, Padding padding) {
        PairCollator collator = new PairCollator(padding);
        return TinyTasks.source(pairs, size, (chunk, ids, m) -> collator.collate(chunk, m));
    }

    @Nested
    class Tokens {
        @Test
        void theSamePairsAreReusedWithTheirValuesWhateverThePaddingAndBatching()
                throws IOException {
            List<TokenizedPair> pairs = tokenized(TinyTasks.policyPairs(6, 47));
            try (DecoderModel refModel =
                    DecoderModel.create(
                            TinyTasks.tinyLlama(), ModelHead.LM, 48, ModelOptions.defaults())) {
                FrozenReference frozen = new FrozenReference(refModel);
                Path file = dir.resolve("ref.bin");
                ReferenceCache.build(
                        file,
                        "sha256:t",
                        frozen,
                        collated(pairs, 3, Padding.right(0)),
                        pairs.size(),
                        refModel.manager());
                ReferenceCache opened = ReferenceCache.open(file, "sha256:t");
                assertEquals(List.of(), opened.changed(pairs));
                // training batches: another size, left padding to a multiple of 8
                try (NDManager m = refModel.manager().newSubManager();
                        PairBatch batch =
                                collated(pairs, 4, Padding.left(0).withPadToMultipleOf(8))
                                        .next(m)) {
                    assertArrayEquals(
                            frozen.chosenAndRejected(batch, m).toFloatArray(),
                            opened.chosenAndRejected(batch, m).toFloatArray(),
                            1e-5f);
                }
            }
        }

        @Test
        void pairsWhoseTokensChangedUnderTheSameIdAreFoundBeforeTrainingAndRefusedAtLookup()
                throws IOException {
            List<Seq[]> seqs = TinyTasks.policyPairs(4, 49);
            List<TokenizedPair> pairs = tokenized(seqs);
            try (DecoderModel refModel =
                    DecoderModel.create(
                            TinyTasks.tinyLlama(), ModelHead.LM, 50, ModelOptions.defaults())) {
                Path file = dir.resolve("ref.bin");
                ReferenceCache.build(
                        file,
                        "sha256:t",
                        new FrozenReference(refModel),
                        collated(pairs, 4, Padding.right(0)),
                        4,
                        refModel.manager());
                ReferenceCache opened = ReferenceCache.open(file, "sha256:t");
                List<TokenizedPair> now = new ArrayList<>(pairs);
                TokenizedPair p1 = pairs.get(1);
                TokenizedPair p3 = pairs.get(3);
                int[] otherText = p1.chosen().ids().clone();
                otherText[otherText.length - 2] = otherText[otherText.length - 2] == 3 ? 4 : 3;
                now.set(
                        1,
                        PairTokenDigestTest.pair(
                                "ex-1",
                                otherText,
                                p1.chosen().promptLength(),
                                p1.rejected().ids(),
                                p1.rejected().promptLength()));
                // a smaller max_length with keep-prompt-end: the prompt's first token (BOS) is cut
                // from both sequences
                now.set(
                        3,
                        PairTokenDigestTest.pair(
                                "ex-3",
                                Arrays.copyOfRange(p3.chosen().ids(), 1, p3.chosen().length()),
                                p3.chosen().promptLength() - 1,
                                Arrays.copyOfRange(p3.rejected().ids(), 1, p3.rejected().length()),
                                p3.rejected().promptLength() - 1));
                assertEquals(List.of("ex-1", "ex-3"), opened.changed(now));
                try (NDManager m = refModel.manager().newSubManager();
                        PairBatch batch =
                                new PairCollator(Padding.right(0)).collate(now.subList(2, 4), m)) {
                    IllegalArgumentException e =
                            assertThrows(
                                    IllegalArgumentException.class,
                                    () -> opened.chosenAndRejected(batch, m));
                    assertTrue(
                            e.getMessage()
                                    .startsWith(
                                            "reference cache: the tokens of pair 'ex-3' changed"
                                                    + " since the cache was built"),
                            e.getMessage());
                    assertTrue(
                            e.getMessage()
                                    .contains(
                                            "delete the cache directory or point"
                                                    + " model.reference_cache at a new path"),
                            e.getMessage());
                }
            }
        }
    }

    @Nested
    class Written {
        @Test
        void aCacheWrittenFromPrecomputedPairsOpensWithTheSameValues() throws IOException {
            String digest = "sha256:" + "0123456789abcdef".repeat(4);
            Path file = ReferenceCache.fileFor(dir.resolve("cache"), digest);
            assertEquals(
                    dir.resolve("cache").resolve("reference-logps-0123456789abcdef.bin"), file);
            List<ReferenceCache.CachedPair> pairs =
                    List.of(
                            new ReferenceCache.CachedPair("a", 11L, -1.25, -2.5),
                            new ReferenceCache.CachedPair("b", -7L, -3.0, -0.125));
            ReferenceCache.write(file, digest, pairs);
            ReferenceCache cache = ReferenceCache.open(file, digest);
            assertEquals(2, cache.size());
            for (ReferenceCache.CachedPair p : pairs) {
                assertEquals(p, cache.get(p.id()).orElseThrow());
            }
            assertTrue(cache.get("c").isEmpty());
        }

        @Test
        void duplicateIdsAndNonFiniteValuesAreRejected() {
            String digest = "sha256:" + "0".repeat(64);
            Path file = dir.resolve("dup.bin");
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    ReferenceCache.write(
                                            file,
                                            digest,
                                            List.of(
                                                    new ReferenceCache.CachedPair("a", 1, -1, -1),
                                                    new ReferenceCache.CachedPair(
                                                            "a", 2, -1, -1))));
            assertTrue(
                    e.getMessage().contains("pair id 'a' occurs more than once"), e.getMessage());
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new ReferenceCache.CachedPair("a", 1, Double.NaN, -1));
        }
    }

    @Nested
    class Errors {
        @Test
        void aCacheFileOfTheOldFormatWithoutTokenDigestsIsAClearError() throws IOException {
            Path file = dir.resolve("old.bin");
            try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
                out.writeUTF("R4JREF1");
                out.writeUTF("sha256:abc");
                out.writeInt(1);
                out.writeUTF("ex-0");
                out.writeDouble(-3.5);
                out.writeDouble(-4.5);
            }
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> ReferenceCache.open(file, "sha256:abc"));
            assertTrue(
                    e.getMessage()
                            .startsWith("reference cache: " + file + " has the old format R4JREF1"),
                    e.getMessage());
            assertTrue(
                    e.getMessage()
                            .contains(
                                    "expected R4JREF2. Delete the cache directory or point"
                                            + " model.reference_cache at a new path"),
                    e.getMessage());
        }

        @Test
        void aFileThatIsNotACacheIsRejected() throws IOException {
            Path file = dir.resolve("other.bin");
            try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
                out.writeUTF("PK-something");
            }
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> ReferenceCache.open(file, "sha256:abc"));
            assertTrue(
                    e.getMessage().endsWith("starts with 'PK-something'; expected R4JREF2"),
                    e.getMessage());
        }

        @Test
        void aCacheOfAnotherReferenceModelIsRejected() throws IOException {
            List<Seq[]> pairs = TinyTasks.policyPairs(4, 43);
            try (DecoderModel refModel =
                    DecoderModel.create(
                            TinyTasks.tinyLlama(), ModelHead.LM, 44, ModelOptions.defaults())) {
                Path file = dir.resolve("ref.bin");
                ReferenceCache.build(
                        file,
                        "sha256:old",
                        new FrozenReference(refModel),
                        TinyTasks.source(pairs, 4, TinyTasks::pairBatch),
                        4,
                        refModel.manager());
            }
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> ReferenceCache.open(dir.resolve("ref.bin"), "sha256:new"));
            assertTrue(
                    e.getMessage()
                            .contains(
                                    "was computed with reference sha256:old but the reference model"
                                            + " is sha256:new"),
                    e.getMessage());
        }

        @Test
        void anIdMissingFromTheCacheIsAnErrorNotAFallbackToThePolicy() throws IOException {
            List<Seq[]> pairs = TinyTasks.policyPairs(4, 45);
            try (DecoderModel refModel =
                    DecoderModel.create(
                            TinyTasks.tinyLlama(), ModelHead.LM, 46, ModelOptions.defaults())) {
                ReferenceCache cache =
                        ReferenceCache.build(
                                dir.resolve("r.bin"),
                                "sha256:x",
                                new FrozenReference(refModel),
                                TinyTasks.source(pairs, 2, TinyTasks::pairBatch),
                                2,
                                refModel.manager());
                try (NDManager m = refModel.manager().newSubManager();
                        PairBatch batch =
                                TinyTasks.pairBatch(
                                        pairs.subList(2, 4), List.of("unseen-1", "unseen-2"), m)) {
                    IllegalArgumentException e =
                            assertThrows(
                                    IllegalArgumentException.class,
                                    () -> cache.chosenAndRejected(batch, m));
                    assertTrue(
                            e.getMessage()
                                    .startsWith(
                                            "reference cache: example 'unseen-1' is not in the"
                                                    + " cache"),
                            e.getMessage());
                }
            }
        }

        @Test
        void theDigestCoversConfigAndWeights() {
            String a = ReferenceCache.digestOf(Fixtures.hf("llama-lm"));
            String b = ReferenceCache.digestOf(Fixtures.hf("qwen2-lm"));
            assertTrue(a.startsWith("sha256:") && !a.equals(b));
            assertEquals(a, ReferenceCache.digestOf(Fixtures.hf("llama-lm")));
        }
    }
}
