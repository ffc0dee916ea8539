#!/usr/bin/env bash
# Runs Debian's arm64 Node under qemu-user, from the folder scripts/arm64/setup-toolchain.sh
# unpacked it into: scripts/arm64/node.sh [node arguments]. process.arch is 'arm64' there,
# so node-gyp-build picks prebuilds/linux-arm64/.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
SYSROOT=${RNN_BLAS_ARM64_SYSROOT:-$REPO/build-arm64/node-sysroot}
[[ -x $SYSROOT/usr/bin/node ]] || { echo "no arm64 Node in $SYSROOT: run scripts/arm64/setup-toolchain.sh" >&2; exit 127; }
exec qemu-aarch64 -L "$SYSROOT" "$SYSROOT/usr/bin/node" "$@"
