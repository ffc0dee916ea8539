'use strict';
// RNNCell, LSTMCell and GRUCell against PyTorch (test/fixtures/cells.json).
const assert = require('node:assert/strict');
const { loadFixture, assertTensorClose } = require('./support/numeric');
const { moduleFromCase, hiddenFromCase, toTensor } = require('./support/modules');

const fixture = loadFixture('cells.json');

describe('RNNCell, LSTMCell and GRUCell match PyTorch', () => {
  it('covers bias x unbatched x given/zero state for every cell', () => {
    const count = (module) => fixture.cases.filter((c) => c.module === module).length;
    assert.equal(count('RNNCell'), 16);
    assert.equal(count('LSTMCell'), 8);
    assert.equal(count('GRUCell'), 8);
  });

  for (const testCase of fixture.cases) {
    it(testCase.name, () => {
      const cell = moduleFromCase(testCase);
      assert.deepEqual(
        cell.namedParameters().map(([name, tensor]) => [name, [...tensor.shape]]),
        testCase.parameters.map((p) => [p.name, p.shape]),
      );
      const result = cell.forward(toTensor(testCase.input), hiddenFromCase(testCase));
      if (testCase.module === 'LSTMCell') {
        assertTensorClose(result[0], testCase.h1, 'h1');
        assertTensorClose(result[1], testCase.c1, 'c1');
      } else {
        assertTensorClose(result, testCase.h1, 'h1');
      }
    });
  }
});
