package dev.reward4j.trainers.launcher;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reward4j.core.data.DataPipeline;
import dev.reward4j.core.data.HelpSteer2Format;
import dev.reward4j.core.data.KtoFormat;
import dev.reward4j.core.data.ListCollator;
import dev.reward4j.core.data.Padding;
import dev.reward4j.core.data.PaddingSide;
import dev.reward4j.core.data.PairBatch;
import dev.reward4j.core.data.PairCollator;
import dev.reward4j.core.data.PointwiseCollator;
import dev.reward4j.core.data.Prepared;
import dev.reward4j.core.data.ReadOptions;
import dev.reward4j.core.data.ShuffleSampler;
import dev.reward4j.core.data.TokenizedPair;
import dev.reward4j.core.data.TrlFormat;
import dev.reward4j.core.data.UltraFeedbackRanked;
import dev.reward4j.core.data.UnpairedCollator;
import dev.reward4j.core.model.AttentionImpl;
import dev.reward4j.core.model.DecoderModel;
import dev.reward4j.core.model.ModelHead;
import dev.reward4j.core.model.ModelOptions;
import dev.reward4j.core.text.TextEncoder;
import dev.reward4j.core.text.TruncationPolicy;
import dev.reward4j.losses.ListwiseObjective;
import dev.reward4j.losses.PairwisePolicyObjective;
import dev.reward4j.trainers.checkpoint.Checkpointer;
import dev.reward4j.trainers.checkpoint.RunInfo;
import dev.reward4j.trainers.checkpoint.TrainerState;
import dev.reward4j.trainers.config.ConfigException;
import dev.reward4j.trainers.config.ObjectiveConfig;
import dev.reward4j.trainers.config.RunConfig;
import dev.reward4j.trainers.device.DeviceSpec;
import dev.reward4j.trainers.loop.BatchSource;
import dev.reward4j.trainers.loop.CheckpointHook;
import dev.reward4j.trainers.loop.Evaluator;
import dev.reward4j.trainers.loop.LoopParts;
import dev.reward4j.trainers.loop.Objective;
import dev.reward4j.trainers.loop.ObjectiveEvaluator;
import dev.reward4j.trainers.loop.RunSummary;
import dev.reward4j.trainers.loop.TrainLoop;
import dev.reward4j.trainers.metrics.ConsoleProgressSink;
import dev.reward4j.trainers.metrics.JsonlMetricSink;
import dev.reward4j.trainers.metrics.MetricSink;
import dev.reward4j.trainers.metrics.MetricSinks;
import dev.reward4j.trainers.metrics.ProgressMode;
import dev.reward4j.trainers.metrics.SummarySink;
import dev.reward4j.trainers.objective.FrozenReference;
import dev.reward4j.trainers.objective.PairReference;
import dev.reward4j.trainers.objective.PolicyListsObjective;
import dev.reward4j.trainers.objective.PolicyPairsObjective;
import dev.reward4j.trainers.objective.PolicyUnpairedObjective;
import dev.reward4j.trainers.objective.ReferenceCache;
import dev.reward4j.trainers.objective.RegressionObjective;
import dev.reward4j.trainers.objective.RewardListsObjective;
import dev.reward4j.trainers.objective.RewardPairsEvaluator;
import dev.reward4j.trainers.objective.RewardPairsObjective;
import dev.reward4j.trainers.optim.AdamW;
import dev.reward4j.trainers.optim.DynamicLossScaler;
import dev.reward4j.trainers.optim.LossScaler;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Builds and runs one training from a resolved {@link RunConfig}: device, tokenizer, data, model (resumed from the
 * newest checkpoint when there is one), reference, objective, AdamW, schedule and the loop. The objective family is
 * chosen here, at the configuration edge; the loop never branches on it.
 *
 * <p>Output directory: {@code metrics.jsonl}, {@code checkpoints/step-NNNNNNNN/} (HF model, optimizer, trainer state,
 * {@code reward4j-config.json}, {@code run.json}) and {@code final/} (HF model + tokenizer).
 */
public final class TrainRun implements AutoCloseable {
  private final RunConfig cfg;
  private final ObjectNode resolved;
  private final PrintStream log;
  private final List<AutoCloseable> resources = new ArrayList<>();

  /** Creates the run; {@code resolved} is the configuration tree stored with every checkpoint. */
  public TrainRun(RunConfig cfg, ObjectNode resolved, PrintStream log) {
    this.cfg = cfg;
    this.resolved = resolved;
    this.log = log;
  }

  /** Trains; returns the loop summary. */
  public RunSummary run() throws IOException {
    if (cfg.model().path() == null) {
      throw new ConfigException("model.path: required (got nothing); give a Hugging Face model directory");
    }
    Device device = DeviceSpec.resolve(cfg.train().device());
    boolean fp16 = cfg.model().dtype().equals("float16");
    if (fp16 && Device.Type.CPU.equals(device.getDeviceType())) {
      throw new ConfigException("model.dtype: float16 needs a GPU (got train.device " + cfg.train().device() + "); use float32 on CPU");
    }
    Path out = Path.of(cfg.train().outputDir());
    Files.createDirectories(out);
    Checkpointer checkpointer = new Checkpointer(out.resolve("checkpoints"), cfg.checkpoint().keepLast());
    Optional<Path> resume = cfg.checkpoint().resume() ? checkpointer.latest() : Optional.empty();
    resume.ifPresent(p -> log.println("reward4j: resuming from " + p));
    ModelOptions options =
        ModelOptions.defaults()
            .withDevice(device)
            .withDtype(fp16 ? DataType.FLOAT16 : DataType.FLOAT32)
            .withAttention(AttentionImpl.valueOf(cfg.model().attention().toUpperCase(Locale.ROOT)));
    Path start = resume.orElse(Path.of(cfg.model().path()));
    Path tokenizerDir = Path.of(cfg.model().tokenizerOrModel());
    TextEncoder encoder = own(TextEncoder.load(tokenizerDir));
    int maxLength = cfg.data().maxLength();
    TruncationPolicy truncation = new TruncationPolicy.KeepPromptEnd(maxLength, Math.max(1, Math.min(64, maxLength / 2)), false);
    Padding padding = Padding.of(encoder, PaddingSide.RIGHT);
    ReadOptions read = ReadOptions.defaults().withLenient(cfg.data().lenient());
    Data data = new Data(encoder, truncation, read);
    ObjectiveConfig objective = cfg.objective();

    if (objective instanceof ObjectiveConfig.RewardPairs rp) {
      DecoderModel model = own(DecoderModel.load(start, ModelHead.REWARD, options));
      RewardPairsObjective rm = new RewardPairsObjective(model, rp.loss());
      return train(model, tokenizerDir, data.pairs(cfg.data().train()), data.pairs(cfg.data().eval()),
          new PairCollator(padding)::collate, rm, resume, checkpointer,
          heldOut -> new RewardPairsEvaluator(rm, heldOut, model.manager())); // adds ECE
    }
    if (objective instanceof ObjectiveConfig.Regression r) {
      DecoderModel model = own(DecoderModel.load(start, ModelHead.reward(r.params().numLabels()), options));
      return train(model, tokenizerDir, data.rated(cfg.data().train()), data.rated(cfg.data().eval()),
          new PointwiseCollator(padding)::collate, new RegressionObjective(model), resume, checkpointer);
    }
    if (objective instanceof ObjectiveConfig.RewardLists rl) {
      DecoderModel model = own(DecoderModel.load(start, ModelHead.REWARD, options));
      return train(model, tokenizerDir, data.lists(cfg.data().train()), data.lists(cfg.data().eval()),
          new ListCollator(padding)::collate, new RewardListsObjective(model, rl.loss()), resume, checkpointer);
    }
    DecoderModel policy = own(DecoderModel.load(start, ModelHead.LM, options));
    if (objective instanceof ObjectiveConfig.PolicyPairs pp) {
      List<TokenizedPair> train = data.pairs(cfg.data().train());
      PairCollator collator = new PairCollator(padding);
      PairReference reference = referenceFree(pp.loss()) ? null : pairReference(options, train, collator::collate, policy.manager());
      return train(policy, tokenizerDir, train, data.pairs(cfg.data().eval()), collator::collate,
          new PolicyPairsObjective(policy, pp.loss(), reference), resume, checkpointer);
    }
    if (objective instanceof ObjectiveConfig.PolicyUnpaired pu) {
      return train(policy, tokenizerDir, data.unpaired(cfg.data().train()), data.unpaired(cfg.data().eval()),
          new UnpairedCollator(padding)::collate, new PolicyUnpairedObjective(policy, pu.loss(), frozenReference(options)),
          resume, checkpointer);
    }
    ObjectiveConfig.PolicyLists pl = (ObjectiveConfig.PolicyLists) objective;
    FrozenReference ref = pl.loss() instanceof ListwiseObjective.Pro ? null : frozenReference(options);
    return train(policy, tokenizerDir, data.lists(cfg.data().train()), data.lists(cfg.data().eval()),
        new ListCollator(padding)::collate, new PolicyListsObjective(policy, pl.loss(), pl.params().beta(), ref),
        resume, checkpointer);
  }

  private <T, B extends AutoCloseable> RunSummary train(
      DecoderModel model, Path tokenizerDir, List<T> trainExamples, List<T> evalExamples,
      BiFunction<List<T>, NDManager, B> collate, Objective<B> objective, Optional<Path> resume, Checkpointer checkpointer)
      throws IOException {
    return train(model, tokenizerDir, trainExamples, evalExamples, collate, objective, resume, checkpointer,
        heldOut -> new ObjectiveEvaluator<>(objective, heldOut, model.manager()));
  }

  private <T, B extends AutoCloseable> RunSummary train(
      DecoderModel model, Path tokenizerDir, List<T> trainExamples, List<T> evalExamples,
      BiFunction<List<T>, NDManager, B> collate, Objective<B> objective, Optional<Path> resume, Checkpointer checkpointer,
      Function<List<Function<NDManager, B>>, Evaluator> evaluatorFactory)
      throws IOException {
    long seed = cfg.train().seed();
    BatchSource<B> source = new CollatedSource<>(trainExamples, new ShuffleSampler(seed), cfg.data().batchSize(), collate);
    List<Function<NDManager, B>> heldOut = new ArrayList<>();
    for (List<T> chunk : CollatedSource.chunks(evalExamples, cfg.data().evalBatchSize())) {
      heldOut.add(m -> collate.apply(chunk, m));
    }
    Evaluator evaluator = heldOut.isEmpty() ? null : evaluatorFactory.apply(heldOut);
    model.setTrainable(true);
    Path out = Path.of(cfg.train().outputDir());
    List<Path> dataFiles = new ArrayList<>(List.of(Path.of(cfg.data().train())));
    if (cfg.data().eval() != null) {
      dataFiles.add(Path.of(cfg.data().eval()));
    }
    RunInfo info = RunInfo.capture(model.device().toString(), seed, dataFiles, resolved);
    SummarySink summarySink = new SummarySink();
    try (AdamW optimizer = new AdamW(model.parameters(), cfg.optim().toAdamW(), model.manager());
        MetricSink sink =
            MetricSinks.tee(
                summarySink,
                resume.isPresent() ? JsonlMetricSink.append(out.resolve("metrics.jsonl")) : JsonlMetricSink.create(out.resolve("metrics.jsonl")),
                ConsoleProgressSink.create("train", cfg.train().maxSteps(), ProgressMode.auto()))) {
      TrainerState state = new TrainerState(0, 0, 0, seed, null, 0);
      if (resume.isPresent()) {
        optimizer.load(resume.get());
        state = TrainerState.read(resume.get());
      }
      CheckpointHook hook =
          s ->
              checkpointer.save(
                  s.step(),
                  dir -> {
                    model.save(dir, tokenizerDir);
                    optimizer.save(dir);
                    s.write(dir);
                    Files.writeString(dir.resolve("reward4j-config.json"), resolved.toPrettyString()); // config.json is the HF model config
                    info.write(dir);
                  });
      boolean fp16 = cfg.model().dtype().equals("float16");
      LoopParts<B> parts =
          new LoopParts<>(
              model.manager(), objective, source, optimizer,
              cfg.schedule().toSchedule(cfg.optim().lr(), cfg.train().maxSteps()), cfg.optim().toClip(),
              fp16 ? DynamicLossScaler.defaults() : LossScaler.none(), sink, evaluator, hook,
              cfg.train().toLoopOptions(cfg.checkpoint()), state);
      RunSummary summary = new TrainLoop<>(parts).run();
      model.save(out.resolve("final"), tokenizerDir);
      String rendered =
          summarySink
              .summarize(Duration.ofNanos((long) (summary.seconds() * 1e9)), summary.tokens(), (long) summary.examples(), Map.of())
              .render();
      Files.writeString(out.resolve("summary.txt"), rendered);
      log.println(rendered);
      log.println("reward4j: trained " + summary.steps() + " steps in " + String.format("%.1f", summary.seconds())
          + " s; final model in " + out.resolve("final"));
      if (!summary.lastEval().isEmpty()) {
        log.println("reward4j: eval " + summary.lastEval());
      }
      return summary;
    }
  }

  private static boolean referenceFree(PairwisePolicyObjective loss) {
    return loss instanceof PairwisePolicyObjective.SimPo
        || loss instanceof PairwisePolicyObjective.Orpo
        || loss instanceof PairwisePolicyObjective.Cpo;
  }

  /** A frozen reference model ({@code model.reference}, else the starting model). */
  private FrozenReference frozenReference(ModelOptions options) {
    return new FrozenReference(own(DecoderModel.load(Path.of(cfg.model().referenceOrModel()), ModelHead.LM, options)));
  }

  /** The frozen reference, or the on-disk cache (built once with the reference model, which is then closed). */
  private PairReference pairReference(
      ModelOptions options, List<TokenizedPair> train, BiFunction<List<TokenizedPair>, NDManager, PairBatch> collate,
      NDManager manager) throws IOException {
    if (cfg.model().referenceCache() == null) {
      return frozenReference(options);
    }
    Path refDir = Path.of(cfg.model().referenceOrModel());
    String digest = ReferenceCache.digestOf(refDir);
    Path file = Path.of(cfg.model().referenceCache()).resolve("reference-logps-" + digest.substring(7, 23) + ".bin");
    if (Files.exists(file)) {
      log.println("reward4j: reference log-probs from " + file);
      return ReferenceCache.open(file, digest);
    }
    log.println("reward4j: computing reference log-probs of " + train.size() + " pairs into " + file);
    try (DecoderModel refModel = DecoderModel.load(refDir, ModelHead.LM, options)) {
      BatchSource<PairBatch> sequential =
          new CollatedSource<>(train, dev.reward4j.core.data.Sampler.sequential(), cfg.data().evalBatchSize(), collate);
      return ReferenceCache.build(file, digest, new FrozenReference(refModel), sequential, train.size(), manager);
    }
  }

  private <T extends AutoCloseable> T own(T resource) {
    resources.add(resource);
    return resource;
  }

  /** Reads and tokenizes data files, printing the counters. */
  private final class Data {
    private final TextEncoder encoder;
    private final TruncationPolicy truncation;
    private final ReadOptions read;

    Data(TextEncoder encoder, TruncationPolicy truncation, ReadOptions read) {
      this.encoder = encoder;
      this.truncation = truncation;
      this.read = read;
    }

    List<TokenizedPair> pairs(String file) {
      return file == null ? List.of() : report(file, DataPipeline.pairs(Path.of(file), TrlFormat.standard(), encoder, truncation, read));
    }

    List<dev.reward4j.core.data.TokenizedRated> rated(String file) {
      return file == null ? List.of() : report(file, DataPipeline.rated(Path.of(file), HelpSteer2Format.defaults(), encoder, truncation, read));
    }

    List<dev.reward4j.core.data.TokenizedList> lists(String file) {
      return file == null ? List.of() : report(file, DataPipeline.lists(Path.of(file), UltraFeedbackRanked.defaults(), encoder, truncation, read));
    }

    List<dev.reward4j.core.data.TokenizedUnpaired> unpaired(String file) {
      return file == null ? List.of() : report(file, DataPipeline.unpaired(Path.of(file), new KtoFormat(), encoder, truncation, read));
    }

    private <T> List<T> report(String file, Prepared<T> prepared) {
      log.println("reward4j: " + file + ": " + prepared.counters().summary());
      return prepared.examples();
    }
  }

  /** Closes the models and the tokenizer. */
  @Override
  public void close() {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        log.println("reward4j: closing " + resources.get(i) + " failed: " + e);
      }
    }
  }
}
