package dev.reward4j.core.data;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Finds the context-flip pairs of a data set: pairs with the same prompt and the same two responses
 * under different contexts whose preferences are opposite. Such pairs isolate whether a reward
 * model reads the context: a context-blind model scores both pairs of a flip alike and orders at
 * most one of them correctly.
 */
public final class ContextFlips {
    private ContextFlips() {}

    /**
     * The flip group of every pair that belongs to one: pairs are grouped by prompt and unordered
     * response pair; a group with pairs in both orientations and at least two distinct contexts is
     * a flip group, and all its pairs get the group's id ({@code flip-<n>}, numbered in order of
     * first appearance).
     *
     * @param pairs the pairs (with contexts)
     * @return pair id to flip-group id, for the pairs in flip groups only
     */
    public static Map<String, String> groups(List<PreferencePair> pairs) {
        Map<List<Object>, List<PreferencePair>> byContent = new LinkedHashMap<>();
        for (PreferencePair p : pairs) {
            boolean ordered = p.chosen().toString().compareTo(p.rejected().toString()) <= 0;
            List<Object> key =
                    List.of(
                            p.prompt(),
                            ordered ? p.chosen() : p.rejected(),
                            ordered ? p.rejected() : p.chosen());
            byContent.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
        }
        Map<String, String> out = new LinkedHashMap<>();
        int n = 0;
        for (List<PreferencePair> group : byContent.values()) {
            if (isFlip(group)) {
                String id = "flip-" + n++;
                for (PreferencePair p : group) {
                    out.put(p.id(), id);
                }
            }
        }
        return out;
    }

    private static boolean isFlip(List<PreferencePair> group) {
        if (group.size() < 2) {
            return false;
        }
        PreferencePair first = group.get(0);
        boolean opposite = false;
        boolean otherContext = false;
        for (PreferencePair p : group) {
            opposite |= !p.chosen().equals(first.chosen());
            otherContext |= !Objects.equals(p.context(), first.context());
        }
        return opposite && otherContext;
    }
}
