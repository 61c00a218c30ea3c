/**
 * The main job: trains a small Llama-style reward model from scratch on the embedded synthetic
 * preference data ({@code dev.reward4j.core.synth}) on the CPU, prints held-out accuracy next to
 * the ground-truth ceiling, and writes the model in Hugging Face format plus an HTML report. Entry
 * point: {@link dev.reward4j.trainers.app.demo.DemoJob}.
 */
package dev.reward4j.trainers.app.demo;
