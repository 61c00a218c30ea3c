package dev.reward4j.core.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * A parameter-free TorchScript function compiled by libtorch at run time from source that reward4j
 * writes (no Python, no file on disk): the way to reach libtorch operators that DJL's JNI does not
 * expose, such as the multi-tensor {@code torch._foreach_*} operators and {@code
 * torch._fused_adamw_} used by the trainers' optimizer.
 *
 * <p>Inputs are passed as an {@link NDList}; arrays named {@code name[]} (DJL's convention) are
 * collected, in order, into one {@code List[Tensor]} argument called {@code name}, other arrays are
 * single {@code Tensor} arguments, in the order of their first appearance. The function runs in
 * training mode (no inference mode), on the calling thread, under its grad mode: call it with grad
 * mode off to update tensors in place. Results attach to the manager of the first input. Needs the
 * PyTorch engine.
 */
public final class ScriptKernel implements AutoCloseable {
    private final KernelModule module;

    private ScriptKernel(KernelModule module) {
        this.module = module;
    }

    /**
     * Compiles {@code def forward(self, <params>) -> <returnType>: <body>} into a module loaded on
     * {@code manager}'s device (the module lives until {@link #close()} or until the manager
     * closes).
     *
     * @param name class name of the module (a Python identifier)
     * @param params the TorchScript parameter list, e.g. {@code "xs: List[Tensor], y: Tensor"}
     * @param returnType e.g. {@code "Tensor"} or {@code "List[Tensor]"}
     * @param body the body, one statement per line, without indentation
     * @throws IllegalStateException when the engine is not PyTorch or libtorch rejects the source
     */
    public static ScriptKernel compile(
            String name, String params, String returnType, String body, NDManager manager) {
        return new ScriptKernel(
                KernelModule.load(
                        name, TorchScriptArchive.module(name, params, returnType, body), manager));
    }

    /**
     * Runs {@code forward} on {@code inputs}; every output array attaches to the first input's
     * manager.
     */
    public NDList run(NDList inputs) {
        return module.runList(inputs);
    }

    @Override
    public void close() {
        module.close();
    }
}
