package dev.reward4j.trainers.device;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves a device name to a DJL {@link Device}: {@code cpu}, {@code gpu} (= {@code gpu:0}),
 * {@code gpu:N} or {@code auto} (the first GPU when the PyTorch engine sees one, else the CPU).
 * Asking for a GPU that is not visible is an error, never a silent fallback to the CPU.
 */
public final class DeviceSpec {
    private static final Pattern GPU_N = Pattern.compile("gpu:(\\d+)");

    private DeviceSpec() {}

    /** Resolves {@code name} against the GPUs visible to the default engine. */
    public static Device resolve(String name) {
        return resolve(name, () -> Engine.getInstance().getGpuCount());
    }

    /**
     * Resolves {@code name} against {@code gpuCount} visible GPUs (a supplier so that {@code cpu}
     * never touches CUDA).
     *
     * @throws IllegalArgumentException for an unknown name or a GPU that is not visible
     */
    public static Device resolve(String name, IntSupplier gpuCount) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("cpu")) {
            return Device.cpu();
        }
        if (n.equals("auto")) {
            return gpuCount.getAsInt() > 0 ? Device.gpu(0) : Device.cpu();
        }
        int index;
        if (n.equals("gpu")) {
            index = 0;
        } else {
            Matcher m = GPU_N.matcher(n);
            if (!m.matches()) {
                throw new IllegalArgumentException(
                        "device: unknown device '"
                                + name
                                + "'; expected one of cpu, gpu, gpu:N, auto");
            }
            index = Integer.parseInt(m.group(1));
        }
        int count = gpuCount.getAsInt();
        if (index >= count) {
            throw new IllegalArgumentException(
                    "device: '"
                            + name
                            + "' requested but the PyTorch engine sees "
                            + count
                            + " GPU(s); expected gpu:0.."
                            + (count - 1)
                            + " or cpu. Put the CUDA native jar"
                            + " (ai.djl.pytorch:pytorch-native-cu128) on the class path or use"
                            + " --device cpu");
        }
        return Device.gpu(index);
    }

    /**
     * The configuration name of a resolved device, which {@link #resolve(String)} (and so {@code
     * train.device}) reads back to the same device: {@code cpu} or {@code gpu:N} (DJL's own {@code
     * Device.toString()} is {@code cpu()} / {@code gpu(N)}).
     */
    public static String name(Device device) {
        return Device.Type.CPU.equals(device.getDeviceType())
                ? "cpu"
                : "gpu:" + device.getDeviceId();
    }
}
