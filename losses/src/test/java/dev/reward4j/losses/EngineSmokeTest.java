package dev.reward4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class EngineSmokeTest {
  @Test
  void bothEnginesComputeTheSameSoftplusInFloat64() {
    double[] x = {-3.0, 0.0, 2.5};
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      NDArray a = m.create(x);
      double[] djl = a.neg().exp().add(1).log().toDoubleArray();
      INDArray b = Nd4j.createFromArray(x);
      double[] nd = org.nd4j.linalg.ops.transforms.Transforms.log(
          org.nd4j.linalg.ops.transforms.Transforms.exp(b.neg()).add(1.0)).toDoubleVector();
      for (int i = 0; i < x.length; i++) {
        assertEquals(nd[i], djl[i], 1e-12);
      }
    }
  }
}
