/**
 * Reference log-probabilities for the policy objectives: a frozen reference model ({@link
 * dev.reward4j.trainers.reference.FrozenReference}) run with grad mode off, or the digest-checked
 * on-disk cache of a pair data set ({@link dev.reward4j.trainers.reference.ReferenceCache}), both
 * behind {@link dev.reward4j.trainers.reference.PairReference}. A reference is never the policy
 * itself.
 */
package dev.reward4j.trainers.reference;
