#!/usr/bin/env bash
# valgrind memcheck on a small workload (scripts/valgrind/workload.js: forwards of every
# kind, async, packed, cells, safetensors, refused calls) with the normal build in
# build/Release. Fails (exit 1) on any memcheck error - an invalid read or write, a use of
# uninitialised memory, a bad free - or on a definite leak, outside the suppressions of
# scripts/valgrind/node.supp (node's own, each explained there). Prints the summary.
#
#   bash scripts/valgrind.sh            # ~2-4 minutes; the full log goes to build/valgrind.log
#
# node runs with --jitless: V8 then executes only its precompiled builtins and writes no
# machine code at run time, which memcheck would otherwise have to re-check on every write.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v valgrind >/dev/null || { echo "valgrind.sh: install valgrind (apt-get install -y valgrind)" >&2; exit 1; }
[[ -f build/Release/rnn_blas.node ]] || { echo "valgrind.sh: build first (npm run build)" >&2; exit 1; }

log=${VALGRIND_LOG:-$root/build/valgrind.log}
status=0
# valgrind runs no AVX-512 instruction (SIGILL), though /proc/cpuinfo still lists the flags:
# cap our kernels at AVX2 and name OpenBLAS's AVX2 core, which lib/native-environment.ts
# would otherwise set to SkylakeX on such a CPU.
if grep -qw avx512f /proc/cpuinfo 2>/dev/null; then
  export RNN_BLAS_MAX_ISA=${RNN_BLAS_MAX_ISA:-avx2}
  export OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-Haswell}
fi
env -u RNN_BLAS_BINARY -u LD_PRELOAD valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite \
  --errors-for-leak-kinds=definite --error-exitcode=1 --num-callers=40 --track-origins=yes \
  --suppressions="$root/scripts/valgrind/node.supp" --log-file="$log" \
  node --jitless "$root/scripts/valgrind/workload.js" || status=$?

grep -E "ERROR SUMMARY|definitely lost|indirectly lost|possibly lost|still reachable|suppressed:" "$log" | sed 's/^==[0-9]*== //'
# Any frame of ours in an error or a definite leak, suppressed or not, is a bug of ours.
if grep -nE "rnn_blas\.node|native/(core|binding)/" "$log" | grep -v "Reading syms\|warning:" >/dev/null; then
  echo "valgrind.sh: a report names the addon's code; see $log" >&2
  status=1
fi
echo "valgrind.sh: exit $status (log: $log)"
exit "$status"
