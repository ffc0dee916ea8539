'use strict';
// A module keeps its weights packed for the native GEMM kernel between calls
// (native/core/packed_weight_cache.h) for as long as its parameters cannot change unseen.
// With the packing paid once, short calls of batches of 4+ run the GEMM kernel where an
// uncached call would not. These tests hold that path to PyTorch's numbers, and check each
// way the cache must give way: loadStateDict, resetParameters, live tensors handed out.
const assert = require('node:assert/strict');
const { loadFixture, assertTensorClose } = require('./support/numeric');
const { moduleFromCase, hiddenFromCase, toTensor } = require('./support/modules');
const { native } = require('../lib/native');
const rnnBlas = require('../lib');

const { LSTM, GRU, RNN, randn, manualSeed, setNumThreads, getNumThreads } = rnnBlas;
const cachesOnThisCpu = native.kernelSet() !== 'portable';

/** The handle a module passes to its calls (a private field: read here only to observe it). */
function cacheOf(module) {
  return module.packedWeights;
}

/** The case's forward; packed cases (lengths) come back padded, to compare with the padded fixture output. */
function forwardCase(module, testCase) {
  const batchFirst = Boolean(testCase.options.batchFirst);
  const expected = testCase.paddedOutput || testCase.output;
  let input = toTensor(testCase.input);
  if (testCase.lengths) {
    input = rnnBlas.packPaddedSequence(input, testCase.lengths, { batchFirst, enforceSorted: Boolean(testCase.enforceSorted) });
  }
  let [output, state] = module.forward(input, hiddenFromCase(testCase));
  if (testCase.lengths) {
    [output] = rnnBlas.padPackedSequence(output, { batchFirst, totalLength: expected.shape[batchFirst ? 1 : 0] });
  }
  const [hN, cN] = testCase.module === 'LSTM' ? state : [state, null];
  return { output, hN, cN };
}

function assertMatchesCase(result, testCase, label) {
  assertTensorClose(result.output, testCase.paddedOutput || testCase.output, `${label}: output`);
  assertTensorClose(result.hN, testCase.hN, `${label}: hN`);
  if (result.cN) assertTensorClose(result.cN, testCase.cN, `${label}: cN`);
}

function assertSameData(actual, expected, label) {
  assert.deepEqual([...actual.shape], [...expected.shape], `${label}: shape`);
  assert.ok(actual.data.every((value, i) => Object.is(value, expected.data[i])), `${label}: values differ`);
}

describe('packed weights kept between calls', () => {
  let threadsBefore;
  before(() => { threadsBefore = getNumThreads(); });
  after(() => setNumThreads(threadsBefore));

  describe('match PyTorch on the call that fills them and on the calls that read them', () => {
    const cases = [
      ...loadFixture('modules.json').cases,
      ...loadFixture('wide_modules.json').cases,
      ...loadFixture('packed_modules.json').cases,
    ];
    for (const threads of [1, 2]) {
      for (const testCase of cases) {
        it(`${threads} thread(s): ${testCase.name}`, () => {
          setNumThreads(threads);
          const module = moduleFromCase(testCase);
          assertMatchesCase(forwardCase(module, testCase), testCase, 'first call');
          if (cachesOnThisCpu) assert.equal(native.packedWeightsReady(cacheOf(module)), true, 'filled by the first call');
          assertMatchesCase(forwardCase(module, testCase), testCase, 'second call');
          assertMatchesCase(forwardCase(module, testCase), testCase, 'third call');
        });
      }
    }
  });

  describe('serve every later call shape from what the first call packed', () => {
    // Wide layers (K = 300 crosses the kernel's 256-deep chunks; 300 units leave a partial
    // panel). Each module fills its cache with one shape, then runs every other shape; a
    // twin with the same weights whose live tensors were handed out runs uncached.
    const modules = [[LSTM, {}], [LSTM, { projSize: 270, numLayers: 2 }], [GRU, { bidirectional: true }], [RNN, {}]];
    const shapes = [[1, 1], [3, 2], [1, 4], [2, 5], [1, 8], [5, 3], [4, 16], [12, 7]];
    for (const threads of [1, 2]) {
      for (const [Module, options] of modules) {
        it(`${threads} thread(s), ${Module.name} ${JSON.stringify(options)}`, () => {
          setNumThreads(threads);
          manualSeed(22);
          const cached = new Module(300, 300, options).eval();
          const uncached = new Module(300, 300, options).eval();
          uncached.loadStateDict(cached.stateDict());
          uncached.namedParameters();
          for (const [steps, batch] of shapes) {
            const input = randn([steps, batch, 300]);
            const [expected] = uncached.forward(input);
            const [actual] = cached.forward(input);
            assertTensorClose(actual, { shape: expected.shape, data: Array.from(expected.data) },
              `${steps} step(s) of ${batch}`, 1e-5);
          }
          assert.equal(cacheOf(uncached), null, 'the twin ran uncached');
          if (cachesOnThisCpu) assert.equal(native.packedWeightsReady(cacheOf(cached)), true);
        });
      }
    }
  });

  describe('give way when the parameters change', () => {
    // LSTM 6 -> 37, two steps of a batch of 5: uncached, the multi-vector kernel; cached, the GEMM kernel.
    const testCase = loadFixture('wide_modules.json').cases.find((c) => c.name.includes('batch=5'));

    it('loadStateDict: the next call computes with the loaded parameters (PyTorch numbers)', () => {
      const module = moduleFromCase(testCase);
      forwardCase(module, testCase);
      const before = cacheOf(module);
      manualSeed(5);
      const fresh = new LSTM(6, 37).eval();
      module.loadStateDict(fresh.stateDict());
      assert.notEqual(cacheOf(module), before, 'a new cache');
      const input = randn([2, 5, 6]);
      assertSameData(module.forward(input)[0], fresh.forward(input)[0], 'after loadStateDict');
      module.loadStateDict(Object.fromEntries(testCase.parameters.map((p) => [p.name, toTensor(p)])));
      assertMatchesCase(forwardCase(module, testCase), testCase, 'loaded back');
    });

    it('resetParameters: the next call computes with the new draw', () => {
      manualSeed(7);
      const module = new GRU(6, 40, { numLayers: 2 }).eval();
      const input = randn([3, 6, 6]);
      module.forward(input);
      manualSeed(8);
      module.resetParameters();
      const fresh = new GRU(6, 40, { numLayers: 2 }).eval();
      manualSeed(8);
      fresh.resetParameters();
      assertSameData(module.forward(input)[0], fresh.forward(input)[0], 'after resetParameters');
    });

    for (const lend of ['namedParameters', 'parameters']) {
      it(`${lend}(): in-place edits to the live tensors reach the next call, which no longer caches`, () => {
        const module = moduleFromCase(testCase);
        forwardCase(module, testCase);
        const tensors = lend === 'namedParameters' ? module.namedParameters().map(([, t]) => t) : module.parameters();
        const weightHh = tensors[1]; // weight_hh_l0
        for (let i = 0; i < weightHh.data.length; i += 3) weightHh.data[i] += 0.25;
        const edited = new LSTM(6, 37).eval();
        edited.loadStateDict(Object.fromEntries(module.namedParameters().map(([name, t]) => [name, t.clone()])));
        const input = randn([2, 5, 6]);
        const [expected] = edited.forward(input);
        const [actual] = module.forward(input);
        assertTensorClose(actual, { shape: expected.shape, data: Array.from(expected.data) }, 'edited', 1e-5);
        assert.equal(cacheOf(module), null);
        // The stale packed weights would be far off: the edit moved every third weight.
        const [stale] = moduleFromCase(testCase).forward(input);
        assert.ok(stale.data.some((value, i) => Math.abs(value - expected.data[i]) > 1e-2), 'the edit matters');
      });
    }

    it('fromStateDict builds a module that caches (reading the checkpoint lends nothing)', () => {
      const module = LSTM.fromStateDict(Object.fromEntries(testCase.parameters.map((p) => [p.name, toTensor(p)])));
      module.eval();
      assertMatchesCase(forwardCase(module, testCase), testCase, 'fromStateDict');
      if (cachesOnThisCpu) assert.equal(native.packedWeightsReady(cacheOf(module)), true);
    });
  });

  it('calls running at once on a new module agree: one fills the cache, the others pack for themselves', async () => {
    setNumThreads(2);
    manualSeed(9);
    const module = new LSTM(64, 96, { numLayers: 2 }).eval();
    const twin = new LSTM(64, 96, { numLayers: 2 }).eval();
    twin.loadStateDict(module.stateDict());
    const inputs = [[3, 8], [1, 4], [6, 5], [2, 16]].map(([steps, batch]) => randn([steps, batch, 64]));
    const results = await Promise.all(inputs.map((input) => module.forwardAsync(input)));
    // A call that ran while another filled the cache packed for itself, and may have
    // taken other kernels than the twin (float rounding apart, the same numbers).
    inputs.forEach((input, i) => {
      const [expected] = twin.forward(input);
      assertTensorClose(results[i][0], { shape: expected.shape, data: Array.from(expected.data) }, `call ${i}`, 1e-5);
    });
    if (cachesOnThisCpu) assert.equal(native.packedWeightsReady(cacheOf(module)), true);
  });

  it('an async call on filled packed weights computes from the weights of its call, whatever loads meanwhile', async () => {
    // With the cache filled, such a call copies neither W_hh nor (from 4 rows on) W_ih:
    // the binding clears those pointers, and the kernels read the cache.
    const testCase = loadFixture('wide_modules.json').cases.find((c) => c.name.includes('batch=5'));
    const original = Object.fromEntries(testCase.parameters.map((p) => [p.name, toTensor(p)]));
    manualSeed(11);
    const other = new LSTM(6, 37).stateDict();
    // Calls that hold every libuv pool thread for tens of milliseconds, so that the call
    // under test is still queued when the parameters change under it.
    const blocker = new LSTM(128, 256, { numLayers: 2 }).eval();
    const blockerInput = randn([40, 32, 128]);
    const poolThreads = Number(process.env.UV_THREADPOOL_SIZE || 4);
    for (const threads of [1, 2]) {
      setNumThreads(threads);
      for (const [steps, batch] of [[2, 5], [1, 1], [3, 1], [4, 1], [1, 4]]) {
        const module = moduleFromCase(testCase);
        const input = randn([steps, batch, 6]);
        const [expected] = module.forward(input); // fills the cache
        if (cachesOnThisCpu) assert.equal(native.packedWeightsReady(cacheOf(module)), true);
        const blockers = Array.from({ length: poolThreads }, () => blocker.forwardAsync(blockerInput));
        const pending = module.forwardAsync(input);
        module.loadStateDict(other);
        await Promise.all(blockers);
        const [actual] = await pending;
        assertSameData(actual, expected, `${threads} thread(s), ${steps} step(s) of ${batch}`);
        module.loadStateDict(original);
        assertSameData((await module.forwardAsync(input))[0], expected, 'loaded back, async from a new cache');
      }
    }
  });

  it('cells cache too: LSTMCell steps match PyTorch on every call', () => {
    const cell = loadFixture('cells.json').cases.find((c) => c.module === 'LSTMCell' && c.h0);
    const module = moduleFromCase(cell);
    for (let call = 0; call < 3; call++) {
      const [h1, c1] = module.forward(toTensor(cell.input), hiddenFromCase(cell));
      assertTensorClose(h1, cell.h1, `call ${call}: h1`);
      assertTensorClose(c1, cell.c1, `call ${call}: c1`);
    }
    if (cachesOnThisCpu) assert.equal(native.packedWeightsReady(cacheOf(module)), true);
  });

  describe('the raw binding refuses handles it did not make or made for another shape', () => {
    const call = () => {
      const module = new RNN(3, 4);
      const input = new Float32Array(2 * 3);
      return {
        kind: 0, inputSize: 3, hiddenSize: 4, projSize: 0, numLayers: 1, bidirectional: false, bias: true,
        weights: Object.values(module.stateDict()).map((t) => t.data), // weight_ih, weight_hh, bias_ih, bias_hh
        steps: 2, batch: 1, batchFirst: false, batchSizes: null, input,
        h0: null, c0: null, output: new Float32Array(2 * 4), hN: new Float32Array(4), cN: null, dropoutMasks: null,
      };
    };

    it('an object that is not a handle is a TypeError', () => {
      for (const packedWeights of [{}, 1, 'x', new Float32Array(4)]) {
        assert.throws(() => native.recurrentForward({ ...call(), packedWeights }), {
          name: 'TypeError',
          message: 'rnn-blas native: packedWeights must come from createPackedWeights()',
        });
      }
    });

    it('a handle used with another shape is a RangeError', () => {
      const packedWeights = native.createPackedWeights();
      native.recurrentForward({ ...call(), packedWeights });
      const other = { ...call(), hiddenSize: 5, packedWeights };
      other.weights = [new Float32Array(15), new Float32Array(25), new Float32Array(5), new Float32Array(5)];
      other.output = new Float32Array(10);
      other.hN = new Float32Array(5);
      assert.throws(() => native.recurrentForward(other), {
        name: 'RangeError',
        message: 'rnn-blas native: packedWeights were made for a module of another shape',
      });
    });
  });

  it('runs without a cache on the portable kernel table (the handle stays empty)', function () {
    if (cachesOnThisCpu) this.skip(); // test/21 runs the suites with RNN_BLAS_MAX_ISA=portable
    const module = new LSTM(4, 8).eval();
    module.forward(randn([3, 5, 4]));
    assert.equal(native.packedWeightsReady(cacheOf(module)), false);
  });
});
