#!/usr/bin/env node
'use strict';
// npm run build:prebuild: the self-contained binary that ships in the npm tarball, written
// as prebuilds/<platform>-<arch>/rnn-blas.glibc.node by prebuildify, under the name that
// node-gyp-build looks for (package name, then the libc tag, so musl systems build from
// source instead of loading a glibc binary). The npm script is not named "prebuild": npm
// would run that as the pre-hook of every `npm run build`.
//
// prebuildify only knows node-gyp; scripts/prebuild-node-gyp.js stands in for it and runs
// cmake-js with -DRNN_BLAS_STATIC_OPENBLAS=ON in build-prebuild/, so the development build
// in build/ is left as it is. prebuildify then strips the binary and names it.
//
// --arch arm64 (npm run build:prebuild:arm64) cross-compiles prebuilds/linux-arm64/ on x64
// in build-prebuild-arm64/, with cmake/toolchain-linux-arm64.cmake and the packages that
// scripts/arm64/setup-toolchain.sh installs.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs } = require('node:util');
const prebuildify = require('prebuildify');

const { values: options } = parseArgs({ options: { arch: { type: 'string', default: os.arch() } } });
const arch = options.arch;
const cross = arch !== os.arch();
// The cross binutils that strip a binary of another architecture.
const crossTriplets = { arm64: 'aarch64-linux-gnu' };
if (cross && !(process.platform === 'linux' && crossTriplets[arch])) {
  console.error(`rnn-blas: cannot cross-compile for ${process.platform}-${arch} on ${os.arch()}`);
  process.exit(1);
}

const root = path.join(__dirname, '..');
const stage = path.join(root, cross ? `build-prebuild-${arch}` : 'build-prebuild');
fs.mkdirSync(stage, { recursive: true });

prebuildify(
  {
    cwd: stage, // where the node-gyp stand-in leaves build/Release/rnn_blas.node
    out: root, // prebuilds/ goes next to package.json
    name: require('../package.json').name,
    arch,
    napi: true,
    strip: true,
    stripBin: cross ? `${crossTriplets[arch]}-strip` : 'strip',
    tagLibc: true,
    nodeGyp: path.join(__dirname, 'prebuild-node-gyp.js'),
  },
  (err) => {
    if (err) {
      console.error(`rnn-blas: prebuild failed: ${err.message || err}`);
      process.exit(1);
    }
    const dir = path.join(root, 'prebuilds', `${process.platform}-${arch}`);
    for (const file of fs.readdirSync(dir)) {
      const { size } = fs.statSync(path.join(dir, file));
      console.log(`rnn-blas: wrote ${path.relative(root, path.join(dir, file))} (${size} bytes)`);
    }
  },
);
