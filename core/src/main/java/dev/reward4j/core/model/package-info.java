/**
 * Decoder-only language models (Llama, Mistral, Qwen2/2.5, GPT-2) written on DJL {@code NDArray}
 * ops, with reward ({@code *ForSequenceClassification}) and LM heads, a memory-mapped safetensors
 * reader and writer, and Hugging Face checkpoint loading and saving.
 *
 * <p>Entry point: {@link dev.reward4j.core.model.DecoderModel}. Parameters are held by name (the HF
 * tensor names) in the model's own {@code NDManager}; every forward result is attached to the
 * manager of the input ids, so a per-step sub-manager (or an {@code NDScope}) bounds the memory of
 * a training step.
 */
package dev.reward4j.core.model;
