package dev.reward4j.trainers.app.launcher;

import ai.djl.ndarray.NDManager;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.heads.HeadLayout;
import dev.reward4j.core.heads.IdealPointParameters;
import dev.reward4j.core.heads.MixtureHead;
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
import dev.reward4j.trainers.pluralistic.MixtureScorer;
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
 * {@code reward4j personalize}: few-shot fitting of new users of a pluralistic model. For every
 * user of {@code --shots} (TRL pairs with {@code user_id}) the user's vector is fitted on the
 * user's comparisons with the model frozen: PAL-A's simplex weights over the trained prototypes
 * ("PAL: Pluralistic Alignment Framework for Learning from Heterogeneous Preferences", arXiv
 * 2406.08469; {@link FewShotFit#idealPointLogits}) or a mixture's routing bias over its heads
 * ("MiCRo: Mixture Modeling and Context-aware Routing for Personalized Preference Learning", arXiv
 * 2505.24846; {@link FewShotFit#routingBias}). {@code --output} gets a copy of the model whose user
 * table holds the new users too, so {@code score} and {@code eval} serve them like the training
 * users.
 */
@Command(
        name = "personalize",
        mixinStandardHelpOptions = true,
        versionProvider = Reward4j.Version.class,
        description = {
            "Fit new users of a pal or mixture model from a few of their comparisons (the model"
                    + " frozen) and write a copy of the model that knows them.",
            "--shots: TRL pairs with user_id, users not yet in the model."
        })
final class PersonalizeCommand implements Callable<Integer> {
    @ParentCommand Reward4j root;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "DIR",
            description = "A model trained with objective.type pal or mixture.")
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
        if (!(layout instanceof HeadLayout.IdealPoints || layout instanceof HeadLayout.Mixture)) {
            throw new ConfigException(
                    "--model: "
                            + model
                            + " is "
                            + (layout == null
                                    ? "a plain reward model"
                                    : "a " + layout.kind() + " model")
                            + "; expected a model trained with objective.type pal or mixture");
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
            PairCollator collator = new PairCollator(TrainRun.padding(encoder));
            try (DecoderModel m =
                            RewardModels.load(model, access.tokenizerDir(), access.options());
                    UserFit fit = UserFit.of(layout, model, m, settings)) {
                List<String> known =
                        byUser.keySet().stream()
                                .filter(
                                        u ->
                                                fit.table() != null
                                                        && fit.table().users().row(u).isPresent())
                                .toList();
                if (!known.isEmpty()) {
                    throw new ConfigException(
                            "--shots: users "
                                    + known
                                    + " are already in the model; expected new users only");
                }
                for (Map.Entry<String, List<TokenizedPair>> e : byUser.entrySet()) {
                    try (NDManager sub = m.manager().newSubManager();
                            PairBatch batch = collator.collate(e.getValue(), sub)) {
                        double[] row = fit.fit(batch);
                        fitted.put(e.getKey(), row);
                        double[] p = fit.probability(batch, row);
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
                try (UserTable table =
                        fit.table() == null
                                ? UserTable.of(m.manager(), fit.tableName(), fitted)
                                : fit.table().withUsers(m.manager(), fitted)) {
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

    /**
     * The per-user vector a layout personalises: PAL-A's simplex logits over the prototypes, or a
     * mixture's routing bias over its heads (MiCRo's user routing; a prompt-routed mixture gets a
     * table of the new users only).
     */
    private interface UserFit extends AutoCloseable {
        /** The model's table of users, or null when it has none yet. */
        UserTable table();

        /** The table's name in the model directory. */
        String tableName();

        /** The new user's row, fitted on its comparisons with everything else frozen. */
        double[] fit(PairBatch shots);

        /** The probabilities of the user's comparisons under the fitted row. */
        double[] probability(PairBatch shots, double[] row);

        @Override
        void close();

        static UserFit of(
                HeadLayout layout, Path dir, DecoderModel m, FewShotFit.Settings settings) {
            if (layout instanceof HeadLayout.IdealPoints pal) {
                IdealPointParameters params = IdealPointParameters.load(dir, m.manager());
                ScalarHeads embedding = new ScalarHeads(pal.dims());
                PalA loss = new PalA(pal.tau());
                IdealPointScorer scorer = new IdealPointScorer(m, embedding, params, loss);
                return new UserFit() {
                    @Override
                    public UserTable table() {
                        return params.users();
                    }

                    @Override
                    public String tableName() {
                        return IdealPointParameters.USER_LOGITS;
                    }

                    @Override
                    public double[] fit(PairBatch shots) {
                        return FewShotFit.idealPointLogits(
                                m, embedding, params, loss, shots, settings);
                    }

                    @Override
                    public double[] probability(PairBatch shots, double[] row) {
                        return scorer.probability(shots, row);
                    }

                    @Override
                    public void close() {
                        params.close();
                    }
                };
            }
            MixtureHead head = new MixtureHead(((HeadLayout.Mixture) layout).heads());
            UserTable routing =
                    Files.isRegularFile(dir.resolve(MixtureHead.USER_BIAS + ".safetensors"))
                            ? UserTable.load(dir, MixtureHead.USER_BIAS, m.manager())
                            : null;
            MixtureScorer scorer = new MixtureScorer(m, head, routing);
            return new UserFit() {
                @Override
                public UserTable table() {
                    return routing;
                }

                @Override
                public String tableName() {
                    return MixtureHead.USER_BIAS;
                }

                @Override
                public double[] fit(PairBatch shots) {
                    return FewShotFit.routingBias(m, head, shots, settings);
                }

                @Override
                public double[] probability(PairBatch shots, double[] row) {
                    return scorer.probability(shots, row);
                }

                @Override
                public void close() {
                    if (routing != null) {
                        routing.close();
                    }
                }
            };
        }
    }
}
