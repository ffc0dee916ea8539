'use strict';
// The raw binding protects memory on its own: a call object whose fields disagree (lengths off
// by one, huge or negative or NaN sizes, missing fields, wrong array types, batch sizes that
// grow, buffers that overlap, getters that detach a buffer mid-read) gets a TypeError or a
// RangeError, never an out-of-bounds access or a crash. The TypeScript layer never sends such
// calls; these tests stand in for a bug there. Under `npm run test:asan` they also show that
// no accepted call reads or writes outside its buffers.
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { native } = require('../lib/native');
const { LSTM, GRU, zeros, randn, manualSeed } = require('../lib');
const { Random, detach } = require('./support/fuzz-api');

/** A valid call: 2-layer bidirectional LSTM with projections, packed batch of 3 (lengths 3, 2, 2). */
function validCall({ packed = false, async = false } = {}) {
  const inputSize = 4;
  const hiddenSize = 3;
  const projSize = 2;
  const gates = 4 * hiddenSize;
  const weights = [];
  for (let layer = 0; layer < 2; layer++) {
    for (let d = 0; d < 2; d++) {
      const layerInput = layer === 0 ? inputSize : 2 * projSize;
      weights.push(new Float32Array(gates * layerInput).fill(0.1), new Float32Array(gates * projSize).fill(0.1));
      weights.push(new Float32Array(gates).fill(0.01), new Float32Array(gates).fill(0.01));
      weights.push(new Float32Array(projSize * hiddenSize).fill(0.2));
    }
  }
  const steps = 3;
  const batch = 3;
  const batchSizes = packed ? Int32Array.of(3, 3, 1) : null;
  const rows = packed ? 7 : steps * batch;
  return {
    kind: 2,
    inputSize,
    hiddenSize,
    projSize,
    numLayers: 2,
    bidirectional: true,
    bias: true,
    weights,
    steps,
    batch,
    batchFirst: false,
    batchSizes,
    input: new Float32Array(rows * inputSize).fill(0.5),
    h0: new Float32Array(4 * batch * projSize).fill(0.1),
    c0: new Float32Array(4 * batch * hiddenSize).fill(0.1),
    output: new Float32Array(rows * 2 * projSize),
    hN: new Float32Array(4 * batch * projSize),
    cN: new Float32Array(4 * batch * hiddenSize),
    dropoutMasks: async ? null : new Float32Array(rows * 2 * projSize).fill(1),
  };
}

function rejectsSafely(call, label) {
  assert.throws(
    () => native.recurrentForward(call),
    (error) => {
      assert.ok(error instanceof TypeError || error instanceof RangeError, `${label}: ${error.constructor.name}: ${error.message}`);
      assert.ok(error.message.length > 0, `${label}: empty message`);
      return true;
    },
    label,
  );
}

const ODD_NUMBERS = [-1, -0.5, 0.5, NaN, Infinity, -Infinity, 2 ** 31, 2 ** 53, 1e300, '3', null, undefined, {}, true];
const SCALARS = ['kind', 'inputSize', 'hiddenSize', 'projSize', 'numLayers', 'steps', 'batch'];
const BUFFERS = ['input', 'output', 'h0', 'hN', 'c0', 'cN', 'dropoutMasks'];

describe('native guards: the raw binding refuses inconsistent calls', () => {
  it('accepts the valid calls the tests start from (padded and packed, sync and async)', async () => {
    native.recurrentForward(validCall());
    native.recurrentForward(validCall({ packed: true }));
    await native.recurrentForwardAsync(validCall({ async: true }));
    await native.recurrentForwardAsync(validCall({ packed: true, async: true }));
  });

  it('every size field: negative, fractional, NaN, infinite, huge, wrong type, missing', () => {
    for (const field of SCALARS) {
      for (const value of ODD_NUMBERS) {
        const call = validCall();
        call[field] = value;
        rejectsSafely(call, `${field} = ${String(value)}`);
      }
      const call = validCall();
      delete call[field];
      rejectsSafely(call, `${field} missing`);
    }
    for (const field of ['bidirectional', 'bias', 'batchFirst']) {
      for (const value of [0, 1, 'true', null, undefined]) {
        const call = validCall();
        call[field] = value;
        rejectsSafely(call, `${field} = ${String(value)}`);
      }
    }
  });

  it('sizes that disagree with the buffers: every size one more or one less, every size huge', () => {
    for (const field of ['inputSize', 'hiddenSize', 'projSize', 'numLayers', 'steps', 'batch']) {
      for (const delta of [1, -1]) {
        const call = validCall();
        call[field] += delta;
        rejectsSafely(call, `${field} ${delta > 0 ? '+' : ''}${delta}`);
      }
    }
    // Huge dims with small buffers: products that overflow 32 bits, 64 bits, or the caps.
    for (const [field, value] of [
      ['hiddenSize', 2 ** 29], ['hiddenSize', 2 ** 31 - 1], ['inputSize', 2 ** 31 - 1], ['steps', 2 ** 31 - 1],
      ['batch', 2 ** 31 - 1], ['numLayers', 65536], ['numLayers', 65537], ['projSize', 2 ** 28],
    ]) {
      const call = validCall();
      call[field] = value;
      rejectsSafely(call, `${field} = ${value}`);
    }
    const both = validCall();
    Object.assign(both, { steps: 2 ** 31 - 1, batch: 2 ** 31 - 1 });
    rejectsSafely(both, 'steps and batch both 2^31 - 1');
  });

  it('every buffer: one element short or long, wrong type, detached, missing', () => {
    for (const field of BUFFERS) {
      const length = validCall()[field].length;
      const variants = [
        ['one short', new Float32Array(length - 1)],
        ['one long', new Float32Array(length + 1)],
        ['a Float64Array', new Float64Array(length)],
        ['an Int32Array', new Int32Array(length)],
        ['a plain array', Array.from({ length }, () => 0)],
        ['a string', 'x'.repeat(length)],
        ['an object with a lying length', { length, 0: 1 }],
      ];
      const detached = new Float32Array(length);
      detach(detached);
      variants.push(['detached', detached]);
      if (!['h0', 'c0', 'dropoutMasks'].includes(field)) variants.push(['missing', undefined], ['null', null]);
      for (const [what, value] of variants) {
        const call = validCall();
        call[field] = value;
        rejectsSafely(call, `${field} ${what}`);
      }
    }
  });

  it('weights: wrong count, holes, wrong types, each one off by one', () => {
    const count = validCall().weights.length;
    for (const change of [
      (w) => w.pop(), (w) => w.push(new Float32Array(1)), (w) => { delete w[3]; }, (w) => { w[0] = new Float64Array(w[0].length); },
      (w) => { w[5] = null; }, (w) => { w[9] = 'weights'; },
    ]) {
      const call = validCall();
      change(call.weights);
      rejectsSafely(call, `weights changed by ${change}`);
    }
    for (let i = 0; i < count; i++) {
      for (const delta of [-1, 1]) {
        const call = validCall();
        call.weights[i] = new Float32Array(call.weights[i].length + delta);
        rejectsSafely(call, `weights[${i}] ${delta > 0 ? 'one long' : 'one short'}`);
      }
    }
    const notArray = validCall();
    notArray.weights = { length: count, ...notArray.weights };
    rejectsSafely(notArray, 'weights an array-like object');
  });

  it('batchSizes: growing, not starting at batch, zero, negative, wrong length or type', () => {
    for (const [what, value] of [
      ['growing', Int32Array.of(1, 3, 3)], ['first not batch', Int32Array.of(2, 2, 1)], ['a zero', Int32Array.of(3, 0, 0)],
      ['negative', Int32Array.of(3, -1, -1)], ['huge', Int32Array.of(3, 2 ** 31 - 1, 1)], ['too short', Int32Array.of(3, 3)],
      ['too long', Int32Array.of(3, 3, 1, 1)], ['Float64Array', Float64Array.of(3, 3, 1)], ['plain array', [3, 3, 1]],
      ['Uint32Array', Uint32Array.of(3, 3, 1)],
    ]) {
      const call = validCall({ packed: true });
      call.batchSizes = value;
      rejectsSafely(call, `batchSizes ${what}`);
    }
    const sumMismatch = validCall({ packed: true });
    sumMismatch.batchSizes = Int32Array.of(3, 3, 3); // 9 rows; the buffers hold 7
    rejectsSafely(sumMismatch, 'batchSizes summing to more rows than the buffers hold');
  });

  it('an output buffer that overlaps another buffer of the call', () => {
    const cases = [
      ['output is input', (c) => { c.output = new Float32Array(c.input.buffer, 0, c.output.length); c.input = new Float32Array(c.input.buffer, 0, c.input.length); }],
      ['hN inside output', (c) => { const big = new Float32Array(c.output.length + c.hN.length); c.output = big.subarray(0, c.output.length); c.hN = big.subarray(c.output.length - 1, c.output.length - 1 + c.hN.length); }],
      ['cN is a weight', (c) => { c.cN = c.weights[2].subarray(0, c.cN.length); }],
      ['hN is h0', (c) => { c.hN = c.h0; }],
    ];
    for (const [what, change] of cases) {
      const call = validCall();
      change(call);
      rejectsSafely(call, what);
    }
  });

  it('a getter that detaches a buffer while the call is being read', () => {
    // The binding reads every field before it checks any buffer, so the detach is seen.
    for (const victim of ['input', 'h0', 'weights']) {
      for (const trigger of ['output', 'hN', 'dropoutMasks', 'cN']) {
        const call = validCall();
        const buffer = victim === 'weights' ? call.weights[0].buffer : call[victim].buffer;
        const value = call[trigger];
        Object.defineProperty(call, trigger, {
          get() {
            detach(new Float32Array(buffer));
            // The detached memory now belongs to nobody: collect it, so that a binding that
            // kept an old pointer would touch freed memory (which ASan reports).
            if (global.gc) global.gc();
            return value;
          },
        });
        rejectsSafely(call, `${victim} detached by the getter of ${trigger}`);
      }
    }
    const call = validCall();
    const first = call.weights[0];
    Object.defineProperty(call.weights, 7, {
      get() {
        detach(first);
        return new Float32Array(12);
      },
    });
    rejectsSafely(call, 'weights[0] detached by the getter of weights[7]');
  });

  it('projections on a GRU, and a kind out of range', () => {
    const call = validCall();
    call.kind = 3;
    rejectsSafely(call, 'projSize on a GRU');
    call.kind = 4;
    rejectsSafely(call, 'kind 4');
  });

  it('2,000 random corruptions of valid calls: each returns or throws TypeError/RangeError', async () => {
    const r = new Random(1913);
    const values = () => [
      ...ODD_NUMBERS, 0, 1, 2, 3, 7, 2 ** 31 - 1, new Float32Array(0), new Float32Array(r.int(0, 80)),
      new Int32Array(3), Int32Array.of(3, 3, 1), Int32Array.of(3, 1, 1), new Float64Array(8), [],
    ];
    const fields = [...SCALARS, ...BUFFERS, 'weights', 'batchSizes', 'bidirectional', 'bias', 'batchFirst'];
    const pending = [];
    let accepted = 0;
    for (let i = 0; i < 2000; i++) {
      const call = validCall({ packed: r.chance(0.5), async: true });
      const changes = [];
      for (let k = r.int(1, 3); k > 0; k--) {
        const field = r.pick(fields);
        const value = r.chance(0.3) && typeof call[field] === 'number' ? call[field] + r.pick([-1, 1]) : r.pick(values());
        if (field === 'weights' && Array.isArray(call.weights) && r.chance(0.7)) {
          const index = r.int(0, call.weights.length - 1);
          call.weights[index] = value;
          changes.push(`weights[${index}]`);
        } else {
          call[field] = value;
          changes.push(field);
        }
      }
      const useAsync = r.chance(0.3);
      try {
        const result = useAsync ? native.recurrentForwardAsync(call) : native.recurrentForward(call);
        accepted++;
        if (useAsync) pending.push(result);
      } catch (error) {
        assert.ok(error instanceof TypeError || error instanceof RangeError, `changed ${changes}: ${error.constructor.name}: ${error.message}`);
      }
    }
    await Promise.all(pending);
    // Some corruptions are harmless (batchFirst flipped, a value set to what it was).
    assert.ok(accepted < 2000 * 0.3, `${accepted} of 2000 corrupted calls were accepted`);
  });

  it('linearForward: sizes and buffers that disagree, overlap, huge sizes', () => {
    const valid = () => ({
      input: new Float32Array(6), rows: 2, inFeatures: 3, weight: new Float32Array(12), bias: new Float32Array(4),
      outFeatures: 4, output: new Float32Array(8),
    });
    native.linearForward(valid());
    const changes = [
      ['rows + 1', (c) => { c.rows += 1; }], ['inFeatures - 1', (c) => { c.inFeatures -= 1; }], ['outFeatures huge', (c) => { c.outFeatures = 2 ** 31 - 1; }],
      ['rows NaN', (c) => { c.rows = NaN; }], ['rows negative', (c) => { c.rows = -2; }], ['bias one short', (c) => { c.bias = new Float32Array(3); }],
      ['weight Float64Array', (c) => { c.weight = new Float64Array(12); }], ['output missing', (c) => { delete c.output; }],
      ['output is input', (c) => { c.output = new Float32Array(8); c.input = c.output.subarray(0, 6); }],
      ['rows and inFeatures 2^31 - 1', (c) => { c.rows = 2 ** 31 - 1; c.inFeatures = 2 ** 31 - 1; }],
    ];
    for (const [what, change] of changes) {
      const call = valid();
      change(call);
      assert.throws(() => native.linearForward(call), (e) => e instanceof TypeError || e instanceof RangeError, what);
    }
  });

  it('setNumThreads: fractions, huge values that would wrap to a small int32, NaN', () => {
    const before = native.getNumThreads();
    for (const value of [0, -1, 1.5, 2 ** 32 + 1, 2 ** 31, 1025, NaN, Infinity]) {
      assert.throws(() => native.setNumThreads(value), RangeError, String(value));
    }
    assert.equal(native.getNumThreads(), before);
  });
});

describe('huge requests: a RangeError, and the process lives on', () => {
  // LSTM(1, 65536, projSize 1): inputs of 1 float and outputs of one float per row, but
  // every row's 4 * 65536 gate pre-activations sit in the workspace: 1 MiB per row.
  function hugeWorkspaceModule() {
    manualSeed(3);
    return new LSTM(1, 65536, { projSize: 1 }).eval();
  }

  it('a workspace past kMaxWorkspaceBytes (16 GiB for 16,384 rows of 1 MiB), sync and async', async () => {
    const lstm = hugeWorkspaceModule();
    const input = zeros([16384, 1, 1]);
    assert.throws(() => lstm.forward(input), (e) => e instanceof RangeError && /GiB of workspace/.test(e.message));
    await assert.rejects(lstm.forwardAsync(input), (e) => e instanceof RangeError && /GiB of workspace/.test(e.message));
    // Still alive and well: the same module on a sane input, another module.
    assert.deepEqual(lstm.forward(zeros([3, 1, 1]))[0].shape, [3, 1, 1]);
    assert.deepEqual(new GRU(3, 4).forward(randn([2, 2, 3]))[0].shape, [2, 2, 4]);
  });

  it('a workspace that fails to allocate (4 GiB under ulimit -v 4 GB) rejects with RangeError, sync and async', function () {
    this.timeout(60000);
    if (process.platform !== 'linux') this.skip();
    // A child process with a 4 GB address-space limit, the plain build (ASan cannot run under
    // such a limit, and the point here is the binding's bad_alloc path, not the sanitizers).
    const script = `
      const { LSTM, zeros } = require(${JSON.stringify(path.join(__dirname, '..', 'lib'))});
      const lstm = new LSTM(1, 65536, { projSize: 1 }).eval();
      const results = [];
      try { lstm.forward(zeros([4096, 1, 1])); results.push('returned'); } catch (e) { results.push(e.constructor.name + ': ' + e.message); }
      lstm.forwardAsync(zeros([4096, 1, 1])).then(() => results.push('resolved'), (e) => results.push(e.constructor.name + ': ' + e.message))
        .then(() => { results.push(String(lstm.forward(zeros([2, 1, 1]))[0].shape)); console.log(JSON.stringify(results)); });
    `;
    const env = { ...process.env };
    delete env.LD_PRELOAD;
    delete env.RNN_BLAS_BINARY;
    delete env.ASAN_OPTIONS;
    const child = spawnSync('bash', ['-c', 'ulimit -v 4000000 && exec "$0" -e "$1"', process.execPath, script], { encoding: 'utf8', env });
    assert.equal(child.status, 0, child.stderr);
    const results = JSON.parse(child.stdout.trim().split('\n').pop());
    assert.equal(results.length, 3, child.stdout);
    assert.match(results[0], /^RangeError: rnn-blas: could not allocate the workspace/);
    assert.match(results[1], /^RangeError: rnn-blas: could not allocate the workspace/);
    assert.equal(results[2], '2,1,1');
  });
});

describe('setMallocMmapThreshold: the footprint setting rnn-blas run makes', () => {
  it('applies on glibc (true) and refuses what mallopt cannot take', () => {
    // glibc's own starting value: what `rnn-blas run` sets, so setting it here changes nothing else.
    // glibc's malloc takes it; under `npm run test:asan` ASan's allocator replaces glibc's,
    // and its mallopt accepts nothing.
    const glibcMalloc = Boolean(process.report.getReport().header.glibcVersionRuntime) &&
      !(process.env.LD_PRELOAD || '').includes('libasan');
    assert.equal(native.setMallocMmapThreshold(128 * 1024), glibcMalloc);
    assert.throws(() => native.setMallocMmapThreshold('131072'), { name: 'TypeError', message: 'rnn-blas native: setMallocMmapThreshold expects a number of bytes' });
    for (const bad of [-1, 0.5, NaN, 64 * 1024 * 1024]) {
      assert.throws(() => native.setMallocMmapThreshold(bad), {
        name: 'RangeError',
        message: 'rnn-blas native: mmap threshold must be a whole number of bytes in [0, 32 MiB]',
      });
    }
  });
});
