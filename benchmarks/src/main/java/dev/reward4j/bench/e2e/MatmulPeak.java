package dev.reward4j.bench.e2e;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The practical float32 peak of a device, measured in this process: the best of {@code reps} {@code
 * n x n} matmuls ({@code 2 n^3} FLOPs each), forced to finish by reading one element back.
 */
final class MatmulPeak {
    private MatmulPeak() {}

    /** Best observed float32 FLOP/s on {@code device} (n = 1024 on CPU, 4096 on GPU). */
    static double measure(Device device) {
        return measure(device, DataType.FLOAT32);
    }

    /** Best observed FLOP/s of {@code dtype} matmuls on {@code device}. */
    static double measure(Device device, DataType dtype) {
        int n = device.isGpu() ? 4096 : 1024;
        return measure(device, n, device.isGpu() ? 20 : 8, dtype);
    }

    static double measure(Device device, int n, int reps) {
        return measure(device, n, reps, DataType.FLOAT32);
    }

    static double measure(Device device, int n, int reps, DataType dtype) {
        try (NDManager m = NDManager.newBaseManager(device)) {
            NDArray a = m.randomUniform(-1f, 1f, new Shape(n, n)).toType(dtype, false);
            NDArray b = m.randomUniform(-1f, 1f, new Shape(n, n)).toType(dtype, false);
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

    /**
     * The same product routed through oneDNN (libtorch's vendor-neutral kernels): an (n, n) x (n,
     * n) matmul as a 1x1 convolution over n rows, which ATen runs with oneDNN for float32 CPU
     * tensors (the only float32-exact oneDNN GEMM reachable from DJL with autograd).
     */
    static double measureOneDnn(Device device, int n, int reps) {
        try (NDManager m = NDManager.newBaseManager(device)) {
            NDArray a = m.randomUniform(-1f, 1f, new Shape(n, n, 1, 1));
            NDArray w = m.randomUniform(-1f, 1f, new Shape(n, n, 1, 1));
            Shape one = new Shape(1, 1);
            double best = Double.MAX_VALUE;
            for (int i = 0; i < reps + 2; i++) {
                long t0 = System.nanoTime();
                try (NDArray c =
                        ai.djl.nn.convolutional.Conv2d.conv2d(
                                        a, w, null, one, new Shape(0, 0), one, 1)
                                .singletonOrThrow()) {
                    c.get(0, 0, 0, 0).getFloat();
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
