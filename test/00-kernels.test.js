'use strict';
// The C++ kernel tests (native/test/kernel_tests.cpp), built beside the addon: every kernel
// of every table this CPU runs against scalar references, with guard pages after each
// buffer. A table the CPU lacks is reported as skipped, by name.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { native } = require('../lib/native');

const tableName = (line) => line.match(/^table (\S+):/)[1];
const binary = path.join(__dirname, '..', 'build', 'kernel_tests');

describe('kernel tests (C++)', () => {
  it('every kernel of every table this CPU runs matches the scalar reference', function () {
    this.timeout(120000);
    if (!fs.existsSync(binary)) this.skip(); // a prebuilt-only install has no build tree
    const child = spawnSync(binary, [], { encoding: 'utf8' });
    assert.equal(child.status, 0, `${child.stdout}\n${child.stderr}`);
    const lines = child.stdout.trim().split('\n');
    const tested = lines.filter((line) => / checks, 0 failed$/.test(line)).map(tableName);
    const skipped = lines.filter((line) => /skipped \(this CPU lacks it\)$/.test(line)).map(tableName);
    assert.ok(tested.includes('portable'), child.stdout);
    assert.ok(tested.includes(native.kernelSet()) || process.env.RNN_BLAS_MAX_ISA, child.stdout);
    assert.equal(tested.length + skipped.length, lines.length, child.stdout);
  });
});

describe('no vector instruction outside the ISA units', () => {
  const { leaks } = require('../scripts/check-isa-leaks');
  const addon = path.join(__dirname, '..', 'build', 'Release', 'rnn_blas.node');
  const hasObjdump = spawnSync('objdump', ['--version']).status === 0;

  it('the addon: only kernel-table code uses ymm/zmm registers (objdump)', function () {
    this.timeout(60000);
    if (!hasObjdump || process.arch !== 'x64' || !fs.existsSync(addon)) this.skip(); // CI installs binutils
    assert.deepEqual(leaks(addon), []);
  });

  it('the check finds a function outside them that does', () => {
    const { wideRegisterUsers } = require('../scripts/check-isa-leaks');
    const disassembly = [
      '0000000000001000 <rnnblas::multiplyPacked(float const*)>:',
      '    1000:\tvmovups (%rdi),%ymm0',
      '0000000000002000 <void rnnblas::vectorized::lstmRow<rnnblas::avx512::Vec>(rnnblas::GateRow const&)>:',
      '    2000:\tvmovups (%rdi),%zmm1',
      '0000000000003000 <rnnblas::packGates(float const*)>:',
      '    3000:\tmovups (%rdi),%xmm0',
    ].join('\n');
    assert.deepEqual(wideRegisterUsers(disassembly).filter((name) => !/rnnblas::(avx2|avx512|neon)::/.test(name)),
      ['rnnblas::multiplyPacked(float const*)']);
  });
});
