#!/usr/bin/env bash
# Runs every reward4j benchmark once, sequentially (they share the CPU), and appends their output to
# benchmarks/results/<host>-<date>.txt. Usage (from the repository root):
#   bash benchmarks/run-all.sh            # CPU, about 15 minutes on 2 cores
#   DEVICE=gpu bash benchmarks/run-all.sh # end-to-end harness and model benchmark on the GPU (needs a CUDA libtorch jar)
set -euo pipefail
cd "$(dirname "$0")/.."
DEVICE=${DEVICE:-cpu}
THREADS=${THREADS:-$(nproc)}
mvn -B -ntp -q -Pbench-jar package -DskipTests -pl benchmarks -am
JAR=benchmarks/target/benchmarks.jar
OUT=benchmarks/results/$(hostname)-$(date +%Y%m%d-%H%M).txt
mkdir -p benchmarks/results
JAVA=(java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.graph_optimizer=false
      -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)
# engine start-up lines (INFO/WARN from ai.djl.*) are dropped from the results file
run() { echo "## $*" | tee -a "$OUT"; "$@" 2>&1 | grep -vE '\] (INFO|WARN) ai\.djl\.' | tee -a "$OUT"; }

# model: forward+backward tokens/s, eager vs fused attention, sequence lengths 256 and 1024
run "${JAVA[@]}" -Dbench.steps=8 -cp "$JAR" dev.reward4j.bench.model.AttentionBench
# end to end: the real TrainLoop on random pairs, one JSON line per configuration
run "${JAVA[@]}" -cp "$JAR" dev.reward4j.bench.e2e.TrainThroughput --model small --seq 128,512 --batch 8 \
  --attention eager,fused --layout padded,packed --device "$DEVICE" --steps 10
run "${JAVA[@]}" -cp "$JAR" dev.reward4j.bench.e2e.TrainThroughput --model base --seq 256 --batch 8 \
  --attention eager,fused --layout padded,packed --device "$DEVICE" --steps 8
# TDPO step memory: chunked full-vocabulary KL vs the direct form vs the backbone alone (fresh JVM per point)
run "${JAVA[@]}" -cp "$JAR" dev.reward4j.bench.e2e.TokenKlMemory --vocab 2048,8192,32768 --seq 64,256,512
# data: 1,000,000 pairs streamed through read + tokenize + collate with a 512 MB heap
run "${JAVA[@]}" -Xmx512m -cp "$JAR" dev.reward4j.bench.data.StreamingHarness 1000000
# JMH: read + tokenize + collate (tokens/s), then the losses
run java -jar "$JAR" ReadTokenizeCollateBench -rf json -rff benchmarks/results/jmh-data.json
run java -jar "$JAR" LossBench -rf json -rff benchmarks/results/jmh-losses.json
echo "results: $OUT"
