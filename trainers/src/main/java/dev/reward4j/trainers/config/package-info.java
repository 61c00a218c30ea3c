/**
 * Run configuration: {@link dev.reward4j.trainers.config.RunConfig} records with validated compact
 * constructors and defaults in one place ({@code RunConfig.defaults()}), read from YAML or JSON
 * with command-line overrides ({@code --set a.b=c}) by {@link
 * dev.reward4j.trainers.config.ConfigLoader}. Unknown keys, wrong types and impossible values are
 * reported with the key's path (e.g. {@code objective.beta: expected a number > 0 (got -1)}) before
 * any training starts. Rules across sections ({@code data.format} against the objective, a
 * regression's {@code num_labels} against the format's attributes, batches of at least 2 for
 * KTO/BCO) are checked by {@link dev.reward4j.trainers.config.RunConfig}'s constructor, also before
 * training.
 */
package dev.reward4j.trainers.config;
