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
  before(() => { threadsBefore = getNumThreads(); });
  after(() => setNumThreads(threadsBefore));

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
