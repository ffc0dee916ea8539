#!/usr/bin/env node
'use strict';
// npm run prebuild (alias: build:prebuild): the self-contained binary that ships in the npm
// tarball, written as prebuilds/<platform>-<arch>/rnn-blas.glibc.node by prebuildify, under
// the name that node-gyp-build looks for (package name, then the libc tag, so musl systems
// build from source instead of loading a glibc binary).
//
// prebuildify only knows node-gyp; scripts/prebuild-node-gyp.js stands in for it and runs
// cmake-js with -DRNN_BLAS_STATIC_OPENBLAS=ON in build-prebuild/, so the development build
// in build/ is left as it is. prebuildify then strips the binary and names it.
const fs = require('node:fs');
const path = require('node:path');
const prebuildify = require('prebuildify');

// npm also runs a script named "prebuild" as the pre-hook of every "npm run build". The
// environment is the same either way, so tell them apart by the command line of the npm
// process that started us (Linux /proc); where that cannot be read, build.
function startedAsHookOfBuild() {
  if (process.env.npm_lifecycle_event !== 'prebuild') return false;
  let pid = process.ppid;
  for (let depth = 0; depth < 8 && pid > 1; depth++) {
    try {
      // npm retitles its process ("npm run build" as one string), so split on spaces too.
      const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0\s]+/).filter(Boolean);
      const run = args.findIndex((arg) => ['run', 'run-script', 'rum', 'urn'].includes(arg));
      if (run > 0 && args.slice(0, run).some((arg) => /npm/.test(arg))) return args[run + 1] === 'build';
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      pid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return false;
    }
  }
  return false;
}

if (startedAsHookOfBuild()) process.exit(0);

const root = path.join(__dirname, '..');
const stage = path.join(root, 'build-prebuild');
fs.mkdirSync(stage, { recursive: true });

prebuildify(
  {
    cwd: stage, // where the node-gyp stand-in leaves build/Release/rnn_blas.node
    out: root, // prebuilds/ goes next to package.json
    name: require('../package.json').name,
    napi: true,
    strip: true,
    tagLibc: true,
    nodeGyp: path.join(__dirname, 'prebuild-node-gyp.js'),
  },
  (err) => {
    if (err) {
      console.error(`rnn-blas: prebuild failed: ${err.message || err}`);
      process.exit(1);
    }
    const dir = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`);
    for (const file of fs.readdirSync(dir)) {
      const { size } = fs.statSync(path.join(dir, file));
      console.log(`rnn-blas: wrote ${path.relative(root, path.join(dir, file))} (${size} bytes)`);
    }
  },
);
