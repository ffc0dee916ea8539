'use strict';
// Runs in a worker_thread: loads the addon in this thread, computes forwards sync and
// async, and posts the outputs back for comparison with the main thread's.
const { parentPort, workerData } = require('node:worker_threads');
const { LSTM, GRU, manualSeed, randn } = require('../../lib');

async function main() {
  manualSeed(workerData.seed);
  const Module = workerData.module === 'GRU' ? GRU : LSTM;
  const module = new Module(8, 32, { numLayers: 2 }).eval();
  const input = randn([workerData.steps, 4, 8]);
  const [syncOutput] = module.forward(input);
  const [asyncOutput] = await module.forwardAsync(input);
  parentPort.postMessage({ sync: syncOutput.data, async: asyncOutput.data });
}

main();
