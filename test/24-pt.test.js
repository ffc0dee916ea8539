'use strict';
// pt: torch.save files (zip, legacy, TorchScript) read exactly as torch.load reads them,
// and hostile or damaged files refused with their own Error, running nothing.
// Fixtures: scripts/fixtures/make_pt_fixtures.py (test/fixtures/pt/).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pt, safetensors, LSTM, Tensor, tensor } = require('../lib');
const { assertTensorClose } = require('./support/numeric');
const { archiveOf, pickleOf, op, tensorDictPickle, zipOf } = require('./support/pt-files');

const DIR = path.join(__dirname, 'fixtures', 'pt');
const expected = JSON.parse(fs.readFileSync(path.join(DIR, 'pt_expected.json'), 'utf8'));
const fixture = (name) => path.join(DIR, name);
const ARRAYS = {
  float32: Float32Array, float64: Float64Array, int64: BigInt64Array, int32: Int32Array,
  int16: Int16Array, int8: Int8Array, uint8: Uint8Array, bool: Uint8Array,
};

function decode(value, dtype) {
  if (dtype === 'int64') return BigInt(value);
  if (dtype === 'bool') return value ? 1 : 0;
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return value;
}

/** Exact: dtype, shape, and every element (float32 values round-trip through repr). */
function assertTensorIs(actual, want, label) {
  assert.ok(actual instanceof Tensor, `${label}: a Tensor`);
  assert.equal(actual.dtype, want.dtype, `${label}: dtype`);
  assert.deepEqual([...actual.shape], want.shape, `${label}: shape`);
  assert.ok(actual.data instanceof ARRAYS[want.dtype], `${label}: array type`);
  const values = ARRAYS[want.dtype].from(want.data.map((v) => decode(v, want.dtype)));
  assert.equal(actual.data.length, values.length, `${label}: length`);
  for (let i = 0; i < values.length; i++) {
    if (!Object.is(actual.data[i], values[i])) assert.fail(`${label}[${i}]: got ${actual.data[i]}, torch ${values[i]}`);
  }
}

function assertStateDictIs(actual, want, label) {
  assert.deepEqual(Object.keys(actual), Object.keys(want), `${label}: names, in file order`);
  for (const [name, tensorWant] of Object.entries(want)) assertTensorIs(actual[name], tensorWant, `${label} ${name}`);
}

function ptError(message) {
  return { name: 'Error', message: message instanceof RegExp ? message : `pt: ${message}` };
}

describe('pt: loading what torch.save writes', () => {
  const flat = ['lstm_state_dict.pt', 'lstm_state_dict_legacy.pt', 'my.model.v2.pth', 'lstm_deflated.pt',
    'model_state_dict.pt', 'views.pt', 'dtypes.pt', 'dtypes_legacy.pt'];
  for (const name of flat) {
    it(`${name}: every tensor in its dtype, shape and values, as torch ${expected.torch} reads it`, () => {
      assertStateDictIs(pt.loadFile(fixture(name)), expected.files[name].tensors, name);
    });
  }

  it('reads the same from bytes at any byte offset as from the path', () => {
    for (const name of ['lstm_state_dict.pt', 'lstm_state_dict_legacy.pt', 'dtypes.pt']) {
      const bytes = fs.readFileSync(fixture(name));
      for (const shift of [0, 1, 3, 7]) {
        const backing = new Uint8Array(bytes.length + 16);
        backing.set(bytes, shift);
        const view = backing.subarray(shift, shift + bytes.length);
        assertStateDictIs(pt.load(view), expected.files[name].tensors, `${name} +${shift}`);
      }
    }
  });

  it('tensors never alias the file bytes', () => {
    const bytes = new Uint8Array(fs.readFileSync(fixture('lstm_state_dict.pt')));
    const loaded = pt.load(bytes);
    const before = loaded.weight_ih_l0.data.slice();
    bytes.fill(0);
    assert.deepEqual(loaded.weight_ih_l0.data, before);
  });

  it('TorchScript: the module\'s parameters and buffers under their state_dict() names', () => {
    const want = expected.files['scripted.pt'].tensors;
    const loaded = pt.loadFile(fixture('scripted.pt'));
    assert.deepEqual(Object.keys(loaded).sort(), Object.keys(want).sort());
    for (const [name, tensorWant] of Object.entries(want)) assertTensorIs(loaded[name], tensorWant, name);
    assert.equal(loaded['norm.num_batches_tracked'].dtype, 'int64');
  });

  it('TorchScript: a plain tensor attribute is no key (the classes\' __parameters__ and __buffers__ say); a shared Linear under both names', () => {
    const want = expected.files['scripted_attributes.pt'].tensors;
    const loaded = pt.loadFile(fixture('scripted_attributes.pt'));
    assert.deepEqual(Object.keys(loaded), Object.keys(want));
    for (const [name, tensorWant] of Object.entries(want)) assertTensorIs(loaded[name], tensorWant, name);
    assert.equal(pt.loadObject(fixture('scripted_attributes.pt')).scale.shape[0], 3, 'loadObject still has the attribute');
  });

  it('TorchScript: loadObject gives the module\'s attributes, submodules as objects', () => {
    const module = pt.loadObject(fixture('scripted.pt'));
    assert.equal(module.training, false);
    assert.equal(module.encoder.training, false);
    assertTensorIs(module.encoder.weight_ih_l0, expected.files['scripted.pt'].tensors['encoder.weight_ih_l0'], 'encoder.weight_ih_l0');
    assert.equal(module.head.weight.dtype, 'float32');
  });

  it('LSTM.fromStateDict(pt.loadFile(\'model.pt\'), { prefix: \'encoder.\' }) computes what torch computes', () => {
    const encoder = LSTM.fromStateDict(pt.loadFile(fixture('model_state_dict.pt')), { prefix: 'encoder.' }).eval();
    assert.deepEqual([encoder.inputSize, encoder.hiddenSize, encoder.numLayers, encoder.bidirectional], [3, 4, 2, true]);
    const want = expected.encoder_forward;
    const input = new Tensor(Float32Array.from(want.input.data), want.input.shape);
    const [output, [hN, cN]] = encoder.forward(input);
    assertTensorClose(output, want.output, 'output');
    assertTensorClose(hN, want.h_n, 'h_n');
    assertTensorClose(cN, want.c_n, 'c_n');
  });

  it('the int64 buffer beside the weights loads as int64; loadStateDict converts it for a float parameter', () => {
    const sd = pt.loadFile(fixture('model_state_dict.pt'));
    assert.equal(sd['norm.num_batches_tracked'].dtype, 'int64');
    assert.equal(sd['norm.num_batches_tracked'].toArray(), 2n);
    const lstm = LSTM.fromStateDict(sd, { prefix: 'encoder.' });
    const ids = tensor(Array.from({ length: 16 }, (_, i) => i), { dtype: 'int64' });
    lstm.loadStateDict({ ...lstm.stateDict(), bias_hh_l0: ids });
    assert.deepEqual([...lstm.stateDict().bias_hh_l0.data], Array.from({ length: 16 }, (_, i) => i));
  });
});

describe('pt: byte orders, tied weights and tensor kinds rnn-blas does not hold', () => {
  it('a legacy file whose sys_info says big-endian loads (torch ignores it: storages are little-endian)', () => {
    const name = 'legacy_big_endian_sysinfo.pt';
    assertStateDictIs(pt.loadFile(fixture(name)), expected.files[name].tensors, name);
  });

  it("a zip with torch 2.1's byteorder record 'big' has its storages swapped, as torch's _load does", () => {
    const name = 'big_endian.pt';
    assertStateDictIs(pt.loadFile(fixture(name)), expected.files[name].tensors, name);
    assertStateDictIs(pt.load(fs.readFileSync(fixture(name))), expected.files[name].tensors, name);
  });

  it('an embedding tied to 300 heads: 301 names of one view, one Tensor, within the load budget', () => {
    const { keys, weight } = expected.files['tied.pt'];
    const sd = pt.loadFile(fixture('tied.pt'));
    assert.deepEqual(Object.keys(sd), keys);
    assertTensorIs(sd['emb.weight'], weight, 'emb.weight');
    for (const key of keys) assert.equal(sd[key], sd['emb.weight'], key);
  });

  it('complex, sparse, meta and quantized tensors: the kind is named, not called unsafe', () => {
    const advice = {
      'complex.pt': 'complex tensors, which rnn-blas does not hold (its dtypes are real): save t.real and t.imag, or t.abs(), instead (GLOBAL torch.ComplexFloatStorage',
      'sparse.pt': 'sparse tensors, which rnn-blas does not hold: save t.to_dense() instead (GLOBAL torch._utils._rebuild_sparse_tensor',
      'meta.pt': "meta tensors (shapes without data, from device='meta'), which hold no values to load (GLOBAL torch._utils._rebuild_meta_tensor_no_storage",
      'quantized.pt': 'quantized tensors, which rnn-blas does not hold: save t.dequantize() instead (GLOBAL torch._utils._rebuild_qtensor',
    };
    assert.deepEqual(Object.keys(advice), Object.keys(expected.unsupported));
    for (const [name, text] of Object.entries(advice)) {
      const message = `pt: the file holds ${text}; torch.load(weights_only=True) reads it, rnn-blas does not)`;
      assert.throws(() => pt.loadFile(fixture(`unsupported/${name}`)), { name: 'Error', message }, name);
      assert.throws(() => pt.loadObject(fixture(`unsupported/${name}`)), { name: 'Error', message }, name);
    }
  });

  it('a TorchScript tree sharing one submodule twice at each of 40 levels is refused at once (2^40 names)', () => {
    const pieces = [op.PROTO2];
    for (let level = 0; level < 40; level++) {
      pieces.push(op.global('__torch__', 'M'), op.EMPTY_TUPLE, NEWOBJ, op.EMPTY_DICT, op.MARK);
      if (level === 0) pieces.push(op.str('x'), op.int(1));
      else pieces.push(op.str('a'), longBinget(level - 1), op.str('b'), longBinget(level - 1));
      pieces.push(op.SETITEMS, op.BUILD, longBinput(level), POP);
    }
    pieces.push(longBinget(39), op.STOP);
    const bytes = zipOf([
      ['archive/data.pkl', pickleOf(...pieces)], ['archive/constants.pkl', pickleOf(op.PROTO2, op.EMPTY_TUPLE, op.STOP)],
      ['archive/version', Buffer.from('3\n')],
    ]);
    const started = Date.now();
    assert.throws(() => pt.load(bytes), ptError('the TorchScript module tree names more than 100000 submodules (submodules shared at every level?)'));
    assert.ok(Date.now() - started < 5000, 'refused without walking the tree');
  });
});

const NEWOBJ = 0x81;
const POP = 0x30;
const longIndexOp = (code) => (index) => {
  const body = Buffer.alloc(4);
  body.writeUInt32LE(index);
  return [code, body];
};
const longBinput = longIndexOp(0x72);
const longBinget = longIndexOp(0x6a);

describe('pt: checkpoint dicts', () => {
  it('without a key, refuses naming the entries that hold state dicts', () => {
    assert.throws(
      () => pt.loadFile(fixture('checkpoint.pt')),
      ptError(
        'the file holds a dict of 13 entries ("epoch", "model_state_dict", "optimizer_state_dict", "loss", "note", ' +
          '"steps", "shape", "big", "negative", "flag", "nothing", "raw", ... (13 entries)), not a flat state dict of ' +
          'tensors; the entries holding state dicts are "model_state_dict": pass the one to load, ' +
          "pt.loadFile(path, { key: 'model_state_dict' })",
      ),
    );
  });

  it('{ key } picks the state dict', () => {
    const sd = pt.loadFile(fixture('checkpoint.pt'), { key: 'model_state_dict' });
    assertStateDictIs(sd, expected.files['checkpoint.pt'].model_state_dict, 'model_state_dict');
    const fromBytes = pt.load(fs.readFileSync(fixture('checkpoint.pt')), { key: 'model_state_dict' });
    assert.deepEqual(Object.keys(fromBytes), Object.keys(sd));
  });

  it('a key that is missing, or not a state dict, says so', () => {
    assert.throws(() => pt.loadFile(fixture('checkpoint.pt'), { key: 'model' }), ptError(
      'the file has no entry "model"; its entries are "epoch", "model_state_dict", "optimizer_state_dict", "loss", ' +
        '"note", "steps", "shape", "big", "negative", "flag", "nothing", "raw", ... (13 entries)',
    ));
    assert.throws(() => pt.loadFile(fixture('checkpoint.pt'), { key: 'optimizer_state_dict' }), ptError(
      'entry "optimizer_state_dict" is a dict, not a state dict (a dict of tensors by name); the entries holding state dicts are "model_state_dict"',
    ));
    assert.throws(() => pt.loadFile(fixture('lstm_state_dict.pt'), { key: 7 }), { name: 'TypeError', message: 'pt.loadFile: key must be a string, got number' });
  });

  it('loadObject gives the whole object', () => {
    const want = expected.files['checkpoint.pt'];
    const checkpoint = pt.loadObject(fixture('checkpoint.pt'));
    assert.equal(checkpoint.epoch, 3);
    assert.equal(checkpoint.loss, 0.25);
    assert.equal(checkpoint.note, 'trained on ünïcode');
    assert.deepEqual(checkpoint.steps, [1, 2, 3]);
    assert.deepEqual(checkpoint.shape, [2, 3]);
    assert.equal(checkpoint.big, 2n ** 60n);
    assert.equal(checkpoint.negative, -(2 ** 40));
    assert.equal(checkpoint.flag, true);
    assert.equal(checkpoint.nothing, null);
    assert.deepEqual(checkpoint.raw, Uint8Array.of(0, 1, 255));
    assertTensorIs(checkpoint.scale, want.scale, 'scale');
    assert.deepEqual(Object.keys(checkpoint.optimizer_state_dict), want.optimizer_keys);
    // Integer keys would be reordered by a plain object: the optimizer state is a Map.
    assert.ok(checkpoint.optimizer_state_dict.state instanceof Map);
    assert.deepEqual([...checkpoint.optimizer_state_dict.state.keys()], want.optimizer_state_keys);
    assert.equal(checkpoint.optimizer_state_dict.param_groups[0].lr, want.param_groups_lr);
    assert.ok(!('_metadata' in checkpoint.model_state_dict), 'the state dict\'s _metadata is an attribute, not an item');
    assertStateDictIs(checkpoint.model_state_dict, want.model_state_dict, 'model_state_dict');
    assert.deepEqual(Object.keys(pt.loadObject(fs.readFileSync(fixture('checkpoint.pt')))), Object.keys(checkpoint));
  });
});

describe('pt: files of the wrong kind', () => {
  it('a safetensors file names safetensors.loadFile, and the other way round', () => {
    const target = path.join(os.tmpdir(), `rnn-blas-pt-${process.pid}.safetensors`);
    fs.writeFileSync(target, safetensors.save({ w: tensor([1, 2]) }));
    try {
      assert.throws(() => pt.loadFile(target), ptError('this is a safetensors file, not one torch.save wrote: read it with safetensors.loadFile(path)'));
      assert.throws(() => pt.load(fs.readFileSync(target)), ptError('this is a safetensors file, not one torch.save wrote: read it with safetensors.load(bytes)'));
    } finally {
      fs.unlinkSync(target);
    }
    assert.throws(() => safetensors.loadFile(fixture('lstm_state_dict.pt')), {
      name: 'Error',
      message: 'safetensors: this is not a safetensors file but a zip archive, as torch.save writes (a .pt/.pth checkpoint or a TorchScript archive): read it with pt.loadFile(path)',
    });
    assert.throws(() => safetensors.loadFile(fixture('lstm_state_dict_legacy.pt')), {
      name: 'Error',
      message: 'safetensors: this is not a safetensors file but a Python pickle, as torch.save writes with _use_new_zipfile_serialization=False: read it with pt.loadFile(path)',
    });
  });

  it('anything else is not a torch.save file', () => {
    assert.throws(() => pt.load(Buffer.from('hello world')), ptError('this is not a file torch.save writes (neither a zip archive nor a pickle)'));
    assert.throws(() => pt.load(new Uint8Array(0)), ptError('this is not a file torch.save writes (neither a zip archive nor a pickle)'));
    assert.throws(() => pt.load('model.pt'), { name: 'TypeError', message: 'pt.load: bytes must be a Uint8Array, got string' });
  });
});

describe('pt: hostile files are refused and nothing in them runs', () => {
  const marker = expected.payload_marker;
  const unsupported = (name) => `Unsupported global: GLOBAL ${name} was not an allowed global by default.`;
  const plainData = ' rnn-blas loads only what torch.load(weights_only=True) loads (tensors, numbers, strings and containers), and runs nothing from the file.';
  const moduleHint = (cls) => ` The file holds a pickled module (${cls}), written by torch.save(model), which only Python with its source can rebuild: save its state_dict() instead, torch.save(model.state_dict(), 'model.pt'), and load that.`;
  const cases = {
    'os_system.pt': unsupported('posix.system') + plainData,
    'os_system_legacy.pt': unsupported('posix.system') + plainData,
    'stack_global.pt': unsupported('posix.system') + plainData,
    'builtins_eval.pt': unsupported('builtins.eval') + plainData,
    'builtins_exec.pt': unsupported('builtins.exec') + plainData,
    'subprocess_popen.pt': unsupported('subprocess.Popen') + plainData,
    'build_on_global.pt': unsupported('os.system') + plainData,
    'pickled_lstm.pt': unsupported('torch.nn.modules.rnn.LSTM') + moduleHint('torch.nn.modules.rnn.LSTM'),
    'pickled_classifier.pt': unsupported('__main__.Classifier') + moduleHint('__main__.Classifier'),
    'not_a_pickle.pt': '"not_a_pickle/data.pkl" is not a pickle (it does not begin with the PROTO opcode); the archive is damaged or torch.save did not write it',
  };

  before(() => fs.rmSync(marker, { force: true }));

  it('covers every hostile fixture', () => {
    assert.deepEqual(Object.keys(cases).sort(), Object.keys(expected.hostile).sort());
  });

  for (const [name, message] of Object.entries(cases)) {
    it(`${name}: ${message.slice(0, 60)}...`, () => {
      assert.throws(() => pt.loadFile(fixture(`hostile/${name}`)), ptError(message));
      assert.throws(() => pt.loadObject(fixture(`hostile/${name}`)), ptError(message));
      assert.throws(() => pt.load(fs.readFileSync(fixture(`hostile/${name}`))), ptError(message));
    });
  }

  it('no payload ever ran: the marker file every payload would create does not exist', () => {
    for (const name of Object.keys(cases)) assert.throws(() => pt.loadFile(fixture(`hostile/${name}`)));
    assert.equal(fs.existsSync(marker), false, `${marker} exists: a payload ran`);
  });
});

describe('pt: damaged and hostile structures, each with its own Error', () => {
  const floats = new Uint8Array(Float32Array.of(1, 2, 3, 4, 5, 6).buffer);
  const good = () => archiveOf(tensorDictPickle({ numel: 6, size: [2, 3], stride: [3, 1] }), { 0: floats });

  it('a hand-made archive loads (the baseline of the cases below)', () => {
    const loaded = pt.load(good());
    assert.deepEqual(loaded.w.toArray(), [[1, 2, 3], [4, 5, 6]]);
    const transposed = pt.load(archiveOf(tensorDictPickle({ numel: 6, size: [3, 2], stride: [1, 3] }), { 0: floats }));
    assert.deepEqual(transposed.w.toArray(), [[1, 4], [2, 5], [3, 6]]);
    // torch's expand (stride 0), as torch.load reads it: more elements than the storage holds.
    const expanded = pt.load(archiveOf(tensorDictPickle({ numel: 6, size: [2, 2, 3], stride: [0, 3, 1] }), { 0: floats }));
    assert.deepEqual(expanded.w.toArray(), [[[1, 2, 3], [4, 5, 6]], [[1, 2, 3], [4, 5, 6]]]);
  });

  it('offsets, sizes and strides past the storage', () => {
    const cases = [
      [{ numel: 6, offset: 1, size: [2, 3], stride: [3, 1] }, 'tensor "w" (size [2, 3], stride [3, 1] at storage_offset 1) reaches element 6 of its storage, which holds 6'],
      [{ numel: 6, size: [2, 3], stride: [4, 1] }, 'tensor "w" (size [2, 3], stride [4, 1] at storage_offset 0) reaches element 6 of its storage, which holds 6'],
      // Expanded past any budget: refused before anything is allocated.
      [{ numel: 6, size: [2 ** 30, 2 ** 30], stride: [0, 0] }, 'tensor "w" would bring the tensors of this file to 4611686018427387904 bytes, more than 4 times the 24 bytes of storage they view (plus 67108864): the file names the same data over and over'],
      [{ numel: 6, size: [-1], stride: [1] }, 'tensor "w" has a negative size -1 in dimension 0'],
      [{ numel: 6, size: [2], stride: [-1] }, 'tensor "w" has a negative stride -1 in dimension 0'],
      [{ numel: 6, offset: 2 ** 31 - 1, size: [1], stride: [1] }, 'tensor "w" (size [1], stride [1] at storage_offset 2147483647) reaches element 2147483647 of its storage, which holds 6'],
    ];
    for (const [spec, message] of cases) {
      assert.throws(() => pt.load(archiveOf(tensorDictPickle(spec), { 0: floats })), ptError(message), JSON.stringify(spec));
    }
  });

  it('a storage whose record does not hold its declared elements, or is missing', () => {
    assert.throws(
      () => pt.load(archiveOf(tensorDictPickle({ numel: 2 ** 31 - 1, size: [2], stride: [1] }), { 0: floats })),
      ptError('record "archive/data/0" holds 24 bytes, but the pickle declares 2147483647 elements of F32 (8589934588 bytes)'),
    );
    assert.throws(
      () => pt.load(archiveOf(tensorDictPickle({ numel: 6, size: [6], stride: [1], key: '1' }), { 0: floats })),
      ptError('storage "1" has no record "archive/data/1" in the archive'),
    );
    assert.throws(
      () => pt.load(archiveOf(tensorDictPickle({ numel: 6, size: [6], stride: [1], storageType: 'ComplexFloatStorage' }), { 0: floats })),
      ptError(/^pt: the file holds complex tensors, .* \(GLOBAL torch\.ComplexFloatStorage; /),
    );
  });

  it('views of one storage are refused before they cost more memory than the file; the same view again costs nothing', () => {
    const numel = 2 ** 20; // a 4 MiB storage
    const entry = (name, offset) => [
      op.str(name), op.global('torch._utils', '_rebuild_tensor_v2'), op.MARK,
      op.MARK, op.str('storage'), op.global('torch', 'FloatStorage'), op.str('0'), op.str('cpu'), op.int(numel), op.TUPLE,
      op.BINPERSID, op.int(offset), op.MARK, op.int(numel - offset), op.TUPLE, op.MARK, op.int(1), op.TUPLE, op.NEWFALSE,
      op.global('collections', 'OrderedDict'), op.EMPTY_TUPLE, op.REDUCE, op.TUPLE, op.REDUCE, op.SETITEM,
    ];
    const names = Array.from({ length: 100 }, (_, i) => `view${i}`);
    const fileOf = (offsetOf) => archiveOf(
      pickleOf(op.PROTO2, op.global('collections', 'OrderedDict'), op.EMPTY_TUPLE, op.REDUCE,
        names.map((name, i) => entry(name, offsetOf(i))), op.STOP),
      { 0: new Uint8Array(numel * 4) },
    );
    // Each view one element shorter than the one before: each is a copy of its own.
    assert.throws(() => pt.load(fileOf((i) => i)), ptError(
      'tensor "view20" would bring the tensors of this file to 88079544 bytes, more than 4 times the 4194304 bytes of ' +
        'storage they view (plus 67108864): the file names the same data over and over',
    ));
    // The whole storage named 100 times (tied weights do this): one Tensor under every name.
    const sd = pt.load(fileOf(() => 0));
    assert.equal(Object.keys(sd).length, 100);
    for (const name of names) assert.equal(sd[name], sd.view0);
  });

  it('a dtype rnn-blas has no Tensor for (torch 2.x\'s _rebuild_tensor_v3) is named', () => {
    const pickle = pickleOf(
      op.PROTO2, op.global('collections', 'OrderedDict'), op.EMPTY_TUPLE, op.REDUCE,
      op.str('ids'), op.global('torch._utils', '_rebuild_tensor_v3'), op.MARK,
      op.MARK, op.str('storage'), op.global('torch', 'UntypedStorage'), op.str('0'), op.str('cpu'), op.int(4), op.TUPLE,
      op.BINPERSID, op.int(0), op.MARK, op.int(2), op.TUPLE, op.MARK, op.int(1), op.TUPLE, op.NEWFALSE,
      op.global('collections', 'OrderedDict'), op.EMPTY_TUPLE, op.REDUCE, op.global('torch', 'uint16'), op.TUPLE, op.REDUCE,
      op.SETITEM, op.STOP,
    );
    assert.throws(() => pt.load(archiveOf(pickle, { 0: new Uint8Array(4) })), ptError(
      'a tensor of dtype torch.uint16 (rebuilt by torch._utils._rebuild_tensor_v3) cannot be read: rnn-blas holds float32, ' +
        'float64, float16 and bfloat16 (as float32), int64, int32, int16, int8, uint8 and bool',
    ));
  });

  it('deep nesting, a huge memo index, a huge string, a truncated pickle', () => {
    const depth = 5000;
    const deep = pickleOf(op.PROTO2, Array(depth).fill(op.EMPTY_LIST), Array(depth - 1).fill(op.APPEND), op.STOP);
    assert.throws(() => pt.loadObject(archiveOf(deep)), ptError('the object nests deeper than 1000 levels (or refers to itself through a tuple)'));
    assert.throws(() => pt.load(archiveOf(deep)), ptError('the file holds a tuple or list, not a state dict (a dict of tensors by name); pt.loadObject reads the whole object'));
    const get = pickleOf(op.PROTO2, [0x6a, 0xff, 0xff, 0xff, 0x7f], op.STOP);
    assert.throws(() => pt.loadObject(archiveOf(get)), ptError('GET of memo entry 2147483647, which was never PUT'));
    const huge = pickleOf(op.PROTO2, [0x58, 0xff, 0xff, 0xff, 0xff], 'abc', op.STOP);
    assert.throws(() => pt.loadObject(archiveOf(huge)), ptError('the pickle ends inside a BINUNICODE (at byte 7, 4 left, 4294967295 needed)'));
    const long4 = pickleOf(op.PROTO2, [0x8b, 0x00, 0x00, 0x10, 0x00], op.STOP);
    assert.throws(() => pt.loadObject(archiveOf(long4)), ptError('a LONG4 of 1048576 bytes is longer than the limit of 1024'));
    const truncated = tensorDictPickle({ numel: 6, size: [6], stride: [1] }).subarray(0, 100);
    assert.throws(() => pt.load(archiveOf(truncated, { 0: floats })), ptError(/^pt: the pickle ends/));
    const cyclic = pickleOf(op.PROTO2, op.EMPTY_LIST, [0x71, 0], [0x68, 0], op.APPEND, op.STOP);
    const list = pt.loadObject(archiveOf(cyclic));
    assert.equal(list[0], list, 'a list that holds itself is rebuilt as one');
  });

  it('truncated and corrupted zips', () => {
    const bytes = good();
    for (const cut of [10, 60, bytes.length - 30, bytes.length - 1]) {
      assert.throws(() => pt.load(bytes.subarray(0, cut)), ptError(/^pt: corrupt zip archive: /), `cut at ${cut}`);
    }
    assert.throws(() => pt.load(bytes.subarray(0, 10)), ptError('corrupt zip archive: the file is 10 bytes, too short for a zip\'s end record'));
    assert.throws(() => pt.load(bytes.subarray(0, bytes.length - 1)), ptError('corrupt zip archive: no end-of-central-directory record (the file is truncated, or not a zip archive)'));
    const damaged = bytes.slice();
    const dataAt = Buffer.from(damaged).indexOf(Buffer.from(floats));
    damaged[dataAt] ^= 1;
    assert.throws(() => pt.load(damaged), ptError(/^pt: corrupt zip archive: the CRC-32 of "archive\/data\/0" is 0x[0-9a-f]{8}, not the 0x[0-9a-f]{8} its directory entry says \(the file is damaged\)$/));
    const noPickle = zipOf([['archive/version', Buffer.from('3\n')]]);
    assert.throws(() => pt.load(noPickle), ptError('the zip archive has no <name>/data.pkl, so torch.save did not write it (its first entries: "archive/version")'));
  });

  it('zip64 end records are followed', () => {
    const bytes = Buffer.from(good());
    const eocd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const entries = bytes.readUInt16LE(eocd + 10);
    const size = bytes.readUInt32LE(eocd + 12);
    const offset = bytes.readUInt32LE(eocd + 16);
    const record = Buffer.alloc(56 + 20);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeBigUInt64LE(BigInt(entries), 24);
    record.writeBigUInt64LE(BigInt(entries), 32);
    record.writeBigUInt64LE(BigInt(size), 40);
    record.writeBigUInt64LE(BigInt(offset), 48);
    record.writeUInt32LE(0x07064b50, 56);
    record.writeBigUInt64LE(BigInt(eocd), 64);
    record.writeUInt32LE(1, 72);
    const end = Buffer.from(bytes.subarray(eocd));
    end.writeUInt16LE(0xffff, 8);
    end.writeUInt16LE(0xffff, 10);
    end.writeUInt32LE(0xffffffff, 12);
    end.writeUInt32LE(0xffffffff, 16);
    const zip64 = Buffer.concat([bytes.subarray(0, eocd), record, end]);
    assert.deepEqual(pt.load(zip64).w.toArray(), [[1, 2, 3], [4, 5, 6]]);
  });
});

describe('pt: fuzzing (test/support/fuzz-pt.js; npm run fuzz:pt runs 100,000)', () => {
  const { runPtFuzz } = require('./support/fuzz-pt');
  const iterations = Number(process.env.PT_FUZZ_ITERATIONS || 2000);
  it(`${iterations} mutations of valid and hostile files load or throw a pt: Error`, function () {
    this.timeout(Math.max(60000, iterations * 30));
    const { findings, stats } = runPtFuzz(20261201, iterations);
    assert.deepEqual(findings, [], 'replay one with FUZZ_SEED=20261201 FUZZ_ONLY=<case> npm run fuzz:pt');
    assert.ok(stats.loaded > 0 && stats.refused > stats.cases / 2, JSON.stringify(stats));
  });
});
