/**
 * Text to token ids: {@link dev.reward4j.core.text.TextEncoder} (DJL HuggingFace tokenizer with
 * explicit options, never its silent defaults), {@link dev.reward4j.core.text.ChatTemplate} (HF
 * chat templates rendered by jinjava with HF's Jinja settings), the typed {@link
 * dev.reward4j.core.text.TruncationPolicy}, and {@link dev.reward4j.core.data.DataCounters} which
 * count everything truncated, dropped, invalid or skipped.
 */
package dev.reward4j.core.text;
