'use strict';
// Loading PyTorch checkpoints: fromStateDict reads a module's architecture off the keys and
// shapes of a state dict (inputSize, hiddenSize, numLayers, bidirectional, projSize, bias),
// a whole model's checkpoint loads by prefix, and every inconsistent checkpoint is refused
// with a message that names the key, its shape and what was expected.
// Fixtures: scripts/fixtures/make_safetensors_fixtures.py (outputs computed by PyTorch in
// float64 from each file's weights).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {
  RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell, Tensor, zeros, randn, manualSeed, safetensors,
} = require('../lib');
const { loadFixture, assertTensorClose, FIXTURE_DIR } = require('./support/numeric');

const expected = loadFixture('safetensors_expected.json');
const LSTM_FILES = ['lstm_f32.safetensors', 'lstm_f16.safetensors', 'lstm_bf16.safetensors', 'lstm_f64.safetensors'];
const CLASSES = { RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell };

// ---- helpers ----

/** A fixture tensor with JSON's stand-ins for non-finite values ("NaN", "Infinity") decoded. */
function fixtureTensor({ shape, data }) {
  const decode = (v) => (v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v);
  return { shape, data: data.map(decode) };
}

function inputTensor(fixture) {
  const { shape, data } = fixtureTensor(fixture);
  return new Tensor(Float32Array.from(data), shape);
}

/** The fixture LSTM's architecture, in rnn-blas's option names. */
function fixtureArchitecture() {
  const c = expected.lstm.config;
  return {
    inputSize: c.input_size,
    hiddenSize: c.hidden_size,
    numLayers: c.num_layers,
    bidirectional: c.bidirectional,
    projSize: 0,
    bias: true,
    batchFirst: c.batch_first,
  };
}

/** Everything a checkpoint determines about a module, plus the options it does not. */
function architectureOf(module) {
  const fields = ['inputSize', 'hiddenSize', 'numLayers', 'bidirectional', 'projSize', 'bias', 'batchFirst',
    'dropout', 'nonlinearity'];
  const out = {};
  for (const field of fields) if (module[field] !== undefined) out[field] = module[field];
  return out;
}

function assertPyTorchOutputs(lstm, fileName, label) {
  const want = expected.lstm.outputs[fileName];
  const [output, [hN, cN]] = lstm.forward(inputTensor(expected.lstm.input));
  assertTensorClose(output, fixtureTensor(want.output), `${label}: output`);
  assertTensorClose(hN, fixtureTensor(want.h_n), `${label}: h_n`);
  assertTensorClose(cN, fixtureTensor(want.c_n), `${label}: c_n`);
}

/** (L, N, H) <-> (N, L, H). */
function swapFirstTwo(t) {
  const [a, b, c] = t.shape;
  const out = new Float32Array(t.data.length);
  for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) out.set(t.data.subarray((i * b + j) * c, (i * b + j + 1) * c), (j * a + i) * c);
  return new Tensor(out, [b, a, c]);
}

/** forward on fixed random input and state; results flattened to plain arrays for deepEqual. */
function runModule(module, kind, seed) {
  manualSeed(seed);
  const D = module.bidirectional ? 2 : 1;
  const hOut = module.projSize || module.hiddenSize;
  if (kind.endsWith('Cell')) {
    const x = randn([3, module.inputSize]);
    const h = randn([3, module.hiddenSize]);
    const result = kind === 'LSTMCell' ? module.forward(x, [h, randn([3, module.hiddenSize])]) : module.forward(x, h);
    return [result].flat().map((t) => [...t.shape, ...t.data]);
  }
  const x = randn(module.batchFirst ? [3, 5, module.inputSize] : [5, 3, module.inputSize]);
  const h0 = randn([D * module.numLayers, 3, hOut]);
  const hx = kind === 'LSTM' ? [h0, randn([D * module.numLayers, 3, module.hiddenSize])] : h0;
  const [output, state] = module.forward(x, hx);
  return [output, state].flat().map((t) => [...t.shape, ...t.data]);
}

function throwsExactly(fn, name, message) {
  assert.throws(fn, (error) => {
    assert.equal(error.constructor.name, name);
    assert.equal(error.message, message);
    return true;
  });
}

function withoutKeys(stateDict, ...keys) {
  const copy = { ...stateDict };
  for (const key of keys) delete copy[key];
  return copy;
}

const fixturePath = (name) => path.join(FIXTURE_DIR, name);
const fixtureWeights = () => safetensors.loadFile(fixturePath('lstm_f32.safetensors'));

// ---- PyTorch's files ----

describe('checkpoints: files PyTorch wrote', () => {
  for (const name of LSTM_FILES) {
    it(`${name}: LSTM.fromStateDict infers the architecture and gives PyTorch's output, h_n and c_n`, () => {
      const lstm = LSTM.fromStateDict(safetensors.loadFile(fixturePath(name))).eval();
      assert.deepEqual(architectureOf(lstm), { ...fixtureArchitecture(), dropout: 0 });
      assertPyTorchOutputs(lstm, name, name);
    });

    it(`${name}: an LSTM built by hand loads it with loadStateDict and gives the same`, () => {
      const { inputSize, hiddenSize, numLayers, bidirectional } = fixtureArchitecture();
      const lstm = new LSTM(inputSize, hiddenSize, { numLayers, bidirectional }).eval();
      const result = lstm.loadStateDict(safetensors.loadFile(fixturePath(name)));
      assert.deepEqual(result, { missingKeys: [], unexpectedKeys: [] });
      assertPyTorchOutputs(lstm, name, name);
    });
  }

  it('options the weights cannot tell are applied: batchFirst', () => {
    const lstm = LSTM.fromStateDict(fixtureWeights(), { batchFirst: true }).eval();
    assert.equal(lstm.batchFirst, true);
    const want = expected.lstm.outputs['lstm_f32.safetensors'];
    const [output, [hN]] = lstm.forward(swapFirstTwo(inputTensor(expected.lstm.input)));
    assertTensorClose(swapFirstTwo(output), fixtureTensor(want.output), 'output');
    assertTensorClose(hN, fixtureTensor(want.h_n), 'h_n (never batch-first)');
  });

  it('a Map of tensors loads as the object of its entries (torch takes any Mapping)', () => {
    const weights = fixtureWeights();
    assertPyTorchOutputs(LSTM.fromStateDict(new Map(Object.entries(weights))).eval(), 'lstm_f32.safetensors', 'fromStateDict(Map)');
    // loadStateDict too: the first layer's keys into a one-layer LSTM of its sizes.
    const partial = new Map(Object.entries(weights).filter(([name]) => name.endsWith('_l0')));
    const oneLayer = new LSTM(weights.weight_ih_l0.shape[1], weights.weight_hh_l0.shape[1]);
    assert.deepEqual(oneLayer.loadStateDict(partial), { missingKeys: [], unexpectedKeys: [] });
    assert.deepEqual(oneLayer.weight_hh_l0.data, weights.weight_hh_l0.data);
  });

  it('the module owns its weights: changing the checkpoint afterwards changes nothing', () => {
    const weights = fixtureWeights();
    const lstm = LSTM.fromStateDict(weights).eval();
    for (const t of Object.values(weights)) t.data.fill(0);
    assertPyTorchOutputs(lstm, 'lstm_f32.safetensors', 'after clearing the checkpoint');
  });
});

// ---- a whole model's checkpoint ----

describe('checkpoints: a whole model, one module picked by prefix', () => {
  /** What save_file(model.state_dict()) writes for an encoder with an LSTM at encoder.rnn. */
  function wholeModel() {
    manualSeed(11);
    const checkpoint = { 'embedding.weight': randn([10, 3]) };
    for (const [name, t] of Object.entries(fixtureWeights())) checkpoint[`encoder.rnn.${name}`] = t;
    checkpoint['encoder.norm.weight'] = randn([8]);
    checkpoint['decoder.weight'] = randn([5, 8]);
    checkpoint['decoder.bias'] = randn([5]);
    return checkpoint;
  }

  it('loadStateDict(sd, { prefix: "encoder.rnn." }) loads the LSTM and ignores the other keys', () => {
    const { inputSize, hiddenSize, numLayers, bidirectional } = fixtureArchitecture();
    const lstm = new LSTM(inputSize, hiddenSize, { numLayers, bidirectional }).eval();
    const result = lstm.loadStateDict(wholeModel(), { prefix: 'encoder.rnn.' });
    assert.deepEqual(result, { missingKeys: [], unexpectedKeys: [] });
    assertPyTorchOutputs(lstm, 'lstm_f32.safetensors', 'loadStateDict with prefix');
  });

  it('LSTM.fromStateDict(sd, { prefix: "encoder.rnn." }) infers the LSTM and loads it', () => {
    const lstm = LSTM.fromStateDict(wholeModel(), { prefix: 'encoder.rnn.' }).eval();
    assert.deepEqual(architectureOf(lstm), { ...fixtureArchitecture(), dropout: 0 });
    assertPyTorchOutputs(lstm, 'lstm_f32.safetensors', 'fromStateDict with prefix');
  });

  it('works the same on the model saved and loaded as one safetensors file', () => {
    const lstm = LSTM.fromStateDict(safetensors.load(safetensors.save(wholeModel())), { prefix: 'encoder.rnn.' });
    assertPyTorchOutputs(lstm.eval(), 'lstm_f32.safetensors', 'through safetensors');
  });

  it('loads each module of an encoder-decoder model by its own prefix', () => {
    manualSeed(7);
    const encoder = new GRU(6, 5, { numLayers: 2, bidirectional: true });
    const decoder = new LSTMCell(10, 5, { bias: false });
    const checkpoint = { 'embedding.weight': randn([20, 6]) };
    for (const [name, t] of Object.entries(encoder.stateDict())) checkpoint[`encoder.${name}`] = t;
    for (const [name, t] of Object.entries(decoder.stateDict())) checkpoint[`decoder.${name}`] = t;

    const loadedEncoder = GRU.fromStateDict(checkpoint, { prefix: 'encoder.' });
    const loadedDecoder = LSTMCell.fromStateDict(checkpoint, { prefix: 'decoder.' });
    assert.deepEqual(architectureOf(loadedEncoder), architectureOf(encoder));
    assert.deepEqual(architectureOf(loadedDecoder), architectureOf(decoder));
    assert.deepEqual(runModule(loadedEncoder, 'GRU', 1), runModule(encoder, 'GRU', 1));
    assert.deepEqual(runModule(loadedDecoder, 'LSTMCell', 2), runModule(decoder, 'LSTMCell', 2));
  });

  it('without the prefix, the error says which prefix to pass', () => {
    throwsExactly(
      () => LSTM.fromStateDict(wholeModel()),
      'Error',
      'LSTM.fromStateDict: no "weight_ih_l0" in the state dict — is this an LSTM checkpoint? ' +
        'Found "encoder.rnn.weight_ih_l0": pass { prefix: "encoder.rnn." }.',
    );
    throwsExactly(
      () => LSTM.fromStateDict(wholeModel(), { prefix: 'encoder.' }),
      'Error',
      'LSTM.fromStateDict: no "weight_ih_l0" under prefix "encoder." — is this an LSTM checkpoint? ' +
        'Found "encoder.rnn.weight_ih_l0": pass { prefix: "encoder.rnn." }.',
    );
  });

  it('with several candidates, the error lists them', () => {
    const checkpoint = {};
    for (const owner of ['encoder', 'decoder']) {
      for (const [name, t] of Object.entries(new GRU(2, 3).stateDict())) checkpoint[`${owner}.${name}`] = t;
    }
    throwsExactly(
      () => GRU.fromStateDict(checkpoint),
      'Error',
      'GRU.fromStateDict: no "weight_ih_l0" in the state dict — is this a GRU checkpoint? ' +
        'Found "encoder.weight_ih_l0", "decoder.weight_ih_l0": pass the prefix of the one to load, ' +
        'e.g. { prefix: "encoder." }.',
    );
  });

  it('a stray key under the prefix is refused as loadStateDict refuses it', () => {
    const checkpoint = { ...wholeModel(), 'encoder.rnn.extra': zeros([1]) };
    throwsExactly(
      () => LSTM.fromStateDict(checkpoint, { prefix: 'encoder.rnn.' }),
      'Error',
      'Error(s) in loading state_dict for LSTM:\n\tUnexpected key(s) in state_dict: "encoder.rnn.extra". ',
    );
  });
});

// ---- round trips ----

/** Every module kind x bidirectional x projSize (LSTM) x bias x layers, and the cells x bias. */
function roundTripCases() {
  const cases = [];
  for (const kind of ['RNN', 'LSTM', 'GRU']) {
    for (const bidirectional of [false, true]) {
      for (const projSize of kind === 'LSTM' ? [0, 2] : [0]) {
        for (const bias of [true, false]) {
          for (const numLayers of [1, 3]) {
            const options = { numLayers, bidirectional, bias, ...(kind === 'LSTM' ? { projSize } : {}) };
            cases.push({ kind, options, name: `${kind} ${JSON.stringify(options)}` });
          }
        }
      }
    }
  }
  for (const kind of ['RNNCell', 'LSTMCell', 'GRUCell']) {
    for (const bias of [true, false]) cases.push({ kind, options: { bias }, name: `${kind} ${JSON.stringify({ bias })}` });
  }
  return cases;
}

describe('checkpoints: fromStateDict(module.stateDict()) round trip', () => {
  const cases = roundTripCases();

  it('covers every kind and combination', () => {
    assert.equal(cases.length, 8 + 16 + 8 + 6); // RNN, LSTM (x projSize), GRU, cells x bias
  });

  cases.forEach(({ kind, options, name }, index) => {
    it(`${name}: inferred options and outputs are identical`, () => {
      manualSeed(100 + index);
      const source = new CLASSES[kind](5, 4, options).eval();
      const loaded = CLASSES[kind].fromStateDict(source.stateDict()).eval();
      assert.ok(loaded instanceof CLASSES[kind]);
      assert.deepEqual(architectureOf(loaded), architectureOf(source));
      assert.deepEqual(
        loaded.namedParameters().map(([n, t]) => [n, [...t.shape], [...t.data]]),
        source.namedParameters().map(([n, t]) => [n, [...t.shape], [...t.data]]),
      );
      assert.deepEqual(runModule(loaded, kind, index), runModule(source, kind, index));
    });
  });

  it('accepts nested arrays as values, and leaves the caller\'s state dict as it was', () => {
    manualSeed(3);
    const source = new LSTM(3, 5, { numLayers: 2, projSize: 2, bidirectional: true });
    const nested = Object.fromEntries(Object.entries(source.stateDict()).map(([n, t]) => [n, t.toArray()]));
    const loaded = LSTM.fromStateDict(nested);
    assert.deepEqual(architectureOf(loaded), architectureOf(source));
    assert.deepEqual(runModule(loaded, 'LSTM', 4), runModule(source, 'LSTM', 4));
    assert.ok(Object.values(nested).every(Array.isArray));
  });

  it('applies nonlinearity, batchFirst and dropout, which weights cannot tell', () => {
    manualSeed(5);
    const source = new RNN(3, 4, { numLayers: 2, nonlinearity: 'relu', batchFirst: true, dropout: 0.25 }).eval();
    const sd = source.stateDict();
    const loaded = RNN.fromStateDict(sd, { nonlinearity: 'relu', batchFirst: true, dropout: 0.25 }).eval();
    assert.deepEqual(architectureOf(loaded), architectureOf(source));
    assert.deepEqual(runModule(loaded, 'RNN', 6), runModule(source, 'RNN', 6));
    const tanh = RNN.fromStateDict(sd, { batchFirst: true }).eval();
    assert.equal(tanh.nonlinearity, 'tanh');
    assert.notDeepEqual(runModule(tanh, 'RNN', 6), runModule(source, 'RNN', 6));

    const cell = new RNNCell(3, 4, { nonlinearity: 'relu' });
    const loadedCell = RNNCell.fromStateDict(cell.stateDict(), { nonlinearity: 'relu' });
    assert.equal(loadedCell.nonlinearity, 'relu');
    assert.deepEqual(runModule(loadedCell, 'RNNCell', 7), runModule(cell, 'RNNCell', 7));
  });

  it('returns a module in training mode, like any new module', () => {
    assert.equal(GRU.fromStateDict(new GRU(2, 3).eval().stateDict()).training, true);
  });
});

describe('checkpoints: safetensors.save -> load -> fromStateDict', () => {
  const cases = [
    ['LSTM', { numLayers: 2, bidirectional: true, projSize: 3, batchFirst: true }],
    ['GRU', { numLayers: 3, bias: false }],
    ['RNN', { bidirectional: true, nonlinearity: 'relu' }],
    ['LSTMCell', {}],
    ['GRUCell', { bias: false }],
    ['RNNCell', { nonlinearity: 'relu' }],
  ];
  cases.forEach(([kind, options], index) => {
    it(`${kind} ${JSON.stringify(options)}: identical outputs after a trip through safetensors bytes`, () => {
      manualSeed(200 + index);
      const source = new CLASSES[kind](6, 5, options).eval();
      const bytes = safetensors.save(source.stateDict(), { format: 'pt' });
      const { numLayers, bidirectional, projSize, bias, ...notInferred } = options;
      const loaded = CLASSES[kind].fromStateDict(safetensors.load(bytes), notInferred).eval();
      assert.deepEqual(architectureOf(loaded), architectureOf(source));
      assert.deepEqual(runModule(loaded, kind, index), runModule(source, kind, index));
    });
  });

  it('saveFile -> loadFile -> fromStateDict gives identical outputs', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-blas-checkpoints-'));
    try {
      manualSeed(9);
      const source = new LSTM(4, 6, { numLayers: 2, projSize: 2 }).eval();
      const file = path.join(dir, 'lstm.safetensors');
      safetensors.saveFile(source.stateDict(), file);
      const loaded = LSTM.fromStateDict(safetensors.loadFile(file)).eval();
      assert.deepEqual(architectureOf(loaded), architectureOf(source));
      assert.deepEqual(runModule(loaded, 'LSTM', 10), runModule(source, 'LSTM', 10));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---- inconsistent checkpoints ----

describe('checkpoints: inconsistent checkpoints are refused, naming the key and the shapes', () => {
  it('no weight_ih_l0 under the prefix', () => {
    throwsExactly(
      () => LSTM.fromStateDict({ 'encoder.weight': zeros([4, 4]) }, { prefix: 'encoder.' }),
      'Error',
      'LSTM.fromStateDict: no "weight_ih_l0" under prefix "encoder." — is this an LSTM checkpoint?',
    );
    throwsExactly(
      () => RNN.fromStateDict({}),
      'Error',
      'RNN.fromStateDict: no "weight_ih_l0" in the state dict — is this an RNN checkpoint?',
    );
  });

  it('a cell\'s checkpoint given to a module, and a module\'s given to a cell', () => {
    throwsExactly(
      () => GRU.fromStateDict(new GRUCell(2, 3).stateDict()),
      'Error',
      'GRU.fromStateDict: no "weight_ih_l0" in the state dict — is this a GRU checkpoint? ' +
        'It has "weight_ih", as a cell does: use GRUCell.fromStateDict.',
    );
    throwsExactly(
      () => LSTMCell.fromStateDict(fixtureWeights()),
      'Error',
      'LSTMCell.fromStateDict: no "weight_ih" in the state dict — is this an LSTMCell checkpoint? ' +
        'It has "weight_ih_l0", as an LSTM does: use LSTM.fromStateDict.',
    );
  });

  it('weight_ih_l0 rows not divisible by the gate count', () => {
    throwsExactly(
      () => GRU.fromStateDict(fixtureWeights()),
      'RangeError',
      'GRU.fromStateDict: "weight_ih_l0" should be (3*hidden_size, input_size) with gates r|z|n, ' +
        'but its shape [16, 3] has 16 rows, not a multiple of 3',
    );
    throwsExactly(
      () => LSTMCell.fromStateDict({ 'cell.weight_ih': zeros([10, 3]) }, { prefix: 'cell.' }),
      'RangeError',
      'LSTMCell.fromStateDict: "cell.weight_ih" should be (4*hidden_size, input_size) with gates i|f|g|o, ' +
        'but its shape [10, 3] has 10 rows, not a multiple of 4',
    );
  });

  it('weight_ih_l0 that is not a matrix, or has no rows', () => {
    throwsExactly(
      () => LSTM.fromStateDict({ weight_ih_l0: zeros([16]) }),
      'RangeError',
      'LSTM.fromStateDict: "weight_ih_l0" should be 2-D, (4*hidden_size, input_size) with gates i|f|g|o, got shape [16]',
    );
    throwsExactly(
      () => RNN.fromStateDict({ weight_ih_l0: zeros([0, 3]) }),
      'RangeError',
      'RNN.fromStateDict: "weight_ih_l0" should be (hidden_size, input_size), but its shape [0, 3] has no rows: ' +
        'hidden_size must be greater than zero',
    );
  });

  it('layers with a gap', () => {
    const sd = withoutKeys(new RNN(2, 3, 3).stateDict(), 'weight_ih_l1', 'weight_hh_l1', 'bias_ih_l1', 'bias_hh_l1');
    throwsExactly(
      () => RNN.fromStateDict(sd),
      'Error',
      'RNN.fromStateDict: "weight_ih_l2" is present but "weight_ih_l1" is not: layers are numbered from 0 without gaps',
    );
  });

  it('weight_hh_l1 whose shape disagrees with the hidden size of weight_ih_l0', () => {
    const sd = { ...fixtureWeights(), weight_hh_l1: zeros([16, 3]) };
    throwsExactly(
      () => LSTM.fromStateDict(sd),
      'RangeError',
      'LSTM.fromStateDict: "weight_hh_l1" has shape [16, 3], but it should be [16, 4]: ' +
        '"weight_ih_l0" [16, 3] gives input_size 3 and hidden_size 4; the "_reverse" keys make it bidirectional',
    );
  });

  it('a later layer\'s input weight that does not take the previous layer\'s output', () => {
    const sd = { ...new LSTM(3, 5, { numLayers: 2, projSize: 2 }).stateDict(), weight_ih_l1: zeros([20, 5]) };
    throwsExactly(
      () => LSTM.fromStateDict(sd),
      'RangeError',
      'LSTM.fromStateDict: "weight_ih_l1" has shape [20, 5], but it should be [20, 2]: ' +
        '"weight_ih_l0" [20, 3] gives input_size 3 and hidden_size 5; "weight_hr_l0" [2, 5] gives proj_size 2',
    );
  });

  it('bias in one layer only', () => {
    const sd = withoutKeys(new GRU(2, 3, 2).stateDict(), 'bias_ih_l1', 'bias_hh_l1');
    throwsExactly(
      () => GRU.fromStateDict(sd),
      'Error',
      'GRU.fromStateDict: "bias_ih_l0" is present but "bias_ih_l1" is not: ' +
        'bias_ih and bias_hh are in every layer and direction (bias=True) or in none (bias=False)',
    );
  });

  it('a cell with bias_ih but no bias_hh', () => {
    throwsExactly(
      () => RNNCell.fromStateDict(withoutKeys(new RNNCell(2, 3).stateDict(), 'bias_hh')),
      'Error',
      'RNNCell.fromStateDict: "bias_ih" is present but "bias_hh" is not: ' +
        'a cell has both bias_ih and bias_hh (bias=True) or neither (bias=False)',
    );
  });

  it('a reverse direction in one layer only', () => {
    const sd = withoutKeys(
      new LSTM(2, 3, { numLayers: 2, bidirectional: true, bias: false }).stateDict(),
      'weight_ih_l1_reverse',
      'weight_hh_l1_reverse',
    );
    throwsExactly(
      () => LSTM.fromStateDict(sd),
      'Error',
      'LSTM.fromStateDict: "weight_ih_l0_reverse" is present but "weight_ih_l1_reverse" is not: ' +
        'a bidirectional LSTM has a "_reverse" direction in every layer',
    );
  });

  it('a projection in one layer only, or one as wide as the hidden state', () => {
    const sd = new LSTM(2, 4, { numLayers: 2, projSize: 2 }).stateDict();
    throwsExactly(
      () => LSTM.fromStateDict(withoutKeys(sd, 'weight_hr_l1')),
      'Error',
      'LSTM.fromStateDict: "weight_hr_l0" is present but "weight_hr_l1" is not: ' +
        'an LSTM with proj_size > 0 has weight_hr in every layer and direction',
    );
    throwsExactly(
      () => LSTM.fromStateDict({ ...new LSTM(2, 4).stateDict(), weight_hr_l0: zeros([4, 4]) }),
      'RangeError',
      'LSTM.fromStateDict: "weight_hr_l0" should be (proj_size, hidden_size) = (proj_size, 4) with ' +
        '0 < proj_size < 4, got shape [4, 4]: "weight_ih_l0" [16, 2] gives input_size 2 and hidden_size 4',
    );
  });

  it('a checkpoint of another kind, when the shapes show it', () => {
    throwsExactly(
      () => RNN.fromStateDict(fixtureWeights()),
      'RangeError',
      'RNN.fromStateDict: "weight_hh_l0" has shape [16, 4], but it should be [16, 16]: ' +
        '"weight_ih_l0" [16, 3] gives input_size 3 and hidden_size 16; the "_reverse" keys make it bidirectional ' +
        '(its shape fits an LSTM: use LSTM.fromStateDict)',
    );
    throwsExactly(
      () => RNNCell.fromStateDict(new GRUCell(2, 3).stateDict()),
      'RangeError',
      'RNNCell.fromStateDict: "weight_hh" has shape [9, 3], but it should be [9, 9]: ' +
        '"weight_ih" [9, 2] gives input_size 2 and hidden_size 9 (its shape fits a GRUCell: use GRUCell.fromStateDict)',
    );
  });

  it('a required key missing is reported as loadStateDict reports it', () => {
    throwsExactly(
      () => LSTM.fromStateDict(withoutKeys(fixtureWeights(), 'weight_hh_l1')),
      'Error',
      'Error(s) in loading state_dict for LSTM:\n\tMissing key(s) in state_dict: "weight_hh_l1". ',
    );
  });

  it('bad arguments: the state dict, a value, the options', () => {
    throwsExactly(() => LSTM.fromStateDict([]), 'TypeError', 'Expected state_dict to be dict-like, got list. (JavaScript: an array)');
    throwsExactly(() => LSTM.fromStateDict(new Map([[1, zeros([1])]])), 'TypeError', 'state_dict keys must be strings, got int (JavaScript: a number)');
    throwsExactly(
      () => LSTM.fromStateDict({ weight_ih_l0: 'weights' }),
      'TypeError',
      'state_dict["weight_ih_l0"] must be a Tensor or nested arrays of numbers, got string',
    );
    throwsExactly(
      () => GRUCell.fromStateDict(new GRUCell(2, 3).stateDict(), 'cell.'),
      'TypeError',
      'GRUCell.fromStateDict: options must be an object, got str',
    );
    throwsExactly(
      () => LSTM.fromStateDict(fixtureWeights(), { numLayers: 2 }),
      'TypeError',
      "LSTM.fromStateDict: unexpected option 'numLayers': inputSize, hiddenSize, numLayers, bidirectional, " +
        'projSize and bias come from the weights (options: prefix, batchFirst, dropout)',
    );
    throwsExactly(
      () => LSTMCell.fromStateDict(new LSTMCell(2, 3).stateDict(), { strict: false }),
      'TypeError',
      "LSTMCell.fromStateDict: unexpected option 'strict': inputSize, hiddenSize and bias come from the weights " +
        '(options: prefix)',
    );
    throwsExactly(
      () => LSTM.fromStateDict(fixtureWeights(), { prefix: 1 }),
      'TypeError',
      'prefix should be of type str, got: int (JavaScript: a number)',
    );
  });

  it('options are checked by the constructor, in torch\'s words', () => {
    throwsExactly(
      () => RNN.fromStateDict(new RNN(2, 3).stateDict(), { nonlinearity: 'sigmoid' }),
      'RangeError',
      "Unknown nonlinearity 'sigmoid'. Select from 'tanh' or 'relu'.",
    );
    throwsExactly(
      () => LSTM.fromStateDict(fixtureWeights(), { dropout: 2 }),
      'RangeError',
      'dropout should be a number in range [0, 1] representing the probability of an element being zeroed',
    );
    throwsExactly(
      () => GRU.fromStateDict(new GRU(2, 3).stateDict(), { batchFirst: 'yes' }),
      'TypeError',
      'batch_first should be of type bool, got: str (JavaScript: batchFirst, a string)',
    );
  });
});
