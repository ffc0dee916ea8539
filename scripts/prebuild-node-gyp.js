#!/usr/bin/env node
'use strict';
// Stands in for `node-gyp rebuild` when prebuildify runs (see scripts/prebuild.js): builds
// the addon with cmake-js, OpenBLAS linked statically, in build-prebuild/cmake, and leaves
// the binary in <cwd>/build/Release where prebuildify picks it up. prebuildify's other
// arguments (--target, --devdir, --arch) do not apply: a Node-API build runs on every
// Node version that has N-API 8, and cmake-js takes the headers from node-api-headers.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const cmakeOut = path.join(root, 'build-prebuild', 'cmake');
const debug = process.argv.includes('--debug');
const config = debug ? 'Debug' : 'Release';

const args = [
  require.resolve('cmake-js/bin/cmake-js'),
  'compile',
  '--out', cmakeOut,
  '--CDRNN_BLAS_STATIC_OPENBLAS=ON',
  ...(debug ? ['--debug'] : []),
];
const build = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const destination = path.join(process.cwd(), 'build', config);
fs.mkdirSync(destination, { recursive: true });
fs.copyFileSync(path.join(cmakeOut, config, 'rnn_blas.node'), path.join(destination, 'rnn_blas.node'));
