package dev.reward4j.trainers.config;

/** The {@code objective:} section, parsed from its {@code type} name into a typed variant at the config edge. */
public interface ObjectiveConfig {
  /** The type name used in configuration files (e.g. {@code bt}, {@code dpo}, {@code kto}). */
  String type();

  /** The validated parameter record of the objective (its components are the section's keys besides {@code type}). */
  Record params();
}
