package dev.reward4j.trainers.config;

import dev.reward4j.losses.ListwiseObjective;
import dev.reward4j.losses.PairwisePolicyObjective;
import dev.reward4j.losses.RewardModelObjective;
import dev.reward4j.losses.UnpairedObjective;
import dev.reward4j.core.util.Checks;

/**
 * The {@code objective:} section, parsed from its {@code type} name into a typed variant at the config edge. The
 * variant decides the model head, the data shape and the trainer objective; the wrapped record is the loss of
 * {@code dev.reward4j.losses}.
 */
public sealed interface ObjectiveConfig
    permits ObjectiveConfig.RewardPairs,
        ObjectiveConfig.Regression,
        ObjectiveConfig.RewardLists,
        ObjectiveConfig.PolicyPairs,
        ObjectiveConfig.PolicyUnpaired,
        ObjectiveConfig.PolicyLists {

  /** The type name used in configuration files (e.g. {@code bt}, {@code dpo}, {@code kto}). */
  String type();

  /** The validated parameter record of the objective (its components are the section's keys besides {@code type}). */
  Record params();

  /** True when the objective trains a policy (LM head) rather than a reward model (score head). */
  default boolean trainsPolicy() {
    return this instanceof PolicyPairs || this instanceof PolicyUnpaired || this instanceof PolicyLists;
  }

  /** Reward model on preference pairs (every BT variant). */
  record RewardPairs(RewardModelObjective loss) implements ObjectiveConfig {
    @Override
    public String type() {
      return loss.name();
    }

    @Override
    public Record params() {
      return (Record) loss;
    }
  }

  /** Multi-attribute reward regression on rated responses ({@code num_labels} attributes). */
  record Regression(RegressionParams params) implements ObjectiveConfig {
    @Override
    public String type() {
      return "regression";
    }
  }

  /**
   * Parameters of the regression objective.
   *
   * @param numLabels number of rated attributes (score-head outputs)
   */
  record RegressionParams(int numLabels) {
    /** Validates {@code numLabels >= 1}. */
    public RegressionParams {
      Require.atLeast(numLabels, 1, "num_labels");
    }
  }

  /** Listwise reward model over ranked lists (Plackett-Luce, ListNet, all-pairs BT). */
  record RewardLists(ListwiseObjective loss) implements ObjectiveConfig {
    @Override
    public String type() {
      return "rm-" + loss.name();
    }

    @Override
    public Record params() {
      return (Record) loss;
    }
  }

  /** Pairwise policy objective (DPO family). */
  record PolicyPairs(PairwisePolicyObjective loss) implements ObjectiveConfig {
    @Override
    public String type() {
      return loss.name();
    }

    @Override
    public Record params() {
      return (Record) loss;
    }
  }

  /** Unpaired policy objective (KTO, BCO). */
  record PolicyUnpaired(UnpairedObjective loss) implements ObjectiveConfig {
    @Override
    public String type() {
      return loss.name();
    }

    @Override
    public Record params() {
      return (Record) loss;
    }
  }

  /**
   * Listwise policy objective: LiPO-lambda on implicit rewards \( \beta(\log\pi - \log\pi_{ref}) \), or PRO on
   * per-token mean policy log-probs (reference-free).
   */
  record PolicyLists(ListwiseObjective loss, ListPolicyParams params) implements ObjectiveConfig {
    /** Only LiPO-lambda and PRO are listwise policy objectives. */
    public PolicyLists {
      Checks.argument(
          loss instanceof ListwiseObjective.LipoLambda || loss instanceof ListwiseObjective.Pro,
          () -> "type: expected lipo-lambda or pro for a listwise policy (got " + loss.name() + ")");
    }

    @Override
    public String type() {
      return loss.name();
    }
  }

  /**
   * Parameters of a listwise policy objective.
   *
   * @param beta scale of the implicit reward (LiPO-lambda); unused by PRO
   */
  record ListPolicyParams(double beta) {
    /** Validates {@code beta > 0}. */
    public ListPolicyParams {
      Require.positive(beta, "beta");
    }
  }
}
