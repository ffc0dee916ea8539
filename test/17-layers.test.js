'use strict';
// Linear and Embedding against PyTorch (test/fixtures/layers.json), with torch's names,
// shapes, initialisation and messages.
const assert = require('node:assert/strict');
const { Linear, Embedding, Tensor, manualSeed, randn, zeros } = require('../lib');
const { loadFixture, assertTensorClose } = require('./support/numeric');

const fixture = loadFixture('layers.json');
const tensorOf = (t) => new Tensor(Float32Array.from(t.data), t.shape);

describe('Linear', () => {
  for (const testCase of fixture.linear) {
    it(`matches PyTorch: ${testCase.name}`, () => {
      const linear = new Linear(testCase.inFeatures, testCase.outFeatures, { bias: testCase.bias });
      assert.deepEqual(linear.namedParameters().map(([n, t]) => [n, [...t.shape]]), testCase.parameters.map((p) => [p.name, p.shape]));
      linear.loadStateDict(Object.fromEntries(testCase.parameters.map((p) => [p.name, tensorOf(p)])));
      assertTensorClose(linear.forward(tensorOf(testCase.input)), testCase.output, 'output');
    });
  }

  it('weight and bias are properties, as torch\'s; bias is null without one (torch: None), and so are LayerNorm\'s', () => {
    const { LayerNorm } = require('../lib');
    const linear = new Linear(3, 2);
    assert.deepEqual([linear.weight.shape, linear.bias.shape], [[2, 3], [2]]);
    assert.equal(linear.weight, linear.namedParameters()[0][1]);
    const bare = new Linear(3, 2, { bias: false });
    assert.equal(bare.bias, null);
    assert.throws(() => {
      bare.bias = zeros([2]);
    }, { name: 'TypeError', message: "cannot assign 'bias': this Linear was built without it" });
    assert.equal(new Embedding(5, 2).weight.shape.join(), '5,2');
    const norm = new LayerNorm(4, { elementwiseAffine: false });
    assert.deepEqual([norm.weight, norm.bias, norm.namedParameters()], [null, null, []]);
    assert.deepEqual(new LayerNorm(4, { bias: false }).bias, null);
  });

  it('initialises weight and bias from U(-1/sqrt(in), 1/sqrt(in))', () => {
    manualSeed(1);
    const linear = new Linear(64, 300);
    const values = linear.parameters().flatMap((t) => [...t.data]);
    assert.ok(values.every((v) => Math.abs(v) <= 1 / 8));
    assert.ok(Math.max(...values) > 0.12 && Math.min(...values) < -0.12);
  });

  it('rejects a last dimension other than inFeatures with torch\'s message', () => {
    const linear = new Linear(3, 2);
    assert.throws(() => linear.forward(zeros([2, 5, 4])), {
      name: 'RangeError', message: 'mat1 and mat2 shapes cannot be multiplied (10x4 and 3x2)',
    });
    assert.throws(() => linear.forward(zeros([4])), {
      name: 'RangeError', message: 'mat1 and mat2 shapes cannot be multiplied (1x4 and 3x2)',
    });
  });

  it('splits many rows across threads with the same result', () => {
    const { setNumThreads, getNumThreads } = require('../lib');
    const before = getNumThreads();
    const linear = new Linear(50, 70);
    const input = randn([1000, 50]);
    setNumThreads(1);
    const one = linear.forward(input);
    setNumThreads(2);
    const two = linear.forward(input);
    setNumThreads(before);
    assertTensorClose(two, { shape: [...one.shape], data: one.data }, 'two threads', 1e-6);
  });
});

describe('Embedding', () => {
  for (const testCase of fixture.embedding) {
    it(`matches PyTorch: ${testCase.name}`, () => {
      const embedding = new Embedding(testCase.numEmbeddings, testCase.embeddingDim, { paddingIdx: testCase.paddingIdx });
      if (testCase.paddingIdx !== null) {
        const row = embedding.paddingIdx;
        const weight = embedding.namedParameters()[0][1];
        assert.ok(weight.data.subarray(row * testCase.embeddingDim, (row + 1) * testCase.embeddingDim).every((v) => v === 0));
      }
      embedding.loadStateDict({ weight: tensorOf(testCase.weight) });
      const output = embedding.forward(testCase.indices);
      assert.deepEqual([...output.shape], testCase.output.shape);
      assert.deepEqual([...output.data], testCase.output.data.map(Math.fround));
      assert.deepEqual([...embedding.forward(Int32Array.from(testCase.indices.flat())).data], [...output.data]);
      assert.deepEqual([...embedding.forward(BigInt64Array.from(testCase.indices.flat(), BigInt)).data], [...output.data]);
    });
  }

  it('gives torch\'s errors for bad indices and padding_idx', () => {
    const embedding = new Embedding(5, 2);
    assert.throws(() => embedding.forward(BigInt64Array.of(1n, 2n ** 62n)), {
      name: 'RangeError',
      message: 'index out of range in self: id 4611686018427387904 at position 1, but the table has 5 rows (ids must be in [0, 5))',
    });
    assert.throws(() => embedding.forward([5]), {
      name: 'RangeError',
      message: 'index out of range in self: id 5 at position 0, but the table has 5 rows (ids must be in [0, 5))',
    });
    assert.throws(() => embedding.forward([[0, 1], [2, -1]]), {
      name: 'RangeError',
      message: 'index out of range in self: id -1 at position 3, but the table has 5 rows (ids must be in [0, 5))',
    });
    assert.throws(() => embedding.forward([1.5]), {
      name: 'TypeError', message: "Expected tensor for argument #1 'indices' to have integer values, but got 1.5",
    });
    assert.throws(() => new Embedding(5, 2, { paddingIdx: 5 }), {
      name: 'RangeError', message: 'Padding_idx must be within num_embeddings',
    });
  });
});
