'use strict';
// Random seeded calls of the whole public API (test/support/fuzz-api.js): constructors with
// random options, forward and forwardAsync on random shapes and on inputs that are wrong in
// every way (sizes 0, negative, huge, fractional, NaN; Float64Array, Int32Array, strings,
// null; objects with a lying shape or data; Tensor-like plain objects; detached and shrunk
// ArrayBuffers; mismatched hx; bogus PackedSequences), loadStateDict and fromStateDict with
// wrong shapes and values, safetensors.load on random and damaged bytes, the packing
// utilities, Linear and Embedding. Every call must return a correct result (checked against
// a float64 reference) or throw an Error with a message; the process must not crash.
//
// CI runs a bounded number of cases (FUZZ_ITERATIONS, default 3000, a couple of seconds);
// `npm run fuzz` runs a long one (scripts/fuzz.js).
const assert = require('node:assert/strict');
const { ApiFuzzer } = require('./support/fuzz-api');
const { setNumThreads, getNumThreads } = require('../lib');

const ITERATIONS = Number(process.env.FUZZ_ITERATIONS || 3000);
const SEEDS = [20240617, 7];

describe('fuzzing the public API', () => {
  let threadsBefore;
  before(() => {
    threadsBefore = getNumThreads();
  });
  after(() => setNumThreads(threadsBefore));

  for (const seed of SEEDS) {
    it(`seed ${seed}: ${ITERATIONS} random cases return correct results or throw Errors with a message`, async function () {
      this.timeout(Math.max(60000, ITERATIONS * 20));
      const fuzzer = new ApiFuzzer(seed);
      const { findings, stats } = await fuzzer.run(ITERATIONS);
      assert.deepEqual(findings, [], `replay one with FUZZ_SEED=${seed} FUZZ_ONLY=<case> npm run fuzz`);
      // The mix stays meaningful: plenty of calls both succeed and fail, async ones included.
      assert.ok(stats.returned > stats.calls * 0.2 && stats.threw > stats.calls * 0.2, JSON.stringify(stats));
      assert.ok(stats.async > ITERATIONS * 0.05, JSON.stringify(stats));
    });
  }
});

describe('what the fuzzer found, pinned', () => {
  const rnn = require('../lib');
  const { Tensor, LSTM, GRU, RNN, GRUCell, Linear, Embedding, zeros, randn, tensor } = rnn;
  const detach = (array) => structuredClone(array.buffer, { transfer: [array.buffer] });
  const rangeError = (pattern) => (error) => error instanceof RangeError && pattern.test(error.message);

  it('num_layers 1e12 is refused at once (it used to build layers until the heap ran out)', () => {
    assert.throws(() => new RNN(1, 5, 1e12), rangeError(/^num_layers must be at most 65536, got 1000000000000$/));
    assert.throws(() => new LSTM(2 ** 31, 4), rangeError(/^input_size must be at most 2147483647/));
    assert.throws(() => new GRU(4, 2 ** 29), rangeError(/^hidden_size must be at most 536870911/));
  });

  it('sizes too large to allocate give torch\'s allocator error, not an engine error', () => {
    for (const make of [() => zeros([2 ** 31, 2 ** 31]), () => randn([2 ** 40]), () => tensor({ length: 2 ** 40 }), () => new Embedding(2 ** 31 - 1, 2 ** 20)]) {
      assert.throws(make, rangeError(/^DefaultCPUAllocator: can't allocate memory: you tried to allocate \d+ bytes\.$/));
    }
    assert.throws(() => new Embedding(2 ** 31, 2), rangeError(/^num_embeddings and embedding_dim must be at most 2147483647/));
  });

  it('a detached input is refused at once: forward throws, forwardAsync rejects, even where V8 reports a stale length', async () => {
    const lstm = new LSTM(4, 3).eval();
    // Optimized code that has seen typed arrays over resizable buffers reads the old length
    // of a detached one (Node 20, V8 11.3): warm the tensor check up with such arrays first
    // (tensor(t) runs the same check as forward's arguments, cheaply).
    for (let i = 0; i < 5000; i++) {
      tensor(new Tensor(new Float32Array(new ArrayBuffer(32 * 4, { maxByteLength: 1024 })), [2, 4, 4]));
      tensor(new Tensor(new Float32Array(32), [2, 4, 4]));
    }
    const input = randn([2, 4, 4]);
    detach(input.data);
    const message = /^input: the tensor's data holds 0 values but its shape \[2, 4, 4\] needs 32 \(was its ArrayBuffer detached or resized\?\)$/;
    assert.throws(() => lstm.forward(input), rangeError(message));
    await assert.rejects(lstm.forwardAsync(input), rangeError(message));
    const shrunk = new ArrayBuffer(32 * 4, { maxByteLength: 64 * 4 });
    const view = new Tensor(new Float32Array(shrunk), [2, 4, 4]);
    shrunk.resize(8);
    assert.throws(() => lstm.forward(view), rangeError(/holds 2 values but its shape \[2, 4, 4\] needs 32/));
  });

  it('objects that only pretend to be Tensors are rebuilt, so their shape cannot lie', () => {
    const fake = Object.create(Tensor.prototype);
    fake.data = new Float32Array(4);
    fake.shape = [100, 100, 4];
    assert.throws(() => new GRU(4, 2).forward(fake), rangeError(/^input: shape '\[100, 100, 4\]' is invalid for input of size 4$/));
    const honest = Object.create(Tensor.prototype);
    honest.data = new Float32Array(8);
    honest.shape = [2, 1, 4];
    assert.deepEqual(new GRU(4, 2).forward(honest)[0].shape, [2, 1, 2]);
  });

  it('a detached parameter: forward, stateDict and loadStateDict refuse with one message, and nothing changes', async () => {
    const gru = new GRU(3, 2);
    detach(gru.namedParameters()[1][1].data);
    const message = /^GRU: parameter weight_hh_l0 holds 0 values but its shape \[6, 2\] needs 12/;
    assert.throws(() => gru.forward(randn([2, 1, 3])), rangeError(message));
    await assert.rejects(gru.forwardAsync(randn([2, 1, 3])), rangeError(message));
    assert.throws(() => gru.stateDict(), rangeError(message));
    assert.throws(() => gru.loadStateDict(new GRU(3, 2).stateDict()), rangeError(message));
    const cell = new GRUCell(3, 2);
    const before = cell.stateDict();
    const source = new GRUCell(3, 2).stateDict();
    detach(source.weight_ih.data);
    assert.throws(() => cell.loadStateDict(source), rangeError(/^state_dict\["weight_ih"\]: the tensor's data holds 0 values/));
    assert.deepEqual(cell.stateDict(), before);
  });

  it('a PackedSequence is read once: detached data and inconsistent indices are refused at once', async () => {
    const lstm = new LSTM(2, 3);
    const packed = rnn.packSequence([randn([3, 2]), randn([2, 2])], { enforceSorted: false });
    const detachedData = new rnn.PackedSequence(packed.data.clone(), packed.batchSizes, packed.sortedIndices, packed.unsortedIndices);
    detach(detachedData.data.data);
    await assert.rejects(lstm.forwardAsync(detachedData), rangeError(/^PackedSequence.data: the tensor's data holds 0 values/));
    const swapped = rnn.packSequence([randn([3, 2]), randn([2, 2])], { enforceSorted: false });
    swapped.sortedIndices = Int32Array.of(1, 0); // no longer the inverse of unsortedIndices
    swapped.unsortedIndices = Int32Array.of(1, 0);
    swapped.sortedIndices = Int32Array.of(0, 1);
    assert.throws(() => lstm.forward(swapped), rangeError(/^PackedSequence.unsortedIndices must be the inverse permutation of sortedIndices$/));
  });

  it('Linear with in_features 0 returns the bias for every row (it threw a shape error)', () => {
    const linear = new Linear(0, 3);
    const bias = linear.namedParameters()[1][1].data;
    const out = linear.forward(zeros([2, 0]));
    assert.deepEqual(out.shape, [2, 3]);
    assert.deepEqual([...out.data], [...bias, ...bias]);
  });

  it('values that cannot become strings, and arrays that contain themselves', () => {
    assert.throws(() => new RNN(1, 6, { nonlinearity: Object.create(null) }), rangeError(/^Unknown nonlinearity 'object'\. Select from 'tanh' or 'relu'\.$/));
    assert.throws(() => rnn.manualSeed(Object.create(null)), TypeError);
    const loop = [];
    loop.push(loop);
    assert.throws(() => tensor(loop), rangeError(/^tensor\(\): nested arrays deeper than 64 dimensions$/));
    assert.throws(() => new GRU(1, 1).forward(loop), RangeError);
  });

  it('setNumThreads refuses counts that would wrap around in 32 bits', () => {
    const before = getNumThreads();
    assert.throws(() => setNumThreads(2 ** 32 + 1), rangeError(/^set_num_threads\(\): at most 1024 threads, got 4294967297$/));
    assert.equal(getNumThreads(), before);
  });

  it('forwardAsync rejects (never throws) what the native side refuses before starting', async () => {
    const lstm = new LSTM(1, 65536, { projSize: 1 });
    await assert.rejects(lstm.forwardAsync(zeros([16384, 1, 1])), rangeError(/GiB of workspace/));
  });
});
