package dev.reward4j.core.data;

import ai.djl.ndarray.NDArray;

/** Package-private helpers shared by the batch records. */
final class Arrays2 {
  private Arrays2() {}

  /** Closes every non-null array. */
  static void closeAll(NDArray... arrays) {
    for (NDArray a : arrays) {
      if (a != null) {
        a.close();
      }
    }
  }
}
