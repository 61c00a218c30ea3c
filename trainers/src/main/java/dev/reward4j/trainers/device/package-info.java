/**
 * Devices: parsing of the {@code --device} option ({@code cpu | gpu | gpu:N | auto}) into a DJL
 * {@link ai.djl.Device}, quieting of DJL's CUDA probe warning for runs that asked for the CPU, and
 * {@link dev.reward4j.trainers.device.Doctor}, the node check behind {@code reward4j doctor}
 * (versions, native library, devices, dtypes, a timed Llama block per precision and attention
 * path).
 */
package dev.reward4j.trainers.device;
