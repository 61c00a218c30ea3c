/** Test utilities shared by all modules through the {@code reward4j-core} test-jar. */
package dev.reward4j.core.testing;
