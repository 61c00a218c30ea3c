package dev.reward4j.core.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Host-side padded rows (flat row-major arrays) built in one pass; each becomes an NDArray with a
 * single {@code manager.create}. Package-private builder shared by the collators.
 */
final class PaddedRows {
    final int rows;
    final int width;
    final long[] ids;
    final long[] mask;
    final long[] last;
    final float[] response;
    long realTokens;

    private PaddedRows(int rows, int width) {
        this.rows = rows;
        this.width = width;
        this.ids = new long[rows * width];
        this.mask = new long[rows * width];
        this.last = new long[rows];
        this.response = new float[rows * width];
    }

    /** Row width for sequences of these lengths. */
    static int widthFor(List<TokenizedSequence> seqs, Padding p) {
        int longest = 1;
        for (TokenizedSequence s : seqs) {
            longest = Math.max(longest, s.length());
        }
        return p.paddedLength(longest);
    }

    /** Allocates rows filled with the pad id. */
    static PaddedRows allocate(int rows, int width, Padding p) {
        PaddedRows r = new PaddedRows(rows, width);
        java.util.Arrays.fill(r.ids, p.padId());
        return r;
    }

    /**
     * Writes one sequence into row {@code row}.
     *
     * @param what example id and source for error messages
     */
    void put(int row, TokenizedSequence s, Padding p, String what) {
        put(row, s.ids(), s.promptLength(), s.ids(), s.promptLength(), s.length(), p, what);
    }

    /**
     * Writes {@code prompt[0, promptLen) + resp[respFrom, respTo)} into row {@code row}; the second
     * span is the response.
     */
    void put(
            int row,
            int[] prompt,
            int promptLen,
            int[] resp,
            int respFrom,
            int respTo,
            Padding p,
            String what) {
        int responseTokens = respTo - respFrom;
        int n = promptLen + responseTokens;
        if (responseTokens <= 0) {
            throw new IllegalArgumentException(
                    "collate: "
                            + what
                            + " has no response tokens; expected >= 1 (a row without response"
                            + " tokens has an empty log-prob mask). Use ExampleTokenizer, which"
                            + " counts such examples as invalid");
        }
        if (n > width) {
            throw new IllegalArgumentException(
                    "collate: " + what + " has " + n + " tokens; expected <= " + width);
        }
        if (p.bosId() >= 0
                && n >= 2
                && at(0, prompt, promptLen, resp, respFrom) == p.bosId()
                && at(1, prompt, promptLen, resp, respFrom) == p.bosId()) {
            throw new IllegalArgumentException(
                    "collate: "
                            + what
                            + " starts with BOS BOS (id "
                            + p.bosId()
                            + "); expected a single BOS. The text already contained BOS and the"
                            + " tokenizer added another: encode through TextEncoder");
        }
        int start = p.side() == PaddingSide.RIGHT ? row * width : row * width + (width - n);
        for (int t = 0; t < promptLen; t++) {
            ids[start + t] = prompt[t];
            mask[start + t] = 1;
        }
        for (int t = 0; t < responseTokens; t++) {
            int k = start + promptLen + t;
            ids[k] = resp[respFrom + t];
            mask[k] = 1;
            response[k] = 1f;
        }
        last[row] = (start + n - 1) - (long) row * width;
        realTokens += n;
    }

    private static int at(int i, int[] prompt, int promptLen, int[] resp, int respFrom) {
        return i < promptLen ? prompt[i] : resp[respFrom + i - promptLen];
    }

    /**
     * A placeholder row for a padded list item: one pad token with mask 1, no response, last index
     * at that token.
     */
    void putPlaceholder(int row, Padding p) {
        int pos = p.side() == PaddingSide.RIGHT ? 0 : width - 1;
        mask[row * width + pos] = 1;
        last[row] = pos;
    }

    NDArray idsArray(NDManager m) {
        return m.create(ids, new Shape(rows, width));
    }

    NDArray maskArray(NDManager m) {
        return m.create(mask, new Shape(rows, width));
    }

    NDArray lastArray(NDManager m) {
        return m.create(last, new Shape(rows));
    }

    NDArray responseArray(NDManager m) {
        return m.create(response, new Shape(rows, width));
    }
}
