package dev.reward4j.trainers.pluralistic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class FewShotFitTest {
    @Test
    void adamFindsTheMinimumOfAQuadratic() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray target = m.create(new float[] {1.5f, -2f, 0.25f});
            double[] x =
                    FewShotFit.fit(
                            m,
                            3,
                            new FewShotFit.Settings(500, 0.05),
                            row -> row.sub(target).square().sum());
            assertEquals(1.5, x[0], 1e-3);
            assertEquals(-2, x[1], 1e-3);
            assertEquals(0.25, x[2], 1e-3);
        }
    }
}
