#!/usr/bin/env bash
# The core and its kernel tests cross-compiled for AArch64 and run under qemu-user: the
# neon and portable kernel tables against their scalar references (native/test/
# kernel_tests.cpp), on an x64 machine. Needs scripts/arm64/setup-toolchain.sh's packages
# (the cross compiler, libopenblas-dev:arm64, qemu-user). CI runs it from .ci/run.
#   scripts/arm64/kernel-tests.sh        build into build-arm64/core, run, exit 1 on a failure
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$REPO/build-arm64/core
cmake -S "$REPO" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DRNN_BLAS_CORE_ONLY=ON \
  -DCMAKE_TOOLCHAIN_FILE="$REPO/cmake/toolchain-linux-arm64.cmake" >/dev/null
cmake --build "$BUILD" --target kernel_tests >/dev/null
# -L: the cross compiler's root holds AArch64's loader and C library; OpenBLAS comes from
# /usr/lib/aarch64-linux-gnu (multiarch), which qemu reaches when the root has no such path.
# OPENBLAS_NUM_THREADS=1: OpenBLAS's thread pool, started as the library loads, never
# finishes starting under qemu-user (its threads spin); the engine calls BLAS on one thread
# anyway (native/binding/addon.cpp).
output=$(OPENBLAS_NUM_THREADS=1 qemu-aarch64 -L /usr/aarch64-linux-gnu "$BUILD/kernel_tests")
echo "$output" | sed 's/^/arm64 (qemu): /'
grep -q '^table neon: [0-9]* checks, 0 failed$' <<< "$output" || { echo "arm64: the neon table did not pass" >&2; exit 1; }
