package dev.reward4j.trainers.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.core.data.Conversation;
import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.Text;
import dev.reward4j.core.data.TokenizedSequence;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.core.util.Checks;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link TextScorer} backed by a reward model: every request is encoded alone by a {@link TextEncoder} (chat template
 * when the tokenizer has one: {@code prompt messages + [assistant: completion]}; otherwise plain prompt text followed
 * by the completion), truncated from the <b>left</b> to {@code maxLength} tokens (RewardBench's {@code
 * truncation_side = "left"}), <b>right</b>-padded with the pad id, and scored at the last position with attention mask
 * 1 (field-lessons.md §1.1). Rows never interact, so scores do not depend on the batch size beyond float32 rounding.
 *
 * <p>Not reproduced from RewardBench: its "mask the first of a doubled BOS" quirk — {@link TextEncoder} never doubles
 * BOS in the first place.
 *
 * <p>Each call works in a sub-manager of {@code manager} that is closed before returning; nothing stays attached.
 */
public final class ModelTextScorer implements TextScorer {
  private final TextEncoder encoder;
  private final SequenceScorer model;
  private final NDManager manager;
  private final int maxLength;
  private final int label;
  private final AtomicLong truncated = new AtomicLong();

  /**
   * A scorer reading score column {@code label} (0 for a single-label reward model).
   *
   * @param encoder tokenizer and chat template
   * @param model the reward model's forward pass
   * @param manager parent manager for per-batch arrays (on the model's device)
   * @param maxLength tokens kept per sequence (left truncation)
   * @param label score column of an (N, K) output
   */
  public ModelTextScorer(TextEncoder encoder, SequenceScorer model, NDManager manager, int maxLength, int label) {
    Checks.argument(encoder != null && model != null && manager != null,
        "model scorer: encoder, model and manager must not be null");
    this.encoder = encoder;
    this.model = model;
    this.manager = manager;
    this.maxLength = Checks.positive(maxLength, "model scorer: maxLength");
    Checks.argument(label >= 0, () -> "model scorer: label must be >= 0 (got " + label + ")");
    this.label = label;
  }

  /** Number of sequences truncated so far (reported in the run record). */
  public long truncatedCount() {
    return truncated.get();
  }

  /** The token ids of one request before padding (left-truncated to {@code maxLength}). */
  public int[] encode(ScoringRequest request) {
    Text prompt;
    if (encoder.chatTemplate().isPresent()) {
      prompt = new Conversation(request.prompt());
    } else {
      Checks.argument(request.prompt().size() == 1, () -> "model scorer: row '" + request.rowId() + "' has a "
          + request.prompt().size() + "-turn prompt but the tokenizer has no chat template; expected a single turn");
      prompt = new PlainText(request.prompt().get(0).content());
    }
    TokenizedSequence seq = encoder.encode(prompt, new PlainText(request.completion()));
    int[] ids = seq.ids();
    if (ids.length > maxLength) {
      truncated.incrementAndGet();
      return java.util.Arrays.copyOfRange(ids, ids.length - maxLength, ids.length);
    }
    return ids;
  }

  @Override
  public double[] score(List<ScoringRequest> batch) {
    if (batch.isEmpty()) {
      return new double[0];
    }
    int[][] seqs = batch.stream().map(this::encode).toArray(int[][]::new);
    int width = 0;
    for (int[] s : seqs) {
      width = Math.max(width, s.length);
    }
    int rows = seqs.length;
    long[] ids = new long[rows * width];
    long[] mask = new long[rows * width];
    java.util.Arrays.fill(ids, encoder.padId());
    for (int r = 0; r < rows; r++) {
      for (int t = 0; t < seqs[r].length; t++) {
        ids[r * width + t] = seqs[r][t];
        mask[r * width + t] = 1;
      }
    }
    try (NDManager step = manager.newSubManager()) {
      NDArray idArray = step.create(ids, new Shape(rows, width));
      NDArray maskArray = step.create(mask, new Shape(rows, width));
      NDArray out = model.scores(idArray, maskArray);
      Checks.state(out.getShape().get(0) == rows, () -> "model scorer: model returned shape " + out.getShape()
          + " for " + rows + " sequences; expected (N) or (N, K)");
      NDArray column = out.getShape().dimension() == 2 ? out.get(":, " + label) : out;
      float[] values = column.toType(DataType.FLOAT32, false).toFloatArray();
      double[] result = new double[rows];
      for (int i = 0; i < rows; i++) {
        result[i] = values[i];
      }
      return result;
    }
  }
}
