'use strict';
// Tensors of every dtype: construction, tensor()/zeros() with a dtype, .to() converting
// exactly as torch does (test/fixtures/dtypes.json, written by
// scripts/fixtures/make_dtype_fixtures.py), and modules refusing what is not float32.
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');
const { Tensor, tensor, zeros, LSTM, GRUCell, Linear, Embedding } = require('../lib');

const fixtures = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'dtypes.json'), 'utf8'));

const ARRAYS = {
  float32: Float32Array,
  float64: Float64Array,
  int64: BigInt64Array,
  int32: Int32Array,
  int16: Int16Array,
  int8: Int8Array,
  uint8: Uint8Array,
  bool: Uint8Array,
};

function decode(value, dtype) {
  if (dtype === 'int64') return BigInt(value);
  if (dtype === 'bool') return value ? 1 : 0;
  return Number(value);
}

function sourceTensor(caseRow) {
  const values = caseRow.values.map((v) => decode(v, caseRow.from));
  const data = ARRAYS[caseRow.from].from(values);
  return new Tensor(data, [data.length], caseRow.from);
}

describe('Tensor dtypes', () => {
  it('carries the dtype of its data, float32 by default', () => {
    assert.equal(new Tensor(new Float32Array(2), [2]).dtype, 'float32');
    assert.equal(new Tensor(new BigInt64Array(2), [2]).dtype, 'int64');
    assert.equal(new Tensor(new Uint8Array(2), [2]).dtype, 'uint8');
    assert.equal(new Tensor(new Uint8Array(2), [2], 'bool').dtype, 'bool');
    assert.equal(tensor([1, 2]).dtype, 'float32');
    assert.equal(zeros([2]).dtype, 'float32');
    assert.ok(Object.isFrozen(new Tensor(new Int32Array(1), [1])));
  });

  it('refuses data that is not the dtype\'s array', () => {
    assert.throws(() => new Tensor(new Float32Array(2), [2], 'int64'), {
      name: 'TypeError',
      message: "Tensor data of dtype 'int64' must be a BigInt64Array, got Float32Array",
    });
    assert.throws(() => new Tensor([1, 2], [2]), {
      name: 'TypeError',
      message: /^Tensor data must be a typed array/,
    });
    assert.throws(() => new Tensor(new Float32Array(2), [2], 'float16'), {
      name: 'TypeError',
      message: "Tensor dtype must be one of 'float32', 'float64', 'int64', 'int32', 'int16', 'int8', 'uint8', 'bool', got string",
    });
  });

  it('tensor() and zeros() take a dtype', () => {
    const ids = tensor([[3, 1], [2, 0]], undefined, { dtype: 'int64' });
    assert.equal(ids.dtype, 'int64');
    assert.ok(ids.data instanceof BigInt64Array);
    assert.deepEqual(ids.toArray(), [[3n, 1n], [2n, 0n]]);
    assert.deepEqual(tensor([1, 2, 3], { dtype: 'int32' }).data, Int32Array.of(1, 2, 3));
    assert.deepEqual(tensor([1n, 2n]).dtype, 'int64');
    assert.deepEqual(tensor([true, false]).toArray(), [true, false]);
    assert.deepEqual(tensor([0.5, 2], undefined, { dtype: 'float64' }).data, Float64Array.of(0.5, 2));
    assert.deepEqual(tensor(new Float64Array([0.1]), [1]).data, Float32Array.of(0.1));
    const z = zeros([2, 2], { dtype: 'bool' });
    assert.equal(z.dtype, 'bool');
    assert.ok(z.data instanceof Uint8Array);
    assert.equal(zeros([3], { dtype: 'int64' }).data.length, 3);
    assert.throws(() => tensor([1.5], { dtype: 'int64' }), {
      name: 'TypeError',
      message: 'tensor(): expected an integer for dtype int64 at flat index 0, got 1.5',
    });
    assert.throws(() => zeros([1], { dtype: 'half' }), {
      name: 'TypeError',
      message: "zeros(): dtype must be one of 'float32', 'float64', 'int64', 'int32', 'int16', 'int8', 'uint8', 'bool', got 'half'",
    });
  });

  it('reshape and clone keep the dtype', () => {
    const t = new Tensor(BigInt64Array.of(1n, 2n, 3n, 4n), [4]);
    assert.equal(t.reshape(2, 2).dtype, 'int64');
    const c = t.clone();
    assert.equal(c.dtype, 'int64');
    c.data[0] = 9n;
    assert.equal(t.data[0], 1n);
    assert.equal(new Tensor(Uint8Array.of(1), [1], 'bool').clone().dtype, 'bool');
  });

  it('to() returns the tensor itself for its own dtype, float() converts', () => {
    const t = tensor([1, 2]);
    assert.equal(t.to('float32'), t);
    assert.equal(t.float(), t);
    const long = new Tensor(BigInt64Array.of(5n, -3n), [2]);
    assert.deepEqual(long.float().data, Float32Array.of(5, -3));
    assert.equal(long.double().dtype, 'float64');
    assert.equal(t.long().dtype, 'int64');
    assert.equal(t.int().dtype, 'int32');
    assert.equal(t.bool().dtype, 'bool');
    assert.throws(() => t.to('float16'), { name: 'TypeError', message: /dtype must be one of/ });
  });

  for (const row of fixtures.cases) {
    it(`${row.from} -> every dtype as torch ${fixtures.torch} (${row.values.slice(0, 4).join(', ')}, ...)`, () => {
      const source = sourceTensor(row);
      for (const [dtype, expected] of Object.entries(row.to)) {
        const converted = source.to(dtype);
        assert.equal(converted.dtype, dtype);
        assert.ok(converted.data instanceof ARRAYS[dtype]);
        expected.forEach((value, i) => {
          if (value === null) return; // undefined in C++: torch's loops disagree among themselves
          const want = decode(value, dtype);
          const got = converted.data[i];
          if (typeof want === 'number' && Number.isNaN(want)) assert.ok(Number.isNaN(got), `${dtype}[${i}]`);
          else assert.ok(Object.is(got, want), `${row.from} ${row.values[i]} -> ${dtype}: got ${got}, torch ${want}`);
        });
      }
    });
  }
});

describe('modules compute in float32', () => {
  it('refuse another dtype with torch 2.x\'s message', () => {
    const lstm = new LSTM(2, 3);
    const input = tensor([[[1, 2]]], undefined, { dtype: 'float64' });
    // torch 2.x RNNBase.check_input (ValueError), the JavaScript conversion added.
    assert.throws(() => lstm.forward(input), {
      name: 'TypeError',
      message: 'RNN input dtype (torch.float64) does not match weight dtype (torch.float32). Convert input: ' +
        "input.to(torch.float32), or convert model: model.to(torch.float64) (rnn-blas modules compute in float32: input.to('float32'))",
    });
    assert.throws(() => new GRUCell(2, 3).forward(tensor([[1, 2]], { dtype: 'int64' })), {
      name: 'TypeError',
      message: 'input must have the type torch.float32, got type torch.int64',
    });
    assert.throws(() => new Linear(2, 3).forward(tensor([[1, 2]], { dtype: 'int32' })), {
      name: 'TypeError',
      message: 'input must have the type torch.float32, got type torch.int32',
    });
    const h0 = zeros([1, 1, 3], { dtype: 'float64' });
    assert.throws(() => lstm.forward(tensor([[[1, 2]]]), [h0, zeros([1, 1, 3])]), {
      name: 'TypeError',
      message: 'hx[0] must have the type torch.float32, got type torch.float64',
    });
  });

  it('and run on the float() of it', () => {
    const lstm = new LSTM(2, 3);
    const input = tensor([[[1, 2]]], undefined, { dtype: 'float64' });
    const [expected] = lstm.forward(tensor([[[1, 2]]]));
    assert.deepEqual(lstm.forward(input.float())[0].data, expected.data);
  });

  it('Embedding takes int64 and int32 index tensors', () => {
    const embedding = new Embedding(4, 2);
    const weights = embedding.namedParameters()[0][1].data;
    const out = embedding.forward(tensor([3, 1], { dtype: 'int64' }));
    assert.deepEqual(Array.from(out.data), [weights[6], weights[7], weights[2], weights[3]]);
    assert.deepEqual(embedding.forward(tensor([3, 1], { dtype: 'int32' })).data, out.data);
  });
});
