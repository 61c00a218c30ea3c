package dev.reward4j.trainers.loop;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.reward4j.core.data.DataPosition;
import dev.reward4j.trainers.metrics.MetricBag;
import dev.reward4j.trainers.metrics.MetricSink;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A tiny linear Bradley-Terry task for loop tests that need no decoder model: reward = x . w + b,
 * pairs drawn from a known rule (true weights), a deterministic seeded order per epoch.
 */
final class TinyLinearTask {
    static final int DIM = 6;

    /** A batch of feature pairs. */
    record Pairs(NDArray chosen, NDArray rejected, List<String> ids) implements AutoCloseable {
        @Override
        public void close() {
            chosen.close();
            rejected.close();
        }
    }

    final float[][] chosen;
    final float[][] rejected;
    final long seed;

    TinyLinearTask(int n, long seed) {
        this.seed = seed;
        Random rnd = new Random(seed);
        float[] truth = new float[DIM];
        for (int d = 0; d < DIM; d++) {
            truth[d] = (float) rnd.nextGaussian();
        }
        chosen = new float[n][DIM];
        rejected = new float[n][DIM];
        for (int i = 0; i < n; i++) {
            float[] a = new float[DIM];
            float[] b = new float[DIM];
            float sa = 0;
            float sb = 0;
            for (int d = 0; d < DIM; d++) {
                a[d] = (float) rnd.nextGaussian();
                b[d] = (float) rnd.nextGaussian();
                sa += a[d] * truth[d];
                sb += b[d] * truth[d];
            }
            chosen[i] = sa >= sb ? a : b;
            rejected[i] = sa >= sb ? b : a;
        }
    }

    static Map<String, NDArray> params(NDManager manager) {
        Map<String, NDArray> p = new LinkedHashMap<>();
        p.put("w.weight", manager.zeros(new Shape(DIM, 1)));
        p.put("b.bias", manager.zeros(new Shape(1)));
        p.values().forEach(a -> a.setRequiresGradient(true));
        return p;
    }

    /**
     * A source of micro-batches of {@code size} pairs; row {@code poisonRow} (or -1) gets a NaN
     * feature.
     */
    BatchSource<Pairs> source(int size, int poisonRow) {
        return new BatchSource<>() {
            long epoch;
            long index;

            @Override
            public Pairs next(NDManager m) {
                int n = chosen.length;
                int[] order = order(epoch);
                float[] c = new float[size * DIM];
                float[] r = new float[size * DIM];
                List<String> ids = new ArrayList<>();
                for (int k = 0; k < size; k++) {
                    int row = order[(int) index];
                    System.arraycopy(chosen[row], 0, c, k * DIM, DIM);
                    System.arraycopy(rejected[row], 0, r, k * DIM, DIM);
                    if (row == poisonRow) {
                        c[k * DIM] = Float.NaN;
                    }
                    ids.add("pair-" + row);
                    if (++index == n) {
                        index = 0;
                        epoch++;
                    }
                }
                return new Pairs(
                        m.create(c, new Shape(size, DIM)), m.create(r, new Shape(size, DIM)), ids);
            }

            @Override
            public DataPosition position() {
                return new DataPosition(epoch, index);
            }

            @Override
            public void seek(DataPosition p) {
                epoch = p.epoch();
                index = p.index();
            }
        };
    }

    int[] order(long epoch) {
        int n = chosen.length;
        int[] o = new int[n];
        for (int i = 0; i < n; i++) {
            o[i] = i;
        }
        Random rnd = new Random(seed * 31 + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = o[i];
            o[i] = o[j];
            o[j] = t;
        }
        return o;
    }

    /** BT objective over the linear reward; chosen and rejected in one concatenated "forward". */
    static TrainingStep<Pairs> objective(Map<String, NDArray> params) {
        NDArray w = params.get("w.weight");
        NDArray b = params.get("b.bias");
        return (batch, ctx) -> {
            long n = batch.chosen().getShape().get(0);
            NDArray x = NDArrays.concat(new NDList(batch.chosen(), batch.rejected()), 0);
            NDArray rewards = x.matMul(w).squeeze(1).add(b);
            NDArray delta = rewards.get("0:" + n).sub(rewards.get(n + ":"));
            NDArray perPair = Activation.softPlus(delta.neg());
            MetricBag bag = new MetricBag();
            float[] d = delta.toFloatArray();
            double acc = 0;
            for (float v : d) {
                acc += v > 0 ? 1 : 0;
            }
            bag.add("accuracy", acc, n);
            bag.add("margin", delta.sum().getFloat(), n);
            return new StepResult(perPair.sum(), n, bag, batch.ids(), 0);
        };
    }

    /** A sink keeping every record. */
    static final class RecordingSink implements MetricSink {
        final List<Map<String, Double>> train = new ArrayList<>();
        final List<Map<String, Double>> eval = new ArrayList<>();

        @Override
        public void record(String phase, long step, Map<String, Double> values) {
            (phase.equals("train") ? train : eval).add(values);
        }
    }

    static void saveParams(Map<String, NDArray> params, Path file) throws IOException {
        NDList list = new NDList();
        List<NDArray> copies = new ArrayList<>();
        params.forEach(
                (k, v) -> {
                    NDArray c = v.duplicate();
                    c.setName(k);
                    copies.add(c);
                    list.add(c);
                });
        try (OutputStream out = Files.newOutputStream(file)) {
            list.encode(out, NDList.Encoding.SAFETENSORS);
        }
        copies.forEach(NDArray::close);
    }

    static void loadParams(Map<String, NDArray> params, Path file, NDManager m) throws IOException {
        try (NDManager tmp = m.newSubManager();
                InputStream in = Files.newInputStream(file)) {
            for (NDArray a : NDList.decode(tmp, in)) {
                params.get(a.getName()).set(a.toFloatArray());
            }
        }
    }
}
