package dev.reward4j.core.model;

import dev.reward4j.core.util.Checks;

/**
 * Rotary-embedding frequency scaling ({@code rope_parameters.rope_type} or the older {@code
 * rope_scaling.type}). Supported: {@code default}, {@code linear}, {@code llama3}.
 */
public sealed interface RopeScaling
        permits RopeScaling.None, RopeScaling.Linear, RopeScaling.Llama3 {

    /** No scaling ({@code rope_type = default}). */
    RopeScaling NONE = new None();

    /** The HF {@code rope_type} name. */
    String ropeType();

    /**
     * Scales the unscaled inverse frequencies {@code 1 / theta^(2i/d)} in place and returns them.
     */
    double[] scale(double[] invFreq);

    /**
     * Inverse frequencies for head dimension {@code headDim} and base {@code theta}, after scaling.
     */
    default double[] invFreq(double theta, int headDim) {
        double[] inv = new double[headDim / 2];
        for (int i = 0; i < inv.length; i++) {
            // HF: 1 / theta ** (arange(0, dim, 2).float() / dim)
            inv[i] = 1.0 / Math.pow(theta, (2.0 * i) / headDim);
        }
        return scale(inv);
    }

    /** Plain RoPE. */
    record None() implements RopeScaling {
        @Override
        public String ropeType() {
            return "default";
        }

        @Override
        public double[] scale(double[] invFreq) {
            return invFreq;
        }
    }

    /** Position interpolation: frequencies divided by {@code factor}. */
    record Linear(double factor) implements RopeScaling {
        public Linear {
            Checks.positive(factor, "rope linear factor");
        }

        @Override
        public String ropeType() {
            return "linear";
        }

        @Override
        public double[] scale(double[] invFreq) {
            for (int i = 0; i < invFreq.length; i++) {
                invFreq[i] /= factor;
            }
            return invFreq;
        }
    }

    /**
     * Llama 3.1 frequency-dependent scaling (HF {@code _compute_llama3_parameters}): long
     * wavelengths are divided by {@code factor}, short ones kept, the band between smoothly
     * interpolated.
     */
    record Llama3(
            double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions)
            implements RopeScaling {
        public Llama3 {
            Checks.positive(factor, "rope llama3 factor");
            Checks.positive(lowFreqFactor, "rope llama3 low_freq_factor");
            Checks.argument(
                    highFreqFactor > lowFreqFactor,
                    () ->
                            "rope llama3: high_freq_factor ("
                                    + highFreqFactor
                                    + ") must exceed low_freq_factor ("
                                    + lowFreqFactor
                                    + ")");
            Checks.positive(originalMaxPositions, "rope llama3 original_max_position_embeddings");
        }

        @Override
        public String ropeType() {
            return "llama3";
        }

        @Override
        public double[] scale(double[] invFreq) {
            double lowFreqWavelen = originalMaxPositions / lowFreqFactor;
            double highFreqWavelen = originalMaxPositions / highFreqFactor;
            for (int i = 0; i < invFreq.length; i++) {
                double wavelen = 2 * Math.PI / invFreq[i];
                double f = wavelen > lowFreqWavelen ? invFreq[i] / factor : invFreq[i];
                boolean medium = !(wavelen < highFreqWavelen) && !(wavelen > lowFreqWavelen);
                if (medium) {
                    double smooth =
                            (originalMaxPositions / wavelen - lowFreqFactor)
                                    / (highFreqFactor - lowFreqFactor);
                    f = (1 - smooth) * f / factor + smooth * f;
                }
                invFreq[i] = f;
            }
            return invFreq;
        }
    }
}
