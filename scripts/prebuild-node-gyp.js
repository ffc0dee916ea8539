#!/usr/bin/env node
'use strict';
// Stands in for `node-gyp rebuild` when prebuildify runs (see scripts/prebuild.js): builds
// the addon with cmake-js, OpenBLAS linked statically, and leaves the binary in
// <cwd>/build/Release where prebuildify picks it up. For the machine's own architecture the
// CMake build lives in build-prebuild/cmake; for another one (--arch=arm64 on x64) in
// build-prebuild-<arch>/cmake, cross-compiled with cmake/toolchain-linux-<arch>.cmake.
// prebuildify's other arguments (--target, --devdir) do not apply: a Node-API build runs
// on every Node version that has N-API 8, and cmake-js takes the headers from
// node-api-headers.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const debug = process.argv.includes('--debug');
const config = debug ? 'Debug' : 'Release';
const archArgument = process.argv.find((arg) => arg.startsWith('--arch='));
const arch = archArgument ? archArgument.slice('--arch='.length) : os.arch();
const cross = arch !== os.arch();

const cmakeOut = path.join(root, cross ? `build-prebuild-${arch}` : 'build-prebuild', 'cmake');
const toolchain = path.join(root, 'cmake', `toolchain-${process.platform}-${arch}.cmake`);
if (cross && !fs.existsSync(toolchain)) {
  console.error(`rnn-blas: no CMake toolchain file for ${process.platform}-${arch} (${path.relative(root, toolchain)})`);
  process.exit(1);
}

const args = [
  require.resolve('cmake-js/bin/cmake-js'),
  'compile',
  '--out', cmakeOut,
  '--CDRNN_BLAS_STATIC_OPENBLAS=ON',
  ...(cross ? ['--arch', arch, `--CDCMAKE_TOOLCHAIN_FILE=${toolchain}`] : []),
  ...(debug ? ['--debug'] : []),
];
const build = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const destination = path.join(process.cwd(), 'build', config);
fs.mkdirSync(destination, { recursive: true });
fs.copyFileSync(path.join(cmakeOut, config, 'rnn_blas.node'), path.join(destination, 'rnn_blas.node'));
