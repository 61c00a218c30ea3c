package dev.reward4j.losses;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects a fresh PyTorch {@link NDManager} per test (e.g. into a {@code @BeforeEach} method) and
 * closes it when the test ends, through the extension store. (The losses module keeps its own copy
 * instead of the core test-jar's, to stay independent of core.)
 */
final class NDManagerExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NS =
            ExtensionContext.Namespace.create(NDManagerExtension.class);

    /** Store entry closing the manager with the test's extension context. */
    private record Closing(NDManager manager) implements AutoCloseable {
        @Override
        public void close() {
            manager.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        return p.getParameter().getType() == NDManager.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        return c.getStore(NS)
                .getOrComputeIfAbsent(
                        "manager",
                        k -> new Closing(NDManager.newBaseManager("PyTorch")),
                        Closing.class)
                .manager();
    }
}
