/**
 * Curriculum training: a schedule of stages over the optimizer steps ({@link
 * dev.reward4j.trainers.curriculum.CurriculumSchedule}), a batch source that serves each stage's
 * examples in its steps ({@link dev.reward4j.trainers.curriculum.StagedSource}) and a training step
 * that refreshes the frozen reference to the policy when a new stage begins ({@link
 * dev.reward4j.trainers.curriculum.CurriculumStep}): Curry-DPO (arXiv 2403.07230) trains on pairs
 * from easy to hard with the model of each stage as the next stage's reference. The stages
 * themselves come from {@code dev.reward4j.core.transform.CurryCurriculum}.
 */
package dev.reward4j.trainers.curriculum;
