'use strict';
// Whole models as a PyTorch user writes them: Module subclasses whose children are their
// properties, loaded whole from one state dict, against torch's outputs; and the tree's
// semantics (names, order, train/eval, loadStateDict's messages, settings after construction).
const assert = require('node:assert/strict');
const {
  Module, Sequential, ModuleList, ModuleDict, Embedding, LSTM, GRU, GRUCell, Linear, LayerNorm, ReLU, Dropout,
  Tanh, Identity, RNN, tensor, zeros, cat, stack, select, functional: F,
} = require('../lib');
const lib = require('../lib');
const { fromFixture, assertTensorEqual, assertTensorClose } = require('./support/fixture-tensors');

const { models } = require('./fixtures/models.json');

// The fixture script's two models, written as a rnn-blas user writes them.
class Classifier extends Module {
  constructor() {
    super();
    this.embedding = new Embedding(50, 8, { paddingIdx: 0 });
    this.rnn = new LSTM(8, 12, { numLayers: 2, batchFirst: true, bidirectional: true, dropout: 0.1 });
    this.norm = new LayerNorm(24);
    this.head = new Sequential(new Linear(24, 16), new ReLU(), new Dropout(0.2), new Linear(16, 5));
  }

  forward(ids) {
    const [, [hN]] = this.rnn.forward(this.embedding.forward(ids));
    const features = cat([hN.select(0, -2), hN.select(0, -1)], 1);
    return this.head.forward(this.norm.forward(features));
  }
}

class Encoder extends Module {
  embedding = new Embedding(20, 6);
  rnn = new GRU(6, 10, { batchFirst: true });
  forward(ids) {
    return this.rnn.forward(this.embedding.forward(ids));
  }
}

class Decoder extends Module {
  embedding = new Embedding(20, 6);
  cell = new GRUCell(6 + 10, 10);
  heads = new ModuleDict({ token: new Linear(10, 20), stop: new Linear(10, 1) });
  forward(token, hidden, context) {
    const h = this.cell.forward(cat([this.embedding.forward(token), context], -1), hidden);
    return [this.heads.get('token').forward(h), F.sigmoid(this.heads.get('stop').forward(h)).squeeze(-1), h];
  }
}

class Seq2Seq extends Module {
  constructor() {
    super();
    this.encoder = new Encoder();
    this.decoder = new Decoder();
    this.layers = new ModuleList([new Tanh(), new Identity()]);
  }

  forward(source, steps) {
    const [output, hN] = this.encoder.forward(source);
    const context = output.mean(1);
    let hidden = this.layers.at(1).forward(this.layers.at(0).forward(hN.select(0, -1)));
    let token = zeros([source.size(0)], { dtype: 'int64' });
    const logProbs = [];
    const tokens = [];
    const stops = [];
    for (let step = 0; step < steps; step++) {
      const [logits, stop, h] = this.decoder.forward(token, hidden, context);
      hidden = h;
      token = logits.argmax(-1);
      logProbs.push(F.logSoftmax(logits, -1));
      tokens.push(token);
      stops.push(stop);
    }
    return [stack(logProbs, 1), stack(tokens, 1), stack(stops, 1)];
  }
}

const stateDictOf = (encoded) => Object.fromEntries(Object.entries(encoded).map(([k, v]) => [k, fromFixture(v)]));

describe('module trees (torch.nn.Module)', () => {
  describe('whole models loaded from one state dict match torch', () => {
    it('a classifier: Embedding -> 2-layer bidirectional LSTM -> cat(h_n[-2], h_n[-1]) -> LayerNorm -> Sequential', () => {
      const fixture = models.classifier;
      const model = new Classifier();
      assert.deepEqual(model.loadStateDict(stateDictOf(fixture.stateDict)), { missingKeys: [], unexpectedKeys: [] });
      model.eval();
      assert.equal(String(model), fixture.repr);
      assert.deepEqual(Object.keys(model.stateDict()), Object.keys(fixture.stateDict));
      const ids = fromFixture(fixture.ids);
      const logits = model.forward(ids);
      assertTensorClose(assert, logits, fixture.logits, 2e-5, 'logits');
      assertTensorClose(assert, F.softmax(logits, -1), fixture.probabilities, 2e-5, 'probabilities');
      assertTensorEqual(assert, logits.argmax(-1), fixture.predicted, 'predicted');
      // Nested arrays of ids and an int32 tensor give the same.
      assert.deepEqual([...model.forward(ids.toArray().map((row) => row.map(Number))).data], [...logits.data]);
      assert.deepEqual([...model.forward(ids.to('int32')).data], [...logits.data]);
    });

    it('an encoder-decoder: submodules of submodules, a ModuleDict and a ModuleList, greedy decoding', () => {
      const fixture = models.seq2seq;
      const model = new Seq2Seq();
      model.loadStateDict(stateDictOf(fixture.stateDict));
      model.eval();
      assert.equal(String(model), fixture.repr);
      const [logProbs, tokens, stops] = model.forward(fromFixture(fixture.source), fixture.steps);
      assertTensorClose(assert, logProbs, fixture.logProbs, 2e-5, 'log probabilities');
      assertTensorEqual(assert, tokens, fixture.tokens, 'tokens');
      assertTensorClose(assert, stops, fixture.stops, 2e-5, 'stop probabilities');
    });
  });

  describe('the tree', () => {
    it('children are the properties holding modules, in assignment order; registerModule adds one', () => {
      const model = new Classifier();
      assert.deepEqual(model.namedChildren().map(([name]) => name), ['embedding', 'rnn', 'norm', 'head']);
      model.registerModule('extra', new Tanh());
      assert.equal(model.extra instanceof Tanh, true);
      assert.deepEqual(model.children().map((m) => m.constructor.name), ['Embedding', 'LSTM', 'LayerNorm', 'Sequential', 'Tanh']);
      assert.deepEqual(model.namedModules().map(([name]) => name),
        ['', 'embedding', 'rnn', 'norm', 'head', 'head.0', 'head.1', 'head.2', 'head.3', 'extra']);
      assert.equal(model.modules().length, 10);
    });

    it('registerModule refuses what torch\'s add_module refuses', () => {
      const model = new Classifier();
      assert.throws(() => model.registerModule('a.b', new Tanh()), { message: 'module name can\'t contain ".", got: a.b' });
      assert.throws(() => model.registerModule('', new Tanh()), { message: 'module name can\'t be empty string ""' });
      assert.throws(() => model.registerModule('forward', new Tanh()), { message: "attribute 'forward' already exists" });
      assert.throws(() => model.registerModule('x', 3), { name: 'TypeError', message: 'int is not a Module subclass' });
    });

    it('namedParameters: dotted names in torch\'s order, a shared module once', () => {
      class Tied extends Module {
        constructor() {
          super();
          this.encoder = new Linear(3, 3);
          this.decoder = this.encoder;
          this.rnn = new RNN(3, 2, { bidirectional: true, bias: false });
        }
      }
      const tied = new Tied();
      assert.deepEqual(tied.namedParameters().map(([name]) => name),
        ['encoder.weight', 'encoder.bias', 'rnn.weight_ih_l0', 'rnn.weight_hh_l0', 'rnn.weight_ih_l0_reverse', 'rnn.weight_hh_l0_reverse']);
      assert.equal(tied.parameters().length, 6);
      // stateDict, as torch's, lists a shared module under each name.
      assert.deepEqual(Object.keys(tied.stateDict()).slice(0, 4), ['encoder.weight', 'encoder.bias', 'decoder.weight', 'decoder.bias']);
      assert.deepEqual(tied.namedParameters('model', false), []);
    });

    it('loadStateDict: torch\'s message with dotted keys, naming the model\'s class; nothing changes on error', () => {
      const model = new Classifier();
      const sd = model.stateDict();
      const before = model.stateDict()['rnn.weight_ih_l1'].data.slice();
      delete sd['rnn.bias_hh_l1_reverse'];
      sd['rnn.weight_ih_l1'] = zeros([48, 24]);
      sd['head.1.weight'] = zeros([1]);
      sd.classifier = zeros([1]);
      sd['rnn.weight_ih_l0'] = zeros([48, 7]);
      assert.throws(() => model.loadStateDict(sd), {
        name: 'Error',
        message: 'Error(s) in loading state_dict for Classifier:\n' +
          '\tMissing key(s) in state_dict: "rnn.bias_hh_l1_reverse". \n' +
          '\tUnexpected key(s) in state_dict: "classifier", "head.1.weight". \n' +
          '\tsize mismatch for rnn.weight_ih_l0: copying a param with shape [48, 7] from checkpoint, ' +
          'the shape in current model is [48, 8].',
      });
      assert.deepEqual(model.stateDict()['rnn.weight_ih_l1'].data, before);
      delete sd['rnn.weight_ih_l0'];
      sd['rnn.weight_ih_l0'] = model.stateDict()['rnn.weight_ih_l0'];
      const result = model.loadStateDict(sd, { strict: false });
      assert.deepEqual(result, { missingKeys: ['rnn.bias_hh_l1_reverse'], unexpectedKeys: ['classifier', 'head.1.weight'] });
      assert.deepEqual([...model.stateDict()['rnn.weight_ih_l1'].data], new Array(48 * 24).fill(0));
    });

    it('loadStateDict with a prefix takes one submodule\'s keys out of a larger checkpoint', () => {
      const source = new Seq2Seq();
      const encoder = new Encoder();
      const sd = source.stateDict();
      assert.deepEqual(encoder.loadStateDict(sd, { prefix: 'encoder.', strict: false }).missingKeys, []);
      assert.deepEqual(encoder.stateDict()['rnn.weight_hh_l0'].data, sd['encoder.rnn.weight_hh_l0'].data);
    });

    it('train() and eval() reach every descendant; assigning training changes one module, as in torch', () => {
      const model = new Classifier();
      model.eval();
      assert.deepEqual(model.modules().map((m) => m.training), new Array(9).fill(false));
      model.train();
      assert.equal(model.head.at(2).training, true);
      model.head.training = false;
      assert.equal(model.head.training, false);
      assert.equal(model.head.at(2).training, true);
      assert.throws(() => { model.training = 'yes'; }, { name: 'TypeError' });
      assert.throws(() => model.train(1), { name: 'TypeError' });
    });

    it('a Module without forward says so in torch\'s words', () => {
      class Empty extends Module {}
      assert.throws(() => new Empty().forward(1), { message: 'Module [Empty] is missing the required "forward" function' });
    });
  });

  describe('containers', () => {
    it('Sequential runs its modules in order and names them 0, 1, ...', () => {
      const seq = new Sequential(new Linear(2, 3), new ReLU(), new Linear(3, 1));
      const x = tensor([[1, -2]]);
      const expected = seq.at(2).forward(seq.at(1).forward(seq.at(0).forward(x)));
      assert.deepEqual([...seq.forward(x).data], [...expected.data]);
      assert.deepEqual(Object.keys(seq.stateDict()), ['0.weight', '0.bias', '2.weight', '2.bias']);
      assert.equal(seq.length, 3);
      assert.equal(seq.at(-1), seq.at(2));
      assert.throws(() => seq.at(3), { name: 'RangeError', message: 'index 3 is out of range' });
      assert.throws(() => new Sequential(new Linear(2, 2), 5), { name: 'TypeError' });
    });

    it('ModuleList and ModuleDict hold children for the model\'s state dict', () => {
      class Stack extends Module {
        layers = new ModuleList([new GRU(4, 4), new GRU(4, 4)]);
        heads = new ModuleDict([['b', new Linear(4, 1)], ['a', new Linear(4, 2)]]);
        plain = [new Linear(4, 4)]; // a plain array is not a child, as in torch
      }
      const model = new Stack();
      model.layers.append(new GRU(4, 4));
      model.layers.insert(0, new Tanh());
      assert.deepEqual(model.namedChildren().map(([n]) => n), ['layers', 'heads']);
      assert.deepEqual(model.namedModules().map(([n]) => n),
        ['', 'layers', 'layers.0', 'layers.1', 'layers.2', 'layers.3', 'heads', 'heads.b', 'heads.a']);
      assert.deepEqual(model.heads.keys(), ['b', 'a']);
      assert.equal(model.heads.pop('b').outFeatures, 1);
      assert.throws(() => model.heads.get('b'), { message: "'b'" });
      assert.equal([...model.layers].length, 4);
    });
  });

  describe('modules without weights', () => {
    it('Dropout: the input itself in eval mode or with p = 0; zeros and 1/(1-p) scaling in training', () => {
      const x = tensor([[1, 2, 3, 4]]);
      const dropout = new Dropout(0.5);
      assert.equal(dropout.eval().forward(x), x);
      dropout.train();
      const y = dropout.forward(zeros([1, 1000]).add(1));
      const kept = [...y.data].filter((v) => v !== 0);
      assert.ok(kept.every((v) => v === 2), 'kept elements are scaled by 1 / (1 - p)');
      assert.ok(kept.length > 400 && kept.length < 600, `${kept.length} of 1000 kept`);
      dropout.p = 1;
      assert.deepEqual([...dropout.forward(x).data], [0, 0, 0, 0]);
      assert.throws(() => { dropout.p = 1.5; }, { name: 'RangeError', message: 'dropout probability has to be between 0 and 1, but got 1.5' });
      assert.equal(String(new Dropout({ p: 0.3, inplace: true })), 'Dropout(p=0.3, inplace=True)');
    });

    it('ReLU, Tanh, Sigmoid, Softmax, LogSoftmax and Identity compute what their functions do', () => {
      const x = tensor([[-1, 0.5], [2, -3]]);
      assert.deepEqual([...new ReLU().forward(x).data], [0, 0.5, 2, 0]);
      assert.deepEqual([...new Tanh().forward(x).data], [...F.tanh(x).data]);
      assert.deepEqual([...new lib.Sigmoid().forward(x).data], [...F.sigmoid(x).data]);
      assert.deepEqual([...new lib.Softmax(0).forward(x).data], [...F.softmax(x, 0).data]);
      assert.deepEqual([...new lib.LogSoftmax(-1).forward(x).data], [...F.logSoftmax(x, -1).data]);
      assert.equal(new Identity().forward(x), x);
      const inplace = tensor([-1, 1]);
      assert.equal(new ReLU({ inplace: true }).forward(inplace), inplace);
      assert.deepEqual([...inplace.data], [0, 1]);
    });

    it('LayerNorm normalizes the last dimensions with its weight and bias', () => {
      const norm = new LayerNorm([2, 2], { eps: 0 });
      const y = norm.forward(tensor([[[1, 2], [3, 4]]]));
      const s = Math.sqrt(1.25);
      assert.deepEqual([...y.data], [-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s].map(Math.fround));
      assert.deepEqual(norm.namedParameters().map(([n, t]) => [n, [...t.shape]]), [['weight', [2, 2]], ['bias', [2, 2]]]);
      assert.throws(() => new LayerNorm(4, { elementwise_affine: false }), {
        name: 'TypeError',
        message: "LayerNorm.__init__() got an unexpected keyword argument 'elementwise_affine' (did you mean 'elementwiseAffine'?)",
      });
      assert.throws(() => norm.forward(zeros([2, 3])), {
        message: 'Given normalized_shape=[2, 2], expected input with shape [*, 2, 2], but got input of size[2, 3]',
      });
    });
  });

  describe('fromStateDict for Linear and Embedding', () => {
    it('reads the sizes and bias off the weights, and loads them', () => {
      const sd = models.classifier.stateDict;
      const weights = stateDictOf(sd);
      const head = Linear.fromStateDict(weights, { prefix: 'head.3.' });
      assert.equal(String(head), 'Linear(in_features=16, out_features=5, bias=True)');
      assert.deepEqual(head.stateDict().weight.data, weights['head.3.weight'].data);
      const noBias = Linear.fromStateDict({ weight: zeros([2, 3]) });
      assert.equal(String(noBias), 'Linear(in_features=3, out_features=2, bias=False)');
      const embedding = Embedding.fromStateDict(weights, { prefix: 'embedding.', paddingIdx: 0 });
      assert.equal(String(embedding), 'Embedding(50, 8, padding_idx=0)');
      assert.deepEqual(embedding.stateDict().weight.data, weights['embedding.weight'].data);
    });

    it('refuses a missing weight (naming where one is), a stray key or an option the weights decide', () => {
      const weights = stateDictOf(models.classifier.stateDict);
      assert.throws(() => Linear.fromStateDict(weights), {
        message: 'Linear.fromStateDict: no "weight" in the state dict. Found "embedding.weight", "norm.weight", ' +
          '"head.0.weight", ...: pass its prefix, e.g. { prefix: "embedding." }.',
      });
      assert.throws(() => Linear.fromStateDict({ weight: zeros([2, 3]), extra: zeros([1]) }), {
        message: 'Error(s) in loading state_dict for Linear:\n\tUnexpected key(s) in state_dict: "extra". ',
      });
      assert.throws(() => Embedding.fromStateDict({ weight: zeros([2, 3]) }, { embeddingDim: 3 }), {
        name: 'TypeError',
        message: "Embedding.fromStateDict: unexpected option 'embeddingDim': numEmbeddings and embeddingDim come from the weights (options: prefix, paddingIdx)",
      });
      assert.throws(() => Embedding.fromStateDict({ weight: zeros([6]) }), { name: 'RangeError' });
    });
  });

  describe('settings after construction', () => {
    it('dropout and batchFirst take effect at the next forward, checked as the constructor checks them', () => {
      const lstm = new LSTM(3, 4, 2).eval();
      const x = tensor([[[1, 2, 3]], [[4, 5, 6]]]); // (L=2, N=1, 3)
      const [timeMajor] = lstm.forward(x);
      lstm.batchFirst = true;
      const [batchMajor] = lstm.forward(x.transpose(0, 1));
      assert.deepEqual([...batchMajor.transpose(0, 1).data], [...timeMajor.data]);
      lstm.train();
      lstm.dropout = 1; // every element of layer 0's output zeroed: layer 1 sees zeros
      const [dropped] = lstm.forward(x.transpose(0, 1));
      const layer1 = new LSTM(4, 4, { batchFirst: true });
      const sd = lstm.stateDict();
      layer1.loadStateDict(Object.fromEntries(['weight_ih', 'weight_hh', 'bias_ih', 'bias_hh'].map((n) => [`${n}_l0`, sd[`${n}_l1`]])));
      assert.deepEqual([...dropped.data], [...layer1.forward(zeros([1, 2, 4]))[0].data]);
      lstm.dropout = 0;
      const [kept] = lstm.forward(x.transpose(0, 1));
      assert.deepEqual([...kept.data], [...batchMajor.data]);
      assert.throws(() => { lstm.dropout = 2; }, {
        name: 'RangeError',
        message: 'dropout should be a number in range [0, 1] representing the probability of an element being zeroed',
      });
      assert.throws(() => { lstm.batchFirst = 'yes'; }, {
        name: 'TypeError', message: 'batch_first should be of type bool, got: str (JavaScript: batchFirst, a string)',
      });
    });

    it('sizes that fix the weights throw a TypeError on assignment', () => {
      const modules = [
        [new LSTM(3, 4), ['inputSize', 'hiddenSize', 'numLayers', 'bidirectional', 'projSize', 'bias']],
        [new RNN(3, 4), ['nonlinearity']],
        [new GRUCell(3, 4), ['inputSize', 'hiddenSize', 'bias']],
        [new Linear(3, 4), ['inFeatures', 'outFeatures']],
        [new Embedding(3, 4), ['numEmbeddings', 'embeddingDim', 'paddingIdx']],
      ];
      for (const [module, names] of modules) {
        for (const name of names) {
          const before = module[name];
          assert.throws(() => { module[name] = 7; }, {
            name: 'TypeError',
            message: `${module.constructor.name}.${name} cannot be changed after construction: it fixes the shape of the weights ` +
              `(construct a new ${module.constructor.name}, or use fromStateDict)`,
          });
          assert.equal(module[name], before);
        }
      }
    });
  });

  describe('PyTorch 2.x behaviours', () => {
    it('cells take hidden_size 0, as torch does', () => {
      const cell = new GRUCell(3, 0);
      assert.deepEqual(cell.namedParameters().map(([n, t]) => [n, [...t.shape]]),
        [['weight_ih', [0, 3]], ['weight_hh', [0, 0]], ['bias_ih', [0]], ['bias_hh', [0]]]);
      assert.deepEqual([...cell.forward(zeros([2, 3])).shape], [2, 0]);
    });

    it('select and cat give torch\'s h_n[-1] and the two directions of the last layer', () => {
      const hN = tensor([[[1, 2]], [[3, 4]], [[5, 6]], [[7, 8]]]); // (2 layers x 2 directions, N=1, H=2)
      assert.deepEqual(cat([select(hN, 0, -2), select(hN, 0, -1)], 1).toArray(), [[5, 6, 7, 8]]);
    });
  });
});

describe("containers as PyTorch's own tests use them (test_nn.py; torch 1.13 and 2.x)", () => {
  const { Tanh, Linear: L } = require('../lib');
  const throwsExactly = (fn, name, message) => assert.throws(fn, (e) => e.name === name && e.message === message);
  const names = (m) => m.namedChildren().map(([n]) => n);

  it('a child added by registerModule or assignment is one of a Sequential\'s (test_named_children)', () => {
    const s = new Sequential();
    s.registerModule('fc', new L(2, 3));
    assert.equal(s.length, 1);
    assert.deepEqual(Object.keys(s.stateDict()), ['fc.weight', 'fc.bias']);
    assert.deepEqual(s.forward(zeros([1, 2])).shape, [1, 3]);
    const t = new Sequential(new L(2, 2));
    t.extra = new Tanh();
    assert.deepEqual([t.length, names(t)], [2, ['0', 'extra']]);
  });

  it('Sequential of named modules (an object or a Map: torch\'s OrderedDict)', () => {
    const s = new Sequential({ a: new ReLU(), fc: new L(2, 2) });
    assert.equal(String(s), 'Sequential(\n  (a): ReLU()\n  (fc): Linear(in_features=2, out_features=2, bias=True)\n)');
    assert.deepEqual(Object.keys(s.stateDict()), ['fc.weight', 'fc.bias']);
    assert.deepEqual(names(new Sequential(new Map([['x', new ReLU()]]))), ['x']);
    assert.deepEqual(names(s.slice(1)), ['fc']); // seq[1:] keeps the names
  });

  it('insert, extend, set, delete, pop and slice (test_Sequential_insert/pop/delitem/setitem, test_ModuleList)', () => {
    const [a, b, c, d] = [new ReLU(), new Tanh(), new L(1, 1), new L(2, 2)];
    const s = new Sequential(a, b, c);
    s.insert(1, d);
    assert.deepEqual([...s], [a, d, b, c]);
    throwsExactly(() => s.insert(-6, a), 'RangeError', 'Index out of range: -6');
    s.delete(0);
    assert.deepEqual([[...s], names(s)], [[d, b, c], ['0', '1', '2']]);
    assert.equal(s.pop(), c);
    s.set(-1, a);
    assert.deepEqual([...s.extend([c])], [d, a, c]);
    const list = new ModuleList([a, b, c]);
    assert.deepEqual([...list.slice(1)], [b, c]);
    assert.equal(list.pop(0), a);
    throwsExactly(() => list.extend(new ReLU()), 'TypeError', 'ModuleList.extend should be called with an iterable, but got ReLU');
    throwsExactly(() => list.at('1'), 'TypeError', "'str' object cannot be interpreted as an integer");
    assert.equal(list.at(tensor([1], { dtype: 'int64' }).reshape()), c); // a 0-d integer tensor indexes
  });

  it('ModuleDict.update takes another ModuleDict, with torch\'s errors for the rest (test_ModuleDict)', () => {
    const dict = new ModuleDict({ act: new ReLU(), fc: new L(2, 2) });
    dict.update(new ModuleDict({ fc5: new L(5, 5) }));
    assert.deepEqual(dict.keys(), ['act', 'fc', 'fc5']);
    throwsExactly(() => dict.update(5), 'TypeError', 'ModuleDict.update should be called with an iterable of key/value pairs, but got int');
    throwsExactly(() => dict.update([new ReLU()]), 'TypeError', 'ModuleDict update sequence element #0 should be Iterable; isReLU');
    throwsExactly(() => dict.update([[new ReLU()]]), 'RangeError', 'ModuleDict update sequence element #0 has length 1; 2 is required');
    dict.delete('act');
    assert.deepEqual(dict.keys(), ['fc', 'fc5']);
    dict.clear();
    assert.equal(dict.size, 0);
  });

  it('registerModule(name, null) is an empty slot, as add_module(name, None) (test_load_state_dict)', () => {
    class Net extends Module {
      constructor() {
        super();
        this.l = new L(1, 1);
        this.registerModule('empty', null);
        this.b = new ReLU();
      }
    }
    const net = new Net();
    // torch 1.13: print(net), named_children and state_dict of the same module
    assert.equal(String(net), 'Net(\n  (l): Linear(in_features=1, out_features=1, bias=True)\n  (empty): None\n  (b): ReLU()\n)');
    assert.deepEqual(names(net), ['l', 'b']);
    assert.deepEqual(Object.keys(net.stateDict()), ['l.weight', 'l.bias']);
    assert.deepEqual(net.loadStateDict(net.stateDict()), { missingKeys: [], unexpectedKeys: [] });
    net.registerModule('empty', new Tanh());
    assert.deepEqual(names(net), ['l', 'empty', 'b']);
    throwsExactly(() => net.registerModule('x', 5), 'TypeError', 'int is not a Module subclass');
  });

  it('namedModules / namedParameters with removeDuplicate false; getSubmodule, getParameter, apply', () => {
    const l = new L(1, 1);
    assert.deepEqual(new Sequential(l, l).namedModules('', false).map(([n]) => n), ['', '0', '1']);
    assert.deepEqual(new Sequential(l, l).namedParameters('', true, false).map(([n]) => n), ['0.weight', '0.bias', '1.weight', '1.bias']);
    class Net extends Module {
      constructor() {
        super();
        this.enc = new Sequential(new L(2, 2));
      }
    }
    const net = new Net();
    assert.equal(net.getSubmodule('enc.0'), net.enc.at(0));
    assert.equal(net.getParameter('enc.0.bias'), net.enc.at(0).bias);
    throwsExactly(() => net.getSubmodule('enc.x'), 'Error', 'Sequential has no attribute `x`');
    const visited = [];
    assert.equal(net.apply((m) => visited.push(m.constructor.name)), net);
    assert.deepEqual(visited, ['Linear', 'Sequential', 'Net']);
  });
});
