'use strict';
// The tensor operations between layers, against torch on random inputs (broadcasting,
// negative dims, dtypes), as functions, as functional.*, and as Tensor methods.
const assert = require('node:assert/strict');
const lib = require('../lib');
const { fromFixture, assertTensorEqual, assertTensorClose } = require('./support/fixture-tensors');

const { ops } = require('./fixtures/models.json');
const { functional: F, tensor, zeros } = lib;

/** The call each fixture case names, with the fixture's arguments in rnn-blas's form. */
function run(c, via) {
  const inputs = c.inputs.map((x) => (typeof x === 'object' ? fromFixture(x) : x));
  const [first, ...rest] = inputs;
  const args = c.args;
  const fn = via === 'functional' ? F[c.op] : lib[c.op];
  const method = (name, ...a) => (via === 'method' ? first[name](...a) : fn(first, ...a));
  switch (c.op) {
    case 'cat': case 'stack':
      return fn(inputs, ...args);
    case 'indexSelect':
      return method('indexSelect', args[0], rest[0]);
    case 'permute':
      return via === 'method' ? first.permute(...args[0]) : fn(first, args[0]);
    case 'add': case 'sub': case 'mul': case 'div':
      return method(c.op, rest[0]);
    case 'sum': case 'mean': case 'argmax': case 'argmin':
      return method(c.op, args[0], { keepdim: args[1] });
    case 'max': case 'min':
      return args.length === 0 ? method(c.op) : method(c.op, args[0], { keepdim: args[1] });
    case 'topk':
      return method('topk', args[0], { dim: args[1], largest: args[2] });
    default:
      return method(c.op, ...args);
  }
}

// Exact where torch's float32 result is one rounding of the exact value (moves, + - * /,
// max, min, indices); within 1e-6 where the order of a sum or libm's exp differ.
const EXACT = new Set(['select', 'narrow', 'indexSelect', 'transpose', 'permute', 'unbind', 'flatten', 'squeeze',
  'unsqueeze', 'cat', 'stack', 'add', 'sub', 'mul', 'div', 'max', 'min', 'argmax', 'argmin', 'topk', 'relu']);

describe('tensor operations match torch', () => {
  for (const via of ['function', 'functional', 'method']) {
    describe(`as ${via}s`, () => {
      for (const c of ops) {
        if (via === 'method' && (c.op === 'cat' || c.op === 'stack')) continue;
        it(c.name, () => {
          const result = run(c, via);
          const results = Array.isArray(result) ? result : [result];
          assert.equal(results.length, c.expected.length, 'number of results');
          results.forEach((r, i) => {
            if (EXACT.has(c.op)) assertTensorEqual(assert, r, c.expected[i], `result ${i}`);
            else assertTensorClose(assert, r, c.expected[i], 1e-6, `result ${i}`);
          });
        });
      }
    });
  }
});

describe('tensor operations: torch\'s errors and semantics', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);

  it('results are new contiguous tensors; reshape and view share data', () => {
    const row = x.select(0, 1);
    row.data[0] = 100;
    assert.equal(x.data[3], 4);
    const view = x.view(3, 2);
    view.data[0] = 42;
    assert.equal(x.data[0], 42);
    x.data[0] = 1;
  });

  it('dims out of range give torch\'s IndexError text', () => {
    assert.throws(() => x.select(2, 0), { name: 'RangeError', message: 'Dimension out of range (expected to be in range of [-2, 1], but got 2)' });
    assert.throws(() => x.select(0, 2), { name: 'RangeError', message: 'select(): index 2 out of range for tensor of size [2, 3] at dimension 0' });
    assert.throws(() => x.narrow(1, 2, 2), { message: 'start (2) + length (2) exceeds dimension size (3).' });
    assert.throws(() => x.unsqueeze(3), { message: 'Dimension out of range (expected to be in range of [-3, 2], but got 3)' });
    assert.throws(() => x.permute(0), { message: /^permute\(sparse_coo\): number of dimensions in the tensor input does not match/ });
    assert.throws(() => x.permute(0, 0), { message: 'permute(): duplicate dims are not allowed.' });
    assert.throws(() => x.flatten(1, 0), { message: 'flatten() has invalid args: start_dim cannot come after end_dim' });
    assert.throws(() => x.indexSelect(1, [3]), { message: 'index out of range in self: index 3 along dimension 1 of size 3' });
  });

  it('broadcasting and joining refuse mismatched sizes in torch\'s words', () => {
    assert.throws(() => F.add(x, tensor([1, 2])), {
      name: 'RangeError', message: 'The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1',
    });
    assert.throws(() => F.cat([x, zeros([2, 2])], 0), {
      message: 'Sizes of tensors must match except in dimension 0. Expected size 3 but got size 2 for tensor number 1 in the list.',
    });
    assert.throws(() => F.stack([x, zeros([3, 2])]), {
      message: 'stack expects each tensor to be equal size, but got [2, 3] at entry 0 and [3, 2] at entry 1',
    });
    assert.throws(() => F.cat([]), { message: 'torch.cat(): expected a non-empty list of Tensors' });
  });

  it('max/min/topk give [values, indices], also as .values and .indices; argmax is int64', () => {
    const result = x.max(1);
    assert.deepEqual(result.values.toArray(), [3, 6]);
    assert.deepEqual(result.indices.toArray(), [2n, 2n]);
    const [values, indices] = x.topk(2);
    assert.deepEqual(values.toArray(), [[3, 2], [6, 5]]);
    assert.equal(indices.dtype, 'int64');
    assert.equal(x.argmax().item(), 5n);
    assert.equal(x.sum().item(), 21);
    assert.equal(tensor([true, false, true]).sum().item(), 2n);
  });

  it('item() refuses a tensor of more than one element; mean refuses integers, as torch', () => {
    assert.throws(() => x.item(), { message: 'a Tensor with 6 elements cannot be converted to Scalar' });
    assert.throws(() => tensor([1n, 2n]).mean(), {
      name: 'TypeError',
      message: 'mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long',
    });
  });

  it('scalars keep the tensor\'s dtype where torch\'s would: int64 + 1 is int64, int64 / 2 float32', () => {
    const ids = tensor([1n, 2n, 3n]);
    assert.equal(ids.add(1).dtype, 'int64');
    assert.equal(ids.mul(0.5).dtype, 'float32');
    assert.equal(ids.div(2).dtype, 'float32');
    assert.deepEqual(ids.div(2).toArray(), [0.5, 1, 1.5]);
    assert.equal(F.add(1, x).dtype, 'float32');
  });
});

describe('edge cases as torch 2.x has them (values and messages from torch)', () => {
  const throwsExactly = (fn, name, message) =>
    assert.throws(fn, (error) => error.constructor.name === name && error.message === message);
  it('factories: a size that is not an integer is a TypeError naming its type and place; ones fills ones', () => {
    throwsExactly(() => lib.zeros([1.5]), 'TypeError', "zeros(): argument 'size' (position 1) must be tuple of ints, but found element of type float at pos 0");
    throwsExactly(() => lib.ones([2, 'a']), 'TypeError', "ones(): argument 'size' (position 1) must be tuple of ints, but found element of type str at pos 1");
    throwsExactly(() => lib.randn([3, NaN]), 'TypeError', "randn(): argument 'size' (position 1) must be tuple of ints, but found element of type float at pos 1");
    throwsExactly(() => lib.zeros([-1]), 'RangeError', 'Trying to create tensor with negative dimension -1: [-1]');
    assert.equal(String(lib.ones([2, 2], { dtype: 'int64' })), 'tensor([[1, 1],\n        [1, 1]])');
    assert.equal(String(lib.ones([3], { dtype: 'bool' })), 'tensor([True, True, True])');
  });

  it('sigmoid in float32 steps: exp(-x) overflows to inf below -88.7 and gives 0', () => {
    assert.equal(String(F.sigmoid(tensor([-100, -88, -87, -90]))), 'tensor([0.0000e+00, 6.0546e-39, 1.6458e-38, 0.0000e+00])');
    assert.equal(F.sigmoid(tensor([-100]).to('float64')).data[0], 1 / (1 + Math.exp(100)));
  });
  it('softmax of an integer tensor: the kernel dispatch error', () => {
    const ints = new lib.Tensor(Int32Array.of(2, 3, 4), [3], 'int32');
    throwsExactly(() => F.softmax(ints, 0), 'TypeError', '"softmax_lastdim_kernel_impl" not implemented for \'Int\'');
    throwsExactly(() => F.logSoftmax(ints, 0), 'TypeError', '"log_softmax_lastdim_kernel_impl" not implemented for \'Int\'');
    const longs = tensor([[2, 3]]).to('int64');
    throwsExactly(() => F.softmax(longs, 0), 'TypeError', '"softmax_kernel_impl" not implemented for \'Long\'');
    throwsExactly(() => F.logSoftmax(longs, 0), 'TypeError', '"softmax_kernel_impl" not implemented for \'Long\'');
  });
  it('functional.softmax without dim: torch\'s implicit choice, with its warning', async () => {
    const warned = new Promise((resolve) => process.once('warning', resolve));
    assert.equal(String(F.softmax(tensor([1, 2]))), 'tensor([0.2689, 0.7311])');
    assert.equal((await warned).message,
      'Implicit dimension choice for softmax has been deprecated. Change the call to include dim=X as an argument.');
  });
  it('a repeated dim is named once, wrapped; argmax of nothing has no max() advice', () => {
    throwsExactly(() => zeros([2, 3]).sum([1, -1]), 'RangeError', 'dim 1 appears multiple times in the list of dims');
    throwsExactly(() => zeros([2, 3]).sum([0, 0]), 'RangeError', 'dim 0 appears multiple times in the list of dims');
    throwsExactly(() => zeros([0]).argmax(), 'RangeError', 'argmax(): Expected reduction dim to be specified for input.numel() == 0.');
    throwsExactly(() => zeros([0]).max(), 'RangeError',
      "max(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
  });
  it("arithmetic dtypes by torch's result_type: bools stay bool, 0-dim tensors count as scalars", () => {
    const b = new lib.Tensor(Uint8Array.of(1, 0), [2], 'bool');
    const i32 = new lib.Tensor(Int32Array.of(1, 2), [2], 'int32');
    const zeroDim = (v, dtype) => tensor(v).to(dtype);
    const cases = [
      [() => b.add(b), 'tensor([ True, False])'],
      [() => b.mul(b), 'tensor([ True, False])'],
      [() => b.add(true), 'tensor([True, True])'],
      [() => b.div(b), 'tensor([1., nan])'],
      [() => b.mul(3), 'tensor([3, 0])'],
      [() => i32.add(true), 'tensor([2, 3], dtype=torch.int32)'],
      [() => i32.add(zeroDim(5, 'int64')), 'tensor([6, 7], dtype=torch.int32)'],
      [() => i32.add(zeroDim(5.5, 'float64')), 'tensor([6.5000, 7.5000], dtype=torch.float64)'],
      [() => tensor([1, 2]).add(zeroDim(3, 'float64')), 'tensor([4., 5.])'],
      [() => zeroDim(1, 'int32').add(zeroDim(5, 'int64')), 'tensor(6)'],
      [() => b.add(zeroDim(2, 'int64')), 'tensor([3, 2])'],
      [() => i32.div(2), 'tensor([0.5000, 1.0000])'],
    ];
    cases.forEach(([fn, text], i) => assert.equal(String(fn()), text, `case ${i}`));
    throwsExactly(() => b.sub(b), 'TypeError',
      'Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.');
    throwsExactly(() => tensor([1, 2]).to('int64').sub(true), 'TypeError',
      'Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.');
  });
  it('int64 sums and products are exact past 2^53 and wrap at 2^64, as torch', () => {
    const big = new lib.Tensor(BigInt64Array.of(9007199254740993n, 1n), [2], 'int64');
    assert.equal(String(big.add(1)), 'tensor([9007199254740994,                2])');
    assert.equal(String(big.sum()), 'tensor(9007199254740994)');
    assert.equal(String(big.mul(big)), 'tensor([18014398509481985,                 1])');
    const m = new lib.Tensor(BigInt64Array.of(9007199254740993n, 1n, 3n, 4n), [2, 2], 'int64');
    assert.equal(String(m.sum(0)), 'tensor([9007199254740996,                5])');
    assert.equal(String(new lib.Tensor(BigInt64Array.of(2n ** 63n - 1n), [1], 'int64').add(1)), 'tensor([-9223372036854775808])');
    // A number operand takes the tensor's dtype: float64 + 0.1 adds the double 0.1.
    assert.equal(tensor([1]).to('float64').add(0.1).data[0], 1.1);
  });
  it('iterating a ModuleDict gives its keys, as `for key in module_dict`', () => {
    assert.deepEqual([...new lib.ModuleDict({ z: new lib.ReLU(), a: new lib.Tanh() })], ['z', 'a']);
  });
});

describe("cases from PyTorch's own op tests (sample and error inputs; values from torch 1.13)", () => {
  const throwsExactly = (fn, name, message) => assert.throws(fn, (e) => e.name === name && e.message === message);
  const values = (t) => Array.from(t.data, (v) => (typeof v === 'bigint' ? Number(v) : v));

  it('topk sorts NaN above +inf: first when largest, last when smallest; a 0-d input for k 0', () => {
    let r = F.topk([1, NaN, 3, 2], 2, { largest: false });
    assert.deepEqual([values(r.values), values(r.indices)], [[1, 2], [0, 3]]);
    r = F.topk([Infinity, NaN, 1], 2, { largest: false });
    assert.deepEqual([values(r.values), values(r.indices)], [[1, Infinity], [2, 0]]);
    r = F.topk([1, NaN, 3, 2], 2);
    assert.deepEqual([values(r.values), values(r.indices)], [[NaN, 3], [1, 2]]);
    r = F.topk(tensor(2), 0);
    assert.deepEqual([r.values.shape, values(r.values), values(r.indices)], [[], [2], [0]]);
    throwsExactly(() => F.topk([1, 2], 1.5), 'TypeError', "topk(): argument 'k' must be int, not float");
  });

  it('add and sub take alpha (input + alpha * other); relu keeps -0 and NaN, refuses bool in torch\'s words', () => {
    assert.deepEqual(values(F.add(tensor([1, 2]), tensor([1, 1]), { alpha: 2 })), [3, 4]);
    const five = tensor([5, 5], { dtype: 'int64' });
    assert.deepEqual(values(five.sub(tensor([1, 2], { dtype: 'int64' }), { alpha: 3 })), [2, -1]);
    throwsExactly(() => F.add(five, five, { alpha: 0.5 }), 'TypeError',
      'For integral input tensors, argument alpha must not be a floating point number.');
    const relu = F.relu(tensor([-0, NaN, -1]));
    assert.ok(Object.is(relu.data[0], -0) && Number.isNaN(relu.data[1]) && relu.data[2] === 0);
    throwsExactly(() => F.relu(tensor([true])), 'TypeError', 'Boolean inputs not supported for relu');
  });

  it('sum and mean over dim=[] reduce every dimension', () => {
    const x = tensor([[1, 2], [3, 4]]);
    assert.deepEqual([F.sum(x, []).shape, values(F.sum(x, []))], [[], [10]]);
    assert.deepEqual([x.mean([], true).shape, values(x.mean([], true))], [[1, 1], [2.5]]);
  });

  it('broadcasting names the last mismatched dimension, as infer_size', () => {
    throwsExactly(() => F.add(zeros([2, 3]), zeros([3, 2])), 'RangeError',
      'The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1');
    throwsExactly(() => F.add(zeros([2, 3, 4]), zeros([3, 3, 5])), 'RangeError',
      'The size of tensor a (4) must match the size of tensor b (5) at non-singleton dimension 2');
  });

  it('reshape: error_inputs_view_reshape', () => {
    throwsExactly(() => zeros([0, 5]).reshape(0, -1), 'RangeError',
      'cannot reshape tensor of 0 elements into shape [0, -1] because the unspecified dimension size -1 can be any value and is ambiguous');
    throwsExactly(() => zeros([6]).reshape(-2, -3), 'RangeError', 'invalid shape dimension -2');
    throwsExactly(() => zeros([6]).reshape(3, 2.5), 'TypeError',
      "reshape(): argument 'shape' must be tuple of ints, but found element of type float at pos 1");
    throwsExactly(() => zeros([6]).reshape(4), 'RangeError', "shape '[4]' is invalid for input of size 6");
  });

  it('squeeze refuses a repeated dim; 0-d inputs: indexSelect stays 0-d, size(0) names the missing dims', () => {
    throwsExactly(() => F.squeeze(zeros([2, 1]), [1, 1]), 'RangeError', 'dim 1 appears multiple times in the list of dims');
    const scalar = F.indexSelect(tensor(5), 0, tensor([0], { dtype: 'int64' }));
    assert.deepEqual([scalar.shape, values(scalar)], [[], [5]]);
    throwsExactly(() => tensor(1).size(0), 'RangeError', 'Dimension specified as 0 but tensor has no dimensions');
  });

  it('Softmax, LogSoftmax and Dropout keep a float64 input\'s dtype; LayerNorm([]) fails at forward', () => {
    const x = tensor([1, 2], { dtype: 'float64' });
    const soft = new lib.Softmax(0).forward(x);
    assert.equal(soft.dtype, 'float64');
    assert.ok(Math.abs(soft.data[1] - 0.7310585786300049) < 1e-15);
    assert.equal(new lib.LogSoftmax(0).forward(x).dtype, 'float64');
    lib.manualSeed(1); // torch 1.13: manual_seed(1); Dropout(0.5)(float64 [1..6]) = [2, 4, 6, 8, 0, 12]
    assert.deepEqual(values(new lib.Dropout(0.5).forward(tensor([1, 2, 3, 4, 5, 6], { dtype: 'float64' }))), [2, 4, 6, 8, 0, 12]);
    throwsExactly(() => new lib.Dropout('0.5'), 'TypeError', 'dropout probability has to be between 0 and 1, but got str (JavaScript: a string)');
    throwsExactly(() => new lib.LayerNorm([]).forward(tensor(3)), 'RangeError',
      'Expected normalized_shape to be at least 1-dimensional, i.e., containing at least one element, but got normalized_shape = []');
  });
});
