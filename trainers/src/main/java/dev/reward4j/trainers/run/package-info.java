/**
 * A complete training run from one validated {@link dev.reward4j.trainers.config.RunConfig} ({@link
 * dev.reward4j.trainers.run.TrainRun}): device, tokenizer, data with its counters, model (resumed
 * from the newest checkpoint when there is one), reference, objective, optimizer, schedule, the
 * loop, checkpoints, held-out evaluation and the run directory. What a person reads (console
 * progress, the HTML report) is added by the caller through metric sinks and the returned summary.
 */
package dev.reward4j.trainers.run;
