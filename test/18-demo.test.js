'use strict';
// The demo's scoring path (npm run demo): the character LSTM that PyTorch trained, loaded
// from its safetensors file, scores held-out lines through the packed API with PyTorch's
// per-line perplexities (within 1e-4), and decodes greedily exactly as PyTorch did.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { CharLSTM } = require('../examples/addition/char-lstm');

const MODEL_DIR = path.join(__dirname, '..', 'examples', 'addition', 'model');

describe('the demo model', () => {
  const reference = JSON.parse(fs.readFileSync(path.join(MODEL_DIR, 'reference.json'), 'utf8'));
  const model = CharLSTM.load(MODEL_DIR);

  it('scores held-out lines (one packed batch) with PyTorch\'s perplexities', () => {
    const lines = reference.perplexity.lines;
    assert.ok(lines.length >= 64);
    const scores = model.scoreLines(lines.map((item) => item.line));
    scores.forEach((score, i) => {
      const relative = Math.abs(score.perplexity - lines[i].perplexity) / lines[i].perplexity;
      assert.ok(relative <= 1e-4, `${JSON.stringify(lines[i].line)}: ${score.perplexity} vs ${lines[i].perplexity}`);
      assert.ok(Math.abs(score.meanNll - lines[i].meanNll) <= 1e-4);
    });
  });

  it('gives the same perplexity line by line as in a batch', () => {
    const lines = reference.perplexity.lines.slice(0, 5).map((item) => item.line);
    const batch = model.scoreLines(lines);
    lines.forEach((line, i) => assert.ok(Math.abs(model.scoreLines([line])[0].perplexity - batch[i].perplexity) < 1e-5));
  });

  it('gives PyTorch\'s logits for the first answer character (float64 reference, 1e-4)', () => {
    const { Tensor } = require('../lib');
    for (const item of reference.firstStepLogits.items) {
      const ids = model.encode(item.prompt);
      const embedded = model.embedding.forward(new Tensor(Float32Array.from(ids), [1, ids.length]));
      const [, [hN]] = model.rnn.forward(embedded);
      const logits = model.topLayerLogits(hN);
      item.logits.forEach((expected, j) => {
        assert.ok(Math.abs(logits.data[j] - expected) <= 1e-4 * Math.max(1, Math.abs(expected)), `${item.prompt} logit ${j}`);
      });
    }
  });

  it('answers the held-out prompts as PyTorch does, with its accuracy', () => {
    const items = reference.greedy.items;
    const outputs = model.greedy(items.map((item) => item.prompt), reference.greedy.maxChars);
    assert.deepEqual(outputs, items.map((item) => item.output));
    const correct = outputs.filter((output, i) => output === items[i].expected).length;
    assert.equal(correct / items.length, reference.greedy.accuracy);
  });
});
