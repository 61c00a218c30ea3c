package dev.reward4j.trainers.loop;

/**
 * Where the next micro-batch starts: epoch and example index within the epoch's (deterministic) order.
 *
 * @param epoch 0-based epoch
 * @param index 0-based position in the epoch's example order
 */
public record DataPosition(long epoch, long index) {
  /** Validates non-negative values. */
  public DataPosition {
    if (epoch < 0 || index < 0) {
      throw new IllegalArgumentException("data position: epoch and index must be >= 0 (got " + epoch + ", " + index + ")");
    }
  }

  /** The start of the data. */
  public static DataPosition start() {
    return new DataPosition(0, 0);
  }
}
