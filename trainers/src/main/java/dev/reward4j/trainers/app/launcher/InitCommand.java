package dev.reward4j.trainers.app.launcher;

import dev.reward4j.trainers.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code reward4j init rm|dpo|kto}: writes a commented starter configuration (the shipped {@code
 * examples/rm.yaml}, {@code dpo.yaml} or {@code kto.yaml}) to edit and run with {@code reward4j
 * train --config}.
 */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        versionProvider = Reward4j.Version.class,
        description = {
            "Write a commented starter configuration: rm (Bradley-Terry reward model), dpo (DPO"
                    + " policy) or kto (KTO policy on unpaired feedback)."
        })
final class InitCommand implements Callable<Integer> {
    /** The starter kinds. */
    static final List<String> KINDS = List.of("rm", "dpo", "kto");

    @ParentCommand Reward4j root;

    @Parameters(
            index = "0",
            paramLabel = "KIND",
            description = "${COMPLETION-CANDIDATES}",
            completionCandidates = Kinds.class)
    String kind;

    @Option(
            names = "--output",
            paramLabel = "FILE",
            description = "Where to write it (default: KIND.yaml in the current directory).")
    Path output;

    @Option(names = "--force", description = "Replace an existing file.")
    boolean force;

    /** The kind names. */
    static final class Kinds extends java.util.ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Kinds() {
            super(KINDS);
        }
    }

    @Override
    public Integer call() throws IOException {
        if (!KINDS.contains(kind)) {
            throw new ConfigException(
                    "init: unknown kind '" + kind + "'; expected one of " + KINDS);
        }
        Path file = output != null ? output : Path.of(kind + ".yaml");
        if (Files.exists(file) && !force) {
            throw new ConfigException(
                    "--output: "
                            + file
                            + " exists; expected a new file (or add --force to replace it)");
        }
        byte[] text;
        try (InputStream in =
                InitCommand.class.getResourceAsStream("/examples/" + kind + ".yaml")) {
            if (in == null) {
                throw new IllegalStateException("init: examples/" + kind + ".yaml is not packaged");
            }
            text = in.readAllBytes();
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, text);
        root.out.println(
                "wrote "
                        + file
                        + " (edit model.path and data.train, then: reward4j train --config "
                        + file
                        + ")");
        return ExitCodes.OK;
    }
}
