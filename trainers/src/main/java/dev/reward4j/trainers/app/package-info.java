/**
 * The application built on the reward4j library: the command-line launcher, the demo job, the HTML
 * report and the experiment launcher. Nothing outside {@code dev.reward4j.trainers.app} depends on
 * these packages (an architecture test enforces it), so the library can be embedded without them.
 */
package dev.reward4j.trainers.app;
