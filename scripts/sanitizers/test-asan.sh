#!/usr/bin/env bash
# npm run test:asan: builds the addon with AddressSanitizer and UndefinedBehaviorSanitizer
# into build-asan/ (the normal build in build/ is left alone), then runs the whole mocha
# suite against it. Extra arguments go to mocha (e.g. a single test file).
#
# node is not instrumented, so the ASan runtime must be the first library in the process:
# it is preloaded (with UBSan's) for node only, not for cmake or tsc. lib/native.ts loads
# the sanitized binary named by RNN_BLAS_BINARY.
#
# Leaks: detect_leaks=1 with the suppressions in lsan.supp, which name only allocations node
# and V8 themselves keep until exit, so any leak of the addon fails the run (exit code 23).
# mocha's _mocha entry runs the tests in this very process: bin/mocha would spawn a second
# node just to pass --expose-gc, whose own exit-time heap is nothing of ours.
#
# Left out: test/14-prebuild.test.js, which checks the self-contained prebuild (its ldd
# deps, loading it without OpenBLAS), not code the sanitizers instrument (and the preloaded
# libasan shows up in its ldd output); and the event-loop delay test of 11-async, a timing
# bound that ASan's slowdown on a busy machine can break without any bug.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"

asan_runtime=$(gcc -print-file-name=libasan.so)
ubsan_runtime=$(gcc -print-file-name=libubsan.so)
for runtime in "$asan_runtime" "$ubsan_runtime"; do
  if [[ ! -e $runtime ]]; then
    echo "test:asan: $(basename "$runtime") not found (gcc -print-file-name); install gcc's sanitizer runtimes" >&2
    exit 1
  fi
done

node node_modules/cmake-js/bin/cmake-js compile --out build-asan --CDRNN_BLAS_SANITIZE=ON
node node_modules/typescript/bin/tsc -p tsconfig.json

export RNN_BLAS_BINARY="$root/build-asan/Release/rnn_blas.node"
# quarantine_size_mb=16 (default 256): freed memory waits in ASan's quarantine before reuse,
# so RSS grows until the quarantine is full, and test/12-memory's bound on RSS growth would
# measure the quarantine filling up. 16 MiB of the most recent frees still catch a use
# after free; leaks are LeakSanitizer's job here.
export ASAN_OPTIONS="detect_leaks=1:quarantine_size_mb=16:allocator_may_return_null=1:halt_on_error=1:abort_on_error=0:check_initialization_order=1:strict_string_checks=1"
export LSAN_OPTIONS="suppressions=$root/scripts/sanitizers/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

start=$SECONDS
LD_PRELOAD="$asan_runtime $ubsan_runtime" node --expose-gc node_modules/mocha/bin/_mocha \
  --exclude test/14-prebuild.test.js --grep 'keeps the event loop responsive' --invert "$@"
echo "test:asan: mocha under ASan+UBSan passed in $((SECONDS - start)) s"
