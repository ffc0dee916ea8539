'use strict';
// The thread splits give PyTorch's numbers: batch 1 and 2 split the hidden units across
// threads (with a barrier per step), batch 12 splits the batch, bidirectional layers run
// both directions at once. Each case runs at 1, 2 and 3 threads
// (test/fixtures/wide_modules.json).
const assert = require('node:assert/strict');
const { loadFixture, assertTensorClose } = require('./support/numeric');
const { moduleFromCase, hiddenFromCase, toTensor } = require('./support/modules');
const { setNumThreads, getNumThreads, packPaddedSequence, padPackedSequence } = require('../lib');

const fixture = loadFixture('wide_modules.json');

describe('every thread count matches PyTorch', () => {
  let threadsBefore;
  // These layers are small: lower the unit-split threshold so that batches 1 and 2 really
  // split the hidden units across threads, as wide layers do.
  const { native } = require('../lib/native');
  before(() => { threadsBefore = getNumThreads(); native.setSplitTuningForTesting(0); });
  after(() => { setNumThreads(threadsBefore); native.setSplitTuningForTesting(); });

  for (const threads of [1, 2, 3]) {
    for (const testCase of fixture.cases) {
      it(`${threads} thread(s): ${testCase.name}`, () => {
        setNumThreads(threads);
        const module = moduleFromCase(testCase);
        let input = toTensor(testCase.input);
        if (testCase.lengths) input = packPaddedSequence(input, testCase.lengths, { enforceSorted: false });
        let [output, state] = module.forward(input, hiddenFromCase(testCase));
        if (testCase.lengths) [output] = padPackedSequence(output, { totalLength: testCase.input.shape[0] });
        assertTensorClose(output, testCase.output, 'output');
        const [hN, cN] = testCase.module === 'LSTM' ? state : [state, null];
        assertTensorClose(hN, testCase.hN, 'hN');
        if (cN) assertTensorClose(cN, testCase.cN, 'cN');
        assert.equal(getNumThreads(), threads);
      });
    }
  }
});

// The step's W_hh product takes one of three kernels (native/core/recurrent_direction.cpp):
// the GEMM kernel on a packed W_hh for batches of 4+ (in calls of 16+ rows, batch x steps,
// unless the module keeps its weights packed between calls), the multi-vector kernel on
// W_hh as stored for smaller batches and calls, the matrix-vector kernel for one sequence.
// The input projection, likewise, packs W_ih above 16 rows only (3 when cached). Each
// shape runs twice: on a module that caches its packed weights (W_ih of any width packed,
// the first step from a zero state skipped, W_hh as stored read from the cache's copy), and
// on one that does not (its live tensors were handed out). Wide layers (K = 300 crosses the
// GEMM kernel's 256-deep chunks and leaves a partial vector of 8; 300 units leave a partial
// 16-unit panel) must agree across the paths. The packed batches cut into the GEMM kernel's row groups in every way: 7 = 6 + 1
// (a group of 4 with one row), 10 = 6 + 4, 14 = 6 + 4 + 4, 16 = 6 + 6 + 4.
describe('the step kernels agree with each other on wide layers', () => {
  const { LSTM, GRU, RNN, Tensor, randn, manualSeed } = require('../lib');
  const modules = [[LSTM, {}], [LSTM, { projSize: 270 }], [GRU, { bidirectional: true }], [RNN, {}]];
  const shapes = [[4, 2], [4, 3], [1, 8], [1, 15], [4, 7], [4, 10], [4, 14], [1, 16]];
  for (const [Module, options] of modules) {
    for (const [steps, batchSize] of shapes) {
      for (const cached of [true, false]) {
        it(`${Module.name} ${JSON.stringify(options)}, ${cached ? 'cached' : 'packed per call'}: ${steps} step(s) of a batch of ${batchSize} equal each sequence alone`, () => {
          manualSeed(21);
          const module = new Module(8, 300, options).eval();
          if (!cached) module.parameters();
          const batch = randn([steps, batchSize, 8]);
          const [together] = module.forward(batch);
          const width = together.shape[2];
          for (let b = 0; b < batchSize; b++) {
            const single = new Float32Array(steps * 8);
            for (let t = 0; t < steps; t++) {
              single.set(batch.data.subarray((t * batchSize + b) * 8, (t * batchSize + b + 1) * 8), t * 8);
            }
            const [alone] = module.forward(new Tensor(single, [steps, 8]));
            const expected = [];
            for (let t = 0; t < steps; t++) {
              expected.push(...together.data.subarray((t * batchSize + b) * width, (t * batchSize + b + 1) * width));
            }
            assertTensorClose(alone, { shape: [steps, width], data: expected }, `sequence ${b}`, 1e-5);
          }
        });
      }
    }
  }
});

describe('a W_hh too large for the L2s: the threads split its units, whatever the batch', () => {
  const { LSTM, GRU, randn, manualSeed } = require('../lib');
  const { native } = require('../lib/native');
  let threadsBefore;
  before(() => { threadsBefore = getNumThreads(); });
  after(() => setNumThreads(threadsBefore));
  for (const [Module, hidden] of [[LSTM, 1024], [GRU, 1152]]) {
    it(`${Module.name}(16, ${hidden}), batch 24 (a batch split's size), packed and padded: 2 threads give 1 thread's numbers`, function () {
      this.timeout(60000);
      const gates = Module === LSTM ? 4 : 3;
      // W_hh (gates*H x H floats) is above kStreamedHiddenWeightsL2s = 2 of this machine's L2s.
      assert.ok(gates * hidden * hidden * 4 > 2 * native.machineInfo().l2Bytes, 'a W_hh that streams from L3 here');
      manualSeed(9);
      const module = new Module(16, hidden).eval();
      const input = randn([3, 24, 16]);
      const packed = packPaddedSequence(input, Array.from({ length: 24 }, (_, b) => 3 - (b % 3)), { enforceSorted: false });
      setNumThreads(1);
      const [one, stateOne] = module.forward(input);
      const [onePacked] = module.forward(packed);
      setNumThreads(2);
      const [two, stateTwo] = module.forward(input);
      const [twoPacked] = module.forward(packed);
      assert.deepEqual(two.shape, [3, 24, hidden]);
      assertTensorClose(two, { shape: one.shape, data: Array.from(one.data) }, 'output', 1e-6);
      const hOne = Module === LSTM ? stateOne[0] : stateOne;
      const hTwo = Module === LSTM ? stateTwo[0] : stateTwo;
      assertTensorClose(hTwo, { shape: hOne.shape, data: Array.from(hOne.data) }, 'h_n', 1e-6);
      assertTensorClose(twoPacked.data, { shape: onePacked.data.shape, data: Array.from(onePacked.data.data) }, 'packed output', 1e-6);
    });
  }
});
