#!/bin/sh
# Builds the MKL dispatch shim (reward4j_mkl.c) into DIR/libreward4j-mkl.so with the machine's C compiler
# ($CC, else cc). Called by the trainers build (maven-antrun-plugin, phase prepare-package). Without a C
# compiler, or off Linux x86-64, it prints why and builds nothing: the `reward4j` start script then runs
# without the shim (MKL's generic kernels on non-Intel CPUs, correct but slower).
# Usage: sh build.sh DIR
set -u
out="$1"
src="$(dirname "$0")/reward4j_mkl.c"
compiler="${CC:-cc}"
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) ;;
  *) echo "[reward4j] MKL shim skipped: only built on Linux x86-64 (this is $(uname -s)-$(uname -m))"; exit 0 ;;
esac
if ! command -v "$compiler" >/dev/null 2>&1; then
  echo "[reward4j] MKL shim skipped: no C compiler ('$compiler' not found; install gcc or set CC)."
  echo "[reward4j]   The start script still works; on non-Intel x86 CPUs float32 matmuls use MKL's generic kernels."
  exit 0
fi
mkdir -p "$out"
if "$compiler" -O2 -Wall -shared -fPIC -o "$out/libreward4j-mkl.so" "$src" -ldl; then
  echo "[reward4j] MKL shim built: $out/libreward4j-mkl.so"
else
  rm -f "$out/libreward4j-mkl.so"
  echo "[reward4j] WARNING: MKL shim skipped: '$compiler' failed on $src (see above)."
fi
exit 0
