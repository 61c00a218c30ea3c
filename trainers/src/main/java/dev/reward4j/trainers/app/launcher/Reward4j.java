package dev.reward4j.trainers.app.launcher;

import dev.reward4j.trainers.checkpoint.RunInfo;
import dev.reward4j.trainers.run.StopRequest;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code reward4j} command line (picocli): {@code train}, {@code eval}, {@code score}, {@code
 * demo}, {@code experiment}, {@code init}, {@code doctor}, {@code diagnose}, {@code spark}, {@code
 * completion}. Every command takes {@code --help}, {@code --version}, {@code --debug} and {@code
 * --key=value} as well as {@code --key value}; its help is generated from the same option
 * definitions it parses with. Progress goes to standard error, results to standard output. Exit
 * codes: {@link ExitCodes}.
 *
 * <pre>
 * reward4j train --config rm.yaml [--set key=value]... [--device D] [--resume auto|force|never]
 * reward4j eval  --model DIR --data FILE [--format F] [--output DIR] ...
 * reward4j score --model DIR --input rows.jsonl --output scored.jsonl ...
 * reward4j demo  [--out DIR] [--tiny] ...
 * reward4j init  rm|dpo|kto [--output FILE]
 * reward4j doctor [--device D]
 * reward4j diagnose --model DIR --data FILE [--reference DIR] [--ches-filter F] [--checkpoints RUN_DIR] ...
 * reward4j spark score|reference|prepare ...   (Spark jobs; under spark-submit)
 * reward4j completion > reward4j-completion.bash
 * </pre>
 */
@Command(
        name = "reward4j",
        mixinStandardHelpOptions = true,
        versionProvider = Reward4j.Version.class,
        description = {
            "Reward models and preference objectives on the JVM.",
            "Progress goes to standard error, results to standard output."
        },
        subcommands = {
            TrainCommand.class,
            EvalCommand.class,
            ScoreCommand.class,
            DemoCommand.class,
            ExperimentCommand.class,
            InitCommand.class,
            DoctorCommand.class,
            DiagnoseCommand.class,
            EnsembleCommand.class,
            PersonalizeCommand.class,
            SparkCommand.class,
            CompletionCommand.class,
            CommandLine.HelpCommand.class
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0    success",
            "  1    internal error (a bug; --debug prints the stack trace); experiment: an"
                    + " experiment failed",
            "  2    user error: usage, configuration, data, paths, files, a run directory"
                    + " holding another run",
            "  3    non-finite loss or gradient (the last checkpoint is kept)",
            "  4    doctor: the device cannot train",
            "  130  stopped by SIGINT (Ctrl-C), after a checkpoint; 143: by SIGTERM",
            "",
            "See README.md: run directories, resume rules, configuration keys."
        })
public final class Reward4j implements Callable<Integer> {
    @Option(
            names = "--debug",
            scope = ScopeType.INHERIT,
            description = "Print the stack trace of an error.")
    boolean debug;

    @Spec CommandSpec spec;

    final PrintStream out;
    final PrintStream err;
    final StopRequest stop;
    final List<String> args;

    Reward4j(PrintStream out, PrintStream err, StopRequest stop, List<String> args) {
        this.out = out;
        this.err = err;
        this.stop = stop;
        this.args = args;
    }

    /** Runs a command and exits with its status; SIGINT and SIGTERM stop a training cleanly. */
    public static void main(String[] args) {
        // quiet engine INFO lines unless the user asked for a level (must happen before the first
        // logger is created)
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        StopRequest stop = new StopRequest();
        int code;
        try (SignalStops signals = SignalStops.install(stop, System.err)) {
            code = run(args, System.out, System.err, stop);
        }
        System.exit(code);
    }

    /** Runs a command; returns the exit status ({@link ExitCodes}). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, out, err, new StopRequest());
    }

    /** Runs a command that {@code stop} can end early; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err, StopRequest stop) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        boolean debug = Arrays.asList(args).contains("--debug");
        CommandLine cli = commandLine(out, err, stop, List.of(args));
        cli.setExecutionExceptionHandler(
                (e, cmd, parse) ->
                        Failures.report(e, cmd.getCommandSpec().qualifiedName(), err, debug));
        cli.setParameterExceptionHandler(
                (e, a) -> {
                    CommandLine cmd = e.getCommandLine();
                    err.println(("reward4j " + name(cmd)).trim() + ": " + usageMessage(e));
                    err.println(
                            "Usage: "
                                    + cmd.getCommandSpec().qualifiedName()
                                    + " --help shows the options");
                    err.flush();
                    return ExitCodes.USER;
                });
        try {
            return cli.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** A parse error as one line: an unknown command or option lists the accepted ones. */
    static String usageMessage(CommandLine.ParameterException e) {
        CommandLine cmd = e.getCommandLine();
        if (e instanceof CommandLine.UnmatchedArgumentException u) {
            List<String> unmatched = u.getUnmatched();
            String first = unmatched.isEmpty() ? "" : unmatched.get(0);
            if (cmd.getParent() == null && !first.startsWith("-")) {
                return "unknown command '"
                        + first
                        + "'; expected one of "
                        + List.copyOf(cmd.getSubcommands().keySet());
            }
            List<String> options =
                    cmd.getCommandSpec().options().stream()
                            .filter(o -> !o.hidden())
                            .map(o -> o.longestName())
                            .sorted()
                            .toList();
            return "unknown option '"
                    + first
                    + "'; expected one of "
                    + options
                    + (cmd.getCommandSpec().positionalParameters().isEmpty()
                            ? ""
                            : " and "
                                    + cmd.getCommandSpec().positionalParameters().size()
                                    + " positional parameter(s)");
        }
        return e.getMessage();
    }

    private static String name(CommandLine cmd) {
        return cmd.getParent() == null ? "" : cmd.getCommandName();
    }

    /** The command line with its subcommands, writing to {@code out} and {@code err}. */
    static CommandLine commandLine(
            PrintStream out, PrintStream err, StopRequest stop, List<String> args) {
        CommandLine cli = new CommandLine(new Reward4j(out, err, stop, args));
        cli.setOut(
                new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cli.setErr(
                new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        cli.setUsageHelpWidth(100);
        return cli;
    }

    /** Without a command: the usage on standard error, exit 2. */
    @Override
    public Integer call() {
        err.println("reward4j: a command is required");
        spec.commandLine().usage(err);
        return ExitCodes.USER;
    }

    /** The version line: reward4j, DJL and Java versions. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String djl = ai.djl.engine.Engine.class.getPackage().getImplementationVersion();
            return new String[] {
                "reward4j "
                        + RunInfo.version()
                        + " (DJL "
                        + (djl == null ? "0.35.1" : djl)
                        + ", Java "
                        + System.getProperty("java.version")
                        + ")"
            };
        }
    }
}
