package dev.reward4j.trainers.config;

/** A configuration error, reported with the key path before training starts. */
public final class ConfigException extends IllegalArgumentException {
    /** Creates the exception; {@code message} starts with the key path. */
    public ConfigException(String message) {
        super(message);
    }

    /** Creates the exception with a cause. */
    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
