/**
 * HTML run reports with PNG charts (loss/accuracy curves, reward histograms, reliability diagram)
 * drawn headless.
 */
package dev.reward4j.trainers.app.report;
