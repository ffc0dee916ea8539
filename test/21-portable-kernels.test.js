'use strict';
// The portable kernels (scalar gate math, BLAS products) run on CPUs without AVX2 + FMA,
// which the prebuilt binary supports but this machine is not. RNN_BLAS_DISABLE_AVX2=1
// selects them here (native/core/cpu_features.h): the PyTorch parity suites run again in a
// child process that way.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { native } = require('../lib/native');

const root = path.join(__dirname, '..');
const portableEnv = { ...process.env, RNN_BLAS_DISABLE_AVX2: '1' };
const PARITY_SUITES = [
  'test/02-module-parity.test.js',
  'test/03-cell-parity.test.js',
  'test/07-packed-modules.test.js',
  'test/09-threads-parity.test.js',
  'test/20-nonfinite.test.js',
  // Without AVX2 modules hold a packed-weight handle that no call fills: the cache tests
  // then check PyTorch's numbers on the portable path, and that the handle stays empty.
  'test/22-packed-weight-cache.test.js',
];

describe('the portable kernels (RNN_BLAS_DISABLE_AVX2=1)', () => {
  it('this process runs the AVX2 kernels where the CPU has them', function () {
    if (process.platform !== 'linux' || process.env.RNN_BLAS_DISABLE_AVX2) this.skip();
    const flags = new Set((fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^flags\s*:(.*)$/m) || ['', ''])[1].trim().split(/\s+/));
    assert.equal(native.kernelSet(), flags.has('avx2') && flags.has('fma') ? 'avx2-fma' : 'portable');
  });

  it('the variable selects the portable kernels', () => {
    const child = spawnSync(process.execPath, ['-e', "process.stdout.write(require('./lib/native').native.kernelSet())"],
      { cwd: root, env: portableEnv, encoding: 'utf8' });
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout, 'portable');
  });

  it('match PyTorch on every module, cell, packed, threaded and non-finite case', function () {
    this.timeout(120000);
    const mocha = path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
    const child = spawnSync(process.execPath, [mocha, '--no-config', '--timeout', '30000', '--reporter', 'dot', ...PARITY_SUITES],
      { cwd: root, env: portableEnv, encoding: 'utf8' });
    assert.equal(child.status, 0, `${child.stdout}\n${child.stderr}`);
    const passing = Number((child.stdout.match(/(\d+) passing/) || [0, 0])[1]);
    assert.ok(passing >= 490, `${passing} passing: the suites did not all run`);
    assert.doesNotMatch(child.stdout, /failing/);
  });
});
