#!/usr/bin/env bash
# Runs the reward4j benchmarks sequentially (they share the CPU) and appends their output to
# benchmarks/results/<host>-<date>.txt. Run it on an idle machine: under CPU oversubscription libtorch's
# OpenMP threads slow training down ~10x, so the load average is recorded before every block.
#
# Usage (from the repository root):
#   bash benchmarks/run-all.sh [--baseline REV] [--cpu-tables-only]
#       CPU before/after tables (about 15 minutes on 2 cores), then the other benchmarks (15 more):
#       1. in-process float32 GEMM peak under each MKL mode: default, the MKL dispatch shim the `reward4j`
#          start script preloads on non-Intel CPUs, and oneDNN (1x1 convolution); on an Intel CPU also MKL's
#          generic kernels (what a non-Intel CPU runs without the shim) and its AVX2 kernels (what the vendor
#          check alone gives on AMD Zen), emulated by preloading bench-only builds of the shim;
#       2. end-to-end training throughput (small seq 512 and base seq 256, fused attention, packed rows):
#          REV's harness (default: the merge base with main; pass the commit before the performance work)
#          against this commit's, each with the GEMM mode the launcher would use (and, on Intel, with the
#          non-Intel GEMM path emulated);
#       3. the loss + optimizer share of a step, and the libtorch operator profile (whole harness run, default GEMM
#          mode) of REV and of this commit.
#   DEVICE=gpu bash benchmarks/run-all.sh   # GPU node (CUDA libtorch, see README "GPU nodes"): doctor, then the
#                                           # GPU benchmark (--preset gpu: Qwen2.5-0.5B shape, fp16, fused, packed)
set -euo pipefail
cd "$(dirname "$0")/.."
DEVICE=${DEVICE:-cpu}
THREADS=${THREADS:-$(nproc)}
BASELINE=${BASELINE:-}
TABLES_ONLY=0
while [ $# -gt 0 ]; do
  case "$1" in
    --baseline) BASELINE="$2"; shift 2 ;;
    --cpu-tables-only) TABLES_ONLY=1; shift ;;
    *) echo "usage: bash benchmarks/run-all.sh [--baseline REV] [--cpu-tables-only]" >&2; exit 2 ;;
  esac
done
mvn -B -ntp -q -Pbench-jar package -DskipTests -pl benchmarks -am
JAR=$PWD/benchmarks/target/benchmarks.jar
STAMP=$(date +%Y%m%d-%H%M)
WORK=$PWD/benchmarks/target/run-$STAMP
OUT=$PWD/benchmarks/results/$(hostname)-$STAMP.txt
if [ "${QUICK:-0}" = 1 ]; then OUT=$WORK/results.txt; fi  # a smoke test of the script: not a result
mkdir -p benchmarks/results "$WORK"
JAVA=(java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.graph_optimizer=false
      -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)
# engine start-up lines (INFO/WARN from ai.djl.*) are dropped from the results file
# the results file names paths relative to the repository (no machine paths)
rel() { local line="$*"; echo "${line//$PWD\//}"; }
run() { echo "## $(rel "$*") (load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$OUT"; "$@" 2>&1 | grep -vE '\] (INFO|WARN) ai\.djl\.' | tee -a "$OUT"; }
# run_to FILE PRELOAD CMD...: like run, JSON lines also to FILE, with LD_PRELOAD=PRELOAD for the JVM only
run_to() {
  local file=$1 preload=$2; shift 2
  echo "## $(rel "LD_PRELOAD=${preload:-} $*") (load $(cut -d' ' -f1-3 /proc/loadavg))" | tee -a "$OUT"
  LD_PRELOAD="$preload" "$@" 2>&1 | grep -vE '\] (INFO|WARN) ai\.djl\.' | tee -a "$OUT" | grep '^{' >> "$file" || true
}

{
  echo "# reward4j benchmarks $(date -u +%Y-%m-%dT%H:%MZ) on $(hostname)"
  echo "commit $(git rev-parse --short HEAD); CPU: $(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo)" \
       "($(awk -F': *' '/^vendor_id/ {print $2; exit}' /proc/cpuinfo)), $(nproc) cores, $THREADS intra-op threads;" \
       "load $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee -a "$OUT"

if [ "$DEVICE" != cpu ]; then
  mvn -B -ntp -q package -DskipTests -pl trainers -am
  run trainers/target/reward4j doctor --device "$DEVICE" || true
  run "${JAVA[@]}" -cp "$JAR" dev.reward4j.bench.e2e.TrainThroughput --preset gpu --device "$DEVICE" --profile ops
  run "${JAVA[@]}" -cp "$JAR" dev.reward4j.bench.e2e.TrainThroughput --model small,base --seq 512 --batch 8 \
    --attention fused --layout packed --device "$DEVICE" --steps 10
  echo "results: $OUT"
  exit 0
fi

# ---- GEMM modes: bench-only builds of the MKL dispatch shim (needs a C compiler) ----
VENDOR=$(awk -F': *' '/^vendor_id/ {print $2; exit}' /proc/cpuinfo)
LIBS=$WORK/mkl
mkdir -p "$LIBS"
CC=${CC:-cc}
SRC=trainers/src/main/native/reward4j_mkl.c
"$CC" -O2 -shared -fPIC -o "$LIBS/libreward4j-mkl.so" "$SRC" -ldl
"$CC" -O2 -shared -fPIC -DREWARD4J_MKL_SIMULATE_GENERIC -o "$LIBS/libreward4j-mkl-generic.so" "$SRC" -ldl
"$CC" -O2 -shared -fPIC -DREWARD4J_MKL_SIMULATE_AVX2 -o "$LIBS/libreward4j-mkl-avx2.so" "$SRC" -ldl
SHIM=$LIBS/libreward4j-mkl.so
if [ "$VENDOR" = GenuineIntel ]; then
  LAUNCHER_PRELOAD=""                                  # the start script preloads nothing on Intel
  NONINTEL_BEFORE=$LIBS/libreward4j-mkl-generic.so     # emulates a non-Intel CPU without the shim
else
  LAUNCHER_PRELOAD=$SHIM
  NONINTEL_BEFORE=""
fi

echo "## 1. GEMM peak" | tee -a "$OUT"
run_to "$WORK/gemm-default.jsonl" "" "${JAVA[@]}" -cp "$JAR" dev.reward4j.bench.e2e.GemmPeak
if [ "$VENDOR" = GenuineIntel ]; then
  run_to "$WORK/gemm-generic.jsonl" "$LIBS/libreward4j-mkl-generic.so" "${JAVA[@]}" -cp "$JAR" dev.reward4j.bench.e2e.GemmPeak
  run_to "$WORK/gemm-avx2.jsonl" "$LIBS/libreward4j-mkl-avx2.so" "${JAVA[@]}" -cp "$JAR" dev.reward4j.bench.e2e.GemmPeak
fi
run_to "$WORK/gemm-shim.jsonl" "$SHIM" "${JAVA[@]}" -cp "$JAR" dev.reward4j.bench.e2e.GemmPeak

# ---- end to end: the baseline commit's harness vs this commit's ----
if [ -z "$BASELINE" ]; then BASELINE=$(git merge-base HEAD main 2>/dev/null || true); fi
# the two configurations of the targets: small seq 512 and base seq 256, fused attention, packed rows
# QUICK=1: a smoke test of this script (2 timed steps, shorter rows); its numbers mean nothing
e2e_args() {
  if [ "${QUICK:-0}" = 1 ]; then
    echo "--model $1 --seq 64 --batch 4 --attention fused --layout packed --warmup 1 --steps 2"
    return
  fi
  case "$1" in
    small) echo "--model small --seq 512 --batch 8 --attention fused --layout packed --steps 10" ;;
    base) echo "--model base --seq 256 --batch 8 --attention fused --layout packed --steps 8" ;;
  esac
}
echo "## 2. end to end (baseline ${BASELINE:-none})" | tee -a "$OUT"
BEFORE_ARGS=()
if [ -n "$BASELINE" ] && [ "$(git rev-parse "$BASELINE")" != "$(git rev-parse HEAD)" ]; then
  BASE_DIR=$WORK/baseline
  git worktree add --detach -q "$BASE_DIR" "$BASELINE"
  (cd "$BASE_DIR" && mvn -B -ntp -q -Pbench-jar package -DskipTests -pl benchmarks -am)
  BASE_JAR=$BASE_DIR/benchmarks/target/benchmarks.jar
  for model in small base; do
    read -r -a a <<< "$(e2e_args $model)"
    run_to "$WORK/e2e-before.jsonl" "" "${JAVA[@]}" -cp "$BASE_JAR" dev.reward4j.bench.e2e.TrainThroughput "${a[@]}"
    if [ -n "$NONINTEL_BEFORE" ]; then
      run_to "$WORK/e2e-before-nonintel.jsonl" "$NONINTEL_BEFORE" "${JAVA[@]}" -cp "$BASE_JAR" \
        dev.reward4j.bench.e2e.TrainThroughput "${a[@]}"
    else
      run_to "$WORK/e2e-before-shim.jsonl" "$SHIM" "${JAVA[@]}" -cp "$BASE_JAR" dev.reward4j.bench.e2e.TrainThroughput "${a[@]}"
    fi
    # the baseline's operator profile (its harness classes first on the class path, ProfiledRun from this commit)
    run_to "$WORK/profile-before.jsonl" "" "${JAVA[@]}" -cp "$BASE_JAR:$JAR" dev.reward4j.bench.e2e.ProfiledRun "${a[@]}"
  done
  git worktree remove --force "$BASE_DIR"
  BEFORE_ARGS=(e2e:"baseline $BASELINE, default GEMM"="$WORK/e2e-before.jsonl")
  if [ -n "$NONINTEL_BEFORE" ]; then
    BEFORE_ARGS+=(e2e:"baseline, non-Intel GEMM emulated (MKL generic)"="$WORK/e2e-before-nonintel.jsonl")
  else
    BEFORE_ARGS+=(e2e:"baseline + MKL shim"="$WORK/e2e-before-shim.jsonl")
  fi
else
  echo "no baseline commit (pass --baseline REV): before/after rows are missing" | tee -a "$OUT"
fi
for model in small base; do
  read -r -a a <<< "$(e2e_args $model)"
  run_to "$WORK/e2e-after.jsonl" "$LAUNCHER_PRELOAD" "${JAVA[@]}" -cp "$JAR" dev.reward4j.bench.e2e.TrainThroughput "${a[@]}"
  if [ "$VENDOR" = GenuineIntel ]; then
    # a non-Intel CPU with the shim runs MKL's AVX-512 kernels (AVX-512 CPUs), as this Intel CPU does by default
    run_to "$WORK/e2e-after-nonintel.jsonl" "$SHIM" "${JAVA[@]}" -cp "$JAR" dev.reward4j.bench.e2e.TrainThroughput "${a[@]}"
  fi
  run_to "$WORK/profile.jsonl" "" "${JAVA[@]}" -cp "$JAR" dev.reward4j.bench.e2e.ProfiledRun "${a[@]}"
done

echo "## 3. tables" | tee -a "$OUT"
GEMM_ARGS=(gemm:"default (LD_PRELOAD none)"="$WORK/gemm-default.jsonl")
if [ "$VENDOR" = GenuineIntel ]; then
  GEMM_ARGS+=(gemm:"non-Intel emulated: MKL generic kernels"="$WORK/gemm-generic.jsonl")
  GEMM_ARGS+=(gemm:"non-Intel emulated: vendor check only (AVX2 kernels)"="$WORK/gemm-avx2.jsonl")
fi
GEMM_ARGS+=(gemm:"MKL dispatch shim (start script on non-Intel)"="$WORK/gemm-shim.jsonl")
AFTER_ARGS=(e2e:"this commit, launcher GEMM mode"="$WORK/e2e-after.jsonl")
if [ "$VENDOR" = GenuineIntel ]; then
  AFTER_ARGS+=(e2e:"this commit, shim (non-Intel with shim, emulated)"="$WORK/e2e-after-nonintel.jsonl")
fi
PROFILE_ARGS=()
if [ -f "$WORK/profile-before.jsonl" ]; then PROFILE_ARGS+=(profile:"baseline $BASELINE"="$WORK/profile-before.jsonl"); fi
PROFILE_ARGS+=(profile:"this commit"="$WORK/profile.jsonl")
java -cp "$JAR" dev.reward4j.bench.e2e.BeforeAfter "${GEMM_ARGS[@]}" "${BEFORE_ARGS[@]}" "${AFTER_ARGS[@]}" \
  "${PROFILE_ARGS[@]}" | tee -a "$OUT"

if [ "$TABLES_ONLY" = 1 ]; then echo "results: $OUT"; exit 0; fi

# ---- the other benchmarks ----
# model: forward+backward tokens/s, eager vs fused attention, sequence lengths 256 and 1024
run "${JAVA[@]}" -Dbench.steps=8 -cp "$JAR" dev.reward4j.bench.model.AttentionBench
# end to end: the real TrainLoop on random pairs, one JSON line per configuration
LD_PRELOAD="$LAUNCHER_PRELOAD" run "${JAVA[@]}" -cp "$JAR" dev.reward4j.bench.e2e.TrainThroughput --model small --seq 128,512 \
  --batch 8 --attention eager,fused --layout padded,packed --device "$DEVICE" --steps 10
LD_PRELOAD="$LAUNCHER_PRELOAD" run "${JAVA[@]}" -cp "$JAR" dev.reward4j.bench.e2e.TrainThroughput --model base --seq 256 \
  --batch 8 --attention eager,fused --layout padded,packed --device "$DEVICE" --steps 8
# TDPO step memory: chunked full-vocabulary KL vs the direct form vs the backbone alone (fresh JVM per point)
run "${JAVA[@]}" -cp "$JAR" dev.reward4j.bench.e2e.TokenKlMemory --vocab 2048,8192,32768 --seq 64,256,512
# data: 1,000,000 pairs streamed through read + tokenize + collate with a 512 MB heap
run "${JAVA[@]}" -Xmx512m -cp "$JAR" dev.reward4j.bench.data.StreamingHarness 1000000
# JMH: read + tokenize + collate (tokens/s), then the losses
run java -jar "$JAR" ReadTokenizeCollateBench -rf json -rff benchmarks/results/jmh-data.json
run java -jar "$JAR" LossBench -rf json -rff benchmarks/results/jmh-losses.json
echo "results: $OUT"
