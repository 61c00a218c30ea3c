package dev.reward4j.trainers.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Collection;
import java.util.function.Supplier;

/** Gradient housekeeping shared by the optimizer, the clip and the loop (PyTorch engine). */
public final class Gradients {
  private Gradients() {}

  /** Sets every parameter's gradient to zero (DJL never zeroes gradients by itself). */
  public static void zero(Collection<NDArray> params) {
    for (NDArray p : params) {
      if (p.hasGradient()) {
        JniUtils.zeroGrad((PtNDArray) p);
      }
    }
  }

  /**
   * Runs {@code body} with autograd recording off on this thread, then restores the previous mode. In-place updates of
   * leaves that require grad are only allowed in this mode (grad mode is thread-local, engine notes §6).
   */
  public static <T> T withGradModeOff(Supplier<T> body) {
    boolean previous = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      return body.get();
    } finally {
      JniUtils.setGradMode(previous);
    }
  }
}
