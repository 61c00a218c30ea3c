package dev.reward4j.trainers.app.launcher;

import dev.reward4j.trainers.device.Doctor;
import dev.reward4j.trainers.device.DoctorReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code reward4j doctor}: the node check of {@link Doctor}, printed; exit 4 when the device cannot
 * train.
 */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        versionProvider = Reward4j.Version.class,
        description = {
            "Check this node: Java, DJL and libtorch versions, CPU and MKL, CUDA devices with their"
                + " memory, working dtypes, and a timed Llama block forward and backward. Exit 4"
                + " when the device cannot train."
        })
final class DoctorCommand implements Callable<Integer> {
    @ParentCommand Reward4j root;

    @Option(
            names = "--device",
            paramLabel = "DEVICE",
            defaultValue = "auto",
            description = "cpu, gpu, gpu:N or auto (default ${DEFAULT-VALUE}).")
    String device;

    @Override
    public Integer call() {
        DoctorReport report = Doctor.examine(device);
        root.out.print(report.render());
        return report.exitCode();
    }
}
