package dev.reward4j.bench.e2e;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Profiles a whole {@code TrainThroughput} run of another commit (whose harness has no {@code
 * --profile}): put this commit's benchmarks jar after the other commit's on the class path, so that
 * {@code TrainThroughput} resolves to the other commit's. The libtorch profiler records the whole
 * run; the harness's matmul-peak products (square {@code n x n} matmuls) are left out and the times
 * are divided by warm-up + timed steps. Prints the harness's JSON line with a {@code profile}
 * field.
 *
 * <pre>
 * java -cp OLD/benchmarks.jar:NEW/benchmarks.jar dev.reward4j.bench.e2e.ProfiledRun --model small ...
 * </pre>
 */
public final class ProfiledRun {
    private ProfiledRun() {}

    /** Runs, profiles and prints. */
    public static void main(String[] args) throws Exception {
        ai.djl.engine.Engine.getEngine("PyTorch"); // loads the native library
        Path trace = Files.createTempFile("reward4j-ops-", ".json");
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        long t0 = System.nanoTime();
        JniUtils.startProfile(false, true, false);
        try {
            TrainThroughput.main(args);
        } finally {
            JniUtils.stopProfile(trace.toString());
            System.setOut(stdout);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        ObjectMapper json = new ObjectMapper();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.startsWith("{")) {
                continue;
            }
            ObjectNode row = (ObjectNode) json.readTree(line);
            int warmup = 3;
            for (int i = 0; i + 1 < args.length; i++) {
                if (args[i].equals("--warmup")) {
                    warmup = Integer.parseInt(args[i + 1]);
                }
            }
            int steps = row.path("steps").asInt() + warmup;
            OpProfile.Totals t = OpProfile.read(trace, ProfiledRun::isPeakMatmul);
            row.set(
                    "profile",
                    json.valueToTree(
                            OpProfile.summary(t, steps, t.topLevelMicros() / 1e6 / steps, 12)));
            row.put("profile_scope", "whole run incl. warm-up and set-up, host time not separated");
            row.put("profile_wall_s", seconds);
            stdout.println(json.writeValueAsString(row));
        }
        Files.deleteIfExists(trace);
    }

    /**
     * The harness's peak measurement: an aten::matmul of two equal square matrices, and the random
     * fill of its operands.
     */
    static boolean isPeakMatmul(JsonNode e) {
        if (e.path("name").asText().equals("aten::uniform_")) {
            return true;
        }
        if (!e.path("name").asText().equals("aten::matmul")) {
            return false;
        }
        JsonNode shape = e.path("shape");
        if (shape.size() < 2 || shape.get(0).size() != 2) {
            return false;
        }
        long n = shape.get(0).get(0).asLong();
        return n >= 1024
                && shape.get(0).get(1).asLong() == n
                && shape.get(1).size() == 2
                && shape.get(1).get(0).asLong() == n
                && shape.get(1).get(1).asLong() == n;
    }
}
