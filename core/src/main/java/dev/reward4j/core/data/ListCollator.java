package dev.reward4j.core.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds a {@link ListBatch}: B lists padded to K = the longest list, flattened to B*K rows (row
 * {@code b*K + k}). A padded item is a one-token placeholder row ({@code itemMask = 0}, response
 * mask 0).
 */
public final class ListCollator {
    private final Padding padding;

    /** Creates a collator. @param padding side, pad id, multiple, BOS check */
    public ListCollator(Padding padding) {
        this.padding = Objects.requireNonNull(padding, "padding");
    }

    /**
     * Collates {@code lists}.
     *
     * @param lists B >= 1 lists, each with >= 1 item
     * @param manager receives every array
     * @return the batch
     */
    public ListBatch collate(List<TokenizedList> lists, NDManager manager) {
        if (lists.isEmpty()) {
            throw new IllegalArgumentException("collate: empty list batch; expected >= 1 list");
        }
        int b = lists.size();
        int k = 0;
        List<TokenizedSequence> all = new ArrayList<>();
        for (TokenizedList l : lists) {
            if (l.items().isEmpty()) {
                throw new IllegalArgumentException(
                        "collate: list "
                                + l.id()
                                + " ("
                                + l.source()
                                + ") has no items; expected >= 1");
            }
            k = Math.max(k, l.items().size());
            all.addAll(l.items());
        }
        PaddedRows rows = PaddedRows.allocate(b * k, PaddedRows.widthFor(all, padding), padding);
        float[] scores = new float[b * k];
        float[] itemMask = new float[b * k];
        List<String> ids = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            TokenizedList l = lists.get(i);
            for (int j = 0; j < k; j++) {
                int row = i * k + j;
                if (j < l.items().size()) {
                    rows.put(
                            row,
                            l.items().get(j),
                            padding,
                            "list " + l.id() + " (" + l.source() + ") item " + j);
                    scores[row] = (float) l.scores()[j];
                    itemMask[row] = 1f;
                } else {
                    rows.putPlaceholder(row, padding);
                }
            }
            ids.add(l.id());
        }
        return new ListBatch(
                rows.idsArray(manager),
                rows.maskArray(manager),
                rows.lastArray(manager),
                rows.responseArray(manager),
                manager.create(scores, new Shape(b, k)),
                manager.create(itemMask, new Shape(b, k)),
                ids,
                rows.realTokens);
    }
}
