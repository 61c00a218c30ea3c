package dev.reward4j.trainers.step;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.core.data.DataPosition;
import dev.reward4j.core.data.ListBatch;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.UnpairedBatch;
import dev.reward4j.core.model.Architecture;
import dev.reward4j.core.model.ModelConfig;
import dev.reward4j.trainers.loop.BatchSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Synthetic token-level tasks with a known rule for learning tests, batches built directly as
 * arrays. Tokens: 0 pad, 1 BOS, 2 EOS, 3..12 "good", 13..22 "bad". The true reward of a sequence is
 * its number of good tokens.
 */
public final class TinyTasks {
    public static final int VOCAB = 24;

    private TinyTasks() {}

    /** A 2-layer Llama, hidden 32, 4 heads. */
    public static ModelConfig tinyLlama() {
        return ModelConfig.of(Architecture.LLAMA, VOCAB, 32, 2, 4, 4, 64);
    }

    /** A tokenized sequence: ids and prompt length. */
    public record Seq(int[] ids, int promptLength) {}

    public static int good(Random r) {
        return 3 + r.nextInt(10);
    }

    public static int bad(Random r) {
        return 13 + r.nextInt(10);
    }

    public static int goodCount(int[] ids) {
        int n = 0;
        for (int t : ids) {
            n += t >= 3 && t <= 12 ? 1 : 0;
        }
        return n;
    }

    /**
     * BOS + 4..7 random content tokens + EOS; the whole sequence is the "response" (reward models
     * ignore it).
     */
    public static Seq randomSeq(Random r) {
        int len = 4 + r.nextInt(4);
        int[] ids = new int[len + 2];
        ids[0] = 1;
        for (int i = 1; i <= len; i++) {
            ids[i] = 3 + r.nextInt(20);
        }
        ids[len + 1] = 2;
        return new Seq(ids, 1);
    }

    /** Reward-model pairs: chosen has strictly more good tokens. */
    public static List<Seq[]> rmPairs(int n, long seed) {
        Random r = new Random(seed);
        List<Seq[]> out = new ArrayList<>();
        while (out.size() < n) {
            Seq a = randomSeq(r);
            Seq b = randomSeq(r);
            int ga = goodCount(a.ids());
            int gb = goodCount(b.ids());
            if (ga != gb) {
                out.add(ga > gb ? new Seq[] {a, b} : new Seq[] {b, a});
            }
        }
        return out;
    }

    /**
     * Policy pairs: prompt BOS + 2 tokens, chosen = 3 good tokens + EOS, rejected = 3 bad tokens +
     * EOS.
     */
    public static List<Seq[]> policyPairs(int n, long seed) {
        Random r = new Random(seed);
        List<Seq[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] prompt = {1, 3 + r.nextInt(20), 3 + r.nextInt(20)};
            out.add(new Seq[] {response(prompt, r, true), response(prompt, r, false)});
        }
        return out;
    }

    public static Seq response(int[] prompt, Random r, boolean goodOne) {
        int[] ids = java.util.Arrays.copyOf(prompt, prompt.length + 4);
        for (int k = 0; k < 3; k++) {
            ids[prompt.length + k] = goodOne ? good(r) : bad(r);
        }
        ids[prompt.length + 3] = 2;
        return new Seq(ids, prompt.length);
    }

    /** Right-padded (rows, T) arrays: ids, mask, last index, response mask. */
    public record Padded(NDArray ids, NDArray mask, NDArray last, NDArray response, long real) {}

    public static Padded pad(List<Seq> rows, NDManager m) {
        int t = rows.stream().mapToInt(s -> s.ids().length).max().orElse(1);
        int n = rows.size();
        long[] ids = new long[n * t];
        long[] mask = new long[n * t];
        long[] last = new long[n];
        float[] resp = new float[n * t];
        long real = 0;
        for (int i = 0; i < n; i++) {
            Seq s = rows.get(i);
            for (int j = 0; j < s.ids().length; j++) {
                ids[i * t + j] = s.ids()[j];
                mask[i * t + j] = 1;
                resp[i * t + j] = j >= s.promptLength() ? 1 : 0;
            }
            last[i] = s.ids().length - 1;
            real += s.ids().length;
        }
        return new Padded(
                m.create(ids, new Shape(n, t)),
                m.create(mask, new Shape(n, t)),
                m.create(last),
                m.create(resp, new Shape(n, t)),
                real);
    }

    public static PairBatch pairBatch(List<Seq[]> pairs, List<String> ids, NDManager m) {
        List<Seq> rows = new ArrayList<>();
        pairs.forEach(p -> rows.add(p[0]));
        pairs.forEach(p -> rows.add(p[1]));
        Padded p = pad(rows, m);
        return new PairBatch(
                p.ids(),
                p.mask(),
                p.last(),
                p.response(),
                null,
                m.ones(new Shape(pairs.size())),
                ids,
                p.real());
    }

    /**
     * Unpaired feedback from policy pairs: both sides become examples (good desirable, bad
     * undesirable).
     */
    public static UnpairedBatch unpairedBatch(
            List<Seq> rows, List<Boolean> desirable, List<String> ids, NDManager m) {
        int n = rows.size();
        Padded p = pad(rows, m);
        List<Seq> kl = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // completion i with prompt (i + 1) mod n
            Seq c = rows.get(i);
            Seq q = rows.get((i + 1) % n);
            int[] prompt = java.util.Arrays.copyOf(q.ids(), q.promptLength());
            int[] resp = java.util.Arrays.copyOfRange(c.ids(), c.promptLength(), c.ids().length);
            int[] all = java.util.Arrays.copyOf(prompt, prompt.length + resp.length);
            System.arraycopy(resp, 0, all, prompt.length, resp.length);
            kl.add(new Seq(all, prompt.length));
        }
        Padded k = pad(kl, m);
        float[] d = new float[n];
        for (int i = 0; i < n; i++) {
            d[i] = desirable.get(i) ? 1 : 0;
        }
        return new UnpairedBatch(
                p.ids(),
                p.mask(),
                p.last(),
                p.response(),
                m.create(d),
                k.ids(),
                k.mask(),
                k.response(),
                ids,
                p.real());
    }

    /** Lists of K random sequences scored by their good-token count. */
    public static ListBatch listBatch(List<Seq[]> lists, List<String> ids, NDManager m) {
        int k = lists.get(0).length;
        List<Seq> rows = new ArrayList<>();
        float[] scores = new float[lists.size() * k];
        for (int b = 0; b < lists.size(); b++) {
            for (int j = 0; j < k; j++) {
                rows.add(lists.get(b)[j]);
                scores[b * k + j] = goodCount(lists.get(b)[j].ids());
            }
        }
        Padded p = pad(rows, m);
        return new ListBatch(
                p.ids(),
                p.mask(),
                p.last(),
                p.response(),
                m.create(scores, new Shape(lists.size(), k)),
                m.ones(new Shape(lists.size(), k)),
                ids,
                p.real());
    }

    public static List<Seq[]> lists(int n, int k, long seed) {
        Random r = new Random(seed);
        List<Seq[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Seq[] l = new Seq[k];
            for (int j = 0; j < k; j++) {
                l[j] = randomSeq(r);
            }
            out.add(l);
        }
        return out;
    }

    /** A cycling, resumable source over {@code examples} in file order, {@code size} per batch. */
    public static <E, B> BatchSource<B> source(List<E> examples, int size, BatchMaker<E, B> maker) {
        return new BatchSource<>() {
            DataPosition pos = DataPosition.start();

            @Override
            public B next(NDManager m) {
                List<E> chunk = new ArrayList<>();
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    int idx = (int) pos.index();
                    chunk.add(examples.get(idx));
                    ids.add("ex-" + idx);
                    pos = pos.advance(1, examples.size());
                }
                return maker.make(chunk, ids, m);
            }

            @Override
            public DataPosition position() {
                return pos;
            }

            @Override
            public void seek(DataPosition p) {
                pos = p;
            }
        };
    }

    /** Held-out batch factories of {@code size} examples each. */
    public static <E, B> List<Function<NDManager, B>> heldOut(
            List<E> examples, int size, BatchMaker<E, B> maker) {
        List<Function<NDManager, B>> out = new ArrayList<>();
        for (int s = 0; s < examples.size(); s += size) {
            List<E> chunk = examples.subList(s, Math.min(examples.size(), s + size));
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < chunk.size(); i++) {
                ids.add("held-" + (s + i));
            }
            out.add(m -> maker.make(chunk, ids, m));
        }
        return out;
    }

    /** Builds a batch from examples. */
    @FunctionalInterface
    public interface BatchMaker<E, B> {
        B make(List<E> examples, List<String> ids, NDManager m);
    }
}
