package dev.reward4j.bench.e2e;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Prints this process's float32 GEMM peak on the CPU as one JSON line: 1024^3 (and 2048^3) matmuls
 * through libtorch's MKL path and the same products through oneDNN (1x1 convolution), with the GEMM
 * mode ({@link GemmMode}) and the load average. Run it once per {@code LD_PRELOAD} setting to
 * compare MKL's dispatch paths (see {@code benchmarks/run-all.sh}).
 */
public final class GemmPeak {
    private GemmPeak() {}

    /** Measures and prints. */
    public static void main(String[] args) throws Exception {
        Device cpu = Device.cpu();
        double mkl1024 = MatmulPeak.measure(cpu, 1024, 10);
        double mkl2048 = MatmulPeak.measure(cpu, 2048, 4);
        double dnn1024 = MatmulPeak.measureOneDnn(cpu, 1024, 10);
        double dnn2048 = MatmulPeak.measureOneDnn(cpu, 2048, 4);
        String load = Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
        System.out.println(
                String.format(
                        Locale.ROOT,
                        "{\"gemm_mode\":\"%s\",\"threads\":\"%s\",\"load1\":%s,"
                                + "\"mkl_matmul_1024_gflops\":%.1f,\"mkl_matmul_2048_gflops\":%.1f,"
                                + "\"onednn_conv1x1_1024_gflops\":%.1f,"
                                + "\"onednn_conv1x1_2048_gflops\":%.1f}",
                        GemmMode.describe(),
                        System.getProperty("ai.djl.pytorch.num_threads", "default"),
                        load,
                        mkl1024 / 1e9,
                        mkl2048 / 1e9,
                        dnn1024 / 1e9,
                        dnn2048 / 1e9));
    }
}
