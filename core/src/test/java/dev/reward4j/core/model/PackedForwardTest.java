package dev.reward4j.core.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.reward4j.core.testing.Fixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PackedForwardTest {

    /**
     * Packs right-padded rows (trimmed to their mask) two per row: [0,1], [2,3], ... into rows of
     * width {@code t}.
     */
    record Packed(
            NDArray ids,
            NDArray positions,
            NDArray segments,
            NDArray seqRow,
            NDArray seqLast,
            NDArray responseMask) {

        static Packed of(
                NDManager m, JsonNode idsRows, JsonNode maskRows, JsonNode responseRows, int t) {
            int s = idsRows.size();
            int r = (s + 1) / 2;
            long[] ids = new long[r * t];
            long[] pos = new long[r * t];
            long[] seg = new long[r * t];
            long[] resp = new long[r * t];
            long[] seqRow = new long[s];
            long[] seqLast = new long[s];
            int[] fill = new int[r];
            for (int i = 0; i < s; i++) {
                int row = i / 2;
                int len = 0;
                for (JsonNode v : maskRows.get(i)) {
                    len += v.asInt();
                }
                for (int j = 0; j < len; j++) {
                    int at = row * t + fill[row] + j;
                    ids[at] = idsRows.get(i).get(j).asLong();
                    pos[at] = j;
                    seg[at] = i % 2 + 1;
                    resp[at] = responseRows == null ? 0 : responseRows.get(i).get(j).asLong();
                }
                seqRow[i] = row;
                seqLast[i] = fill[row] + len - 1;
                fill[row] += len;
            }
            Shape shape = new Shape(r, t);
            return new Packed(
                    m.create(ids, shape),
                    m.create(pos, shape),
                    m.create(seg, shape),
                    m.create(seqRow),
                    m.create(seqLast),
                    m.create(resp, shape));
        }
    }

    @ParameterizedTest
    @CsvSource({
        "llama-rm,EAGER",
        "qwen2-rm,EAGER",
        "gpt2-rm,EAGER",
        "llama-rm,FUSED",
        "gpt2-rm,FUSED"
    })
    void packedScoresEqualPerSequenceScores(String name, AttentionImpl impl) {
        JsonNode right = Cases.read(name).get("cases").get(0);
        try (DecoderModel model =
                        DecoderModel.load(
                                Fixtures.hf(name),
                                ModelHead.REWARD,
                                ModelOptions.defaults().withAttention(impl));
                NDManager step = model.manager().newSubManager()) {
            NDArray ids = Cases.longs(step, right.get("input_ids"));
            NDArray mask = Cases.longs(step, right.get("attention_mask"));
            float[] unpacked = model.scores(ids, mask).squeeze(1).toFloatArray();
            Packed p =
                    Packed.of(step, right.get("input_ids"), right.get("attention_mask"), null, 24);
            float[] packed =
                    model.scoresPacked(
                                    p.ids(), p.positions(), p.segments(), p.seqRow(), p.seqLast())
                            .squeeze(1)
                            .toFloatArray();
            double err = AttentionKernelTest.maxDiff(unpacked, packed);
            double vsRef = Cases.maxAbsDiff(Cases.doubles(right.get("rewards")), packed);
            System.out.printf(
                    "packed-vs-unpacked %s %s scores max|diff| = %.3g (vs HF %.3g)%n",
                    name, impl, err, vsRef);
            assertTrue(err < 1e-4, "packed vs unpacked " + err);
            assertTrue(vsRef < 1e-4, "packed vs HF " + vsRef);
        }
    }

    @ParameterizedTest
    @CsvSource({"llama-lm,EAGER", "qwen2-lm,EAGER", "gpt2-lm,EAGER", "qwen2-lm,FUSED"})
    void packedLogpsEqualPerSequenceLogps(String name, AttentionImpl impl) {
        JsonNode c = Cases.read(name);
        try (DecoderModel model =
                        DecoderModel.load(
                                Fixtures.hf(name),
                                ModelHead.LM,
                                ModelOptions.defaults().withAttention(impl));
                NDManager step = model.manager().newSubManager()) {
            NDArray ids = Cases.longs(step, c.get("input_ids"));
            NDArray mask = Cases.longs(step, c.get("attention_mask"));
            NDArray response = Cases.longs(step, c.get("response_mask"));
            float[] unpacked =
                    SequenceLogps.of(model.tokenLogps(ids, mask), response).sum().toFloatArray();
            Packed p =
                    Packed.of(
                            step,
                            c.get("input_ids"),
                            c.get("attention_mask"),
                            c.get("response_mask"),
                            24);
            NDArray tokenLogps = model.tokenLogpsPacked(p.ids(), p.positions(), p.segments());
            SequenceLogps packed =
                    SequenceLogps.ofPacked(
                            tokenLogps, p.responseMask(), p.segments(), p.seqRow(), p.seqLast());
            double err = AttentionKernelTest.maxDiff(unpacked, packed.sum().toFloatArray());
            double vsRef =
                    Cases.maxAbsDiff(
                            Cases.doubles(c.get("sum_logps")), packed.sum().toFloatArray());
            double meanRef =
                    Cases.maxAbsDiff(
                            Cases.doubles(c.get("mean_logps")), packed.mean().toFloatArray());
            System.out.printf(
                    "packed-vs-unpacked %s %s sum logps max|diff| = %.3g (vs HF sum %.3g, mean"
                            + " %.3g)%n",
                    name, impl, err, vsRef, meanRef);
            assertTrue(err < 1e-4, "packed vs unpacked " + err);
            assertTrue(vsRef < 1e-4 && meanRef < 1e-4, "packed vs HF " + vsRef + " / " + meanRef);
        }
    }
}
