/*
 * reward4j MKL dispatch shim, loaded with LD_PRELOAD by the `reward4j` start script on x86-64 CPUs
 * whose vendor is not Intel.
 *
 * libtorch's CPU build links Intel oneMKL statically and exports its internal symbols, so the
 * dynamic linker resolves MKL's own calls to them through this library first:
 *
 *   mkl_serv_intel_cpu_true   MKL's vendor check. On a non-Intel CPU it returns 0 and MKL runs its
 *                             generic SSE kernels whatever the CPU supports. Returning 1 lets MKL
 *                             dispatch on the CPU's instruction sets instead.
 *   mkl_serv_cpu_detect       MKL's code-path choice (in the MKL of libtorch 2.7.1: 0 generic,
 *                             5 AVX2, 7 AVX-512). With the vendor check passed, MKL still picks
 *                             its AVX2 kernels on AMD CPUs that have AVX-512 (Zen 4, Zen 5). This
 *                             shim asks MKL first and only ever raises its answer, to 7 when the
 *                             CPU and the OS support AVX-512 F/CD/BW/DQ/VL (the Skylake-SP set
 *                             these kernels use), else to 5 with AVX2 + FMA. Never a code path
 *                             the CPU cannot run. REWARD4J_MKL_ISA=keep leaves MKL's answer alone.
 *
 * Results stay within float32 rounding of the generic path (different blocking and summation
 * order); the fixture parity tests are run with this library preloaded (see the README).
 *
 * Build: cc -O2 -shared -fPIC -o libreward4j-mkl.so reward4j_mkl.c -ldl
 * Bench-only variants (-DREWARD4J_MKL_SIMULATE=generic|avx2) emulate a non-Intel CPU's default
 * and vendor-check-only behaviour on an Intel CPU; they are never loaded by the start script.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#define MKL_CODE_PATH_GENERIC 0
#define MKL_CODE_PATH_AVX2 5
#define MKL_CODE_PATH_AVX512 7

#if defined(REWARD4J_MKL_SIMULATE_GENERIC)

/* What MKL does on a non-Intel CPU: the vendor check fails. */
int mkl_serv_intel_cpu_true(void) { return 0; }

#elif defined(REWARD4J_MKL_SIMULATE_AVX2)

/* What the vendor check alone gives on AMD Zen: the AVX2 kernels. */
int mkl_serv_intel_cpu_true(void) { return 1; }
int mkl_serv_cpu_detect(void) { return MKL_CODE_PATH_AVX2; }

#else

int mkl_serv_intel_cpu_true(void) { return 1; }
int mkl_serv_cpu_detect(void);

static int supported_code_path(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd")
            && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq")
            && __builtin_cpu_supports("avx512vl")) {
        return MKL_CODE_PATH_AVX512;
    }
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) {
        return MKL_CODE_PATH_AVX2;
    }
    return MKL_CODE_PATH_GENERIC;
}

/* MKL's own choice: its definition inside the already loaded libtorch_cpu.so. */
static int mkl_own_code_path(void) {
    void *lib = dlopen("libtorch_cpu.so", RTLD_LAZY | RTLD_NOLOAD);
    if (lib == NULL) {
        return -1;
    }
    int (*own)(void) = (int (*)(void))dlsym(lib, "mkl_serv_cpu_detect");
    int path = own == NULL || own == mkl_serv_cpu_detect ? -1 : own();
    dlclose(lib);
    return path;
}

int mkl_serv_cpu_detect(void) {
    static volatile int cached = -1;
    int path = cached;
    if (path >= 0) {
        return path;
    }
    path = mkl_own_code_path();
    const char *mode = getenv("REWARD4J_MKL_ISA");
    int keep = mode != NULL && strcmp(mode, "keep") == 0;
    if (path < 0) {
        /* MKL not found where expected: do not guess */
        path = MKL_CODE_PATH_GENERIC;
    } else if (!keep) {
        int cpu = supported_code_path();
        if (cpu > path) {
            path = cpu;
        }
    }
    cached = path;
    return path;
}

#endif
