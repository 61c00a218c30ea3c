/**
 * JMH benchmarks of the loss functions ({@code dev.reward4j.losses}): forward and forward+backward
 * per batch size.
 */
package dev.reward4j.bench.losses;
