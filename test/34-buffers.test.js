'use strict';
// A model's own state beside its layers, as torch.nn.Module has it: registerBuffer
// (persistent or not, None), registerParameter (a scale, weights tied between layers),
// named_buffers / get_buffer, and loadStateDict's copy_ into buffers of any dtype. Against a
// torch model with the same members (scripts/fixtures/make_model_fixtures.py), and torch's
// messages (test_nn.py's test_register_buffer_*, test_register_parameter_*, test_buffers_and_named_buffers).
const assert = require('node:assert/strict');
const { Module, GRU, Embedding, Linear, LSTM, Tensor, tensor, zeros, ones } = require('../lib');
const { fromFixture, assertTensorClose } = require('./support/fixture-tensors');

const { normalised: fixture } = require('./fixtures/models.json').models;

const stateDictOf = (encoded) => Object.fromEntries(Object.entries(encoded).map(([k, v]) => [k, fromFixture(v)]));

// The fixture's torch model, as a rnn-blas user writes it.
class Normalised extends Module {
  constructor() {
    super();
    this.registerBuffer('mean', zeros([6]));
    this.registerBuffer('std', ones([6]));
    this.registerBuffer('updates', tensor(0n));
    this.registerBuffer('scratch', zeros([3]), false);
    this.registerBuffer('unused', null);
    this.registerParameter('scale', tensor([1]));
    this.rnn = new GRU(6, 5, { bidirectional: true });
    this.embedding = new Embedding(10, 10);
    this.head = new Linear(10, 10, { bias: false });
    this.head.registerParameter('weight', this.embedding.weight);
  }

  forward(features) {
    const [output] = this.rnn.forward(features.sub(this.mean).div(this.std));
    return this.head.forward(output.mean(0).mul(this.scale));
  }
}

describe('buffers and a module\'s own parameters (torch.nn.Module)', () => {
  it('a model with buffers, a scale and tied weights loads torch\'s state dict and computes its scores', () => {
    const model = new Normalised().eval();
    assert.deepEqual(model.loadStateDict(stateDictOf(fixture.stateDict)), { missingKeys: [], unexpectedKeys: [] });
    assert.deepEqual(Object.keys(model.stateDict()), Object.keys(fixture.stateDict));
    assert.deepEqual(model.namedBuffers().map(([name]) => name), fixture.namedBuffers);
    assert.deepEqual(model.namedParameters().map(([name]) => name), fixture.namedParameters);
    assert.equal(String(model), fixture.repr);
    assert.equal(model.updates.dtype, 'int64');
    assert.equal(model.updates.toArray(), 41n);
    assert.equal(model.stateDict().updates.dtype, 'int64');
    assert.equal(model.head.weight, model.embedding.weight);
    assertTensorClose(assert, model.forward(fromFixture(fixture.features)), fixture.scores, 2e-6, 'scores');
  });

  it('stateDict: parameters, then persistent buffers holding a tensor, then children; copies', () => {
    const model = new Normalised();
    const sd = model.stateDict();
    assert.deepEqual(Object.keys(sd).slice(0, 4), ['scale', 'mean', 'std', 'updates']);
    assert.ok(!('scratch' in sd) && !('unused' in sd));
    sd.mean.data[0] = 9;
    assert.equal(model.mean.data[0], 0);
    assert.deepEqual(model.namedBuffers('top').map(([name]) => name), ['top.mean', 'top.std', 'top.updates', 'top.scratch']);
    assert.deepEqual(model.buffers(false).map((t) => t.shape), [[6], [6], [], [3]]);
  });

  it('loadStateDict copies into each buffer\'s dtype (torch\'s copy_) and into float parameters from integers', () => {
    const model = new Normalised();
    const sd = model.stateDict();
    model.loadStateDict({ ...sd, updates: tensor(2.7), mean: tensor([1, 2, 3, 4, 5, 6]).long(), scale: tensor([3n]) });
    assert.equal(model.updates.toArray(), 2n);
    assert.deepEqual([...model.mean.data], [1, 2, 3, 4, 5, 6]);
    assert.deepEqual([...model.scale.data], [3]);
    // A 0-d buffer takes a 1-d tensor's first value (torch's compatibility with 0.3 checkpoints).
    model.loadStateDict({ ...sd, updates: tensor([7n, 8n]) });
    assert.equal(model.updates.toArray(), 7n);
  });

  it('a non-persistent or None buffer\'s key is unexpected; a missing buffer is a missing key', () => {
    const model = new Normalised();
    const { std, ...withoutStd } = model.stateDict();
    assert.throws(() => model.loadStateDict({ ...withoutStd, std, scratch: zeros([3]), unused: zeros([1]) }), {
      name: 'Error',
      message: 'Error(s) in loading state_dict for Normalised:\n\tUnexpected key(s) in state_dict: "scratch", "unused". ',
    });
    assert.deepEqual(model.loadStateDict(withoutStd, { strict: false }), { missingKeys: ['std'], unexpectedKeys: [] });
    assert.throws(() => model.loadStateDict({ ...withoutStd, std: zeros([5]) }), {
      name: 'Error',
      message: 'Error(s) in loading state_dict for Normalised:\n\tsize mismatch for std: copying a param with shape [5] ' +
        'from checkpoint, the shape in current model is [6].',
    });
  });

  it('assigning a buffer replaces it (a Tensor or null), as torch\'s setattr', () => {
    const model = new Normalised();
    const replacement = tensor([5, 6, 7]);
    model.scratch = replacement;
    assert.equal(model.scratch, replacement);
    model.mean = null;
    assert.equal(model.mean, null);
    assert.ok(!('mean' in model.stateDict()));
    assert.deepEqual(model.namedBuffers().map(([name]) => name), ['std', 'updates', 'scratch']);
    assert.throws(() => { model.std = 3; }, {
      name: 'TypeError',
      message: "cannot assign 'int' as buffer 'std' (torch.Tensor or None expected) (JavaScript: a number)",
    });
    model.registerBuffer('mean', zeros([6]));
    assert.deepEqual(model.namedBuffers().map(([name]) => name), ['mean', 'std', 'updates', 'scratch']);
  });

  it('registerBuffer refuses as torch\'s register_buffer does (test_register_buffer_raises_error_if_*)', () => {
    const model = new Normalised();
    const cases = [
      [() => model.registerBuffer(3, zeros([1])), TypeError, 'buffer name should be a string. Got int (JavaScript: a number)'],
      [() => model.registerBuffer('a.b', zeros([1])), Error, 'buffer name can\'t contain "."'],
      [() => model.registerBuffer('', zeros([1])), Error, 'buffer name can\'t be empty string ""'],
      [() => model.registerBuffer('rnn', zeros([1])), Error, "attribute 'rnn' already exists"],
      [() => model.registerBuffer('scale', zeros([1])), Error, "attribute 'scale' already exists"],
      [() => model.registerBuffer('forward', zeros([1])), Error, "attribute 'forward' already exists"],
      [() => model.registerBuffer('list', [1, 2]), TypeError,
        "cannot assign 'list' object to buffer 'list' (torch Tensor or None required) (JavaScript: an array)"],
    ];
    for (const [call, type, message] of cases) assert.throws(call, (e) => e.constructor === type && e.message === message);
  });

  it('registerParameter: torch\'s checks, None slots filled later, replacements of the same shape only', () => {
    const model = new Normalised();
    assert.throws(() => model.registerParameter('mean', zeros([6])), { name: 'Error', message: "attribute 'mean' already exists" });
    assert.throws(() => model.registerParameter('w', [1]), {
      name: 'TypeError',
      message: "cannot assign 'list' object to parameter 'w' (torch.nn.Parameter or None required) (JavaScript: an array)",
    });
    assert.throws(() => model.registerParameter('w', tensor([1n])), {
      name: 'TypeError', message: 'Only Tensors of floating point and complex dtype can require gradients',
    });
    assert.throws(() => model.registerParameter('a.b', zeros([1])), { name: 'Error', message: 'parameter name can\'t contain "."' });
    model.registerParameter('offset', null);
    assert.equal(model.offset, null);
    assert.ok(!model.namedParameters().some(([name]) => name === 'offset'));
    model.offset = tensor([0.5]);
    assert.deepEqual(model.namedParameters().map(([name]) => name).slice(0, 2), ['scale', 'offset']);
    // A layer's parameter replaced by a float32 tensor of its shape is what the layer reads.
    const lstm = new LSTM(2, 3);
    const before = lstm.forward(ones([1, 1, 2]))[0];
    lstm.registerParameter('bias_ih_l0', new Tensor(new Float32Array(12).fill(1), [12]));
    assert.notDeepEqual([...lstm.forward(ones([1, 1, 2]))[0].data], [...before.data]);
    assert.throws(() => lstm.registerParameter('bias_ih_l0', zeros([3])), {
      name: 'RangeError',
      message: "cannot replace parameter 'bias_ih_l0' (float32, shape [12]) of this LSTM with a float32 tensor of shape [3]",
    });
    // Linear built without a bias takes one through registerParameter, as torch's register_parameter.
    const linear = new Linear(2, 1, { bias: false });
    linear.registerParameter('bias', tensor([10]));
    linear.weight = [[0, 0]];
    assert.deepEqual([...linear.forward(ones([1, 2])).data], [10]);
  });

  it('getBuffer and getParameter with torch\'s messages', () => {
    const model = new Normalised();
    assert.equal(model.getBuffer('mean'), model.mean);
    assert.equal(model.getBuffer('updates').dtype, 'int64');
    assert.equal(model.getBuffer('unused'), null);
    for (const [call, message] of [
      [() => model.getBuffer('nothing'), 'Normalised has no attribute `nothing`'],
      [() => model.getBuffer('scale'), '`scale` is not a buffer'],
      [() => model.getBuffer('rnn.weight_ih_l0'), '`weight_ih_l0` is not a buffer'],
      [() => model.getParameter('mean'), '`mean` is not an nn.Parameter'],
      [() => model.getParameter('rnn.nothing'), 'GRU has no attribute `nothing`'],
    ]) assert.throws(call, { name: 'Error', message });
  });
});
