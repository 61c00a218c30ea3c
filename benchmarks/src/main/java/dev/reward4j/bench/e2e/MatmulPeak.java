package dev.reward4j.bench.e2e;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The practical float32 peak of a device, measured in this process: the best of {@code reps} {@code
 * n x n} matmuls ({@code 2 n^3} FLOPs each), forced to finish by reading one element back.
 */
final class MatmulPeak {
    private MatmulPeak() {}

    /** Best observed FLOP/s on {@code device} (n = 1024 on CPU, 4096 on GPU). */
    static double measure(Device device) {
        int n = device.isGpu() ? 4096 : 1024;
        return measure(device, n, device.isGpu() ? 20 : 8);
    }

    static double measure(Device device, int n, int reps) {
        try (NDManager m = NDManager.newBaseManager(device)) {
            NDArray a = m.randomUniform(-1f, 1f, new Shape(n, n));
            NDArray b = m.randomUniform(-1f, 1f, new Shape(n, n));
            double best = Double.MAX_VALUE;
            for (int i = 0; i < reps + 2; i++) { // two warm-up multiplications
                long t0 = System.nanoTime();
                try (NDArray c = a.matMul(b)) {
                    c.get(0, 0).getFloat();
                }
                double s = (System.nanoTime() - t0) / 1e9;
                if (i >= 2) {
                    best = Math.min(best, s);
                }
            }
            return 2.0 * n * n * (double) n / best;
        }
    }
}
