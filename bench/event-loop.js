#!/usr/bin/env node
'use strict';
// How responsive the event loop stays while forwardAsync computes: a 1 ms interval timer
// runs beside a ~2-second call, and perf_hooks.monitorEventLoopDelay records the delays.
// For contrast, the same call through the synchronous forward() blocks the loop.
// Run: node bench/event-loop.js
const os = require('node:os');
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { LSTM, randn, manualSeed, getNumThreads } = require('../lib');

async function measure(label, run) {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  let ticks = 0;
  const timer = setInterval(() => { ticks++; }, 1);
  histogram.enable();
  const start = process.hrtime.bigint();
  await run();
  const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  histogram.disable();
  clearInterval(timer);
  const ms = (ns) => (ns / 1e6).toFixed(2);
  if (ticks === 0) {
    console.log(`${label.padEnd(22)} call ${elapsedMs.toFixed(0).padStart(5)} ms | timer fired     0 times | loop blocked for the whole call`);
    return;
  }
  console.log(
    `${label.padEnd(22)} call ${elapsedMs.toFixed(0).padStart(5)} ms | timer fired ${String(ticks).padStart(5)} times | ` +
      `loop delay p50 ${ms(histogram.percentile(50))} ms, p99 ${ms(histogram.percentile(99))} ms, max ${ms(histogram.max)} ms`,
  );
}

async function main() {
  manualSeed(1);
  const { setNumThreads } = require('../lib');
  const defaultThreads = getNumThreads();
  setNumThreads(1); // calibrate the length at one thread
  const lstm = new LSTM(256, 512).eval();
  const probe = randn([20, 64, 256]);
  const t0 = process.hrtime.bigint();
  lstm.forward(probe);
  const msPerStep = Number(process.hrtime.bigint() - t0) / 1e6 / 20;
  const steps = Math.max(20, Math.round(2000 / msPerStep));
  const input = randn([steps, 64, 256]);
  console.log(`${os.cpus()[0].model}, ${os.cpus().length} cores`);
  console.log(`LSTM 256->512, L=${steps}, N=64 (about 2 s of work)\n`);
  for (const threads of [1, defaultThreads]) {
    setNumThreads(threads);
    await measure(`forwardAsync, ${threads} thr`, () => lstm.forwardAsync(input));
  }
  await measure('forward (blocking)', async () => { lstm.forward(input); });
}

main();
