package dev.reward4j.trainers.app.launcher;

import dev.reward4j.core.data.ContextFlips;
import dev.reward4j.core.data.DataReader;
import dev.reward4j.core.data.Format;
import dev.reward4j.core.data.PreferencePair;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.RecordStream;
import dev.reward4j.trainers.eval.HeldOutRun;
import dev.reward4j.trainers.metrics.ContextFlipAccuracy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Context-flip accuracy of a held-out run on data whose pairs carry a {@code context} ("Improving
 * Context-Aware Preference Modeling for Language Models", arXiv 2407.14916): pairs with the same
 * prompt and responses whose preference reverses under another context form flip groups ({@link
 * ContextFlips}); {@link ContextFlipAccuracy} gives the fraction of their pairs ordered correctly
 * (a context-blind model is at chance) and of groups with every pair correct (a context-blind model
 * gets none). Data without contexts adds no metric.
 */
final class ContextFlipEval {
    private ContextFlipEval() {}

    /**
     * The context metrics of {@code run} on {@code data}: {@link
     * ContextFlipAccuracy#PAIR_ACCURACY}, {@link ContextFlipAccuracy#GROUP_ACCURACY}, {@code
     * context_flip/pairs}, {@code context_flip/groups}, {@code context/pairs} (pairs with a
     * context) and {@code context/without_flip} (pairs with a context but no flip partner, scored
     * only by the ordinary accuracy); empty when no pair has a context.
     */
    static Map<String, Double> metrics(Path data, Format<PreferencePair> format, HeldOutRun run)
            throws Exception {
        List<PreferencePair> all = new ArrayList<>();
        try (RecordStream<PreferencePair> in =
                DataReader.open(data, format, ReadOptions.defaults())) {
            while (in.hasNext()) {
                all.add(in.next());
            }
        }
        long withContext = all.stream().filter(p -> p.context().isPresent()).count();
        Map<String, Double> m = new LinkedHashMap<>();
        if (withContext == 0) {
            return m;
        }
        Map<String, String> groups = ContextFlips.groups(all);
        double[] c = run.result().chosenScores();
        double[] r = run.result().rejectedScores();
        List<String> scoredGroups = new ArrayList<>(c.length);
        boolean[] correct = new boolean[c.length];
        for (int i = 0; i < c.length; i++) {
            scoredGroups.add(groups.get(run.ids().get(i)));
            correct[i] = c[i] > r[i];
        }
        ContextFlipAccuracy acc = ContextFlipAccuracy.of(scoredGroups, correct);
        long inGroups =
                all.stream()
                        .filter(p -> p.context().isPresent() && groups.containsKey(p.id()))
                        .count();
        m.put(ContextFlipAccuracy.PAIR_ACCURACY, acc.pairAccuracy());
        m.put(ContextFlipAccuracy.GROUP_ACCURACY, acc.groupAccuracy());
        m.put("context_flip/pairs", (double) acc.pairs());
        m.put("context_flip/groups", (double) acc.groups());
        m.put("context/pairs", (double) withContext);
        m.put("context/without_flip", (double) (withContext - inGroups));
        return m;
    }
}
