package dev.reward4j.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds a {@link PairBatch}: chosen rows {@code [0, B)}, rejected rows {@code [B, 2B)}, padded on
 * the configured side to the longest row. All arrays are built in Java and created with one {@code
 * manager.create} each.
 */
public final class PairCollator {
    private final Padding padding;

    /** Creates a collator. @param padding side, pad id, multiple, BOS check */
    public PairCollator(Padding padding) {
        this.padding = Objects.requireNonNull(padding, "padding");
    }

    /**
     * Collates {@code pairs}.
     *
     * @param pairs B >= 1 tokenized pairs
     * @param manager receives every array of the batch
     * @return the batch (close it after the step)
     * @throws IllegalArgumentException for an empty batch, a sequence without response tokens, or a
     *     row starting with BOS BOS
     */
    public PairBatch collate(List<TokenizedPair> pairs, NDManager manager) {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("collate: empty pair batch; expected >= 1 pair");
        }
        int b = pairs.size();
        List<TokenizedSequence> all = new ArrayList<>(2 * b);
        for (TokenizedPair p : pairs) {
            all.add(p.chosen());
        }
        for (TokenizedPair p : pairs) {
            all.add(p.rejected());
        }
        PaddedRows rows = PaddedRows.allocate(2 * b, PaddedRows.widthFor(all, padding), padding);
        float[] margin = new float[b];
        float[] weight = new float[b];
        boolean anyMargin = false;
        List<String> ids = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            TokenizedPair p = pairs.get(i);
            rows.put(i, p.chosen(), padding, "pair " + p.id() + " (" + p.source() + ") chosen");
            rows.put(
                    b + i,
                    p.rejected(),
                    padding,
                    "pair " + p.id() + " (" + p.source() + ") rejected");
            if (p.margin().isPresent()) {
                anyMargin = true;
                margin[i] = (float) p.margin().getAsDouble();
            }
            weight[i] = (float) p.weight();
            ids.add(p.id());
        }
        NDArray marginArray = anyMargin ? manager.create(margin, new Shape(b)) : null;
        return new PairBatch(
                rows.idsArray(manager),
                rows.maskArray(manager),
                rows.lastArray(manager),
                rows.responseArray(manager),
                marginArray,
                manager.create(weight, new Shape(b)),
                ids,
                rows.realTokens);
    }
}
