#!/usr/bin/env bash
# Installs the benchmark's optional peers into bench/.peers (git-ignored), apart from the
# package's own dependencies. ONNXRUNTIME_NODE_INSTALL=skip: the CPU binaries ship inside
# the npm package; the skip only stops the postinstall from fetching GPU builds.
# PyTorch is not installed here: bench/run.js uses /usr/bin/python3's torch when it imports.
set -euo pipefail
cd "$(dirname "$0")"
ONNXRUNTIME_NODE_INSTALL=skip npm install --no-audit --no-fund --prefix .peers onnxruntime-node@1.30.0
