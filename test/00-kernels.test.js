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
