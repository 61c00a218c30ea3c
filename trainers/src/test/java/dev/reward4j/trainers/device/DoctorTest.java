package dev.reward4j.trainers.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import dev.reward4j.trainers.app.launcher.Reward4j;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DoctorTest {
    private static String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code =
                Reward4j.run(
                        args,
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {
            Integer.toString(code),
            out.toString(StandardCharsets.UTF_8),
            err.toString(StandardCharsets.UTF_8)
        };
    }

    @Test
    void theCpuCanTrainAndTheReportHasEverySection() {
        DoctorReport report = Doctor.examine("cpu");
        assertEquals(
                List.of(
                        "runtime",
                        "engine",
                        "cpu",
                        "devices",
                        "dtypes on cpu()",
                        "llama block forward + backward on cpu()"),
                report.sections().stream().map(DoctorReport.Section::title).toList());
        Map<String, String> engine = Doctor.asMap(report.sections().get(1));
        assertEquals(Engine.getDjlVersion(), engine.get("djl"));
        assertEquals("PyTorch 2.7.1", engine.get("engine"));
        assertEquals("cpu", engine.get("libtorch flavour"));
        assertTrue(engine.get("native library").endsWith("libtorch_cpu.so"), engine.toString());
        Map<String, String> dtypes = Doctor.asMap(report.sections().get(4));
        assertTrue(dtypes.get("float32").startsWith("ok"), dtypes.toString());
        assertTrue(dtypes.get("bfloat16").startsWith("not supported"), dtypes.toString());
        Map<String, String> block = Doctor.asMap(report.sections().get(5));
        assertEquals(
                List.of("float32 eager", "float32 fused", "float16 eager", "float16 fused", "tf32"),
                List.copyOf(block.keySet()));
        // the reference agrees with itself exactly; fused float32 within 1e-4
        assertTrue(block.get("float32 eager").contains("0.00e+00"), block.toString());
        assertTrue(block.get("float32 fused").endsWith(" agrees"), block.toString());
        assertTrue(block.get("tf32").startsWith("not applicable"), block.toString());
        assertTrue(report.canTrain());
        assertEquals(0, report.exitCode());
        assertTrue(
                report.render()
                        .endsWith("OK: cpu() can train (float32 forward + backward finite)\n"));
    }

    @Test
    void anInvisibleGpuCannotTrainAndTheCommandExitsNonZero() {
        String[] r = run("doctor", "--device", "gpu:3");
        assertEquals(Integer.toString(DoctorReport.CANNOT_TRAIN), r[0], r[1] + r[2]);
        assertTrue(r[1].contains("== runtime =="), r[1]);
        assertTrue(r[1].contains("== device =="), r[1]);
        assertTrue(r[1].contains("FAIL: the device is not available"), r[1]);
        assertFalse(r[1].contains("== llama block"), r[1]); // nothing to probe
    }

    @Test
    void unknownOptionsAreUsageErrors() {
        assertEquals("2", run("doctor", "--color", "red")[0]);
    }
}
