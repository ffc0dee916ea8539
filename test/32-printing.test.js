'use strict';
// torch's printing: String(tensor) is str(tensor), String(module) is repr(module), character
// for character (test/fixtures/models.json, from scripts/fixtures/make_model_fixtures.py).
const assert = require('node:assert/strict');
const util = require('node:util');
const nn = require('../lib');
const { fromFixture } = require('./support/fixture-tensors');

const fixtures = require('./fixtures/models.json');

/** torch's keyword arguments in rnn-blas's camelCase. */
const camel = (name) => name.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

/** The rnn-blas module for a spec of the fixture script: [type, args, kwargs]. */
function build([kind, args, kwargs]) {
  const options = Object.fromEntries(Object.entries(kwargs).map(([k, v]) => [camel(k), v]));
  switch (kind) {
    case 'Sequential': return new nn.Sequential(...args.map(build));
    case 'ModuleList': return new nn.ModuleList(args.map(build));
    case 'ModuleDict': return new nn.ModuleDict(Object.fromEntries(Object.entries(args[0]).map(([k, s]) => [k, build(s)])));
    case 'Softmax': case 'LogSoftmax': return new nn[kind](options.dim);
    case 'Dropout': return new nn.Dropout(...args, options);
    case 'ReLU': return new nn.ReLU(options);
    case 'Tanh': case 'Sigmoid': case 'Identity': return new nn[kind]();
    default: return new nn[kind](...args, options);
  }
}

describe('printing as torch prints', () => {
  describe('String(tensor) is str(tensor)', () => {
    for (const c of fixtures.str) {
      it(c.name, () => {
        const t = fromFixture(c.tensor);
        assert.equal(String(t), c.str);
        assert.equal(`${t}`, c.str);
        assert.equal(util.inspect(t), c.str);
      });
    }
  });

  it('console.log of a tensor prints str(tensor), not its fields', () => {
    const t = nn.tensor([[1, 2.5]]);
    assert.equal(util.format('%o', t).startsWith('tensor('), true);
    assert.equal(util.inspect({ t }), '{ t: tensor([[1.0000, 2.5000]]) }');
  });

  it('JSON.stringify(tensor) gives the nested arrays, any dtype', () => {
    assert.equal(JSON.stringify(nn.tensor([[1, 2.5], [-3, 0]])), '[[1,2.5],[-3,0]]');
    assert.equal(JSON.stringify({ ids: nn.tensor([[1n, 2n]]) }), '{"ids":[[1,2]]}');
    assert.equal(JSON.stringify(nn.tensor([true, false])), '[true,false]');
    assert.equal(JSON.stringify(nn.tensor(1.5, [])), '1.5');
    assert.equal(JSON.stringify(nn.zeros([2, 0])), '[[],[]]');
  });

  describe('String(module) is repr(module)', () => {
    for (const c of fixtures.repr) {
      it(c.repr.split('\n')[0], () => {
        const module = build(c.spec);
        assert.equal(String(module), c.repr);
        assert.equal(util.inspect(module), c.repr);
      });
    }
  });

  it('a settings change shows in the repr, as torch reads its attributes', () => {
    const lstm = new nn.LSTM(4, 8, 2);
    lstm.dropout = 0.5;
    lstm.batchFirst = true;
    assert.equal(String(lstm), 'LSTM(4, 8, num_layers=2, batch_first=True, dropout=0.5)');
  });

  it('a subclass may add its extraRepr, as torch\'s extra_repr', () => {
    class Scaled extends nn.Module {
      constructor() { super(); this.inner = new nn.Linear(2, 2); }
      extraRepr() { return 'scale=2.0'; }
    }
    assert.equal(String(new Scaled()), 'Scaled(\n  scale=2.0\n  (inner): Linear(in_features=2, out_features=2, bias=True)\n)');
  });
});
