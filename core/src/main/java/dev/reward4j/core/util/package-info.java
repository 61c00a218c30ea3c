/** Small shared utilities: argument and state preconditions. */
package dev.reward4j.core.util;
