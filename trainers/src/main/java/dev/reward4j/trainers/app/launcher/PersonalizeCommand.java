package dev.reward4j.trainers.app.launcher;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.heads.HeadLayout;
import dev.reward4j.core.heads.IdealPointParameters;
import dev.reward4j.core.heads.ScalarHeads;
import dev.reward4j.core.heads.UserTable;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.losses.IdealPointObjective.PalA;
import dev.reward4j.trainers.config.ConfigException;
import dev.reward4j.trainers.device.CudaProbeLog;
import dev.reward4j.trainers.eval.RewardModels;
import dev.reward4j.trainers.pluralistic.FewShotFit;
import dev.reward4j.trainers.pluralistic.IdealPointScorer;
import dev.reward4j.trainers.run.TrainRun;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code reward4j personalize}: PAL-A's few-shot fitting of new users ("PAL: Pluralistic Alignment
 * Framework for Learning from Heterogeneous Preferences", arXiv 2406.08469). For every user of
 * {@code --shots} (TRL pairs with {@code user_id}) the user's simplex weights over the trained
 * prototypes are fitted on the user's comparisons with the model and the prototypes frozen ({@link
 * FewShotFit#idealPointLogits}); {@code --output} gets a copy of the model whose user table holds
 * the new users too, so {@code score} and {@code eval} serve them like the training users.
 */
@Command(
        name = "personalize",
        mixinStandardHelpOptions = true,
        versionProvider = Reward4j.Version.class,
        description = {
            "Fit new users of a pal model from a few of their comparisons (prototypes and model"
                    + " frozen) and write a copy of the model that knows them.",
            "--shots: TRL pairs with user_id, users not yet in the model."
        })
final class PersonalizeCommand implements Callable<Integer> {
    @ParentCommand Reward4j root;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "A model trained with objective.type pal.")
    Path model;

    @Option(
            names = "--shots",
            required = true,
            paramLabel = "FILE",
            description = "The new users' comparisons (TRL pairs with user_id).")
    Path shots;

    @Option(
            names = "--output",
            required = true,
            paramLabel = "DIR",
            description = "The personalised model directory (must not exist).")
    Path output;

    @Option(
            names = "--steps",
            paramLabel = "N",
            defaultValue = "200",
            description = "Adam steps per user (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(
            names = "--lr",
            paramLabel = "LR",
            defaultValue = "0.1",
            description = "Adam learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(
            names = "--device",
            paramLabel = "DEVICE",
            defaultValue = "cpu",
            description = "cpu, gpu, gpu:N or auto (default ${DEFAULT-VALUE}).")
    String device;

    @Override
    public Integer call() throws Exception {
        PrintStream out = root.out;
        EvalCommand.Inputs.file(shots, "--shots");
        HeadLayout layout;
        try {
            layout = HeadLayout.read(model).orElse(null);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--model: " + e.getMessage(), e);
        }
        if (!(layout instanceof HeadLayout.IdealPoints pal)) {
            throw new ConfigException(
                    "--model: "
                            + model
                            + " is "
                            + (layout == null
                                    ? "a plain reward model"
                                    : "a " + layout.kind() + " model")
                            + "; expected a model trained with objective.type pal");
        }
        if (Files.exists(output)) {
            throw new ConfigException("--output: " + output + " exists; expected a new directory");
        }
        FewShotFit.Settings settings;
        try {
            settings = new FewShotFit.Settings(steps, lr);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--steps/--lr: " + e.getMessage(), e);
        }
        CudaProbeLog.quietForCpu(device);
        ModelAccess access = new ModelAccess(model, null, null, device);
        Map<String, double[]> fitted = new LinkedHashMap<>();
        Map<String, double[]> shotAccuracy = new LinkedHashMap<>();
        try (TextEncoder encoder = TextEncoder.load(access.tokenizerDir())) {
            List<TokenizedPair> pairs = access.pairs(shots, encoder);
            Map<String, List<TokenizedPair>> byUser = new LinkedHashMap<>();
            for (TokenizedPair p : pairs) {
                String user =
                        p.userId()
                                .orElseThrow(
                                        () ->
                                                new ConfigException(
                                                        "--shots: "
                                                                + p.source()
                                                                + " has no user_id; expected the"
                                                                + " new user of every comparison"));
                byUser.computeIfAbsent(user, u -> new ArrayList<>()).add(p);
            }
            ScalarHeads embedding = new ScalarHeads(pal.dims());
            PalA loss = new PalA(pal.tau());
            PairCollator collator = new PairCollator(TrainRun.padding(encoder));
            try (DecoderModel m =
                            RewardModels.load(model, access.tokenizerDir(), access.options());
                    IdealPointParameters params = IdealPointParameters.load(model, m.manager())) {
                List<String> known =
                        byUser.keySet().stream()
                                .filter(u -> params.users().users().row(u).isPresent())
                                .toList();
                if (!known.isEmpty()) {
                    throw new ConfigException(
                            "--shots: users "
                                    + known
                                    + " are already in the model; expected new users only");
                }
                IdealPointScorer scorer = new IdealPointScorer(m, embedding, params, loss);
                for (Map.Entry<String, List<TokenizedPair>> e : byUser.entrySet()) {
                    try (NDManager sub = m.manager().newSubManager();
                            PairBatch batch = collator.collate(e.getValue(), sub)) {
                        double[] logits =
                                FewShotFit.idealPointLogits(
                                        m, embedding, params, loss, batch, settings);
                        fitted.put(e.getKey(), logits);
                        double[] p = scorer.probability(batch, logits);
                        double right = 0;
                        for (double v : p) {
                            right += v > 0.5 ? 1 : 0;
                        }
                        shotAccuracy.put(e.getKey(), new double[] {right / p.length, p.length});
                    }
                }
                Path tmp =
                        output.toAbsolutePath()
                                .resolveSibling(
                                        ".tmp-" + output.getFileName() + "-" + System.nanoTime());
                copy(model, tmp);
                try (UserTable table = params.users().withUsers(m.manager(), fitted)) {
                    table.save(tmp);
                }
                Files.move(tmp, output, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        shotAccuracy.forEach(
                (user, a) ->
                        out.printf(
                                Locale.ROOT,
                                "user %s: %d shots, accuracy on them %.4f%n",
                                user,
                                (int) a[1],
                                a[0]));
        out.println("personalized " + fitted.size() + " new users into " + output);
        return ExitCodes.OK;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            files.forEach(
                    f -> {
                        try {
                            Path target = to.resolve(from.relativize(f).toString());
                            if (Files.isDirectory(f)) {
                                Files.createDirectories(target);
                            } else {
                                Files.copy(f, target);
                            }
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
        }
    }
}
