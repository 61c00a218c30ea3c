package dev.reward4j.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.core.testing.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Reads the {@code *-cases.json} golden files into arrays. */
final class Cases {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Cases() {}

    static JsonNode read(String name) {
        try {
            return JSON.readTree(Fixtures.hf(name + "-cases.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static NDArray longs(NDManager m, JsonNode rows) {
        int n = rows.size();
        int t = rows.get(0).size();
        long[] data = new long[n * t];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < t; j++) {
                data[i * t + j] = rows.get(i).get(j).asLong();
            }
        }
        return m.create(data, new Shape(n, t));
    }

    static double[] doubles(JsonNode values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).asDouble();
        }
        return out;
    }

    static double maxAbsDiff(double[] expected, float[] actual) {
        if (expected.length != actual.length) {
            throw new AssertionError("length " + actual.length + " != " + expected.length);
        }
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            max = Math.max(max, Math.abs(expected[i] - actual[i]));
        }
        return max;
    }
}
