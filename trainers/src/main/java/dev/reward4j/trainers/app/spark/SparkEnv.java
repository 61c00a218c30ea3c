package dev.reward4j.trainers.app.spark;

/** Settings every task sets before it touches the engine. */
final class SparkEnv {
    private SparkEnv() {}

    /** Nothing may download at run time (DJL's offline switch), as in the launcher. */
    static void offline() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }
}
