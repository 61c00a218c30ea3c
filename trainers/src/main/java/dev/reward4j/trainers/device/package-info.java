/** Parsing of the {@code --device} option ({@code cpu | gpu | gpu:N | auto}) into a DJL {@link ai.djl.Device}. */
package dev.reward4j.trainers.device;
