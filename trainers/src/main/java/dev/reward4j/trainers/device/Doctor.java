package dev.reward4j.trainers.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.cuda.CudaUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.core.model.AttentionImpl;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code reward4j doctor}: checks that a node can train, in one command. Reports the Java runtime,
 * DJL and libtorch (version, flavour, native library path, build features), the CPU and the MKL
 * dispatch shim, the CUDA devices with their memory, which dtypes work on the configured device,
 * then times a tiny forward + backward of a Llama block ({@link BlockProbe}) in float32, TF32 and
 * float16 with eager and fused attention: time, TFLOP/s, and agreement with strict float32 eager
 * within each precision's tolerance.
 *
 * <p>libtorch reads {@code TORCH_ALLOW_TF32_CUBLAS_OVERRIDE} once per process, so on a GPU the
 * precision this process does not run (TF32 or strict float32) is measured in a child JVM with the
 * variable flipped. TF32 does not exist on the CPU and is reported as not applicable.
 *
 * <p>The verdict: the configured device can train when it is visible and a float32 forward +
 * backward there gives finite values; otherwise {@link DoctorReport#exitCode()} is non-zero.
 */
public final class Doctor {
    /** Tolerances of the agreement with strict float32 eager attention. */
    static final Map<String, Double> TOLERANCE =
            Map.of("float32", 1e-4, "tf32", 1e-2, "float16", 5e-2);

    private Doctor() {}

    /** Examines the node for training on {@code deviceName} ({@code cpu|gpu|gpu:N|auto}). */
    public static DoctorReport examine(String deviceName) {
        List<DoctorReport.Section> sections = new ArrayList<>();
        sections.add(runtime());
        DoctorReport.Section engine = engine();
        sections.add(engine);
        sections.add(cpu());
        sections.add(gpus());
        Device device;
        try {
            device = DeviceSpec.resolve(deviceName);
        } catch (RuntimeException e) {
            sections.add(
                    new DoctorReport.Section(
                            "device",
                            List.of(
                                    new String[] {"requested", deviceName},
                                    new String[] {"error", e.getMessage()})));
            return new DoctorReport(
                    deviceName, sections, false, "the device is not available: " + e.getMessage());
        }
        sections.add(dtypes(device));
        List<BlockProbe> probes = probes(device);
        sections.add(block(device, probes));
        BlockProbe reference = probes.get(0);
        boolean canTrain = reference.ok();
        String verdict =
                canTrain
                        ? device + " can train (float32 forward + backward finite)"
                        : device + " cannot train: " + reference.error();
        return new DoctorReport(device.toString(), sections, canTrain, verdict);
    }

    private static DoctorReport.Section runtime() {
        List<String[]> rows = new ArrayList<>();
        rows.add(
                row(
                        "java",
                        System.getProperty("java.version")
                                + " ("
                                + System.getProperty("java.vendor")
                                + ", "
                                + System.getProperty("java.vm.name")
                                + ")"));
        rows.add(
                row(
                        "os",
                        System.getProperty("os.name")
                                + " "
                                + System.getProperty("os.version")
                                + " "
                                + System.getProperty("os.arch")));
        rows.add(row("processors", Integer.toString(Runtime.getRuntime().availableProcessors())));
        rows.add(row("max heap", (Runtime.getRuntime().maxMemory() >> 20) + " MiB"));
        return new DoctorReport.Section("runtime", rows);
    }

    private static DoctorReport.Section engine() {
        List<String[]> rows = new ArrayList<>();
        rows.add(row("djl", Engine.getDjlVersion()));
        Engine pt = Engine.getEngine("PyTorch");
        rows.add(row("engine", pt.getEngineName() + " " + pt.getVersion()));
        String lib = mappedLibrary("libtorch_cuda.so");
        String cpuLib = mappedLibrary("libtorch_cpu.so");
        String path = lib != null ? lib : cpuLib;
        String flavour = "unknown";
        if (lib != null) {
            flavour = "cuda";
        } else if (cpuLib != null) {
            flavour = "cpu";
        }
        if (path != null) {
            String dir = Path.of(path).getParent().getFileName().toString();
            for (String part : dir.split("-")) {
                if (part.equals("cpu") || part.startsWith("cu1")) {
                    flavour = part;
                }
            }
        }
        rows.add(row("libtorch flavour", flavour));
        rows.add(row("native library", path == null ? "(not found in /proc/self/maps)" : path));
        rows.add(row("build features", String.valueOf(JniUtils.getFeatures())));
        for (String var : List.of("PYTORCH_LIBRARY_PATH", "PYTORCH_FLAVOR", "PYTORCH_VERSION")) {
            String v = System.getenv(var);
            if (v != null) {
                rows.add(row(var, v));
            }
        }
        rows.add(row("offline", System.getProperty("ai.djl.offline", "false")));
        rows.add(row("intra-op threads", Integer.toString(JniUtils.getNumThreads())));
        return new DoctorReport.Section("engine", rows);
    }

    private static DoctorReport.Section cpu() {
        List<String[]> rows = new ArrayList<>();
        String vendor = cpuInfo("vendor_id");
        rows.add(row("vendor", vendor));
        rows.add(row("model", cpuInfo("model name")));
        String preload = System.getenv("LD_PRELOAD");
        boolean shim = preload != null && preload.contains("libreward4j-mkl");
        String shimState;
        if (shim) {
            shimState = "loaded (" + preload + ")";
        } else if ("GenuineIntel".equals(vendor)) {
            shimState = "not needed (Intel CPU: MKL's fast kernels run by default)";
        } else {
            shimState =
                    "NOT loaded: float32 matmuls run MKL's generic kernels; start with the"
                            + " reward4j script (built with a C compiler) or LD_PRELOAD"
                            + " trainers/target/native/libreward4j-mkl.so";
        }
        rows.add(row("MKL dispatch shim", shimState));
        rows.add(
                row(
                        "TORCH_ALLOW_TF32_CUBLAS_OVERRIDE",
                        String.valueOf(System.getenv("TORCH_ALLOW_TF32_CUBLAS_OVERRIDE"))));
        return new DoctorReport.Section("cpu", rows);
    }

    private static DoctorReport.Section gpus() {
        List<String[]> rows = new ArrayList<>();
        int count = Engine.getInstance().getGpuCount();
        rows.add(row("cuda devices", Integer.toString(count)));
        if (count > 0) {
            rows.add(row("cuda runtime", CudaUtils.getCudaVersionString()));
        }
        for (int i = 0; i < count; i++) {
            MemoryUsage mem = CudaUtils.getGpuMemory(Device.gpu(i));
            rows.add(
                    row(
                            "gpu:" + i,
                            String.format(
                                    Locale.ROOT,
                                    "compute capability %s, memory %d MiB total, %d MiB used",
                                    CudaUtils.getComputeCapability(i),
                                    mem.getMax() >> 20,
                                    mem.getUsed() >> 20)));
        }
        return new DoctorReport.Section("devices", rows);
    }

    private static DoctorReport.Section dtypes(Device device) {
        List<String[]> rows = new ArrayList<>();
        for (DataType t :
                List.of(DataType.FLOAT32, DataType.FLOAT16, DataType.FLOAT64, DataType.INT64)) {
            String result;
            try (NDManager m = NDManager.newBaseManager(device)) {
                NDArray a = m.ones(new Shape(8, 8), t);
                NDArray c = t.isFloating() ? a.matMul(a).softmax(-1) : a.add(a);
                c.toType(DataType.FLOAT64, false).sum().getDouble();
                result = t.isFloating() ? "ok (matmul, softmax)" : "ok";
            } catch (RuntimeException e) {
                result = "FAILED: " + e.getMessage();
            }
            rows.add(row(t.name().toLowerCase(Locale.ROOT), result));
        }
        rows.add(
                row(
                        "bfloat16",
                        "not supported (DJL 0.35.1 aborts the JVM on bfloat16 arrays; not tried)"));
        return new DoctorReport.Section("dtypes on " + device, rows);
    }

    /** The probes: float32 eager first (the reference), then the others. */
    static List<BlockProbe> probes(Device device) {
        List<BlockProbe> out = new ArrayList<>();
        boolean tf32Here = "1".equals(System.getenv("TORCH_ALLOW_TF32_CUBLAS_OVERRIDE"));
        List<AttentionImpl> paths = List.of(AttentionImpl.EAGER, AttentionImpl.FUSED);
        if (!device.isGpu()) {
            for (AttentionImpl a : paths) {
                out.add(BlockProbe.run(device, "float32", DataType.FLOAT32, a, 3));
            }
            for (AttentionImpl a : paths) {
                out.add(BlockProbe.run(device, "float16", DataType.FLOAT16, a, 3));
            }
            return out;
        }
        List<BlockProbe> strict;
        List<BlockProbe> tf32;
        if (tf32Here) {
            tf32 = local(device, "tf32", DataType.FLOAT32, paths);
            strict = child(device, "float32", DataType.FLOAT32, paths, false);
        } else {
            strict = local(device, "float32", DataType.FLOAT32, paths);
            tf32 = child(device, "tf32", DataType.FLOAT32, paths, true);
        }
        out.addAll(strict);
        out.addAll(tf32);
        out.addAll(local(device, "float16", DataType.FLOAT16, paths));
        return out;
    }

    private static List<BlockProbe> local(
            Device d, String mode, DataType t, List<AttentionImpl> paths) {
        List<BlockProbe> out = new ArrayList<>();
        for (AttentionImpl a : paths) {
            out.add(BlockProbe.run(d, mode, t, a, 5));
        }
        return out;
    }

    /** Runs probes in a child JVM with TORCH_ALLOW_TF32_CUBLAS_OVERRIDE set or removed. */
    private static List<BlockProbe> child(
            Device d, String mode, DataType t, List<AttentionImpl> paths, boolean tf32) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Dai.djl.offline=" + System.getProperty("ai.djl.offline", "true"));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(BlockProbe.class.getName());
        cmd.add(d.isGpu() ? "gpu:" + d.getDeviceId() : "cpu");
        cmd.add(mode);
        cmd.add(t.name());
        paths.forEach(a -> cmd.add(a.name()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(false);
        if (tf32) {
            pb.environment().put("TORCH_ALLOW_TF32_CUBLAS_OVERRIDE", "1");
        } else {
            pb.environment().remove("TORCH_ALLOW_TF32_CUBLAS_OVERRIDE");
        }
        List<BlockProbe> out = new ArrayList<>();
        try {
            Process p = pb.start();
            ObjectMapper json = new ObjectMapper();
            try (BufferedReader r =
                    new BufferedReader(
                            new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("{")) {
                        out.add(parse(json.readTree(line)));
                    }
                }
            }
            p.waitFor(10, TimeUnit.MINUTES);
        } catch (IOException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
        for (AttentionImpl a : paths) {
            if (out.stream().noneMatch(b -> b.attention() == a)) {
                out.add(
                        new BlockProbe(
                                mode,
                                a,
                                false,
                                Double.NaN,
                                Double.NaN,
                                new double[0],
                                Double.NaN,
                                "child process gave no result"));
            }
        }
        return out;
    }

    private static BlockProbe parse(JsonNode j) {
        double[] rewards = new double[j.path("rewards").size()];
        for (int i = 0; i < rewards.length; i++) {
            rewards[i] = j.path("rewards").get(i).asDouble();
        }
        return new BlockProbe(
                j.path("mode").asText(),
                AttentionImpl.valueOf(j.path("attention").asText()),
                j.path("ok").asBoolean(),
                j.path("millis").isNull() ? Double.NaN : j.path("millis").asDouble(),
                j.path("tflops").isNull() ? Double.NaN : j.path("tflops").asDouble(),
                rewards,
                j.path("gradNorm").isNull() ? Double.NaN : j.path("gradNorm").asDouble(),
                j.path("error").isNull() ? null : j.path("error").asText());
    }

    private static DoctorReport.Section block(Device device, List<BlockProbe> probes) {
        List<String[]> rows = new ArrayList<>();
        BlockProbe reference = probes.get(0);
        for (BlockProbe p : probes) {
            String name = p.mode() + " " + p.attention().name().toLowerCase(Locale.ROOT);
            if (!p.ok()) {
                rows.add(row(name, "FAILED: " + p.error()));
                continue;
            }
            double dis = p.disagreement(reference);
            double tol = TOLERANCE.get(p.mode());
            rows.add(
                    row(
                            name,
                            String.format(
                                    Locale.ROOT,
                                    "%.2f ms, %.3f TFLOP/s, vs float32 eager %.2e (tolerance %.0e)"
                                            + " %s",
                                    p.millis(),
                                    p.tflops(),
                                    dis,
                                    tol,
                                    dis <= tol ? "agrees" : "DISAGREES")));
        }
        if (!device.isGpu()) {
            rows.add(row("tf32", "not applicable (TensorFloat-32 exists on NVIDIA GPUs only)"));
        }
        return new DoctorReport.Section("llama block forward + backward on " + device, rows);
    }

    private static String[] row(String key, String value) {
        return new String[] {key, value};
    }

    private static String cpuInfo(String key) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith(key)) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown";
    }

    private static String mappedLibrary(String name) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/maps"))) {
                int i = l.indexOf('/');
                if (i >= 0 && l.endsWith("/" + name)) {
                    return l.substring(i);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return null;
    }

    /** Keys of {@link DoctorReport.Section#rows()} rows, for tests. */
    static Map<String, String> asMap(DoctorReport.Section s) {
        Map<String, String> m = new LinkedHashMap<>();
        s.rows().forEach(r -> m.put(r[0], r[1]));
        return m;
    }
}
