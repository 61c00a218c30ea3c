package dev.reward4j.trainers.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.testing.Fixtures;
import dev.reward4j.trainers.objective.TinyTasks.Seq;
import java.io.IOException;
import java.nio.file.Path;
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
      try (DecoderModel refModel = DecoderModel.create(TinyTasks.tinyLlama(), ModelHead.LM, 42, ModelOptions.defaults())) {
        FrozenReference frozen = new FrozenReference(refModel);
        Path file = dir.resolve("ref.bin");
        ReferenceCache built =
            ReferenceCache.build(file, "sha256:abc", frozen, TinyTasks.source(pairs, 4, TinyTasks::pairBatch), pairs.size(), refModel.manager());
        assertEquals(10, built.size());
        ReferenceCache opened = ReferenceCache.open(file, "sha256:abc");
        try (NDManager m = refModel.manager().newSubManager();
            PairBatch batch = TinyTasks.source(pairs, 5, TinyTasks::pairBatch).next(m)) {
          float[] expected = frozen.chosenAndRejected(batch, m).toFloatArray();
          assertArrayEquals(expected, opened.chosenAndRejected(batch, m).toFloatArray(), 0f);
        }
      }
    }
  }

  @Nested
  class Errors {
    @Test
    void aCacheOfAnotherReferenceModelIsRejected() throws IOException {
      List<Seq[]> pairs = TinyTasks.policyPairs(4, 43);
      try (DecoderModel refModel = DecoderModel.create(TinyTasks.tinyLlama(), ModelHead.LM, 44, ModelOptions.defaults())) {
        Path file = dir.resolve("ref.bin");
        ReferenceCache.build(file, "sha256:old", new FrozenReference(refModel), TinyTasks.source(pairs, 4, TinyTasks::pairBatch), 4, refModel.manager());
      }
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReferenceCache.open(dir.resolve("ref.bin"), "sha256:new"));
      assertTrue(e.getMessage().contains("was computed with reference sha256:old but the reference model is sha256:new"), e.getMessage());
    }

    @Test
    void anIdMissingFromTheCacheIsAnErrorNotAFallbackToThePolicy() throws IOException {
      List<Seq[]> pairs = TinyTasks.policyPairs(4, 45);
      try (DecoderModel refModel = DecoderModel.create(TinyTasks.tinyLlama(), ModelHead.LM, 46, ModelOptions.defaults())) {
        ReferenceCache cache =
            ReferenceCache.build(dir.resolve("r.bin"), "sha256:x", new FrozenReference(refModel), TinyTasks.source(pairs, 2, TinyTasks::pairBatch), 2, refModel.manager());
        try (NDManager m = refModel.manager().newSubManager();
            PairBatch batch = TinyTasks.pairBatch(pairs.subList(2, 4), List.of("unseen-1", "unseen-2"), m)) {
          IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cache.chosenAndRejected(batch, m));
          assertTrue(e.getMessage().startsWith("reference cache: example 'unseen-1' is not in the cache"), e.getMessage());
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
