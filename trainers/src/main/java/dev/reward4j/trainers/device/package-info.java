/**
 * Parsing of the {@code --device} option ({@code cpu | gpu | gpu:N | auto}) into a DJL {@link
 * ai.djl.Device}, and quieting of DJL's CUDA probe warning for runs that asked for the CPU.
 */
package dev.reward4j.trainers.device;
