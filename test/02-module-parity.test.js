'use strict';
// RNN, LSTM and GRU against PyTorch: every combination of layers, direction, batchFirst,
// bias, projSize, unbatched input and given/zero state (test/fixtures/modules.json).
const assert = require('node:assert/strict');
const { loadFixture, assertTensorClose } = require('./support/numeric');
const { moduleFromCase, hiddenFromCase, toTensor } = require('./support/modules');

const fixture = loadFixture('modules.json');

describe('RNN, LSTM and GRU match PyTorch', () => {
  it('covers every option combination for all three modules', () => {
    const count = (module) => fixture.cases.filter((c) => c.module === module).length;
    assert.equal(count('RNN'), 128); // 2^6 x {tanh, relu}
    assert.equal(count('LSTM'), 128); // 2^6 x {no projection, projSize}
    assert.equal(count('GRU'), 64);
  });

  for (const testCase of fixture.cases) {
    it(testCase.name, () => {
      const module = moduleFromCase(testCase);
      const names = module.namedParameters().map(([name, tensor]) => [name, [...tensor.shape]]);
      assert.deepEqual(
        names,
        testCase.parameters.map((p) => [p.name, p.shape]),
        'parameter names, order and shapes are torch\'s',
      );
      const [output, state] = module.forward(toTensor(testCase.input), hiddenFromCase(testCase));
      assertTensorClose(output, testCase.output, 'output');
      if (testCase.module === 'LSTM') {
        assertTensorClose(state[0], testCase.hN, 'hN');
        assertTensorClose(state[1], testCase.cN, 'cN');
      } else {
        assertTensorClose(state, testCase.hN, 'hN');
      }
    });
  }
});
