#!/usr/bin/env bash
# What building and testing the linux-arm64 prebuild on a Debian 12 x64 machine needs; run as
# root (CI runs it from .ci/run). Idempotent: a second run installs and downloads nothing.
#   - g++-aarch64-linux-gnu: the cross compiler (GCC 12, as for the x64 prebuild);
#   - libopenblas-dev:arm64 (dpkg --add-architecture arm64): Debian's OpenBLAS 0.3.21 for
#     arm64, whose static libopenblas.a goes into the prebuild. Debian builds it with
#     DYNAMIC_ARCH, so one archive picks its kernels for the CPU at run time (Neoverse N1/V1,
#     Cortex-A53/A57/A72, ThunderX, ...), the same library and version as the x64 prebuild's,
#     in seconds; building OpenBLAS for arm64 ourselves would take many minutes of CI per run
#     for no gain;
#   - qemu-user: runs arm64 programs on x64;
#   - an arm64 Node: Debian's nodejs:arm64 and the libraries it links, fetched with
#     `apt-get download` and unpacked into a folder (installing nodejs:arm64 would replace the
#     machine's own Node), run as scripts/arm64/node.sh: qemu-aarch64 -L <that folder>.
# The folder is build-arm64/node-sysroot/ unless RNN_BLAS_ARM64_SYSROOT names another.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
SYSROOT=${RNN_BLAS_ARM64_SYSROOT:-$REPO/build-arm64/node-sysroot}
export DEBIAN_FRONTEND=noninteractive

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  dpkg --add-architecture arm64
  apt-get update -qq
fi
wanted=(g++-aarch64-linux-gnu qemu-user libopenblas-dev:arm64)
missing=()
for package in "${wanted[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if ((${#missing[@]})); then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# nodejs:arm64 and what libnode links (C library included, so the folder is a complete
# root for qemu's -L), and the JavaScript packages Debian's Node loads from /usr/share/nodejs.
arm64_packages=(nodejs libnode108 libuv1 libicu72 libc-ares2 libnghttp2-14 libssl3 libbrotli1 zlib1g
  libc6 libgcc-s1 libstdc++6)
js_packages=(node-cjs-module-lexer node-acorn node-undici node-busboy node-xtend)
node_packages=("${arm64_packages[@]/%/:arm64}" "${js_packages[@]}")
stamp=$SYSROOT/.packages
describe() {
  apt-cache policy "${node_packages[@]}" 2>/dev/null | awk '/^[^ ]/ { name = $1 } /Candidate:/ { print name, $2 }'
}
wanted_versions=$(describe)
if [[ ! -x $SYSROOT/usr/bin/node || ! -f $stamp || $(cat "$stamp") != "$wanted_versions" ]]; then
  if grep -q '(none)' <<< "$wanted_versions" || [[ -z $wanted_versions ]]; then
    apt-get update -qq
    wanted_versions=$(describe)
  fi
  rm -rf "$SYSROOT"
  mkdir -p "$SYSROOT"
  debs=$(mktemp -d)
  chown _apt "$debs" 2>/dev/null || true # apt-get download fetches as _apt where it can
  (cd "$debs" && apt-get download -qq "${node_packages[@]}")
  for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$SYSROOT"; done
  rm -rf "$debs"
  printf '%s\n' "$wanted_versions" > "$stamp"
fi

node_version=$("$REPO/scripts/arm64/node.sh" -p 'process.arch + " node " + process.version + " napi " + process.versions.napi')
echo "arm64 toolchain: $(aarch64-linux-gnu-g++ --version | head -n1); OpenBLAS $(dpkg-query -W -f '${Version}' libopenblas-dev:arm64); $(qemu-aarch64 --version | head -n1)"
echo "arm64 Node in $SYSROOT: $node_version"
napi=${node_version##* }
((napi >= 8)) || { echo "setup-toolchain: the arm64 Node has Node-API $napi, the prebuild needs 8" >&2; exit 1; }
