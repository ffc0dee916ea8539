#!/usr/bin/env node
'use strict';
// npm's install step: use a prebuilt binary when one loads here; build from source with
// cmake-js only when none does, and say which system packages a failed build lacks.
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.join(__dirname, '..');

function prebuildLoads() {
  if (process.env.npm_config_build_from_source === 'true') return false;
  try {
    const binding = require('node-gyp-build')(root);
    return typeof binding.recurrentForward === 'function';
  } catch {
    return false;
  }
}

if (prebuildLoads()) {
  console.log('rnn-blas: using the prebuilt binary');
  process.exit(0);
}

const cmakeJs = require.resolve('cmake-js/bin/cmake-js');
const build = spawnSync(process.execPath, [cmakeJs, 'compile'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error(
    '\nrnn-blas: building from source failed. It needs a C++17 compiler, CMake >= 3.15 and\n' +
      "OpenBLAS's development files. Install them with:\n" +
      '  Debian/Ubuntu: apt-get install -y build-essential cmake libopenblas-dev\n' +
      '  Fedora:        dnf install -y gcc-c++ cmake openblas-devel\n' +
      '  macOS:         brew install cmake openblas\n',
  );
  process.exit(build.status ?? 1);
}
