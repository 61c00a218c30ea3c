/**
 * Reward-model heads beyond one scalar: how the K output columns of a {@code
 * *ForSequenceClassification} score head are read and what they mean, plus the per-user and
 * per-prototype parameters some heads add.
 *
 * <p>Every head here is a {@link dev.reward4j.core.model.ModelHead.Reward} head with several
 * columns, read by {@link dev.reward4j.core.model.DecoderModel#scoresAt} at the positions the
 * method needs (the last token of each response, the last prompt token for a router or gate, the
 * step separators of a solution). A model trained with such a head therefore saves as an ordinary
 * Hugging Face sequence classifier with {@code num_labels} = the head's columns: the backbone and
 * every head column load back in Python {@code transformers}, and the column layout is documented
 * on each head. Heads own no maths beyond reading and slicing; the objectives live in {@code
 * dev.reward4j.losses} and are applied by {@code reward4j-trainers}.
 */
package dev.reward4j.core.heads;
