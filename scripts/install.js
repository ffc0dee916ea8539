#!/usr/bin/env node
'use strict';
// npm's install step. Where a prebuilt binary loads it does nothing else, so a project that
// denies this script (npm 11's allowScripts) loses nothing; only where none loads does it
// build from source (scripts/build-from-source.js). It needs node-gyp-build alone, the one
// runtime dependency.
const path = require('node:path');

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
} else {
  require('./build-from-source').buildFromSource();
}
