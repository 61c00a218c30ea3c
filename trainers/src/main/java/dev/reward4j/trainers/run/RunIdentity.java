package dev.reward4j.trainers.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reward4j.trainers.checkpoint.RunInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What makes two trainings the same run: the starting model (its digest), the tokenizer (its
 * digest), the training and held-out data (their digests), and every resolved configuration key
 * that changes the examples, the objective, the optimizer or the schedule. A run directory is
 * resumed only when the identity of the new command equals the one recorded in its {@code
 * run.json}; {@link #diff} says what changed otherwise.
 *
 * <p>Keys that may change between the sessions of one run are left out: where and how progress is
 * reported or saved ({@code train.device}, {@code train.log_every}, {@code train.eval_every},
 * {@code train.output_dir}, {@code train.run_name}, {@code train.report_to}, every {@code
 * checkpoint} key, {@code data.eval_batch_size}, {@code model.attention}), and the paths whose
 * content is digested instead ({@code model.path}, {@code model.tokenizer}, {@code data.train},
 * {@code data.eval}). {@code train.max_steps} is left out when {@code train.epochs} sets it, and
 * {@code schedule.warmup_steps} when {@code schedule.warmup_ratio} does: the given values are
 * compared, and the data decide the rest.
 *
 * @param entries key to value, sorted by key
 */
public record RunIdentity(Map<String, String> entries) {
    /** Configuration keys that may change between the sessions of one run. */
    public static final Set<String> VOLATILE =
            Set.of(
                    "train.device",
                    "train.log_every",
                    "train.eval_every",
                    "train.output_dir",
                    "train.run_name",
                    "train.report_to",
                    "data.eval_batch_size",
                    "model.attention",
                    "model.path",
                    "model.tokenizer",
                    "model.reference_cache",
                    "data.train",
                    "data.eval");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Copies and sorts. */
    public RunIdentity {
        entries = Collections.unmodifiableMap(new TreeMap<>(entries));
    }

    /**
     * The identity of a run record: its configuration keys (less {@link #VOLATILE}) and its
     * digests.
     */
    public static RunIdentity of(RunInfo info) {
        Map<String, String> m = new TreeMap<>();
        JsonNode config = JSON.valueToTree(info.config());
        flatten("", config, m);
        m.keySet().removeIf(k -> VOLATILE.contains(k) || k.startsWith("checkpoint."));
        if (config.path("train").hasNonNull("epochs")) {
            m.remove("train.max_steps");
        }
        if (config.path("schedule").hasNonNull("warmup_ratio")) {
            m.remove("schedule.warmup_steps");
        }
        m.put(
                "model",
                info.modelDigest() != null
                        ? info.modelDigest()
                        : "path " + config.path("model").path("path").asText());
        if (info.tokenizerDigest() != null) {
            m.put("tokenizer", info.tokenizerDigest());
        }
        String train = config.path("data").path("train").asText(null);
        String eval = config.path("data").path("eval").asText(null);
        m.put("data.train (content)", digest(info, train));
        if (eval != null) {
            m.put("data.eval (content)", digest(info, eval));
        }
        return new RunIdentity(m);
    }

    private static String digest(RunInfo info, String file) {
        String d = info.dataDigests().get(file);
        return d != null ? d : "path " + file;
    }

    private static void flatten(String prefix, JsonNode n, Map<String, String> out) {
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(
                        prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                        e.getValue(),
                        out);
            }
        } else {
            out.put(prefix, n.isTextual() ? n.asText() : n.toString());
        }
    }

    /**
     * A changed key.
     *
     * @param key the key ({@code model}, {@code data.train (content)}, {@code train.max_steps},
     *     ...)
     * @param before the recorded value ({@code (none)} when absent)
     * @param after the new value ({@code (none)} when absent)
     */
    public record Change(String key, String before, String after) {}

    /** The keys whose values differ from {@code recorded}'s, in key order. */
    public List<Change> diff(RunIdentity recorded) {
        Set<String> keys = new TreeSet<>(entries.keySet());
        keys.addAll(recorded.entries.keySet());
        List<Change> out = new ArrayList<>();
        for (String k : keys) {
            String before = recorded.entries.get(k);
            String after = entries.get(k);
            if (!Objects.equals(before, after)) {
                out.add(
                        new Change(
                                k,
                                before == null ? "(none)" : before,
                                after == null ? "(none)" : after));
            }
        }
        return out;
    }

    /** The changes as aligned lines {@code key before -> after} (digests shortened). */
    public static String render(List<Change> changes) {
        int width = changes.stream().mapToInt(c -> c.key().length()).max().orElse(0);
        StringBuilder sb = new StringBuilder();
        for (Change c : changes) {
            sb.append("  ")
                    .append(String.format("%-" + width + "s", c.key()))
                    .append("  ")
                    .append(shorten(c.before()))
                    .append("  ->  ")
                    .append(shorten(c.after()))
                    .append('\n');
        }
        return sb.toString();
    }

    private static String shorten(String v) {
        return v.startsWith("sha256:") && v.length() > 19 ? v.substring(0, 19) + "..." : v;
    }
}
