package dev.reward4j.core.data;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds a {@link SequenceBatch} from weighted sequences, padded on the configured side to the
 * longest row (rounded up to the padding multiple). Arrays are built in Java and created with one
 * {@code manager.create} each.
 */
public final class SequenceCollator {
    private final Padding padding;

    /** Creates a collator. @param padding side, pad id, multiple, BOS check */
    public SequenceCollator(Padding padding) {
        this.padding = Objects.requireNonNull(padding, "padding");
    }

    /**
     * Collates {@code sequences}.
     *
     * @param sequences N >= 1 sequences, each with at least one target token
     * @param manager receives every array of the batch
     * @return the batch (close it after the step)
     * @throws IllegalArgumentException for an empty batch, a sequence without target tokens, or a
     *     row starting with BOS BOS
     */
    public SequenceBatch collate(List<WeightedSequence> sequences, NDManager manager) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException(
                    "collate: empty sequence batch; expected >= 1 sequence");
        }
        int n = sequences.size();
        int longest = 1;
        for (WeightedSequence s : sequences) {
            longest = Math.max(longest, s.length());
        }
        int width = padding.paddedLength(longest);
        long[] ids = new long[n * width];
        java.util.Arrays.fill(ids, padding.padId());
        long[] mask = new long[n * width];
        float[] target = new float[n * width];
        float[] weight = new float[n];
        List<String> names = new ArrayList<>(n);
        long real = 0;
        long targets = 0;
        for (int i = 0; i < n; i++) {
            WeightedSequence s = sequences.get(i);
            String what = "sequence " + s.id() + " (" + s.source() + ")";
            int len = s.length();
            int count = s.targetTokens();
            if (count == 0) {
                throw new IllegalArgumentException(
                        "collate: "
                                + what
                                + " has no target tokens; expected >= 1 (its loss would be"
                                + " empty). Tokenize through ExampleTokenizer or ChainOfHindsight,"
                                + " which drop such examples and count them");
            }
            if (padding.bosId() >= 0
                    && len >= 2
                    && s.ids()[0] == padding.bosId()
                    && s.ids()[1] == padding.bosId()) {
                throw new IllegalArgumentException(
                        "collate: "
                                + what
                                + " starts with BOS BOS (id "
                                + padding.bosId()
                                + "); expected a single BOS");
            }
            int start = padding.side() == PaddingSide.RIGHT ? i * width : i * width + (width - len);
            for (int t = 0; t < len; t++) {
                ids[start + t] = s.ids()[t];
                mask[start + t] = 1;
                target[start + t] = s.target()[t] ? 1f : 0f;
            }
            weight[i] = (float) s.weight();
            names.add(s.id());
            real += len;
            targets += count;
        }
        return new SequenceBatch(
                manager.create(ids, new Shape(n, width)),
                manager.create(mask, new Shape(n, width)),
                manager.create(target, new Shape(n, width)),
                manager.create(weight, new Shape(n)),
                names,
                real,
                targets);
    }
}
