/**
 * The front door of the library: {@link dev.reward4j.trainers.Training} trains a reward model or a
 * policy (DPO family, KTO/BCO, listwise) from a model directory and a data file in a few lines and
 * produces the same validated {@code RunConfig} the YAML/JSON launcher parses to; {@link
 * dev.reward4j.trainers.RewardScorer} scores (prompt, response) pairs or conversations with a
 * trained reward model, formatted exactly as training formats them. Everything else is composed
 * from the packages below: {@code loop} (the training loop and its extension points), {@code
 * optim}, {@code step}, {@code eval}, {@code run}.
 */
package dev.reward4j.trainers;
