'use strict';
// The torch.nn.Module surface: parameters, state dicts, init, train/eval and dropout, threads.
const assert = require('node:assert/strict');
const {
  RNN, LSTM, GRU, LSTMCell, GRUCell, RNNCell, zeros, randn, manualSeed, setNumThreads, getNumThreads,
} = require('../lib');
const { loadFixture, assertTensorClose } = require('./support/numeric');
const { moduleFromCase, toTensor } = require('./support/modules');

describe('module API', () => {
  it('namedParameters are live: an in-place edit changes the next forward', () => {
    manualSeed(1);
    const gru = new GRU(3, 4).eval();
    const x = randn([2, 1, 3]);
    const [before] = gru.forward(x);
    const [name, weight] = gru.namedParameters()[0];
    assert.equal(name, 'weight_ih_l0');
    weight.data.fill(0);
    const [after] = gru.forward(x);
    assert.notDeepEqual(after.data, before.data);
  });

  it('parameters are properties too, as in torch: the live tensors; assigning copies in', () => {
    manualSeed(2);
    const lstm = new LSTM(3, 4, 2).eval();
    const x = randn([2, 1, 3]);
    const [before] = lstm.forward(x);
    const named = new Map(lstm.namedParameters());
    assert.equal(lstm.weight_ih_l0, named.get('weight_ih_l0'));
    assert.equal(lstm.bias_hh_l1, named.get('bias_hh_l1'));
    assert.equal(Object.keys(lstm).includes('weight_ih_l0'), false); // neither a child nor an option
    lstm.weight_hh_l0.data.fill(0); // live: reaches the next forward
    const [zeroed] = lstm.forward(x);
    assert.notDeepEqual(zeroed.data, before.data);
    const cell = new LSTMCell(3, 4);
    const kept = cell.weight_ih;
    cell.weight_ih = zeros([16, 3]);
    assert.equal(cell.weight_ih, kept); // copied into the same tensor, as loadStateDict
    assert.ok(kept.data.every((v) => v === 0));
    assert.throws(() => {
      cell.weight_hh = zeros([16, 3]);
    }, {
      message: 'Error(s) in loading state_dict for LSTMCell:\n\tsize mismatch for weight_hh: copying a param with shape ' +
        '[16, 3] from checkpoint, the shape in current model is [16, 4].',
    });
  });

  it("allWeights and mode are torch's all_weights and mode; flattenParameters does nothing, as on torch's CPU", () => {
    // torch 1.13: LSTM(2, 3, 2, bidirectional=True, proj_size=1).all_weights shapes, 4 times:
    // [(12, 2), (12, 1), (12,), (12,), (1, 3)] (layer 1 reads both directions: (12, 2) again).
    const lstm = new LSTM(2, 3, 2, { bidirectional: true, projSize: 1 });
    const groups = lstm.allWeights;
    assert.deepEqual(groups.map((g) => g.map((t) => t.shape)), Array(4).fill([[12, 2], [12, 1], [12], [12], [1, 3]]));
    assert.equal(groups[1][0], lstm.weight_ih_l0_reverse);
    assert.deepEqual(new GRU(2, 3, { bias: false }).allWeights.map((g) => g.map((t) => t.shape)), [[[9, 2], [9, 3]]]);
    assert.equal(lstm.flattenParameters(), undefined);
    // torch: RNN(2, 3, nonlinearity='relu').mode == 'RNN_RELU', RNN(2, 3).mode == 'RNN_TANH'
    assert.deepEqual([new RNN(2, 3, { nonlinearity: 'relu' }).mode, new RNN(2, 3).mode, lstm.mode, new GRU(2, 3).mode],
      ['RNN_RELU', 'RNN_TANH', 'LSTM', 'GRU']);
  });

  it("takes torch's positional order, options last (reprs from torch 1.13; RNN's 4th is nonlinearity, as in 2.x)", () => {
    assert.equal(String(new LSTM(10, 20, 2, { batchFirst: true })), 'LSTM(10, 20, num_layers=2, batch_first=True)');
    assert.equal(String(new GRU(10, 20, 2, false, true, 0.5, true)),
      'GRU(10, 20, num_layers=2, bias=False, batch_first=True, dropout=0.5, bidirectional=True)');
    assert.equal(String(new LSTM(10, 20, 2, true, false, 0, false, 5)), 'LSTM(10, 20, proj_size=5, num_layers=2)');
    assert.equal(String(new RNNCell(10, 20, false, 'relu')), 'RNNCell(10, 20, bias=False, nonlinearity=relu)');
    const rnn = new RNN(10, 20, 2, 'relu', false);
    assert.deepEqual([rnn.numLayers, rnn.nonlinearity, rnn.bias], [2, 'relu', false]);
  });
  it('stateDict returns copies', () => {
    const lstm = new LSTM(3, 4);
    const sd = lstm.stateDict();
    sd.weight_ih_l0.data.fill(42);
    assert.notEqual(lstm.namedParameters()[0][1].data[0], 42);
  });

  it('parameters() lists the tensors of namedParameters in order', () => {
    const rnn = new RNN(3, 4, { numLayers: 2, bidirectional: true });
    assert.deepEqual(rnn.parameters(), rnn.namedParameters().map(([, t]) => t));
    assert.equal(rnn.parameters().length, 16);
  });

  it('loadStateDict with a prefix loads part of a larger checkpoint', () => {
    const source = new LSTM(3, 4, 2);
    const checkpoint = { 'embedding.weight': zeros([10, 3]) };
    for (const [name, t] of Object.entries(source.stateDict())) checkpoint[`encoder.rnn.${name}`] = t;
    checkpoint['encoder.rnn.extra'] = zeros([1]);
    const target = new LSTM(3, 4, 2);
    assert.throws(() => target.loadStateDict(checkpoint, { prefix: 'encoder.rnn.' }), {
      message: /Unexpected key\(s\) in state_dict: "encoder.rnn.extra"/,
    });
    const result = target.loadStateDict(checkpoint, { prefix: 'encoder.rnn.', strict: false });
    assert.deepEqual(result, { missingKeys: [], unexpectedKeys: ['encoder.rnn.extra'] });
    for (const [name, t] of target.namedParameters()) assert.deepEqual(t.data, source.stateDict()[name].data);
  });

  it('loadStateDict non-strict reports missing keys and loads the rest', () => {
    const gru = new GRU(3, 4);
    const sd = new GRU(3, 4).stateDict();
    delete sd.bias_ih_l0;
    const result = gru.loadStateDict(sd, { strict: false });
    assert.deepEqual(result, { missingKeys: ['bias_ih_l0'], unexpectedKeys: [] });
    assert.deepEqual(gru.stateDict().weight_hh_l0.data, sd.weight_hh_l0.data);
  });

  it('loadStateDict accepts nested arrays', () => {
    const cell = new RNNCell(2, 1, { bias: false });
    cell.loadStateDict({ weight_ih: [[0.5, -0.25]], weight_hh: [[2]] });
    assert.deepEqual(cell.forward([1, 1], [0]).toArray(), [Math.fround(Math.tanh(0.25))]);
  });

  it('resetParameters draws from U(-1/sqrt(H), 1/sqrt(H)), seeded by manualSeed', () => {
    manualSeed(3);
    const a = new LSTM(8, 16);
    manualSeed(3);
    const b = new LSTM(8, 16);
    assert.deepEqual(a.parameters()[0].data, b.parameters()[0].data);
    const bound = 1 / Math.sqrt(16);
    const all = a.parameters().flatMap((t) => [...t.data]);
    assert.ok(all.every((v) => v >= -bound && v <= bound));
    assert.ok(Math.max(...all) > 0.9 * bound && Math.min(...all) < -0.9 * bound);
    const mean = all.reduce((s, v) => s + v, 0) / all.length;
    assert.ok(Math.abs(mean) < 0.01, `mean ${mean}`);
    a.resetParameters();
    assert.notDeepEqual(a.parameters()[0].data, b.parameters()[0].data);
  });

  it('cells initialise every parameter the same way', () => {
    for (const Cell of [RNNCell, LSTMCell, GRUCell]) {
      const cell = new Cell(3, 25);
      const values = cell.parameters().flatMap((t) => [...t.data]);
      assert.ok(values.every((v) => Math.abs(v) <= 0.2));
    }
  });

  it('training is true after construction; train() and eval() switch it', () => {
    const lstm = new LSTM(3, 4);
    assert.equal(lstm.training, true);
    assert.equal(lstm.eval(), lstm);
    assert.equal(lstm.training, false);
    lstm.train();
    assert.equal(lstm.training, true);
  });

  describe('dropout between layers', () => {
    const fixture = loadFixture('modules.json');
    const testCase = fixture.cases.find((c) => c.module === 'LSTM' && c.options.numLayers === 2 && !c.options.bidirectional
      && c.options.projSize === 0 && c.options.bias && !c.options.batchFirst && c.input.shape.length === 3 && !c.h0);

    function withDropout(p) {
      const module = moduleFromCase(testCase);
      const dropped = new LSTM({ ...testCase.options, dropout: p });
      dropped.loadStateDict(module.stateDict());
      return dropped;
    }

    it('is off in eval mode: outputs equal PyTorch\'s', () => {
      const lstm = withDropout(0.5).eval();
      const [output] = lstm.forward(toTensor(testCase.input));
      assertTensorClose(output, testCase.output, 'output');
    });

    it('changes training outputs, reproducibly under manualSeed', () => {
      const lstm = withDropout(0.5);
      manualSeed(11);
      const [a] = lstm.forward(toTensor(testCase.input));
      manualSeed(11);
      const [b] = lstm.forward(toTensor(testCase.input));
      const [c] = lstm.forward(toTensor(testCase.input));
      assert.deepEqual(a.data, b.data);
      assert.notDeepEqual(a.data, c.data);
      assert.throws(() => assertTensorClose(a, testCase.output, 'output'));
    });

    it('with p = 1 the last layer sees only zeros, as torch', () => {
      const lstm = withDropout(1);
      const [output] = lstm.forward(toTensor(testCase.input));
      // Layer 2's input is all zeros, so its output equals an LSTM fed zeros.
      const zerosFed = new LSTM(8, 4).eval();
      const sd = lstm.stateDict();
      zerosFed.loadStateDict({
        weight_ih_l0: zeros([16, 8]), weight_hh_l0: sd.weight_hh_l1, bias_ih_l0: sd.bias_ih_l1, bias_hh_l0: sd.bias_hh_l1,
      });
      const [expected] = zerosFed.forward(zeros([...testCase.input.shape.slice(0, 2), 8]));
      assertTensorClose(output, { shape: expected.shape, data: [...expected.data] }, 'output');
    });
  });

  it('setNumThreads and getNumThreads', () => {
    const before = getNumThreads();
    setNumThreads(1);
    assert.equal(getNumThreads(), 1);
    setNumThreads(2);
    assert.equal(getNumThreads(), 2);
    setNumThreads(before);
  });

  it('an empty batch gives empty outputs and the initial state', () => {
    const lstm = new LSTM(3, 4);
    const [output, [hN, cN]] = lstm.forward(zeros([5, 0, 3]));
    assert.deepEqual(output.shape, [5, 0, 4]);
    assert.deepEqual(hN.shape, [1, 0, 4]);
    assert.deepEqual(cN.shape, [1, 0, 4]);
  });
});
