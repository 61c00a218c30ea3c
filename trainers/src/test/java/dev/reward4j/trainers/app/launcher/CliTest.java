package dev.reward4j.trainers.app.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.reward4j.trainers.config.ConfigLoader;
import dev.reward4j.trainers.config.ObjectiveConfig;
import dev.reward4j.trainers.config.RunConfig;
import dev.reward4j.trainers.config.StandardObjectives;
import dev.reward4j.trainers.run.StopRequest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The command line's conventions: help, version, option forms, completion, init, exit codes. */
class CliTest {
    @TempDir Path dir;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        out.reset();
        err.reset();
        return Reward4j.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "train",
                "eval",
                "score",
                "demo",
                "experiment",
                "init",
                "doctor",
                "completion"
            })
    void everyCommandHasHelpAndVersionGeneratedFromItsOptions(String command) {
        String[] prefix = command.isEmpty() ? new String[0] : new String[] {command};
        for (String flag : List.of("--help", "-h")) {
            assertEquals(0, run(concat(prefix, flag)), err.toString());
            String help = out.toString();
            assertTrue(
                    help.startsWith("Usage: reward4j" + (command.isEmpty() ? "" : " " + command)),
                    help);
            CommandLine cli =
                    Reward4j.commandLine(System.out, System.err, new StopRequest(), List.of());
            CommandLine cmd = command.isEmpty() ? cli : cli.getSubcommands().get(command);
            for (CommandLine.Model.OptionSpec o : cmd.getCommandSpec().options()) {
                assertTrue(
                        help.contains(o.longestName()), o.longestName() + " missing in\n" + help);
            }
        }
        assertEquals(0, run(concat(prefix, "--version")), err.toString());
        assertTrue(out.toString().startsWith("reward4j "), out.toString());
        assertTrue(out.toString().contains("DJL"), out.toString());
    }

    static String[] concat(String[] a, String b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + 1);
        c[a.length] = b;
        return c;
    }

    @Test
    void optionsTakeTheirValueAfterAnEqualsSignToo() {
        Path missing = dir.resolve("missing.yaml");
        assertEquals(2, run("train", "--config=" + missing));
        assertEquals(
                "reward4j train: config: "
                        + missing
                        + " does not exist; expected a YAML or JSON file",
                err.toString().strip());
        assertEquals(2, run("train", "--config", missing.toString()));
        assertTrue(err.toString().contains(missing + " does not exist"), err.toString());
    }

    @Test
    void errorsAreOneMessageAndTheStackTraceOnlyWithDebug() {
        Path missing = dir.resolve("missing.yaml");
        assertEquals(2, run("train", "--config", missing.toString()));
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertEquals(2, run("train", "--config", missing.toString(), "--debug"));
        assertTrue(err.toString().contains("\tat dev.reward4j"), err.toString());
    }

    @Test
    void noCommandAndAnUnknownCommandExitTwoWithTheCommands() {
        assertEquals(2, run());
        assertTrue(err.toString().startsWith("reward4j: a command is required"), err.toString());
        assertTrue(err.toString().contains("Exit codes:"), err.toString());
        assertEquals(2, run("fit"));
        assertTrue(err.toString().startsWith("reward4j: unknown command 'fit'"), err.toString());
    }

    @Test
    void completionPrintsABashScriptForEveryCommand() {
        assertEquals(0, run("completion"), err.toString());
        String script = out.toString();
        assertTrue(script.contains("complete -F"), script.substring(0, 300));
        for (String c :
                List.of("train", "eval", "score", "demo", "init", "--resume", "--batch-size")) {
            assertTrue(script.contains(c), c);
        }
    }

    @Test
    void initWritesACommentedStarterConfigForEachKindThatParses() throws Exception {
        ConfigLoader loader = new ConfigLoader(StandardObjectives.catalog());
        Map<String, Class<?>> family =
                Map.of(
                        "rm", ObjectiveConfig.RewardPairs.class,
                        "dpo", ObjectiveConfig.PolicyPairs.class,
                        "kto", ObjectiveConfig.PolicyUnpaired.class);
        for (String kind : List.of("rm", "dpo", "kto")) {
            Path file = dir.resolve(kind + ".yaml");
            assertEquals(0, run("init", kind, "--output", file.toString()), err.toString());
            assertTrue(out.toString().contains("wrote " + file), out.toString());
            String text = Files.readString(file);
            assertTrue(text.startsWith("# "), "commented: " + text);
            RunConfig c =
                    loader.resolve(
                            TrlKeys.normalize(loader.read(file), file.toString()), List.of());
            assertTrue(family.get(kind).isInstance(c.objective()), kind + ": " + c.objective());
        }
        Path rm = dir.resolve("rm.yaml");
        Files.writeString(rm, "mine");
        assertEquals(2, run("init", "rm", "--output", rm.toString()));
        assertTrue(err.toString().contains(rm + " exists"), err.toString());
        assertEquals("mine", Files.readString(rm), "an existing file is kept");
        assertEquals(0, run("init", "rm", "--output", rm.toString(), "--force"));
        assertFalse(Files.readString(rm).equals("mine"));
        assertEquals(2, run("init", "ppo"));
        assertTrue(err.toString().contains("expected one of [rm, dpo, kto]"), err.toString());
    }

    @Test
    void evalWritesNextToTheModelItEvaluated() {
        assertEquals(
                Path.of("runs/rm/eval-final-test").toAbsolutePath(),
                EvalCommand.defaultOutput(Path.of("runs/rm/final"), Path.of("data/test.jsonl.gz")));
        assertEquals(
                Path.of("/models/eval-qwen-rb"),
                EvalCommand.defaultOutput(Path.of("/models/qwen"), Path.of("rb.parquet")));
    }
}
