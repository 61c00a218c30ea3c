/**
 * Per-batch objectives for the preference losses beyond the DPO catalogue: token-level TDPO and
 * SparsePO (full-vocabulary KL, chunked over tokens), joint pairs (JPO), labeled pairs (soft
 * preference, iREPO, MM-DPO, CREAM), absolute-likelihood objectives (ASFT, MaPO) and triples (TPO).
 * Each objective runs the forward passes and calls one loss family of {@code dev.reward4j.losses};
 * the training loop is unchanged.
 */
package dev.reward4j.trainers.preference;
