'use strict';
// RNN, LSTM and GRU on PackedSequence input against PyTorch (test/fixtures/packed_modules.json):
// sorted and unsorted batches, tied lengths, length-1 sequences, batch 1, both directions.
const assert = require('node:assert/strict');
const { loadFixture, assertTensorClose } = require('./support/numeric');
const { moduleFromCase, hiddenFromCase, toTensor } = require('./support/modules');
const { PackedSequence, packPaddedSequence, padPackedSequence } = require('../lib');

const fixture = loadFixture('packed_modules.json');

describe('packed input matches PyTorch', () => {
  for (const testCase of fixture.cases) {
    it(testCase.name, () => {
      const module = moduleFromCase(testCase);
      const packed = packPaddedSequence(toTensor(testCase.input), testCase.lengths, {
        batchFirst: testCase.options.batchFirst,
        enforceSorted: testCase.enforceSorted,
      });
      const [output, state] = module.forward(packed, hiddenFromCase(testCase));

      assert.ok(output instanceof PackedSequence);
      assertTensorClose(output.data, testCase.output.data, 'output.data');
      assert.deepEqual([...output.batchSizes], testCase.output.batchSizes);
      assert.deepEqual(output.sortedIndices && [...output.sortedIndices], testCase.output.sortedIndices);
      assert.deepEqual(output.unsortedIndices && [...output.unsortedIndices], testCase.output.unsortedIndices);
      const [padded] = padPackedSequence(output, { batchFirst: testCase.options.batchFirst });
      assertTensorClose(padded, testCase.paddedOutput, 'padded output');

      // hN and cN come back in the caller's batch order.
      if (testCase.module === 'LSTM') {
        assertTensorClose(state[0], testCase.hN, 'hN');
        assertTensorClose(state[1], testCase.cN, 'cN');
      } else {
        assertTensorClose(state, testCase.hN, 'hN');
      }
    });
  }
});
