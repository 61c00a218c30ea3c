package dev.reward4j.trainers.app.spark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One instance per executor JVM of each expensive resource (a model, a tokenizer), created lazily
 * by the first task that needs it and shared by every task thread of the executor; keyed by what
 * identifies it (model directory, tokenizer directory, options). Closed when the JVM exits.
 */
final class ExecutorResources {
    private static final Map<String, Object> RESOURCES = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(ExecutorResources::closeAll, "reward4j-resources"));
    }

    private ExecutorResources() {}

    /** The resource under {@code key}, created by {@code create} on first use in this JVM. */
    @SuppressWarnings("unchecked")
    static <T> T get(String key, Supplier<T> create) {
        return (T) RESOURCES.computeIfAbsent(key, k -> create.get());
    }

    /** How many resources this JVM holds (for tests). */
    static int size() {
        return RESOURCES.size();
    }

    /** Closes and forgets every resource. */
    static synchronized void closeAll() {
        for (Object o : RESOURCES.values()) {
            if (o instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    // closing at exit: nothing left to report to
                }
            }
        }
        RESOURCES.clear();
    }
}
