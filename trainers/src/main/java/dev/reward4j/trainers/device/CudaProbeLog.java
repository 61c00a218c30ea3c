package dev.reward4j.trainers.device;

import java.util.Locale;

/**
 * Quiets DJL's CUDA probe for runs that asked for the CPU.
 *
 * <p>When the PyTorch engine loads it asks the CUDA runtime for the GPU count to pick its native
 * flavour, whatever device the run will use. On a machine that has the CUDA runtime but no usable
 * driver, {@code ai.djl.util.cuda.CudaUtils} then logs {@code WARN Failed to detect GPU count: CUDA
 * driver version is insufficient ...} (twice). For a run that explicitly asked for {@code cpu} that
 * line is noise; for {@code gpu}, {@code gpu:N} and {@code auto} it explains why no GPU is seen, so
 * it stays.
 */
public final class CudaProbeLog {
    /** The slf4j-simple property that sets the level of DJL's CUDA probe logger. */
    public static final String PROPERTY = "org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils";

    private CudaProbeLog() {}

    /**
     * Raises the CUDA probe's log level to {@code error} when {@code deviceName} is {@code cpu} and
     * the user has not set {@value #PROPERTY}; does nothing otherwise. Effective only before the
     * engine first loads (slf4j-simple reads the level when the logger is created), so call it
     * right after parsing the device, before any {@code NDManager}.
     *
     * @return whether the level was raised
     */
    public static boolean quietForCpu(String deviceName) {
        boolean cpu =
                deviceName != null && deviceName.trim().toLowerCase(Locale.ROOT).equals("cpu");
        if (!cpu || System.getProperty(PROPERTY) != null) {
            return false;
        }
        System.setProperty(PROPERTY, "error");
        return true;
    }
}
