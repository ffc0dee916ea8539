'use strict';
// forwardAsync: the same results as forward, computed on the libuv pool from a snapshot
// of the call's arguments, with the event loop free meanwhile; in worker_threads too.
const assert = require('node:assert/strict');
const path = require('node:path');
const { Worker } = require('node:worker_threads');
const { monitorEventLoopDelay } = require('node:perf_hooks');
const {
  LSTM, GRU, RNN, LSTMCell, GRUCell, RNNCell, randn, zeros, manualSeed, packSequence, setNumThreads, getNumThreads,
} = require('../lib');
const { native } = require('../lib/native');
const { loadFixture, assertTensorClose } = require('./support/numeric');
const { moduleFromCase, hiddenFromCase, toTensor } = require('./support/modules');

// A call that finds the thread team busy (another call has it) runs single-threaded, and a
// different split of the work changes float rounding in the last bits: compare at 1e-6.
function assertSameResult(actual, expected, label) {
  assertTensorClose(actual, { shape: [...expected.shape], data: expected.data }, label, 1e-6);
}

/** Max delay (ms) of a 1 ms interval timer, and its tick count, while `work` runs. */
async function timerDelayDuring(work) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let ticks = 0;
  const timer = setInterval(() => { ticks++; }, 1);
  histogram.enable();
  await work();
  histogram.disable();
  clearInterval(timer);
  return { maxMs: histogram.max / 1e6, ticks };
}

describe('forwardAsync', () => {
  it('matches PyTorch like forward does (a sample of the module fixtures)', async () => {
    const cases = loadFixture('modules.json').cases.filter((_, i) => i % 7 === 0);
    await Promise.all(cases.map(async (testCase) => {
      const module = moduleFromCase(testCase);
      const [output, state] = await module.forwardAsync(toTensor(testCase.input), hiddenFromCase(testCase));
      assertTensorClose(output, testCase.output, `${testCase.name} output`);
      assertTensorClose(testCase.module === 'LSTM' ? state[0] : state, testCase.hN, `${testCase.name} hN`);
    }));
  });

  it('cells match PyTorch', async () => {
    for (const testCase of loadFixture('cells.json').cases) {
      const cell = moduleFromCase(testCase);
      const result = await cell.forwardAsync(toTensor(testCase.input), hiddenFromCase(testCase));
      assertTensorClose(testCase.module === 'LSTMCell' ? result[0] : result, testCase.h1, testCase.name);
    }
  });

  it('takes packed input and returns hN in the caller\'s order', async () => {
    manualSeed(5);
    const gru = new GRU(3, 6, { bidirectional: true }).eval();
    const packed = packSequence([randn([2, 3]), randn([5, 3]), randn([1, 3])], { enforceSorted: false });
    const h0 = randn([2, 3, 6]);
    const [expectedOutput, expectedH] = gru.forward(packed, h0);
    const [output, hN] = await gru.forwardAsync(packed, h0);
    assertSameResult(output.data, expectedOutput.data, 'output');
    assertSameResult(hN, expectedH, 'hN');
  });

  it('never throws: bad arguments reject the Promise, checked before any native work', async () => {
    const lstm = new LSTM(5, 4);
    let promise;
    assert.doesNotThrow(() => { promise = lstm.forwardAsync(zeros([2, 3, 3])); });
    await assert.rejects(promise, {
      name: 'RangeError',
      message: 'input.size(-1) must be equal to input_size. Expected 5, got 3',
    });
    await assert.rejects(new RNNCell(5, 10).forwardAsync(zeros([3, 4])), {
      name: 'RangeError',
      message: 'input has inconsistent input_size: got 4 expected 5',
    });
    await assert.rejects(new GRU(3, 4).forwardAsync('x'), { name: 'TypeError' });
    await assert.rejects(new LSTMCell(3, 4).forwardAsync(zeros([2, 3]), [zeros([2, 4])]), { name: 'TypeError' });
  });

  it('computes from the weights and input it was called with, whatever happens meanwhile', async () => {
    manualSeed(9);
    const lstm = new LSTM(64, 128, 2).eval();
    const input = randn([60, 8, 64]);
    const [expected] = lstm.forward(input);
    const pending = lstm.forwardAsync(input);
    // While the call is in flight: edit a live parameter, load a new state, reset, and
    // overwrite the input.
    lstm.namedParameters()[0][1].data.fill(3);
    lstm.loadStateDict(new LSTM(64, 128, 2).stateDict());
    lstm.resetParameters();
    input.data.fill(-1);
    const [output] = await pending;
    assertSameResult(output, expected, 'output');
  });

  it('1,000 concurrent calls on several modules all give forward\'s results', async () => {
    manualSeed(2);
    const modules = [new LSTM(4, 8).eval(), new GRU(4, 8, 2).eval(), new RNN(4, 8).eval(), new LSTMCell(4, 8), new GRUCell(4, 8)];
    const calls = [];
    for (let i = 0; i < 1000; i++) {
      const module = modules[i % modules.length];
      const isCell = module instanceof LSTMCell || module instanceof GRUCell;
      const input = isCell ? randn([3, 4]) : randn([5, 3, 4]);
      const expected = module.forward(input);
      calls.push(module.forwardAsync(input).then((result) => {
        const [got, want] = module instanceof GRUCell ? [result, expected] : [result[0], expected[0]];
        assertSameResult(got, want, `call ${i}`);
      }));
    }
    await Promise.all(calls);
  });

  it('a failure inside the native work rejects with an Error whose stack points at the caller', async () => {
    const lstm = new LSTM(3, 4);
    const plan = lstm.planForward(zeros([2, 1, 3]), undefined);
    plan.call.failInWorker = true;
    const { runPlanAsync } = require('../lib/modules/async-call');
    async function callerOfForwardAsync() {
      return runPlanAsync(() => plan, callerOfForwardAsync);
    }
    await assert.rejects(callerOfForwardAsync(), (error) => {
      assert.equal(error.constructor, Error);
      assert.equal(error.message, 'rnn-blas: simulated failure inside the native computation');
      assert.match(error.stack, /11-async\.test\.js/);
      return true;
    });
    // The synchronous path reports the same failure as a thrown Error.
    assert.throws(() => native.recurrentForward(plan.call), { message: /simulated failure/ });
  });

  // At one thread per call, the configuration the README recommends for a server, so
  // that the computation leaves a core to the event loop on this 2-core machine.
  it('keeps the event loop responsive during a 2-second call (1 ms timer, <= 20 ms delay)', async function () {
    this.timeout(60000);
    const threadsBefore = getNumThreads();
    setNumThreads(1);
    try {
      manualSeed(4);
      const lstm = new LSTM(256, 512).eval();
      const probe = randn([50, 64, 256]);
      await lstm.forwardAsync(probe); // warm-up: workspace, code paths
      const started = process.hrtime.bigint();
      await lstm.forwardAsync(probe);
      const msPerStep = Number(process.hrtime.bigint() - started) / 1e6 / 50;
      const steps = Math.max(20, Math.min(5000, Math.round(2000 / msPerStep)));
      const input = randn([steps, 64, 256]);

      // The same timer with nothing running first: on a shared machine the OS alone can
      // delay a wakeup, and that part is not the call's doing.
      const idle = await timerDelayDuring(() => new Promise((resolve) => setTimeout(resolve, 500)));
      const begin = Date.now();
      const busy = await timerDelayDuring(() => lstm.forwardAsync(input));
      const elapsed = Date.now() - begin;
      const ticks = busy.ticks;
      assert.ok(elapsed >= 1000, `the call took only ${elapsed} ms`);
      assert.ok(busy.maxMs <= 20 + idle.maxMs,
        `event loop delay reached ${busy.maxMs.toFixed(1)} ms (${idle.maxMs.toFixed(1)} ms with nothing running)`);
      assert.ok(ticks > elapsed / 10, `the 1 ms timer fired only ${ticks} times in ${elapsed} ms`);
    } finally {
      setNumThreads(threadsBefore);
    }
  });

  it('setNumThreads bounds the threads of each call, async ones included', async () => {
    const before = getNumThreads();
    try {
      setNumThreads(1);
      const gru = new GRU(8, 16, { bidirectional: true }).eval();
      const input = randn([10, 2, 8]);
      const [one] = await gru.forwardAsync(input);
      setNumThreads(2);
      const [two] = await gru.forwardAsync(input);
      assertSameResult(two, one, 'two threads');
    } finally {
      setNumThreads(before);
    }
  });
});

describe('worker_threads', () => {
  function runWorker(workerData) {
    return new Promise((resolve, reject) => {
      const worker = new Worker(path.join(__dirname, 'support', 'worker-forward.js'), { workerData });
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  }

  it('the addon loads and computes in 4 workers at once and in the main thread', async function () {
    this.timeout(60000);
    const jobs = [0, 1, 2, 3].map((i) => ({ seed: 100 + i, module: i % 2 ? 'GRU' : 'LSTM', steps: 30 }));
    const results = await Promise.all(jobs.map(runWorker));
    for (const [i, job] of jobs.entries()) {
      manualSeed(job.seed);
      const Module = job.module === 'GRU' ? GRU : LSTM;
      const module = new Module(8, 32, { numLayers: 2 }).eval();
      const [expected] = module.forward(randn([job.steps, 4, 8]));
      assertSameResult({ shape: expected.shape, data: results[i].sync }, expected, 'sync in a worker');
      assertSameResult({ shape: expected.shape, data: results[i].async }, expected, 'async in a worker');
    }
  });

  it('a worker terminated in the middle of a call does not take the process down', async function () {
    this.timeout(60000);
    for (let round = 0; round < 3; round++) {
      const worker = new Worker(path.join(__dirname, 'support', 'worker-forward.js'), {
        workerData: { seed: round, module: 'LSTM', steps: 4000 },
      });
      await new Promise((resolve) => setTimeout(resolve, 300 + round * 150));
      await worker.terminate();
    }
    // The main thread still computes.
    const [output] = new LSTM(3, 4).forward(zeros([2, 1, 3]));
    assert.deepEqual(output.shape, [2, 1, 4]);
  });
});
