'use strict';
// SequenceEncoder and encodeSequences: PyTorch's results for every pooling, in input order
// whatever the batching and however many worker threads, a source read only as fast as
// results are taken (backpressure), and the arguments checked with clear errors.
// Fixtures: scripts/fixtures/make_pipeline_fixtures.py.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { Embedding, GRU, LSTM, Linear, SequenceEncoder, encodeSequences, safetensors, tensor } = require('../lib');

const DIR = path.join(__dirname, 'fixtures', 'pipeline');
const expected = JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8'));
const sd = safetensors.loadFile(path.join(DIR, 'tokens.safetensors'));
const sequences = fs.readFileSync(path.join(DIR, 'tokens.jsonl'), 'utf8').trim().split('\n').filter((l) => l.trim()).map((line) => {
  const value = JSON.parse(line);
  return Array.isArray(value) ? value : value.tokens;
});

function encoder(pool, extra = {}) {
  return new SequenceEncoder({
    embedding: Embedding.fromStateDict(sd, { prefix: 'embedding.' }),
    rnn: LSTM.fromStateDict(sd, { prefix: 'rnn.' }).eval(),
    pool,
    ...extra,
  });
}

async function collect(iterable) {
  const out = [];
  for await (const item of iterable) out.push(item);
  return out;
}

function assertClose(actual, want, label) {
  const flatWant = want.flat(2);
  assert.equal(actual.length, flatWant.length, `${label}: length`);
  const scale = Math.max(...flatWant.map(Math.abs));
  flatWant.forEach((value, k) => {
    if (!(Math.abs(actual[k] - value) <= 1e-5 * scale)) assert.fail(`${label}[${k}]: got ${actual[k]}, expected ${value}`);
  });
}

describe('42 SequenceEncoder and encodeSequences', function () {
  this.timeout(30000);

  for (const pool of ['last', 'mean', 'max', 'none']) {
    it(`pool ${pool}: PyTorch's results, in input order, in this thread and on 2 workers`, async () => {
      for (const options of [{ batchTokens: 7, windowBatches: 2 }, { workers: 2, batchTokens: 5 }, {}]) {
        const results = await collect(encodeSequences(encoder(pool), sequences, options));
        assert.equal(results.length, sequences.length);
        results.forEach((t, i) => {
          assert.deepEqual(t.shape, pool === 'none' ? [sequences[i].length, 12] : [12]);
          assertClose(t.data, expected.tokens[pool][i], `${pool} ${JSON.stringify(options)} sequence ${i}`);
        });
      }
    });
  }

  it('a Linear after the pooling; int64 tensors, Int32Arrays and arrays of ids alike', async () => {
    const linear = Linear.fromStateDict(sd, { prefix: 'head.' });
    const mixed = sequences.map((ids, i) => (i % 3 === 0 ? tensor(ids.map(BigInt)) : i % 3 === 1 ? Int32Array.from(ids) : ids));
    const results = await collect(encodeSequences(encoder('last', { linear }), mixed, { workers: 'auto' }));
    results.forEach((t, i) => assertClose(t.data, expected.tokens.last_linear[i], `linear ${i}`));
  });

  it('features without an Embedding (a GRU), from an async iterable of (L, H_in) tensors and nested arrays', async () => {
    const gru = GRU.fromStateDict(safetensors.loadFile(path.join(DIR, 'features.safetensors'))).eval();
    const rows = fs.readFileSync(path.join(DIR, 'features.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line).features);
    async function* source() {
      for (const [i, features] of rows.entries()) yield i % 2 ? tensor(features) : features;
    }
    const results = await collect(encodeSequences(new SequenceEncoder({ rnn: gru, pool: 'mean' }), source(), { batchTokens: 6 }));
    results.forEach((t, i) => assertClose(t.data, expected.features.mean[i], `features ${i}`));
  });

  it('backpressure: the source is read at most two windows ahead of the consumer, and closed on break', async () => {
    let pulled = 0;
    let closed = false;
    function* source() {
      try {
        for (let i = 0; i < 1000; i++) {
          pulled++;
          yield [1, 2];
        }
      } finally {
        closed = true;
      }
    }
    // Windows of 10 tokens x 2 batches = 20 tokens: 10 sequences of 2 ids.
    const stream = encodeSequences(encoder('last'), source(), { batchTokens: 10, windowBatches: 2 });
    const first = await stream.next();
    assert.deepEqual(first.value.shape, [12]);
    assert.ok(pulled <= 20, `pulled ${pulled} sequences for the first result`);
    for (let i = 0; i < 25; i++) await stream.next();
    assert.ok(pulled <= 50, `pulled ${pulled} after 26 results`);
    await stream.return();
    assert.ok(closed, 'the source was closed');
    assert.ok(pulled < 1000);
  });

  it('a bad sequence rejects the iteration, naming its index', async () => {
    const bad = [[1, 2], [3], [4, 50], [5]];
    await assert.rejects(collect(encodeSequences(encoder('last'), bad)), {
      name: 'RangeError',
      message: 'sequence 2: index out of range in self: id 50 at position 1, but the table has 50 rows (ids must be in [0, 50))',
    });
    await assert.rejects(collect(encodeSequences(encoder('last'), [[1], []])), {
      message: "sequence 1: Length of all samples has to be greater than 0, but found an element in 'lengths' that is <= 0",
    });
    await assert.rejects(collect(encodeSequences(encoder('last'), [[1], 'abc'])), { name: 'TypeError', message: 'sequence 1: token ids must be an array of integers, got string' });
  });

  it('options and parts are checked', async () => {
    await assert.rejects(collect(encodeSequences(encoder('last'), [[1]], { batchTokens: 0 })), { name: 'RangeError', message: 'batchTokens must be a positive integer, got 0' });
    await assert.rejects(collect(encodeSequences(encoder('last'), [[1]], { batch: 3 })), { name: 'TypeError', message: "encodeSequences: unknown option 'batch' (known: batchTokens, windowBatches, workers, threads)" });
    assert.throws(() => new SequenceEncoder({ embedding: new Embedding(10, 5), rnn: new LSTM(8, 4) }), {
      name: 'RangeError', message: 'SequenceEncoder: the Embedding gives 5 features, the LSTM takes input_size 8',
    });
    assert.throws(() => new SequenceEncoder({ rnn: new LSTM(8, 4, { bidirectional: true }), linear: new Linear(4, 2) }), {
      name: 'RangeError', message: 'SequenceEncoder: the LSTM gives 8 features, the Linear takes in_features 4',
    });
    assert.throws(() => new SequenceEncoder({ rnn: new LSTM(8, 4), pool: 'sum' }), { name: 'RangeError', message: "pool must be one of 'last', 'mean', 'max', 'none', got 'sum'" });
    assert.throws(() => new SequenceEncoder({ rnn: new Linear(8, 4) }), { name: 'TypeError', message: 'SequenceEncoder: rnn must be an RNN, LSTM or GRU, got Linear' });
  });
});
