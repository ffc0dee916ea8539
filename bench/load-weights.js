'use strict';
// Loading a 100 MB state dict: pt.loadFile (torch.save's zip) against safetensors.loadFile,
// with a plain fs.readFileSync of each file as the floor (both should be bound by reading
// the file). The .pt file is written by PyTorch (/usr/bin/python3) when it is installed:
// torch.save of an LSTM(1024, 1024, num_layers=3) state dict, 100.7 MB of float32; the
// safetensors file is rnn-blas's save of the same tensors. Files stay in the page cache
// (the first, cold read is a warm-up), so the figures are the CPU side of a load.
//
//   node bench/load-weights.js          BENCH_LOAD_BUDGET_MS=4000 by default, per pair
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');
const { pt, safetensors } = require('..');
const { timeInTurn } = require('./timing');
const { describeMachine } = require('./machine');

const budgetMs = Number(process.env.BENCH_LOAD_BUDGET_MS || 4000);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-blas-load-'));
const ptPath = path.join(dir, 'lstm.pt');
const safetensorsPath = path.join(dir, 'lstm.safetensors');

const PYTHON = `
import sys, torch
torch.manual_seed(0)
torch.save(torch.nn.LSTM(1024, 1024, num_layers=3).state_dict(), sys.argv[1])
`;

try {
  execFileSync('/usr/bin/python3', ['-c', PYTHON, ptPath], { stdio: 'inherit' });
} catch {
  console.log('load-weights: needs PyTorch (/usr/bin/python3 with torch) to write the .pt file; skipped');
  process.exit(0);
}
safetensors.saveFile(pt.loadFile(ptPath), safetensorsPath);

const megabytes = (file) => fs.statSync(file).size / 1e6;
const machine = describeMachine();
console.log(`load-weights: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}`);
console.log(`  .pt ${megabytes(ptPath).toFixed(1)} MB, .safetensors ${megabytes(safetensorsPath).toFixed(1)} MB (page cache warm)`);

const rows = [
  ['pt.loadFile', () => pt.loadFile(ptPath), () => fs.readFileSync(ptPath)],
  ['safetensors.loadFile', () => safetensors.loadFile(safetensorsPath), () => fs.readFileSync(safetensorsPath)],
];
const results = {};
for (const [name, load, read] of rows) {
  load();
  const timing = timeInTurn(read, load, budgetMs);
  results[name] = timing;
  const size = megabytes(name === 'pt.loadFile' ? ptPath : safetensorsPath);
  console.log(
    `  ${name.padEnd(22)} ${timing.medianMsB.toFixed(1).padStart(7)} ms (${(size / timing.medianMsB).toFixed(2)} GB/s)` +
      `  readFileSync ${timing.medianMsA.toFixed(1).padStart(6)} ms  load/read ${timing.ratio.toFixed(2)}  (${timing.pairs} pairs)`,
  );
}
const pair = timeInTurn(() => safetensors.loadFile(safetensorsPath), () => pt.loadFile(ptPath), budgetMs);
console.log(`  pt / safetensors, in turn: ${pair.ratio.toFixed(2)} (${pair.medianMsB.toFixed(1)} ms against ${pair.medianMsA.toFixed(1)} ms, ${pair.pairs} pairs)`);
fs.rmSync(dir, { recursive: true, force: true });
