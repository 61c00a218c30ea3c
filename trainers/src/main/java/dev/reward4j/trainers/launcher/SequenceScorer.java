package dev.reward4j.trainers.launcher;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.reward4j.core.data.Conversation;
import dev.reward4j.core.data.Message;
import dev.reward4j.core.data.PlainText;
import dev.reward4j.core.data.Text;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.trainers.eval.ScoringRequest;
import dev.reward4j.trainers.eval.TextScorer;
import dev.reward4j.trainers.eval.Turn;
import dev.reward4j.trainers.optim.Gradients;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Scores (prompt, response) texts with a reward model: chat-template rendering by the {@link TextEncoder}, sequences
 * longer than {@code maxLength} keep their last tokens (RewardBench's left truncation, counted), right padding and the
 * mask-derived last index, so a score never depends on the batch it is in. Grad mode is off.
 */
public final class SequenceScorer implements TextScorer {
  private final DecoderModel model;
  private final TextEncoder encoder;
  private final int maxLength;
  private long truncated;

  /** Creates the scorer for a reward-head {@code model}. */
  public SequenceScorer(DecoderModel model, TextEncoder encoder, int maxLength) {
    this.model = model;
    this.encoder = encoder;
    this.maxLength = maxLength;
  }

  /** Sequences cut to {@code maxLength} so far. */
  public long truncated() {
    return truncated;
  }

  @Override
  public double[] score(List<ScoringRequest> batch) {
    List<int[]> rows = new ArrayList<>();
    for (ScoringRequest r : batch) {
      List<Message> prompt = new ArrayList<>();
      for (Turn t : r.prompt()) {
        prompt.add(new Message(t.role(), t.content()));
      }
      rows.add(encode(new Conversation(prompt), new PlainText(r.completion())));
    }
    return scoreIds(rows);
  }

  /** Tokenizes one (prompt, response) pair, keeping the last {@code maxLength} tokens. */
  public int[] encode(Text prompt, Text response) {
    int[] ids = encoder.encode(prompt, response).ids();
    if (ids.length > maxLength) {
      truncated++;
      ids = Arrays.copyOfRange(ids, ids.length - maxLength, ids.length);
    }
    return ids;
  }

  /** Rewards (first head output) of token-id rows. */
  public double[] scoreIds(List<int[]> rows) {
    int t = rows.stream().mapToInt(r -> r.length).max().orElse(1);
    int n = rows.size();
    long[] ids = new long[n * t];
    long[] mask = new long[n * t];
    Arrays.fill(ids, Math.max(encoder.padId(), 0));
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < rows.get(i).length; j++) {
        ids[i * t + j] = rows.get(i)[j];
        mask[i * t + j] = 1;
      }
    }
    try (NDManager m = model.manager().newSubManager()) {
      return Gradients.withGradModeOff(
          () -> {
            NDArray scores = model.scores(m.create(ids, new Shape(n, t)), m.create(mask, new Shape(n, t)));
            return scores.get(":, 0").toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
          });
    }
  }
}
