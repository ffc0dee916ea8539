#!/usr/bin/env node
// @ts-check
'use strict';
// The main job: a character-level LSTM that PyTorch trained to add numbers
// (examples/addition/train.py) runs here on rnn-blas.
//   1. answers held-out prompts by greedy decoding, with the same accuracy as PyTorch's;
//   2. scores held-out lines through the packed API: per-line perplexity = PyTorch's;
//   3. measures throughput in tokens/s at batch 1 and batch 64.
// Run: npm run demo
const path = require('node:path');
const { CharLSTM: CharLSTMModel } = require('./char-lstm');
const { ProgressBar } = require('./progress');

const MODEL_DIR = process.env.ADDITION_MODEL_DIR || path.join(__dirname, 'model');

/**
 * PyTorch's numbers, written by train.py next to the weights.
 * @typedef {{ prompt: string, output: string, expected: string }} GreedyItem
 * @typedef {{ line: string, meanNll: number, perplexity: number }} PerplexityItem
 * @typedef {{ greedy: { maxChars: number, accuracy: number, items: GreedyItem[] },
 *             perplexity: { lines: PerplexityItem[] } }} Reference
 * @typedef {import('./char-lstm').CharLSTM} CharLSTM
 */

/** @param {number} a @param {number} b */
const relativeError = (a, b) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);

/**
 * The model writes the sum's digits last-first (train.py: an LSTM adds far better when it
 * meets the low digits first); people read them first-last.
 * @param {string} answer @param {boolean} reversed
 */
const readable = (answer, reversed) => (reversed ? [...answer.trim()].reverse().join('') : answer.trim());

/** @param {CharLSTM} model @param {Reference} reference */
function answerPrompts(model, reference) {
  const reversed = Boolean(/** @type {{ answerReversed?: boolean }} */ (model.config).answerReversed);
  const items = reference.greedy.items;
  const outputs = model.greedy(items.map((item) => item.prompt), reference.greedy.maxChars);
  let correct = 0;
  let sameAsTorch = 0;
  items.forEach((item, i) => {
    if (outputs[i] === item.expected) correct++;
    if (outputs[i] === item.output) sameAsTorch++;
  });
  console.log('1. Greedy answers to held-out prompts');
  for (const [i, item] of items.slice(0, 6).entries()) {
    const mark = outputs[i] === item.expected ? 'right' : `wrong, ${readable(item.expected, reversed)} expected`;
    console.log(`   ${item.prompt}${readable(outputs[i], reversed).padEnd(5)} (${mark})`);
  }
  console.log(`   accuracy on ${items.length} held-out problems: ${((100 * correct) / items.length).toFixed(1)}%` +
    ` (PyTorch: ${(100 * reference.greedy.accuracy).toFixed(1)}%); same output as PyTorch on ${sameAsTorch}/${items.length}`);
  return { correct, sameAsTorch, total: items.length };
}

/** @param {CharLSTM} model @param {Reference} reference */
function scoreLines(model, reference) {
  const lines = reference.perplexity.lines;
  const scores = model.scoreLines(lines.map((item) => item.line));
  let worst = 0;
  scores.forEach((score, i) => { worst = Math.max(worst, relativeError(score.perplexity, lines[i].perplexity)); });
  console.log(`\n2. Perplexity of ${lines.length} held-out lines, one packed batch`);
  for (const [i, score] of scores.slice(0, 4).entries()) {
    console.log(`   ${JSON.stringify(score.line).padEnd(16)} ours ${score.perplexity.toFixed(6)}  PyTorch ${lines[i].perplexity.toFixed(6)}`);
  }
  console.log(`   largest relative difference from PyTorch over all lines: ${worst.toExponential(2)} (limit 1e-4)`);
  return { worst, scores };
}

/** @param {CharLSTM} model @param {Reference} reference */
function throughput(model, reference) {
  const lines = reference.perplexity.lines.map((item) => item.line);
  console.log('\n3. Throughput (embedding -> 2-layer LSTM -> linear, teacher-forced)');
  /** @type {Record<number, number>} */
  const results = {};
  for (const batch of [1, 64]) {
    const batches = [];
    for (let i = 0; i < 64; i += batch) batches.push(lines.slice(i, i + batch));
    const tokensPerPass = lines.reduce((sum, line) => sum + line.length, 0);
    const bar = new ProgressBar(`batch ${batch}`, 1);
    const started = process.hrtime.bigint();
    let passes = 0;
    let elapsed = 0;
    while (elapsed < 1.5) { // seconds of work per batch size
      for (const group of batches) model.scoreLines(group);
      passes++;
      elapsed = Number(process.hrtime.bigint() - started) / 1e9;
      bar.update(Math.min(1, elapsed / 1.5));
    }
    bar.finish();
    results[batch] = (passes * tokensPerPass) / elapsed;
    console.log(`   batch ${String(batch).padStart(2)}: ${Math.round(results[batch]).toLocaleString('en-US')} tokens/s`);
  }
  return results;
}

function main() {
  const fs = require('node:fs');
  /** @type {Reference} */
  const reference = JSON.parse(fs.readFileSync(path.join(MODEL_DIR, 'reference.json'), 'utf8'));
  const started = Date.now();
  const model = CharLSTMModel.load(MODEL_DIR);
  console.log('rnn-blas demo: a character LSTM that PyTorch trained to add numbers, run in Node');
  console.log(`(Embedding -> 2-layer LSTM -> Linear, from ${path.relative(process.cwd(), MODEL_DIR) || MODEL_DIR})\n`);
  const answers = answerPrompts(model, reference);
  const scored = scoreLines(model, reference);
  throughput(model, reference);
  console.log(`\ndone in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (scored.worst > 1e-4 || answers.sameAsTorch !== answers.total) process.exitCode = 1;
}

if (require.main === module) main();

module.exports = { answerPrompts, scoreLines };
