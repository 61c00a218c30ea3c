package dev.reward4j.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.core.util.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Packs sequences into rows of at most {@code rowLength} tokens (first-fit decreasing,
 * deterministic: ties keep input order) producing a {@link PackedBatch}. Each sequence gets
 * position ids from 0 and its own segment id within the row; the model applies a block-diagonal
 * causal mask ({@code segment[t] == segment[u] != 0 && u <= t}) and reads each sequence's result
 * within its span ending at {@code (seqRow[s], seqLast[s])}, in input order (a reward head at the
 * position its pooling rule gives, the same as for the sequence alone).
 */
public final class Packer {
    private final int rowLength;
    private final int padId;

    /**
     * Creates a packer.
     *
     * @param rowLength maximum tokens per row, {@code > 0}; every sequence must fit
     * @param padId id written into padding positions
     */
    public Packer(int rowLength, int padId) {
        this.rowLength = Checks.positive(rowLength, "Packer.rowLength");
        Checks.argument(padId >= 0, () -> "Packer: padId (" + padId + ") < 0; expected a token id");
        this.padId = padId;
    }

    /**
     * Packs the chosen and rejected sequences of {@code pairs}: sequence {@code i} is chosen of
     * pair i, sequence {@code B + i} is rejected of pair i (the {@link PairBatch} row order).
     * Margins and weights are attached as in PairBatch.
     */
    public PackedBatch packPairs(List<TokenizedPair> pairs, NDManager manager) {
        Checks.argument(!pairs.isEmpty(), "pack: empty pair batch; expected >= 1 pair");
        int b = pairs.size();
        List<TokenizedSequence> seqs = new ArrayList<>(2 * b);
        List<String> ids = new ArrayList<>(b);
        float[] margin = new float[b];
        float[] weight = new float[b];
        boolean anyMargin = false;
        for (TokenizedPair p : pairs) {
            seqs.add(p.chosen());
        }
        for (int i = 0; i < b; i++) {
            TokenizedPair p = pairs.get(i);
            seqs.add(p.rejected());
            ids.add(p.id());
            if (p.margin().isPresent()) {
                anyMargin = true;
                margin[i] = (float) p.margin().getAsDouble();
            }
            weight[i] = (float) p.weight();
        }
        return build(
                seqs,
                ids,
                anyMargin ? manager.create(margin, new Shape(b)) : null,
                manager.create(weight, new Shape(b)),
                manager);
    }

    /**
     * Packs arbitrary sequences.
     *
     * @param seqs S >= 1 sequences, each of length 1..rowLength
     * @param ids S ids
     * @param manager receives every array
     */
    public PackedBatch pack(List<TokenizedSequence> seqs, List<String> ids, NDManager manager) {
        Checks.argument(!seqs.isEmpty(), "pack: no sequences; expected >= 1");
        Checks.argument(
                ids.size() == seqs.size(),
                () ->
                        "pack: "
                                + ids.size()
                                + " ids for "
                                + seqs.size()
                                + " sequences; expected one id per sequence");
        return build(seqs, ids, null, null, manager);
    }

    /** Row assignment: for each sequence its row and start column; returns the number of rows. */
    int plan(List<TokenizedSequence> seqs, int[] seqRow, int[] seqStart, List<int[]> rowFill) {
        Integer[] order = new Integer[seqs.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
            int len = seqs.get(i).length();
            if (len == 0 || len > rowLength) {
                throw new IllegalArgumentException(
                        "pack: sequence "
                                + i
                                + " has "
                                + len
                                + " tokens; expected 1.."
                                + rowLength
                                + " (the row length)");
            }
        }
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> -seqs.get(i).length()));
        for (int s : order) {
            int len = seqs.get(s).length();
            int row = -1;
            for (int r = 0; r < rowFill.size(); r++) {
                if (rowFill.get(r)[0] + len <= rowLength) {
                    row = r;
                    break;
                }
            }
            if (row < 0) {
                rowFill.add(new int[] {0, 0});
                row = rowFill.size() - 1;
            }
            seqRow[s] = row;
            seqStart[s] = rowFill.get(row)[0];
            rowFill.get(row)[0] += len;
        }
        return rowFill.size();
    }

    private PackedBatch build(
            List<TokenizedSequence> seqs,
            List<String> ids,
            NDArray margin,
            NDArray weight,
            NDManager manager) {
        int s = seqs.size();
        int[] seqRow = new int[s];
        int[] seqStart = new int[s];
        List<int[]> fill = new ArrayList<>();
        int rows = plan(seqs, seqRow, seqStart, fill);
        int width = 1;
        for (int[] f : fill) {
            width = Math.max(width, f[0]);
        }
        long[] inputIds = new long[rows * width];
        long[] positions = new long[rows * width];
        long[] segments = new long[rows * width];
        long[] mask = new long[rows * width];
        float[] response = new float[rows * width];
        long[] rowArr = new long[s];
        long[] startArr = new long[s];
        long[] lastArr = new long[s];
        Arrays.fill(inputIds, padId);
        // segment ids follow the order of the spans within each row
        int[] segmentOf = new int[s];
        Integer[] byPlace = new Integer[s];
        for (int i = 0; i < s; i++) {
            byPlace[i] = i;
        }
        Arrays.sort(
                byPlace,
                Comparator.comparingInt((Integer i) -> seqRow[i])
                        .thenComparingInt(i -> seqStart[i]));
        int prevRow = -1;
        int seg = 0;
        for (int i : byPlace) {
            seg = seqRow[i] == prevRow ? seg + 1 : 1;
            prevRow = seqRow[i];
            segmentOf[i] = seg;
        }
        long real = 0;
        for (int i = 0; i < s; i++) {
            TokenizedSequence q = seqs.get(i);
            int base = seqRow[i] * width + seqStart[i];
            int[] tok = q.ids();
            for (int t = 0; t < tok.length; t++) {
                inputIds[base + t] = tok[t];
                positions[base + t] = t;
                segments[base + t] = segmentOf[i];
                mask[base + t] = 1;
                if (t >= q.promptLength()) {
                    response[base + t] = 1f;
                }
            }
            rowArr[i] = seqRow[i];
            startArr[i] = seqStart[i];
            lastArr[i] = seqStart[i] + tok.length - 1L;
            real += tok.length;
        }
        Shape shape = new Shape(rows, width);
        return new PackedBatch(
                manager.create(inputIds, shape),
                manager.create(positions, shape),
                manager.create(segments, shape),
                manager.create(mask, shape),
                manager.create(response, shape),
                manager.create(rowArr, new Shape(s)),
                manager.create(startArr, new Shape(s)),
                manager.create(lastArr, new Shape(s)),
                margin,
                weight,
                ids,
                real);
    }
}
