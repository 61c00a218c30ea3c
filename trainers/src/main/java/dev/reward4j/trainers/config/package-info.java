/**
 * Run configuration: {@link dev.reward4j.trainers.config.RunConfig} records with validated compact constructors and
 * defaults in one place ({@code RunConfig.defaults()}), read from YAML or JSON with command-line overrides
 * ({@code --set a.b=c}) by {@link dev.reward4j.trainers.config.ConfigLoader}. Unknown keys, wrong types and impossible
 * values are reported with the key's path (e.g. {@code objective.beta: expected a number > 0 (got -1)}) before any
 * training starts.
 */
package dev.reward4j.trainers.config;
