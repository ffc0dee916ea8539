'use strict';
// What lib/native-environment.ts sets up before the addon loads: OpenBLAS's kernels named
// from the CPU's flags (OpenBLAS 0.3.21 runs its SSE3 kernels on CPU models it does not
// know), and a warning for a RNN_BLAS_MAX_ISA that names no table.
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { openblasCoreFor } = require('../lib/native-environment');
const { native } = require('../lib/native');

const root = path.join(__dirname, '..');
const cpuinfo = (flags) => `processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: ${flags}\n\n`;

function runChild(code, env) {
  return spawnSync(process.execPath, ['-e', code], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
}

describe('the environment the addon loads in', () => {
  it('names the AVX-512 OpenBLAS core where F, CD, BW, DQ and VL are all there', () => {
    assert.equal(openblasCoreFor(cpuinfo('fpu sse2 avx avx2 fma avx512f avx512cd avx512bw avx512dq avx512vl avx512_vnni')), 'SkylakeX');
  });

  it('names the AVX2 core where an AVX-512 subset is missing, and none without AVX2 + FMA', () => {
    assert.equal(openblasCoreFor(cpuinfo('fpu sse2 avx avx2 fma avx512f avx512cd')), 'Haswell');
    assert.equal(openblasCoreFor(cpuinfo('fpu sse2 avx avx2 fma')), 'Haswell');
    assert.equal(openblasCoreFor(cpuinfo('fpu sse2 sse4_2 avx')), null);
    assert.equal(openblasCoreFor('processor : 0\n'), null);
  });

  it('OpenBLAS runs the core chosen for this CPU', function () {
    if (process.platform !== 'linux' || process.arch !== 'x64') this.skip();
    const expected = openblasCoreFor(require('node:fs').readFileSync('/proc/cpuinfo', 'utf8'));
    const child = runChild("process.stdout.write(require('./lib/native').native.machineInfo().openblasCore)",
      { OPENBLAS_CORETYPE: '' });
    assert.equal(child.status, 0, child.stderr);
    if (expected) assert.equal(child.stdout, expected);
    assert.equal(typeof native.machineInfo().openblasCore, 'string');
  });

  it("the user's OPENBLAS_CORETYPE wins", function () {
    if (process.platform !== 'linux' || process.arch !== 'x64') this.skip();
    const child = runChild("process.stdout.write(require('./lib/native').native.machineInfo().openblasCore)",
      { OPENBLAS_CORETYPE: 'Haswell' });
    assert.equal(child.status, 0, child.stderr);
    assert.equal(child.stdout, 'Haswell');
  });

  it('warns about a RNN_BLAS_MAX_ISA that names no table, and runs the best table', () => {
    const child = runChild("process.stdout.write(require('./lib/native').native.kernelSet())",
      { RNN_BLAS_MAX_ISA: 'sse9', RNN_BLAS_DISABLE_AVX2: '' });
    assert.equal(child.status, 0, child.stderr);
    assert.match(child.stderr, /RNN_BLAS_MAX_ISA=sse9 names no kernel table \(expected one of avx512, avx2, avx2-fma, neon, portable\); ignored/);
    assert.equal(child.stdout, native.kernelSet());
  });
});
