package dev.reward4j.trainers.config;

/**
 * {@code data:} training and evaluation files.
 *
 * @param train training file (.jsonl, .jsonl.gz or .parquet)
 * @param eval held-out file, or null
 * @param maxLength maximum tokens per sequence (prompt + response)
 * @param batchSize examples (pairs, lists, rows) per micro-batch
 * @param evalBatchSize examples per evaluation batch
 * @param lenient skip malformed rows (counted) instead of failing
 */
public record DataSection(String train, String eval, int maxLength, int batchSize, int evalBatchSize, boolean lenient) {
  /** Validates the values. */
  public DataSection {
    Require.atLeast(maxLength, 2, "max_length");
    Require.atLeast(batchSize, 1, "batch_size");
    Require.atLeast(evalBatchSize, 1, "eval_batch_size");
  }

  /** No files (train must be given), 512 tokens, 8 examples per micro-batch, 16 per evaluation batch, strict. */
  public static DataSection defaults() {
    return new DataSection(null, null, 512, 8, 16, false);
  }
}
