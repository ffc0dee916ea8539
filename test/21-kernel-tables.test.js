'use strict';
// Every kernel table this CPU can run passes the PyTorch parity suites: this process runs
// the best table (native/core/kernel_table.h), and the suites run again in child processes
// under each lower cap of RNN_BLAS_MAX_ISA (avx2, portable). RNN_BLAS_DISABLE_AVX2=1, the
// older switch, still selects the portable table.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { native } = require('../lib/native');

const root = path.join(__dirname, '..');
const PARITY_SUITES = [
  'test/02-module-parity.test.js',
  'test/03-cell-parity.test.js',
  'test/07-packed-modules.test.js',
  'test/09-threads-parity.test.js',
  'test/10-activations.test.js',
  'test/20-nonfinite.test.js',
  // Without packed kernels (portable) modules hold a packed-weight handle that no call
  // fills: the cache tests then check PyTorch's numbers there, and that the handle stays empty.
  'test/22-packed-weight-cache.test.js',
];

function cpuFlags() {
  if (process.platform !== 'linux') return null;
  const line = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/^(?:flags|Features)\s*:(.*)$/m);
  return new Set(line ? line[1].trim().split(/\s+/) : []);
}

/** The table kernel_table.cpp should pick on this CPU, from /proc/cpuinfo's flags. */
function expectedTable(flags) {
  if (process.arch === 'arm64') return 'neon';
  if (process.arch !== 'x64') return 'portable';
  const avx2 = flags.has('avx2') && flags.has('fma');
  if (avx2 && ['avx512f', 'avx512bw', 'avx512vl', 'avx512dq'].every((f) => flags.has(f))) return 'avx512';
  return avx2 ? 'avx2-fma' : 'portable';
}

function kernelSetUnder(env) {
  const child = spawnSync(process.execPath, ['-e', "process.stdout.write(require('./lib/native').native.kernelSet())"],
    { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
  assert.equal(child.status, 0, child.stderr);
  return child.stdout;
}

const flags = cpuFlags();
const best = flags ? expectedTable(flags) : native.kernelSet();
const capped = process.env.RNN_BLAS_MAX_ISA || process.env.RNN_BLAS_DISABLE_AVX2;
// The caps below this CPU's best table, each with the table it must select.
const lowerCaps = [
  { cap: 'avx2', table: 'avx2-fma', applies: best === 'avx512' },
  { cap: 'portable', table: 'portable', applies: best !== 'portable' },
].filter((entry) => entry.applies);

describe('kernel tables (RNN_BLAS_MAX_ISA)', () => {
  it(`this process runs the best table the CPU has (${best})`, function () {
    if (!flags || capped) this.skip();
    assert.equal(native.kernelSet(), best);
  });

  it('RNN_BLAS_DISABLE_AVX2=1 still selects the portable table', () => {
    assert.equal(kernelSetUnder({ RNN_BLAS_DISABLE_AVX2: '1', RNN_BLAS_MAX_ISA: '' }), 'portable');
  });

  for (const { cap, table } of lowerCaps) {
    it(`RNN_BLAS_MAX_ISA=${cap} selects ${table}`, () => {
      assert.equal(kernelSetUnder({ RNN_BLAS_MAX_ISA: cap, RNN_BLAS_DISABLE_AVX2: '' }), table);
    });

    it(`under RNN_BLAS_MAX_ISA=${cap}: every module, cell, packed, threaded and non-finite case matches PyTorch`, function () {
      this.timeout(180000);
      const mocha = path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
      const child = spawnSync(process.execPath,
        ['--expose-gc', mocha, '--no-config', '--timeout', '30000', '--reporter', 'dot', ...PARITY_SUITES],
        { cwd: root, env: { ...process.env, RNN_BLAS_MAX_ISA: cap, RNN_BLAS_DISABLE_AVX2: '' }, encoding: 'utf8' });
      assert.equal(child.status, 0, `${child.stdout}\n${child.stderr}`);
      const passing = Number((child.stdout.match(/(\d+) passing/) || [0, 0])[1]);
      assert.ok(passing >= 490, `${passing} passing: the suites did not all run`);
      assert.doesNotMatch(child.stdout, /failing/);
    });
  }
});
