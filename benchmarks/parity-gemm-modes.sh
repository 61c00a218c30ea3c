#!/usr/bin/env bash
# Runs the fixture parity tests (models vs transformers, fused vs eager attention, packed rows, one BT + AdamW
# step vs torch) under each float32 GEMM mode of libtorch's MKL, so a change of GEMM kernels is known to keep
# results within the tests' float32 tolerances:
#   default   MKL as it dispatches on this CPU (on Intel: its AVX-512/AVX2 kernels; on AMD: generic kernels)
#   shim      LD_PRELOAD of trainers/src/main/native/reward4j_mkl.c, as the `reward4j` start script does on AMD
#   generic   (Intel CPUs only) MKL's vendor check failed, i.e. what an AMD CPU runs without the shim
#   avx2      (Intel CPUs only) MKL's AVX2 kernels, i.e. what the vendor check alone gives on AMD Zen
# Usage (from the repository root): bash benchmarks/parity-gemm-modes.sh      (about 3 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."
CC=${CC:-cc}
SRC=trainers/src/main/native/reward4j_mkl.c
LIBS=benchmarks/target/mkl-modes
mkdir -p "$LIBS"
"$CC" -O2 -shared -fPIC -o "$LIBS/shim.so" "$SRC" -ldl
"$CC" -O2 -shared -fPIC -DREWARD4J_MKL_SIMULATE_GENERIC -o "$LIBS/generic.so" "$SRC" -ldl
"$CC" -O2 -shared -fPIC -DREWARD4J_MKL_SIMULATE_AVX2 -o "$LIBS/avx2.so" "$SRC" -ldl
TESTS='DecoderModelParityTest,AttentionKernelTest,PackedForwardTest,ArchitectureVariantsTest,TrainStepParityTest,AdamWTest'
vendor=$(awk -F': *' '/^vendor_id/ {print $2; exit}' /proc/cpuinfo)
modes=(default shim)
if [ "$vendor" = GenuineIntel ]; then modes+=(generic avx2); fi
echo "CPU: $(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo) ($vendor); load: $(cut -d' ' -f1-3 /proc/loadavg)"
for mode in "${modes[@]}"; do
  preload=""
  if [ "$mode" != default ]; then preload="$PWD/$LIBS/$mode.so"; fi
  echo "== GEMM mode $mode ${preload:+(LD_PRELOAD=$preload)}"
  # the forked test JVMs inherit LD_PRELOAD; Maven's own JVM never loads libtorch
  set +e
  LD_PRELOAD="$preload" mvn -B -ntp -pl core,trainers -am test -Dtest="$TESTS" \
    -Dsurefire.failIfNoSpecifiedTests=false > "$LIBS/parity-$mode.log" 2>&1
  status=$?
  set -e
  grep -E "^\[(INFO|ERROR|WARNING)\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$|FAILURE|BUILD" \
    "$LIBS/parity-$mode.log" || true
  echo "== GEMM mode $mode: exit $status (log $LIBS/parity-$mode.log)"
done
