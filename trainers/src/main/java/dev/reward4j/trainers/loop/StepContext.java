package dev.reward4j.trainers.loop;

import ai.djl.ndarray.NDManager;

/**
 * What an objective may know about the micro-step it computes.
 *
 * @param step the optimizer step (1-based) this micro-step belongs to
 * @param microStep index of the micro-step within the step, 0-based
 * @param microSteps number of micro-steps per optimizer step (gradient accumulation)
 * @param manager the per-micro-step manager (closed after the micro-step): create temporaries here
 * @param training true in training (gradients are collected), false in evaluation
 */
public record StepContext(
        long step, int microStep, int microSteps, NDManager manager, boolean training) {}
