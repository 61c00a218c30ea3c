/**
 * {@code reward4j diagnose}: the training diagnostics of {@code dev.reward4j.trainers.diagnostics}
 * run on a data file and a policy (CHES per pair with a filter, ranking and idealized ranking
 * accuracy, top-k entropy and mass, and a likelihood-displacement trajectory over a run's
 * checkpoints). {@link DiagnoseRequest} parses the options once; {@link Diagnose} does the work;
 * the launcher's {@code diagnose} subcommand only hands the options over.
 */
package dev.reward4j.trainers.app.diagnose;
