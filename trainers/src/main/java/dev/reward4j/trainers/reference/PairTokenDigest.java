package dev.reward4j.trainers.reference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.TokenizedSequence;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A 64-bit digest (the first 8 bytes of a SHA-256) of exactly what a reference model sees of one
 * pair: the token ids of the chosen and then the rejected sequence and, per token, whether it is a
 * response token (the log-prob mask). Padding is not part of it, so the same pair gives the same
 * digest from its {@link TokenizedPair} and from any {@link PairBatch} row it was collated into,
 * whatever the padding side, width or batch. Whatever changes the tokens (the texts, {@code
 * max_length}, the truncation policy, the chat template or the tokenizer) changes the digest.
 */
public final class PairTokenDigest {
    private PairTokenDigest() {}

    /**
     * The digest of a tokenized pair.
     *
     * @param pair the pair as tokenized for training
     * @return the first 8 bytes of the SHA-256 of its chosen and rejected tokens and response masks
     */
    public static long of(TokenizedPair pair) {
        MessageDigest md = sha256();
        side(md, pair.chosen());
        side(md, pair.rejected());
        return first8(md);
    }

    /**
     * The digests of the B pairs of a batch (host copies of its ids, attention and response masks):
     * only positions with attention mask 1 count.
     */
    public static long[] of(PairBatch batch) {
        int b = batch.pairs();
        long[] ids = longs(batch.inputIds());
        long[] mask = longs(batch.attentionMask());
        float[] response = batch.responseMask().toType(DataType.FLOAT32, false).toFloatArray();
        int width = ids.length / (2 * b);
        long[] out = new long[b];
        for (int i = 0; i < b; i++) {
            MessageDigest md = sha256();
            row(md, ids, mask, response, i * width, width);
            row(md, ids, mask, response, (b + i) * width, width);
            out[i] = first8(md);
        }
        return out;
    }

    private static void side(MessageDigest md, TokenizedSequence s) {
        ByteBuffer buf = ByteBuffer.allocate(4 + 9 * s.length());
        buf.putInt(s.length());
        for (int t = 0; t < s.length(); t++) {
            buf.putLong(s.ids()[t]).put(t >= s.promptLength() ? (byte) 1 : (byte) 0);
        }
        md.update(buf.array());
    }

    private static void row(
            MessageDigest md, long[] ids, long[] mask, float[] response, int start, int width) {
        int n = 0;
        for (int t = start; t < start + width; t++) {
            n += mask[t] != 0 ? 1 : 0;
        }
        ByteBuffer buf = ByteBuffer.allocate(4 + 9 * n);
        buf.putInt(n);
        for (int t = start; t < start + width; t++) {
            if (mask[t] != 0) {
                buf.putLong(ids[t]).put(response[t] > 0.5f ? (byte) 1 : (byte) 0);
            }
        }
        md.update(buf.array());
    }

    private static long[] longs(NDArray a) {
        return a.getDataType() == DataType.INT64
                ? a.toLongArray()
                : a.toType(DataType.INT64, false).toLongArray();
    }

    private static long first8(MessageDigest md) {
        return ByteBuffer.wrap(md.digest()).getLong();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
