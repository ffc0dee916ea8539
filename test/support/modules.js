'use strict';
// Builds rnn-blas modules from fixture cases written by scripts/fixtures/make_module_fixtures.py.
const rnnBlas = require('../../lib');

const { Tensor } = rnnBlas;

function toTensor(fixtureTensor) {
  return fixtureTensor ? new Tensor(Float32Array.from(fixtureTensor.data), fixtureTensor.shape) : null;
}

/** A module configured as the fixture case, in eval mode, with the case's parameters loaded. */
function moduleFromCase(testCase) {
  const { inputSize, hiddenSize, ...options } = testCase.options;
  const Module = rnnBlas[testCase.module];
  const module = new Module(inputSize, hiddenSize, options).eval();
  const stateDict = {};
  for (const parameter of testCase.parameters) stateDict[parameter.name] = toTensor(parameter);
  module.loadStateDict(stateDict);
  return module;
}

/** The hx argument of the case: a tensor, an [h0, c0] pair for LSTMs, or undefined. */
function hiddenFromCase(testCase) {
  if (!testCase.h0) return undefined;
  const h0 = toTensor(testCase.h0);
  return testCase.c0 ? [h0, toTensor(testCase.c0)] : h0;
}

module.exports = { moduleFromCase, hiddenFromCase, toTensor };
