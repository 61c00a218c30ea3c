package dev.reward4j.core.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds an {@link UnpairedBatch} with the KTO KL rows: KL row i = prompt of example {@code (i+1)
 * mod B} followed by the completion of example i. A batch of fewer than 2 examples is a
 * configuration error (no mismatched pair exists).
 */
public final class UnpairedCollator {
    private final Padding padding;

    /** Creates a collator. @param padding side, pad id, multiple, BOS check */
    public UnpairedCollator(Padding padding) {
        this.padding = Objects.requireNonNull(padding, "padding");
    }

    /**
     * Collates {@code examples}.
     *
     * @param examples B >= 2 examples
     * @param manager receives every array
     * @return the batch
     */
    public UnpairedBatch collate(List<TokenizedUnpaired> examples, NDManager manager) {
        int b = examples.size();
        if (b < 2) {
            throw new IllegalArgumentException(
                    "collate: unpaired batch of "
                            + b
                            + " example(s); expected >= 2, the KL reference rows pair each"
                            + " completion with another example's prompt. Raise the micro-batch"
                            + " size");
        }
        List<TokenizedSequence> main = new ArrayList<>(b);
        int klLongest = 1;
        for (int i = 0; i < b; i++) {
            TokenizedSequence s = examples.get(i).sequence();
            main.add(s);
            TokenizedSequence next = examples.get((i + 1) % b).sequence();
            klLongest = Math.max(klLongest, next.promptLength() + s.responseLength());
        }
        PaddedRows rows = PaddedRows.allocate(b, PaddedRows.widthFor(main, padding), padding);
        PaddedRows kl = PaddedRows.allocate(b, padding.paddedLength(klLongest), padding);
        float[] desirable = new float[b];
        List<String> ids = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            TokenizedUnpaired u = examples.get(i);
            TokenizedSequence s = u.sequence();
            TokenizedSequence next = examples.get((i + 1) % b).sequence();
            String what = "example " + u.id() + " (" + u.source() + ")";
            rows.put(i, s, padding, what);
            kl.put(
                    i,
                    next.ids(),
                    next.promptLength(),
                    s.ids(),
                    s.promptLength(),
                    s.length(),
                    padding,
                    what + " KL row");
            desirable[i] = u.desirable() ? 1f : 0f;
            ids.add(u.id());
        }
        return new UnpairedBatch(
                rows.idsArray(manager),
                rows.maskArray(manager),
                rows.lastArray(manager),
                rows.responseArray(manager),
                manager.create(desirable, new Shape(b)),
                kl.idsArray(manager),
                kl.maskArray(manager),
                kl.responseArray(manager),
                ids,
                rows.realTokens);
    }
}
