package dev.reward4j.trainers.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.trainers.preference.TokenMaskSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The learned SparsePO mask head in a checkpoint directory ({@value #FILE}, safetensors): written
 * with every checkpoint and read back on resume, so a resumed run continues with the same mask (its
 * optimizer moments are in the optimizer state with the policy's).
 */
final class LearnedMasks {
    /** The file in a checkpoint directory. */
    static final String FILE = "sparse-po-masks.safetensors";

    private LearnedMasks() {}

    /** Writes the mask's parameters into {@code dir}. */
    static void save(TokenMaskSource.Learned masks, Path dir) throws IOException {
        NDArray w = masks.weight().toDevice(ai.djl.Device.cpu(), true);
        NDArray b = masks.bias().toDevice(ai.djl.Device.cpu(), true);
        try (OutputStream out = Files.newOutputStream(dir.resolve(FILE))) {
            w.setName("weight");
            b.setName("bias");
            new NDList(w, b).encode(out, NDList.Encoding.SAFETENSORS);
        } finally {
            w.close();
            b.close();
        }
    }

    /**
     * The mask of checkpoint {@code dir}, as trainable arrays in the policy's manager and on its
     * device.
     *
     * @throws IOException when the checkpoint has no mask file (it was written by a run without
     *     learned masks)
     */
    static TokenMaskSource.Learned load(Path dir, DecoderModel policy) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new IOException(
                    "sparse-po: checkpoint "
                            + dir
                            + " has no "
                            + FILE
                            + " (it was written without objective.masks: learned); expected the"
                            + " learned mask of the run to resume");
        }
        float[] weight;
        float[] bias;
        // the decoded arrays may alias the stream's buffer: copy their values out and create the
        // parameters afresh, as TokenMaskSource.Learned.create does
        try (InputStream in = Files.newInputStream(file);
                NDManager scratch = NDManager.newBaseManager(ai.djl.Device.cpu());
                NDList list = NDList.decode(scratch, in)) {
            weight = list.get("weight").toFloatArray();
            bias = list.get("bias").toFloatArray();
        }
        NDArray w = policy.manager().create(weight);
        NDArray b = policy.manager().create(bias);
        w.setRequiresGradient(true);
        b.setRequiresGradient(true);
        return new TokenMaskSource.Learned(w, b);
    }
}
