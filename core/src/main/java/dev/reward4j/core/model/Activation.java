package dev.reward4j.core.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/** MLP activation functions ({@code hidden_act} / {@code activation_function}). */
public enum Activation {
    /** SiLU / swish: {@code x * sigmoid(x)}. */
    SILU(List.of("silu", "swish")),
    /** Exact GELU: {@code x * Phi(x)} (erf form). */
    GELU(List.of("gelu")),
    /** tanh-approximated GELU ({@code gelu_new}, {@code gelu_pytorch_tanh}). */
    GELU_TANH(List.of("gelu_new", "gelu_pytorch_tanh")),
    /** ReLU. */
    RELU(List.of("relu"));

    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2.0 / Math.PI);
    private final List<String> hfNames;

    Activation(List<String> hfNames) {
        this.hfNames = hfNames;
    }

    /** The canonical HF name written to {@code config.json}. */
    public String hfName() {
        return hfNames.get(0);
    }

    /** Parses an HF activation name; the error lists the supported names. */
    public static Activation fromHf(String name, String where) {
        for (Activation a : values()) {
            if (a.hfNames.contains(name)) {
                return a;
            }
        }
        StringBuilder all = new StringBuilder();
        for (Activation a : values()) {
            all.append(all.length() == 0 ? "" : ", ").append(String.join(", ", a.hfNames));
        }
        throw new IllegalArgumentException(
                "model config: unsupported activation ("
                        + name
                        + ") in "
                        + where
                        + "; supported: "
                        + all
                        + ".");
    }

    /** Applies the activation; the result is attached to {@code x}'s manager. */
    NDArray apply(NDArray x) {
        switch (this) {
            case SILU:
                return x.mul(ai.djl.nn.Activation.sigmoid(x));
            case GELU:
                return ai.djl.nn.Activation.gelu(x);
            case GELU_TANH:
                // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
                // constants as engine arrays: mul(Number)/pow(Number) are unsafe under autograd
                // (see Ops.scalar)
                NDArray inner =
                        x.add(x.mul(x).mul(x).mul(Ops.scalar(x, 0.044715)))
                                .mul(Ops.scalar(x, SQRT_2_OVER_PI));
                NDArray t = inner.tanh();
                return x.mul(t.add(Ops.scalar(t, 1))).mul(Ops.scalar(x, 0.5));
            case RELU:
                return ai.djl.nn.Activation.relu(x);
            default:
                throw new IllegalStateException("Activation: unhandled " + this);
        }
    }
}
