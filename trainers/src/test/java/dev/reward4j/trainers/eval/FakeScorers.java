package dev.reward4j.trainers.eval;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Deterministic fake {@link TextScorer}s for scoring-logic tests (score production is tested
 * elsewhere).
 */
final class FakeScorers {
    private FakeScorers() {}

    /**
     * Reads the score written at the end of each completion after {@code #}, e.g. {@code "Paris
     * #4"} -> 4.
     */
    static final class Tagged implements TextScorer {
        final List<Integer> batchSizes = new ArrayList<>();

        @Override
        public double[] score(List<ScoringRequest> batch) {
            batchSizes.add(batch.size());
            double[] out = new double[batch.size()];
            for (int i = 0; i < out.length; i++) {
                String c = batch.get(i).completion();
                out[i] = Double.parseDouble(c.substring(c.lastIndexOf('#') + 1).trim());
            }
            return out;
        }
    }

    /**
     * A pseudo-random score from a hash of the whole conversation: depends on the text only, never
     * on the batch.
     */
    static final class Hashing implements TextScorer {
        @Override
        public double[] score(List<ScoringRequest> batch) {
            return batch.stream()
                    .mapToDouble(
                            r -> {
                                long h = r.conversation().hashCode() * 0x9E3779B97F4A7C15L;
                                return ((h >>> 11) % 2001) / 1000.0
                                        - 1.0; // in [-1, 1], coarse so that ties occur
                            })
                    .toArray();
        }
    }

    static Path resource(String name) {
        try {
            return Path.of(FakeScorers.class.getResource("/eval/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
