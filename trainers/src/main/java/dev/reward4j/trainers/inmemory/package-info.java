/**
 * Training on examples held in memory, without the launcher: a cycling, seeded, resumable batch
 * source over a list ({@link dev.reward4j.trainers.inmemory.CyclingSource}) and a short training
 * run through {@link dev.reward4j.trainers.loop.TrainLoop} with AdamW, a cosine schedule and
 * global-norm clipping ({@link dev.reward4j.trainers.inmemory.ShortRun}). Used by algorithms that
 * train repeatedly inside one procedure (EM rounds, ensemble members).
 */
package dev.reward4j.trainers.inmemory;
