package dev.reward4j.trainers.app.launcher;

import dev.reward4j.trainers.run.StopRequest;
import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;

/**
 * SIGINT (Ctrl-C) and SIGTERM handling of the launcher process.
 *
 * <ul>
 *   <li>While a training loop runs ({@link StopRequest#armed()}), the first signal asks the loop to
 *       stop at the next step boundary: it writes a checkpoint, the launcher prints the resume
 *       command and exits 130 (SIGINT) or 143 (SIGTERM). The engine's work (a forward or backward
 *       pass in libtorch) always finishes before the process exits; the JVM's own handling, which
 *       started the shutdown while {@code torchBackward} still ran, could crash it with SIGSEGV.
 *   <li>A second signal, or a signal while nothing is to be saved (reading data, loading a model,
 *       evaluating, scoring), ends the process at once: the handler restores the system's default
 *       action and raises the signal again, so the kernel ends the process (exit status 128 + the
 *       signal number) without running JVM shutdown code next to libtorch. Checkpoints are written
 *       into a temporary directory and renamed, so the last complete one stays loadable.
 * </ul>
 *
 * <p>{@code sun.misc.Signal} (module {@code jdk.unsupported}) is reached by reflection, so the
 * build does not warn about it; where it is missing the JVM's default handling stays.
 */
final class SignalStops implements AutoCloseable {
    private final List<Object[]> previous = new ArrayList<>(); // {signal, handler}
    private final Class<?> signalClass;
    private final Class<?> handlerClass;

    private SignalStops(Class<?> signalClass, Class<?> handlerClass) {
        this.signalClass = signalClass;
        this.handlerClass = handlerClass;
    }

    /** Installs the handlers for {@code stop}; messages go to {@code err}. */
    static SignalStops install(StopRequest stop, PrintStream err) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            SignalStops s = new SignalStops(signal, handler);
            s.handle("INT", ExitCodes.SIGINT, stop, err);
            s.handle("TERM", ExitCodes.SIGTERM, stop, err);
            return s;
        } catch (ReflectiveOperationException | RuntimeException e) {
            err.println(
                    "reward4j: signal handling unavailable ("
                            + e
                            + "); Ctrl-C stops the JVM without a checkpoint");
            return new SignalStops(null, null);
        }
    }

    private void handle(String name, int exitCode, StopRequest stop, PrintStream err)
            throws ReflectiveOperationException {
        Object signal = signalClass.getConstructor(String.class).newInstance(name);
        Method handleMethod = signalClass.getMethod("handle", signalClass, handlerClass);
        InvocationHandler onSignal =
                (proxy, method, args) -> {
                    if (!method.getName().equals("handle")) {
                        return method.invoke(this, args);
                    }
                    if (stop.armed() && !stop.requested()) {
                        stop.request("SIG" + name, exitCode);
                        err.println();
                        err.println(
                                "reward4j: SIG"
                                        + name
                                        + " received: stopping after the current step and writing a"
                                        + " checkpoint (send it again to exit at once; the last"
                                        + " complete checkpoint stays loadable)");
                        err.flush();
                    } else {
                        err.println();
                        err.println("reward4j: SIG" + name + ": exiting at once");
                        err.flush();
                        exitAtOnce(signal, handleMethod, exitCode);
                    }
                    return null;
                };
        Object handler =
                Proxy.newProxyInstance(
                        handlerClass.getClassLoader(), new Class<?>[] {handlerClass}, onSignal);
        previous.add(new Object[] {signal, handleMethod.invoke(null, signal, handler)});
    }

    /**
     * Restores the system's action for {@code signal} and raises it: the kernel ends the process.
     */
    private void exitAtOnce(Object signal, Method handleMethod, int exitCode) {
        try {
            Object dfl = handlerClass.getField("SIG_DFL").get(null);
            handleMethod.invoke(null, signal, dfl);
            signalClass.getMethod("raise", signalClass).invoke(null, signal);
        } catch (ReflectiveOperationException | RuntimeException e) {
            Runtime.getRuntime().halt(exitCode);
        }
    }

    /** Restores the handlers that were installed before. */
    @Override
    public void close() {
        if (signalClass == null) {
            return;
        }
        try {
            Method handleMethod = signalClass.getMethod("handle", signalClass, handlerClass);
            for (Object[] p : previous) {
                handleMethod.invoke(null, p[0], p[1]);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            // the process is ending; keep the handlers
        }
    }
}
