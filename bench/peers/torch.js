'use strict';
// PyTorch as a peer: /usr/bin/python3 with torch (Debian's), run once for the whole grid in
// a subprocess (bench/torch_peer.py) after our own trials, so the two never share the cores.
const path = require('path');
const { spawnSync } = require('child_process');

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(__dirname, '..', 'torch_peer.py');

/** The torch version string, or { missing: reason }. */
function probeTorch() {
  const probe = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (probe.error) return { missing: `${PYTHON} not runnable: ${probe.error.code}` };
  if (probe.status !== 0) return { missing: `${PYTHON} cannot import torch` };
  return { version: probe.stdout.trim() };
}

/**
 * Times torch on `trials` at each thread count with the same timing budget as ours.
 * Returns { version, results: { [threads]: { [name]: { medianMs, bestMs, repeats } } } }.
 */
function runTorchPeer({ trials, threads, budget }) {
  const job = JSON.stringify({ trials, threads, budget });
  const child = spawnSync(PYTHON, [SCRIPT], { input: job, encoding: 'utf8', maxBuffer: 16 << 20 });
  if (child.error || child.status !== 0) {
    const reason = child.error ? child.error.message : child.stderr.trim().split('\n').slice(-3).join(' | ');
    throw new Error(`torch peer failed: ${reason}`);
  }
  return JSON.parse(child.stdout);
}

/** "PyTorch 1.13" from "1.13.0a0+git...". */
function torchLabel(version) {
  return `PyTorch ${version.split('.').slice(0, 2).join('.')}`;
}

module.exports = { probeTorch, runTorchPeer, torchLabel };
