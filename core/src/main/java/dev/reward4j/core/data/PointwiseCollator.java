package dev.reward4j.core.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Builds a {@link PointwiseBatch} of B rated responses with A attribute targets each. */
public final class PointwiseCollator {
    private final Padding padding;

    /** Creates a collator. @param padding side, pad id, multiple, BOS check */
    public PointwiseCollator(Padding padding) {
        this.padding = Objects.requireNonNull(padding, "padding");
    }

    /**
     * Collates {@code examples}.
     *
     * @param examples B >= 1 examples, all with the same number of attributes A
     * @param manager receives every array
     * @return the batch
     */
    public PointwiseBatch collate(List<TokenizedRated> examples, NDManager manager) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException(
                    "collate: empty pointwise batch; expected >= 1 example");
        }
        int b = examples.size();
        int a = examples.get(0).ratings().length;
        List<TokenizedSequence> all = new ArrayList<>(b);
        for (TokenizedRated r : examples) {
            all.add(r.sequence());
        }
        PaddedRows rows = PaddedRows.allocate(b, PaddedRows.widthFor(all, padding), padding);
        float[] targets = new float[b * a];
        float[] targetMask = new float[b * a];
        List<String> ids = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            TokenizedRated r = examples.get(i);
            if (r.ratings().length != a) {
                throw new IllegalArgumentException(
                        "collate: example "
                                + r.id()
                                + " ("
                                + r.source()
                                + ") has "
                                + r.ratings().length
                                + " attributes; expected "
                                + a
                                + " like the first example of the batch");
            }
            rows.put(i, r.sequence(), padding, "example " + r.id() + " (" + r.source() + ")");
            for (int j = 0; j < a; j++) {
                if (r.present()[j]) {
                    targets[i * a + j] = (float) r.ratings()[j];
                    targetMask[i * a + j] = 1f;
                }
            }
            ids.add(r.id());
        }
        return new PointwiseBatch(
                rows.idsArray(manager),
                rows.maskArray(manager),
                rows.lastArray(manager),
                manager.create(targets, new Shape(b, a)),
                manager.create(targetMask, new Shape(b, a)),
                ids,
                rows.realTokens);
    }
}
