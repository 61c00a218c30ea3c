package dev.reward4j.core.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds a {@link StepBatch} from tokenized step-annotated solutions: one row per solution padded
 * on the configured side, step slots padded to the largest step count of the batch.
 */
public final class StepCollator {
    private final Padding padding;

    /**
     * Creates a collator.
     *
     * @param padding side, pad id, multiple, BOS check
     */
    public StepCollator(Padding padding) {
        this.padding = Objects.requireNonNull(padding, "padding");
    }

    /**
     * Collates {@code examples}.
     *
     * @param examples B >= 1 tokenized solutions
     * @param manager receives every array of the batch
     * @return the batch (close it after the step)
     */
    public StepBatch collate(List<TokenizedSteps> examples, NDManager manager) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("collate: empty step batch; expected >= 1 solution");
        }
        int b = examples.size();
        List<TokenizedSequence> seqs = new ArrayList<>(b);
        int slots = 1;
        for (TokenizedSteps e : examples) {
            seqs.add(e.sequence());
            slots = Math.max(slots, e.steps());
        }
        PaddedRows rows = PaddedRows.allocate(b, PaddedRows.widthFor(seqs, padding), padding);
        long[] stepRows = new long[b * slots];
        long[] positions = new long[b * slots];
        float[] labels = new float[b * slots];
        float[] mask = new float[b * slots];
        float[] weight = new float[b];
        List<String> ids = new ArrayList<>(b);
        for (int i = 0; i < b; i++) {
            TokenizedSteps e = examples.get(i);
            rows.put(i, e.sequence(), padding, "solution " + e.id() + " (" + e.source() + ")");
            long offset = rows.last[i] - (e.sequence().length() - 1);
            int[] ends = e.stepEnds();
            double[] y = e.labels();
            for (int s = 0; s < slots; s++) {
                int k = i * slots + s;
                stepRows[k] = i;
                if (s < ends.length) {
                    positions[k] = offset + ends[s];
                    labels[k] = (float) y[s];
                    mask[k] = 1f;
                } else {
                    positions[k] = rows.last[i];
                }
            }
            weight[i] = 1f;
            ids.add(e.id());
        }
        return new StepBatch(
                rows.idsArray(manager),
                rows.maskArray(manager),
                manager.create(stepRows),
                manager.create(positions),
                manager.create(labels, new Shape(b, slots)),
                manager.create(mask, new Shape(b, slots)),
                manager.create(weight, new Shape(b)),
                ids,
                rows.realTokens);
    }
}
