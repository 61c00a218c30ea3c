/**
 * General preference models (GPM): training on preference pairs with preference embeddings and
 * scoring that returns what such a model means, a pairwise preference probability (and, for {@code
 * k = 1}, a scalar projection against a fixed reference).
 *
 * <p>Reference: "General Preference Modeling with Preference Representations for Aligning Language
 * Models", arXiv 2410.02197.
 */
package dev.reward4j.trainers.gpm;
