'use strict';
// Nothing leaks: RSS stops growing over 100,000 small forwards and 10,000 forwardAsync calls.
const assert = require('node:assert/strict');
const { LSTM, GRUCell, randn, manualSeed } = require('../lib');

function rssMiB() {
  if (global.gc) global.gc();
  return process.memoryUsage().rss / 2 ** 20;
}

describe('memory', () => {
  it('RSS stops growing over 100,000 forwards and 10,000 forwardAsync calls', async function () {
    this.timeout(120000);
    manualSeed(8);
    const lstm = new LSTM(4, 8).eval();
    const cell = new GRUCell(4, 8);
    const input = randn([3, 2, 4]);
    const step = randn([2, 4]);
    const round = async (forwards, asyncCalls) => {
      for (let i = 0; i < forwards; i++) (i % 2 ? lstm.forward(input) : cell.forward(step));
      for (let i = 0; i < asyncCalls; i += 100) {
        await Promise.all(Array.from({ length: 100 }, () => lstm.forwardAsync(input)));
      }
    };
    await round(20000, 2000); // warm up: JIT, pools, allocator arenas
    const afterWarmUp = rssMiB();
    await round(40000, 4000);
    const middle = rssMiB();
    await round(40000, 4000);
    const end = rssMiB();
    // A leak of even 100 bytes per call would add ~4 MiB per round.
    assert.ok(end - middle < 8, `RSS grew ${(end - middle).toFixed(1)} MiB in the last round (from ${afterWarmUp.toFixed(1)})`);
  });
});
