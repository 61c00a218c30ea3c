package dev.reward4j.core.testing;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDResource;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.PairList;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An {@link NDManager} decorator that checks device placement: every array created through it (or
 * through its sub-managers) must live on the run's device, and no sub-manager may be asked for
 * another device. Violations are recorded with the creating call site ({@link #violations()}), so a
 * test can assert that a whole training pipeline never creates a host-resident array when an
 * accelerator is configured.
 *
 * <p>{@link #audit(NDManager, Device)} complements it: it walks a manager tree (the model manager
 * holds parameters, optimizer state and every step's sub-manager) and reports the arrays not on the
 * device, whoever created them (ops attach results to their first operand's manager, which the
 * decorator does not see).
 *
 * <p>On a CPU-only machine, configuring a non-CPU {@code expected} device makes every array a
 * violation: that is how the tests show the check can fail. On a GPU node (tag {@code gpu}) the
 * same pipeline test must report none.
 */
public final class DeviceCheckingManager implements NDManager {
    private final NDManager delegate;
    private final Device expected;
    private final List<String> violations;

    private DeviceCheckingManager(NDManager delegate, Device expected, List<String> violations) {
        this.delegate = delegate;
        this.expected = expected;
        this.violations = violations;
    }

    /** Decorates {@code delegate}; arrays must be on {@code expected}. */
    public static DeviceCheckingManager wrap(NDManager delegate, Device expected) {
        return new DeviceCheckingManager(
                delegate, expected, Collections.synchronizedList(new ArrayList<>()));
    }

    /** The violations recorded so far (shared with the sub-managers). */
    public List<String> violations() {
        synchronized (violations) {
            return List.copyOf(violations);
        }
    }

    /** The arrays in {@code root}'s tree that are not on {@code expected}, described. */
    public static List<String> audit(NDManager root, Device expected) {
        List<String> out = new ArrayList<>();
        for (NDArray a : root.getManagedArrays()) {
            if (!expected.equals(a.getDevice())) {
                out.add(
                        "array "
                                + (a.getName() == null ? "" : a.getName() + " ")
                                + a.getDataType()
                                + a.getShape()
                                + " on "
                                + a.getDevice()
                                + " (expected "
                                + expected
                                + ")");
            }
        }
        return out;
    }

    private NDArray check(NDArray a, String what) {
        if (!expected.equals(a.getDevice())) {
            record(what + " created " + a.getShape() + " on " + a.getDevice());
        }
        return a;
    }

    private void checkDevice(Device d, String what) {
        if (d != null && !expected.equals(d)) {
            record(what + " asked for " + d);
            throw new IllegalStateException(
                    "device check: " + what + " asked for " + d + " but the run uses " + expected);
        }
    }

    private void record(String what) {
        StackTraceElement site = null;
        for (StackTraceElement e : new Throwable().getStackTrace()) {
            if (!e.getClassName().equals(DeviceCheckingManager.class.getName())
                    && !e.getClassName().startsWith("ai.djl.")) {
                site = e;
                break;
            }
        }
        violations.add(what + " (expected " + expected + ") at " + site);
    }

    @Override
    public Device defaultDevice() {
        return delegate.defaultDevice();
    }

    @Override
    public ByteBuffer allocateDirect(int capacity) {
        return delegate.allocateDirect(capacity);
    }

    @Override
    public NDArray from(NDArray array) {
        return check(delegate.from(array), "from");
    }

    @Override
    public NDArray create(Buffer data, Shape shape, DataType dataType) {
        return check(delegate.create(data, shape, dataType), "create");
    }

    @Override
    public NDArray create(String[] data, Charset charset, Shape shape) {
        return check(delegate.create(data, charset, shape), "create");
    }

    @Override
    public NDArray create(Shape shape, DataType dataType) {
        return check(delegate.create(shape, dataType), "create");
    }

    @Override
    public NDArray createCSR(Buffer data, long[] indptr, long[] indices, Shape shape) {
        return check(delegate.createCSR(data, indptr, indices, shape), "createCSR");
    }

    @Override
    public NDArray createRowSparse(Buffer data, Shape dataShape, long[] indices, Shape shape) {
        return check(delegate.createRowSparse(data, dataShape, indices, shape), "createRowSparse");
    }

    @Override
    public NDArray createCoo(Buffer data, long[][] indices, Shape shape) {
        return check(delegate.createCoo(data, indices, shape), "createCoo");
    }

    @Override
    public NDList load(Path path) {
        NDList list = delegate.load(path);
        list.forEach(a -> check(a, "load"));
        return list;
    }

    @Override
    public void setName(String name) {
        delegate.setName(name);
    }

    @Override
    public String getName() {
        return delegate.getName();
    }

    @Override
    public NDArray zeros(Shape shape, DataType dataType) {
        return check(delegate.zeros(shape, dataType), "zeros");
    }

    @Override
    public NDArray ones(Shape shape, DataType dataType) {
        return check(delegate.ones(shape, dataType), "ones");
    }

    @Override
    public NDArray full(Shape shape, float value, DataType dataType) {
        return check(delegate.full(shape, value, dataType), "full");
    }

    @Override
    public NDArray arange(float start, float stop, float step, DataType dataType) {
        return check(delegate.arange(start, stop, step, dataType), "arange");
    }

    @Override
    public NDArray eye(int rows, int cols, int k, DataType dataType) {
        return check(delegate.eye(rows, cols, k, dataType), "eye");
    }

    @Override
    public NDArray linspace(float start, float stop, int num, boolean endpoint) {
        return check(delegate.linspace(start, stop, num, endpoint), "linspace");
    }

    @Override
    public NDArray randomInteger(long low, long high, Shape shape, DataType dataType) {
        return check(delegate.randomInteger(low, high, shape, dataType), "randomInteger");
    }

    @Override
    public NDArray randomPermutation(long n) {
        return check(delegate.randomPermutation(n), "randomPermutation");
    }

    @Override
    public NDArray randomUniform(float low, float high, Shape shape, DataType dataType) {
        return check(delegate.randomUniform(low, high, shape, dataType), "randomUniform");
    }

    @Override
    public NDArray randomNormal(float loc, float scale, Shape shape, DataType dataType) {
        return check(delegate.randomNormal(loc, scale, shape, dataType), "randomNormal");
    }

    @Override
    public NDArray truncatedNormal(float loc, float scale, Shape shape, DataType dataType) {
        return check(delegate.truncatedNormal(loc, scale, shape, dataType), "truncatedNormal");
    }

    @Override
    public NDArray randomMultinomial(int n, NDArray pValues) {
        return check(delegate.randomMultinomial(n, pValues), "randomMultinomial");
    }

    @Override
    public NDArray randomMultinomial(int n, NDArray pValues, Shape shape) {
        return check(delegate.randomMultinomial(n, pValues, shape), "randomMultinomial");
    }

    @Override
    public NDArray sampleNormal(NDArray mu, NDArray sigma) {
        return check(delegate.sampleNormal(mu, sigma), "sampleNormal");
    }

    @Override
    public NDArray sampleNormal(NDArray mu, NDArray sigma, Shape shape) {
        return check(delegate.sampleNormal(mu, sigma, shape), "sampleNormal");
    }

    @Override
    public NDArray samplePoisson(NDArray lam) {
        return check(delegate.samplePoisson(lam), "samplePoisson");
    }

    @Override
    public NDArray samplePoisson(NDArray lam, Shape shape) {
        return check(delegate.samplePoisson(lam, shape), "samplePoisson");
    }

    @Override
    public NDArray sampleGamma(NDArray alpha, NDArray beta) {
        return check(delegate.sampleGamma(alpha, beta), "sampleGamma");
    }

    @Override
    public NDArray sampleGamma(NDArray alpha, NDArray beta, Shape shape) {
        return check(delegate.sampleGamma(alpha, beta, shape), "sampleGamma");
    }

    @Override
    public boolean isOpen() {
        return delegate.isOpen();
    }

    @Override
    public void cap() {
        delegate.cap();
    }

    @Override
    public NDManager getParentManager() {
        return delegate.getParentManager();
    }

    @Override
    public NDManager newSubManager() {
        return new DeviceCheckingManager(delegate.newSubManager(), expected, violations);
    }

    @Override
    public NDManager newSubManager(Device device) {
        checkDevice(device, "newSubManager");
        return new DeviceCheckingManager(delegate.newSubManager(device), expected, violations);
    }

    @Override
    public Device getDevice() {
        return delegate.getDevice();
    }

    @Override
    public List<NDArray> getManagedArrays() {
        return delegate.getManagedArrays();
    }

    @Override
    public void attachInternal(String resourceId, AutoCloseable... resources) {
        delegate.attachInternal(resourceId, resources);
    }

    @Override
    public void attachUncappedInternal(String resourceId, AutoCloseable resource) {
        delegate.attachUncappedInternal(resourceId, resource);
    }

    @Override
    public void tempAttachInternal(
            NDManager originalManager, String resourceId, NDResource resource) {
        delegate.tempAttachInternal(originalManager, resourceId, resource);
    }

    @Override
    public void detachInternal(String resourceId) {
        delegate.detachInternal(resourceId);
    }

    @Override
    public void invoke(
            String operation, NDArray[] src, NDArray[] dest, PairList<String, ?> params) {
        delegate.invoke(operation, src, dest, params);
    }

    @Override
    public NDList invoke(String operation, NDList src, PairList<String, ?> params) {
        return delegate.invoke(operation, src, params);
    }

    @Override
    public Engine getEngine() {
        return delegate.getEngine();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
