package dev.reward4j.core.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * Pads tokenized triples into a {@link TripleBatch}. A tokenized triple is a {@link TokenizedList}
 * of three items in the order gold, chosen, rejected (as {@code
 * dev.reward4j.core.text.TripleTokenizer} produces it); its first score is ignored.
 */
public final class TripleCollator {
    private final Padding padding;

    /**
     * Creates the collator.
     *
     * @param padding pad id and side
     */
    public TripleCollator(Padding padding) {
        this.padding = java.util.Objects.requireNonNull(padding, "padding");
    }

    /**
     * Collates triples.
     *
     * @param triples tokenized triples (three items each: gold, chosen, rejected)
     * @param manager where the arrays are created
     * @return the batch
     */
    public TripleBatch collate(List<TokenizedList> triples, NDManager manager) {
        if (triples.isEmpty()) {
            throw new IllegalArgumentException("collate: empty triple batch; expected >= 1 triple");
        }
        int b = triples.size();
        List<TokenizedSequence> all = new ArrayList<>(3 * b);
        for (int k = 0; k < 3; k++) {
            for (TokenizedList t : triples) {
                if (t.items().size() != 3) {
                    throw new IllegalArgumentException(
                            "collate: triple "
                                    + t.id()
                                    + " ("
                                    + t.source()
                                    + ") has "
                                    + t.items().size()
                                    + " items; expected 3 (gold, chosen, rejected)");
                }
                all.add(t.items().get(k));
            }
        }
        PaddedRows rows = PaddedRows.allocate(3 * b, PaddedRows.widthFor(all, padding), padding);
        String[] role = {"gold", "chosen", "rejected"};
        float[] weight = new float[b];
        List<String> ids = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            TokenizedList t = triples.get(i);
            for (int k = 0; k < 3; k++) {
                rows.put(
                        k * b + i,
                        t.items().get(k),
                        padding,
                        "triple " + t.id() + " (" + t.source() + ") " + role[k]);
            }
            weight[i] = 1f;
            ids.add(t.id());
        }
        return new TripleBatch(
                rows.idsArray(manager),
                rows.maskArray(manager),
                rows.lastArray(manager),
                rows.responseArray(manager),
                manager.create(weight, new Shape(b)),
                ids,
                rows.realTokens);
    }
}
