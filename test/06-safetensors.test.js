'use strict';
// safetensors: loading every float dtype exactly as torch converts it, saving (F32, and F16 /
// BF16 rounded to nearest even, as torch does), byte-compatibility with the reference
// writer, and validation: every malformed header has its own message, and no mutation of a
// valid file can do anything but load or throw one of those messages.
// Fixtures: scripts/fixtures/make_safetensors_fixtures.py.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { loadFixture, FIXTURE_DIR } = require('./support/numeric');
const safetensors = require('../lib/safetensors');
const { Tensor, tensor } = require('../lib/tensor');

const expected = loadFixture('safetensors_expected.json');
const fixturePath = (name) => path.join(FIXTURE_DIR, name);
const LSTM_FILES = ['lstm_f32.safetensors', 'lstm_f16.safetensors', 'lstm_bf16.safetensors', 'lstm_f64.safetensors'];

// ---- helpers ----

/** The fixture writes non-finite values as strings, JSON having none. */
function decodeValue(value) {
  if (value === 'NaN') return NaN;
  if (value === 'Infinity') return Infinity;
  if (value === '-Infinity') return -Infinity;
  return value;
}

/** Exact equality, element by element: -0 is not 0, NaN equals NaN. */
function assertSameValues(actual, expectedValues, label) {
  assert.equal(actual.length, expectedValues.length, `${label}: length`);
  for (let i = 0; i < expectedValues.length; i++) {
    const want = decodeValue(expectedValues[i]);
    if (!Object.is(actual[i], want)) assert.fail(`${label}[${i}]: got ${actual[i]}, expected ${want}`);
  }
}

function floatBits(values) {
  return new Uint32Array(values.buffer, values.byteOffset, values.length);
}

/** A file from a header (object, JSON text or raw bytes) and data; `length` overrides the u64. */
function file(header, data = [], { length } = {}) {
  let json;
  if (header instanceof Uint8Array) json = Buffer.from(header);
  else json = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header), 'utf8');
  const bytes = Buffer.alloc(8 + json.length + data.length);
  bytes.writeBigUInt64LE(BigInt(length ?? json.length), 0);
  json.copy(bytes, 8);
  Buffer.from(data).copy(bytes, 8 + json.length);
  return new Uint8Array(bytes);
}

/** The header length and parsed JSON of file bytes written by a well-behaved writer. */
function headerOf(bytes) {
  const length = Number(Buffer.from(bytes.buffer, bytes.byteOffset, 8).readBigUInt64LE(0));
  const json = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset + 8, length).toString('utf8'));
  return { length, json, dataStart: 8 + length };
}

function uint16At(bytes, offset) {
  return bytes[offset] | (bytes[offset + 1] << 8);
}

/** float32 value of IEEE binary16 bits, computed from the definition (independent of the library). */
function halfValue(bits) {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

function f32FromBits(bitsArray) {
  return new Float32Array(Uint32Array.from(bitsArray).buffer);
}

function expectLoadError2(fn, message) {
  assert.throws(fn, { name: 'Error', message });
}

function expectLoadError(bytes, message) {
  assert.throws(() => safetensors.load(bytes), { name: 'Error', message });
}

/** mulberry32: a small seeded PRNG, so every fuzz run sees the same mutations. */
function prng(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (n) => Math.floor(next() * n);
  next.pick = (items) => items[next.int(items.length)];
  return next;
}

// ---- loading ----

describe('safetensors: loading', () => {
  for (const name of LSTM_FILES) {
    it(`loads ${name} with { dtype: 'float32' } exactly as torch converts it to float32`, () => {
      const want = expected.files[name];
      const loaded = safetensors.loadFile(fixturePath(name), { dtype: 'float32' });
      assert.deepEqual(Object.keys(loaded), Object.keys(want.tensors), 'names, in file order');
      for (const [tensorName, values] of Object.entries(want.tensors)) {
        const actual = loaded[tensorName];
        assert.ok(actual instanceof Tensor, tensorName);
        assert.deepEqual([...actual.shape], values.shape, `${tensorName}: shape`);
        assertSameValues(actual.data, values.data, tensorName);
      }
    });
  }

  it('loads every tensor in its own dtype by default (F16 and BF16 widened to float32)', () => {
    for (const name of LSTM_FILES) {
      const loaded = safetensors.loadFile(fixturePath(name));
      const converted = safetensors.loadFile(fixturePath(name), { dtype: 'float32' });
      for (const [key, t] of Object.entries(loaded)) {
        assert.equal(t.dtype, name === 'lstm_f64.safetensors' ? 'float64' : 'float32', `${name}: ${key}`);
        assert.deepEqual(t.float().data, converted[key].data, `${name}: ${key}`);
      }
    }
  });

  it('loads the same tensors from bytes as from a path', () => {
    const bytes = fs.readFileSync(fixturePath('lstm_bf16.safetensors'));
    const fromBytes = safetensors.load(bytes);
    const fromPath = safetensors.loadFile(fixturePath('lstm_bf16.safetensors'));
    assert.deepEqual(fromBytes, fromPath);
  });

  it('widens F16 and BF16 special values bit for bit (inf, nan, subnormals, max, -0)', () => {
    const want = expected.files['special_f16.safetensors'].tensors;
    const loaded = safetensors.loadFile(fixturePath('special_f16.safetensors'));
    for (const name of ['f16', 'bf16']) {
      assert.equal(want[name].dtype, name.toUpperCase());
      assertSameValues(loaded[name].data, want[name].data, name);
      assert.deepEqual([...floatBits(loaded[name].data)], want[name].bits, `${name}: float32 bits, NaN included`);
    }
  });

  it('rounds F64 to float32 to nearest even, overflowing to inf and underflowing to subnormals', () => {
    const want = expected.files['special_f16.safetensors'].tensors.f64;
    const native = safetensors.loadFile(fixturePath('special_f16.safetensors')).f64;
    assert.equal(native.dtype, 'float64');
    const loaded = safetensors.loadFile(fixturePath('special_f16.safetensors'), { dtype: 'float32' }).f64;
    assert.deepEqual(native.float().data, loaded.data, 'float() of the float64 tensor rounds the same way');
    assertSameValues(loaded.data, want.data, 'f64');
    const bits = floatBits(loaded.data);
    want.bits.forEach((b, i) => {
      if (!Number.isNaN(loaded.data[i])) assert.equal(bits[i], b, `f64[${i}] bits`);
    });
  });

  it('loads tensors with no elements and mixed dtypes in one file', () => {
    const loaded = safetensors.loadFile(fixturePath('special_f16.safetensors'));
    assert.deepEqual(Object.keys(loaded), ['f64', 'bf16', 'empty', 'f16'], 'widest dtype first, then by name');
    assert.deepEqual([...loaded.empty.shape], [2, 0, 3]);
    assert.equal(loaded.empty.numel(), 0);
  });

  it('loads F32, F16, BF16 and F64 data at any alignment of the source buffer', () => {
    for (const name of [...LSTM_FILES, 'special_f16.safetensors']) {
      const bytes = fs.readFileSync(fixturePath(name));
      const reference = safetensors.load(bytes);
      for (const shift of [1, 2, 3, 5, 7]) {
        const backing = new Uint8Array(bytes.length + 8);
        backing.set(bytes, shift);
        const shifted = safetensors.load(backing.subarray(shift, shift + bytes.length));
        for (const key of Object.keys(reference)) {
          const bytesOf = (t) => [...new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength)];
          assert.deepEqual(bytesOf(shifted[key]), bytesOf(reference[key]), `${name} +${shift}: ${key}`);
        }
      }
    }
  });

  it('gives each tensor its own buffer, independent of the file bytes', () => {
    const bytes = new Uint8Array(fs.readFileSync(fixturePath('lstm_f32.safetensors')));
    const loaded = safetensors.load(bytes);
    const before = loaded.weight_hh_l0.data.slice();
    bytes.fill(0xff, headerOf(bytes).dataStart);
    assert.deepEqual(loaded.weight_hh_l0.data, before);
    for (const t of Object.values(loaded)) {
      assert.notEqual(t.data.buffer, bytes.buffer);
      assert.equal(t.data.buffer.byteLength, t.data.byteLength, 'one allocation per tensor, nothing larger');
    }
  });

  it('loadFile reads the file exactly once', () => {
    const original = fs.readFileSync;
    let reads = 0;
    fs.readFileSync = function countingReadFileSync(...args) {
      reads++;
      return original.apply(this, args);
    };
    try {
      safetensors.loadFile(fixturePath('lstm_f32.safetensors'));
    } finally {
      fs.readFileSync = original;
    }
    assert.equal(reads, 1);
  });

  it('accepts what the reference accepts: any key order, padding, unknown fields, null metadata', () => {
    const data = new Uint8Array(new Float32Array([1, 2, 3]).buffer);
    const loaded = safetensors.load(
      file(
        '{"__metadata__":null,"b":{"data_offsets":[4,12],"shape":[2],"dtype":"F32","extra":true},' +
          '"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}   \n\t ',
        data,
      ),
    );
    assert.deepEqual(Object.keys(loaded), ['a', 'b'], 'file order');
    assert.deepEqual([...loaded.a.shape], []);
    assert.deepEqual([...loaded.a.data], [1]);
    assert.deepEqual([...loaded.b.data], [2, 3]);
  });

  it('keeps a tensor named "__proto__" as an ordinary entry', () => {
    const loaded = safetensors.load(file('{"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', new Uint8Array(4)));
    assert.deepEqual(Object.keys(loaded), ['__proto__']);
    assert.equal(Object.getPrototypeOf(loaded), Object.prototype);
    assert.ok(Object.getOwnPropertyDescriptor(loaded, '__proto__').value instanceof Tensor);
  });

  const integers = { I8: ['int8', Int8Array], I16: ['int16', Int16Array], I32: ['int32', Int32Array], I64: ['int64', BigInt64Array], U8: ['uint8', Uint8Array] };
  for (const [fileDtype, [dtype, ArrayType]] of Object.entries(integers)) {
    it(`loads ${fileDtype} data as ${dtype}, next to float tensors`, () => {
      const values = ArrayType === BigInt64Array ? BigInt64Array.of(-(2n ** 63n), 7n, 2n ** 53n + 1n) : ArrayType.of(-1, 7, 100);
      const data = new Uint8Array(8 + values.byteLength);
      data.set(new Uint8Array(Float32Array.of(0.5, 2).buffer), 0);
      data.set(new Uint8Array(values.buffer), 8);
      const bytes = file(
        {
          'encoder.weight': { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
          'bn.num_batches_tracked': { dtype: fileDtype, shape: [3], data_offsets: [8, 8 + values.byteLength] },
        },
        data,
      );
      const loaded = safetensors.load(bytes);
      assert.equal(loaded['bn.num_batches_tracked'].dtype, dtype);
      assert.deepEqual(loaded['bn.num_batches_tracked'].data, values);
      assert.deepEqual(loaded['encoder.weight'].data, Float32Array.of(0.5, 2));
      expectLoadError2(
        () => safetensors.load(bytes, { dtype: 'float32' }),
        `safetensors: tensor "bn.num_batches_tracked" has dtype ${fileDtype}, which cannot be loaded as float32 (supported: F32, F16, BF16, F64)`,
      );
    });
  }

  it('loads BOOL as bool, any non-zero byte as true', () => {
    const loaded = safetensors.load(file({ mask: { dtype: 'BOOL', shape: [4], data_offsets: [0, 4] } }, [0, 1, 2, 255]));
    assert.equal(loaded.mask.dtype, 'bool');
    assert.deepEqual(loaded.mask.toArray(), [false, true, true, true]);
    assert.deepEqual(loaded.mask.data, Uint8Array.of(0, 1, 1, 1));
  });

  // torch >= 2.1 writes float8, >= 2.3 uint16/32/64: each loads into the narrowest Tensor dtype
  // that holds its values exactly. Expected values are the OCP FP8 formats' (torch's
  // float8_e4m3fn: max 448, smallest subnormal 2^-9, no infinities; float8_e5m2: max 57344,
  // smallest subnormal 2^-16, IEEE infinities).
  const widened = [
    ['U16', 'int32', Uint8Array.from(Buffer.from(Uint16Array.of(0, 1, 65535).buffer)), [0, 1, 65535]],
    ['U32', 'int64', Uint8Array.from(Buffer.from(Uint32Array.of(0, 4294967295, 7).buffer)), [0n, 4294967295n, 7n]],
    ['U64', 'int64', Uint8Array.from(Buffer.from(BigUint64Array.of(0n, 2n ** 63n - 1n, 5n).buffer)), [0n, 2n ** 63n - 1n, 5n]],
    ['F8_E4M3', 'float32', Uint8Array.of(0x00, 0x01, 0x38, 0x7e, 0x7f, 0xfe, 0x80), [0, 2 ** -9, 1, 448, NaN, -448, -0]],
    ['F8_E5M2', 'float32', Uint8Array.of(0x3c, 0x7b, 0x7c, 0xfc, 0x7d, 0x01), [1, 57344, Infinity, -Infinity, NaN, 2 ** -16]],
  ];
  for (const [dtype, tensorDtype, data, values] of widened) {
    it(`loads ${dtype} beside the weights as ${tensorDtype}, every value exact`, () => {
      const width = data.length / values.length;
      const bytes = file(
        {
          'encoder.weight': { dtype: 'F32', shape: [2], data_offsets: [0, 8] },
          'token_ids': { dtype, shape: [values.length], data_offsets: [8, 8 + data.length] },
        },
        Uint8Array.from([...new Uint8Array(8), ...data]),
      );
      const loaded = safetensors.load(bytes);
      assert.equal(loaded.token_ids.dtype, tensorDtype);
      assert.equal(width * values.length, data.length);
      values.forEach((want, i) => assert.ok(Object.is(loaded.token_ids.data[i], want), `${dtype}[${i}]: ${loaded.token_ids.data[i]} vs ${want}`));
      assert.equal(loaded['encoder.weight'].dtype, 'float32');
    });
  }

  it('refuses a U64 value past int64, and the dtypes no Tensor holds (C64), naming the tensor', () => {
    const u64 = file({ big: { dtype: 'U64', shape: [1], data_offsets: [0, 8] } }, Uint8Array.from(Buffer.from(BigUint64Array.of(2n ** 63n).buffer)));
    assert.throws(() => safetensors.load(u64), { name: 'RangeError', message: 'safetensors: tensor "big" holds the U64 value 9223372036854775808, past the int64 range it loads into' });
    const complex = file({ 'token_ids': { dtype: 'C64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array(8));
    expectLoadError(
      complex,
      'safetensors: tensor "token_ids" has dtype C64, which rnn-blas cannot represent (supported: F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL, U16, U32, U64, F8_E4M3, F8_E5M2)',
    );
    assert.deepEqual(safetensors.metadata(complex), {}, 'the header itself is valid');
  });
});

// ---- metadata ----

describe('safetensors: metadata', () => {
  it('reads __metadata__ from a path and from bytes', () => {
    assert.deepEqual(safetensors.metadata(fixturePath('lstm_f64.safetensors')), { format: 'pt' });
    assert.deepEqual(safetensors.metadata(fs.readFileSync(fixturePath('special_f16.safetensors'))), {
      purpose: 'special values',
    });
  });

  it('is {} for a file without __metadata__', () => {
    assert.deepEqual(safetensors.metadata(safetensors.save({ a: tensor([1]) })), {});
  });

  it('validates the whole header when reading from a path, without loading data', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-blas-safetensors-'));
    try {
      const good = fs.readFileSync(fixturePath('lstm_f16.safetensors'));
      const truncated = path.join(dir, 'truncated.safetensors');
      fs.writeFileSync(truncated, good.subarray(0, good.length - 2));
      assert.throws(() => safetensors.metadata(truncated), {
        name: 'Error',
        message:
          'safetensors: tensor "weight_ih_l1_reverse" has data_offsets [1216, 1472], past the end of the data (1470 bytes)',
      });
      const tiny = path.join(dir, 'tiny.safetensors');
      fs.writeFileSync(tiny, Buffer.from([1, 2, 3]));
      assert.throws(() => safetensors.metadata(tiny), {
        name: 'Error',
        message: 'safetensors: file is 3 bytes, too short to hold the 8-byte header length',
      });
      const huge = path.join(dir, 'huge.safetensors');
      fs.writeFileSync(huge, file('{}', [], { length: 2 ** 40 }));
      assert.throws(() => safetensors.metadata(huge), {
        name: 'Error',
        message: 'safetensors: header length 1099511627776 is larger than the limit of 100000000 bytes',
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects arguments that are neither a path nor bytes', () => {
    assert.throws(() => safetensors.metadata(42), {
      name: 'TypeError',
      message: 'safetensors.metadata: expected a path or a Uint8Array, got number',
    });
  });
});

// ---- saving ----

describe('safetensors: saving', () => {
  it('writes exactly the reference\'s bytes for an empty file, with and without metadata', () => {
    assert.deepEqual([...safetensors.save({})], [8, 0, 0, 0, 0, 0, 0, 0, ...Buffer.from('{}      ')]);
    const withMetadata = safetensors.save({}, { framework: 'pt' });
    assert.deepEqual([...withMetadata], [40, 0, 0, 0, 0, 0, 0, 0, ...Buffer.from('{"__metadata__":{"framework":"pt"}}     ')]);
  });

  it('writes exactly the reference\'s bytes for one F32 tensor, padding the header to 8 bytes', () => {
    const values = [0, 1, 2, 3, 4, 5];
    const data = [...new Uint8Array(new Float32Array(values).buffer)];
    const unpadded = '{"attn.0":{"dtype":"F32","shape":[1,2,3],"data_offsets":[0,24]}}';
    assert.equal(unpadded.length, 64);
    assert.deepEqual([...safetensors.save({ 'attn.0': tensor(values, [1, 2, 3]) })], [64, 0, 0, 0, 0, 0, 0, 0, ...Buffer.from(unpadded), ...data]);
    const padded = '{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       ';
    assert.deepEqual([...safetensors.save({ attn0: tensor(values, [1, 1, 2, 3]) })], [72, 0, 0, 0, 0, 0, 0, 0, ...Buffer.from(padded), ...data]);
  });

  for (const [dtype, name] of [['F32', 'lstm_f32'], ['F16', 'lstm_f16'], ['BF16', 'lstm_bf16']]) {
    it(`reproduces ${name}.safetensors byte for byte when saving the F32 weights as ${dtype}`, () => {
      const weights = safetensors.loadFile(fixturePath('lstm_f32.safetensors'));
      const bytes = safetensors.save(weights, { format: 'pt' }, { dtype });
      assert.ok(Buffer.from(bytes).equals(fs.readFileSync(fixturePath(`${name}.safetensors`))));
    });
  }

  it('round-trips F32 exactly: every bit pattern but NaN payloads, -0, subnormals, infinities', () => {
    const random = prng(1);
    const bits = new Uint32Array(4096).map(() => (random() * 2 ** 32) >>> 0);
    bits.set([0x00000000, 0x80000000, 0x00000001, 0x807fffff, 0x7f7fffff, 0x7f800000, 0xff800000], 0);
    const values = new Float32Array(bits.buffer);
    const loaded = safetensors.load(safetensors.save({ x: new Tensor(values, [64, 64]) })).x;
    assert.deepEqual([...loaded.shape], [64, 64]);
    const out = floatBits(loaded.data);
    for (let i = 0; i < values.length; i++) {
      if (Number.isNaN(values[i])) assert.ok(Number.isNaN(loaded.data[i]), `NaN at ${i}`);
      else assert.equal(out[i], bits[i], `bits at ${i}`);
    }
  });

  it('round-trips every F16 value exactly (all 65536 bit patterns; NaN stays NaN)', () => {
    const values = new Float32Array(65536).map((_, bits) => halfValue(bits));
    const bytes = safetensors.save({ h: new Tensor(values, [256, 256]) }, undefined, { dtype: 'F16' });
    const { json, dataStart } = headerOf(bytes);
    assert.deepEqual(json.h, { dtype: 'F16', shape: [256, 256], data_offsets: [0, 131072] });
    for (let bits = 0; bits < 65536; bits++) {
      const stored = uint16At(bytes, dataStart + 2 * bits);
      const sign = (floatBits(values)[bits] >>> 16) & 0x8000;
      if (Number.isNaN(values[bits])) assert.equal(stored, sign | 0x7e00, `NaN ${bits}: a quiet NaN of the same sign`);
      else if (stored !== bits) assert.fail(`F16 ${bits.toString(16)} stored as ${stored.toString(16)}`);
    }
    assertSameValues(safetensors.load(bytes).h.data, [...values], 'F16 widened back');
  });

  it('round-trips every BF16 value exactly (all 65536 bit patterns; NaN stays NaN)', () => {
    const values = f32FromBits(Array.from({ length: 65536 }, (_, bits) => bits << 16));
    const bytes = safetensors.save({ b: new Tensor(values, [65536]) }, undefined, { dtype: 'BF16' });
    const { dataStart } = headerOf(bytes);
    for (let bits = 0; bits < 65536; bits++) {
      const stored = uint16At(bytes, dataStart + 2 * bits);
      if (Number.isNaN(values[bits])) assert.equal(stored, 0x7fc0, `NaN ${bits}`);
      else if (stored !== bits) assert.fail(`BF16 ${bits.toString(16)} stored as ${stored.toString(16)}`);
    }
    assertSameValues(safetensors.load(bytes).b.data, [...values], 'BF16 widened back');
  });

  for (const dtype of ['F16', 'BF16']) {
    it(`rounds float32 to ${dtype} exactly as torch does (${expected.rounding.f32_bits.length} vectors, ties to even)`, () => {
      const values = f32FromBits(expected.rounding.f32_bits);
      const want = expected.rounding[`${dtype.toLowerCase()}_bits`];
      const bytes = safetensors.save({ v: new Tensor(values, [values.length]) }, undefined, { dtype });
      const { dataStart } = headerOf(bytes);
      for (let i = 0; i < values.length; i++) {
        const stored = uint16At(bytes, dataStart + 2 * i);
        if (stored !== want[i]) {
          assert.fail(`${dtype} of float32 0x${expected.rounding.f32_bits[i].toString(16)}: got 0x${stored.toString(16)}, torch 0x${want[i].toString(16)}`);
        }
      }
    });
  }

  it('sorts tensors by name (UTF-8 byte order) and keeps metadata', () => {
    const t = tensor([1]);
    const bytes = safetensors.save({ z: t, 'é': t, '\u{1F600}': t, '\uFFFD': t, B: t, a: t }, { format: 'pt', note: 'ünï' });
    assert.deepEqual(Object.keys(headerOf(bytes).json), ['__metadata__', 'B', 'a', 'z', 'é', '\uFFFD', '\u{1F600}']);
    assert.deepEqual(Object.keys(safetensors.load(bytes)), ['B', 'a', 'z', 'é', '\uFFFD', '\u{1F600}']);
    assert.deepEqual(safetensors.metadata(bytes), { format: 'pt', note: 'ünï' });
  });

  it('saves empty tensors and scalars', () => {
    const loaded = safetensors.load(safetensors.save({ e: new Tensor(new Float32Array(0), [0, 3]), s: tensor(2.5) }));
    assert.deepEqual([...loaded.e.shape], [0, 3]);
    assert.deepEqual([...loaded.s.shape], []);
    assert.deepEqual([...loaded.s.data], [2.5]);
  });

  it('saves tensors that view part of a larger buffer', () => {
    const backing = new Float32Array([9, 1, 2, 3, 9]);
    const view = new Tensor(backing.subarray(1, 4), [3]);
    for (const dtype of ['F32', 'F16', 'BF16']) {
      assert.deepEqual([...safetensors.load(safetensors.save({ v: view }, undefined, { dtype })).v.data], [1, 2, 3], dtype);
    }
  });

  it('saveFile writes what loadFile reads', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-blas-safetensors-'));
    try {
      const target = path.join(dir, 'weights.safetensors');
      const weights = safetensors.loadFile(fixturePath('lstm_f32.safetensors'));
      safetensors.saveFile(weights, target, { format: 'pt' }, { dtype: 'BF16' });
      assert.ok(fs.readFileSync(target).equals(fs.readFileSync(fixturePath('lstm_bf16.safetensors'))));
      assert.deepEqual(safetensors.metadata(target), { format: 'pt' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks its arguments', () => {
    const t = tensor([1, 2]);
    const cases = [
      [() => safetensors.save(null), TypeError, 'safetensors.save: tensors must be an object mapping names to Tensors, got null'],
      [() => safetensors.save([t]), TypeError, 'safetensors.save: tensors must be an object mapping names to Tensors, got array'],
      [() => safetensors.save(t), TypeError, 'safetensors.save: tensors must be an object mapping names to Tensors, got Tensor'],
      [() => safetensors.save({ w: [1, 2] }), TypeError, 'safetensors.save: tensors["w"] must be a Tensor, got array'],
      [() => safetensors.save({ __metadata__: t }), RangeError, 'safetensors.save: "__metadata__" is reserved for the file\'s metadata and cannot name a tensor'],
      [() => safetensors.save({ ['a\uD800']: t }), RangeError, 'safetensors.save: tensor name "a\\ud800" is not well-formed Unicode (it holds a lone surrogate)'],
      [() => safetensors.save({ w: t }, { format: 1 }), TypeError, 'safetensors.save: metadata["format"] must be a string, got number'],
      [() => safetensors.save({ w: t }, 'pt'), TypeError, 'safetensors.save: metadata must be an object of strings, got string'],
      [() => safetensors.save({ w: t }, { format: '\uDC00' }), RangeError, 'safetensors.save: metadata value "\\udc00" is not well-formed Unicode (it holds a lone surrogate)'],
      [() => safetensors.save({ w: t }, undefined, { dtype: 'F64' }), RangeError, "safetensors.save: dtype must be one of 'F32', 'F16', 'BF16', got 'F64'"],
      [() => safetensors.save({ w: t }, undefined, { dtype: 16 }), RangeError, "safetensors.save: dtype must be one of 'F32', 'F16', 'BF16', got number"],
      [() => safetensors.save({ w: t }, undefined, 'F16'), TypeError, 'safetensors.save: options must be an object, got string'],
      [() => safetensors.saveFile({ w: t }, 7), TypeError, 'safetensors.saveFile: path must be a string, got number'],
      [() => safetensors.load('weights.safetensors'), TypeError, 'safetensors.load: bytes must be a Uint8Array, got string'],
      [() => safetensors.loadFile(undefined), TypeError, 'safetensors.loadFile: path must be a string, got undefined'],
    ];
    for (const [call, type, message] of cases) assert.throws(call, { name: type.name, message });
  });
});

// ---- validation ----

describe('safetensors: malformed files, each with its own message', () => {
  const f32 = (shape, begin, end) => ({ dtype: 'F32', shape, data_offsets: [begin, end] });
  const cases = [
    // The length field.
    ['an empty file', new Uint8Array(0), 'safetensors: file is 0 bytes, too short to hold the 8-byte header length'],
    ['a 5-byte file', new Uint8Array(5), 'safetensors: file is 5 bytes, too short to hold the 8-byte header length'],
    ['a header length just over the limit', file('{}', [], { length: 100000001 }),
      'safetensors: header length 100000001 is larger than the limit of 100000000 bytes'],
    ['a header length of 2^32 (only the high word set)', file('{}', [], { length: 2 ** 32 }),
      'safetensors: header length 4294967296 is larger than the limit of 100000000 bytes'],
    ['a header length of 2^64 - 1', file('{}', [], { length: 2n ** 64n - 1n }),
      'safetensors: header length 18446744073709551615 is larger than the limit of 100000000 bytes'],
    ['a header length past the end of the file', file('{}', new Uint8Array(18), { length: 200 }),
      'safetensors: header length 200 runs past the end of the file (20 bytes follow the length field)'],
    // The header text.
    ['a header with an invalid UTF-8 byte', file(new Uint8Array([0x7b, 0xff, 0x7d])), 'safetensors: header is not valid UTF-8'],
    ['a header with a UTF-8 encoded surrogate', file(new Uint8Array([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d])),
      'safetensors: header is not valid UTF-8'],
    ['a header with a truncated UTF-8 sequence', file(new Uint8Array([0x7b, 0x7d, 0x20, 0xe2, 0x82])), 'safetensors: header is not valid UTF-8'],
    ['an empty header', file(''), 'safetensors: header is not valid JSON'],
    ['a header cut short', file('{"a":{"dtype":"F32",'), 'safetensors: header is not valid JSON'],
    ['a header padded with NUL bytes', file('{}\0\0\0\0\0\0'), 'safetensors: header is not valid JSON'],
    ['a header starting with a byte-order mark', file('\uFEFF{}'), 'safetensors: header is not valid JSON'],
    ['a header that is a JSON array', file('[]'), 'safetensors: header must be a JSON object, got array'],
    ['a header that is JSON null', file('null'), 'safetensors: header must be a JSON object, got null'],
    ['a header that is a JSON string', file('"tensors"'), 'safetensors: header must be a JSON object, got string'],
    ['a tensor named twice', file('{"a":' + JSON.stringify(f32([1], 0, 4)) + ',"a":' + JSON.stringify(f32([1], 0, 4)) + '}', new Uint8Array(4)),
      'safetensors: header has duplicate key "a"'],
    ['a field repeated within a tensor', file('{"a":{"dtype":"F32","dtype":"F16","shape":[1],"data_offsets":[0,4]}}', new Uint8Array(4)),
      'safetensors: header has duplicate key "dtype"'],
    ['a metadata key given twice', file('{"__metadata__":{"format":"pt","format":"np"}}'),
      'safetensors: header has duplicate key "format"'],
    ['a repeated key written with an escape', file('{"ab":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"\\u0061b":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}'),
      'safetensors: header has duplicate key "ab"'],
    // __metadata__.
    ['__metadata__ as an array', file({ __metadata__: ['pt'] }), 'safetensors: __metadata__ must be an object of string values, got array'],
    ['__metadata__ as a string', file({ __metadata__: 'pt' }), 'safetensors: __metadata__ must be an object of string values, got string'],
    ['a __metadata__ value that is a number', file({ __metadata__: { format: 'pt', version: 2 } }),
      'safetensors: __metadata__["version"] must be a string, got number'],
    ['a __metadata__ value that is an object', file({ __metadata__: { nested: { a: 'b' } } }),
      'safetensors: __metadata__["nested"] must be a string, got object'],
    // Tensor entries.
    ['a tensor entry that is a number', file({ a: 5 }), 'safetensors: tensor "a" must be an object with dtype, shape and data_offsets, got number'],
    ['a tensor entry that is an array', file({ a: ['F32', [1], [0, 4]] }, new Uint8Array(4)),
      'safetensors: tensor "a" must be an object with dtype, shape and data_offsets, got array'],
    ['a tensor without dtype', file({ a: { shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4)), 'safetensors: tensor "a" is missing "dtype"'],
    ['a tensor without shape', file({ a: { dtype: 'F32', data_offsets: [0, 4] } }, new Uint8Array(4)), 'safetensors: tensor "a" is missing "shape"'],
    ['a tensor without data_offsets', file({ a: { dtype: 'F32', shape: [1] } }, new Uint8Array(4)), 'safetensors: tensor "a" is missing "data_offsets"'],
    ['an unknown dtype', file({ a: { dtype: 'F12', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4)),
      'safetensors: tensor "a" has unknown dtype "F12"'],
    ['a lower-case dtype', file({ a: { dtype: 'f32', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4)),
      'safetensors: tensor "a" has unknown dtype "f32"'],
    ['a dtype that is not a string', file({ a: { dtype: 32, shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4)),
      'safetensors: tensor "a" has unknown dtype 32'],
    ['a negative dimension', file({ a: f32([2, -1], 0, 8) }, new Uint8Array(8)),
      'safetensors: tensor "a" has invalid shape [2, -1]: expected a list of non-negative integers'],
    ['a fractional dimension', file({ a: f32([1.5], 0, 4) }, new Uint8Array(4)),
      'safetensors: tensor "a" has invalid shape [1.5]: expected a list of non-negative integers'],
    ['a dimension written as a string', file({ a: f32(['2'], 0, 8) }, new Uint8Array(8)),
      'safetensors: tensor "a" has invalid shape ["2"]: expected a list of non-negative integers'],
    ['a shape that is not a list', file({ a: f32(2, 0, 8) }, new Uint8Array(8)),
      'safetensors: tensor "a" has invalid shape 2: expected a list of non-negative integers'],
    ['a dimension beyond 2^53', file({ a: f32([1e20], 0, 4) }, new Uint8Array(4)),
      'safetensors: tensor "a" has invalid shape [100000000000000000000]: expected a list of non-negative integers'],
    ['data_offsets with one number', file({ a: { dtype: 'F32', shape: [1], data_offsets: [0] } }, new Uint8Array(4)),
      'safetensors: tensor "a" has invalid data_offsets [0]: expected [begin, end], two non-negative integers'],
    ['data_offsets with three numbers', file({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4, 8] } }, new Uint8Array(4)),
      'safetensors: tensor "a" has invalid data_offsets [0, 4, 8]: expected [begin, end], two non-negative integers'],
    ['a negative offset', file({ a: f32([1], -4, 0) }, new Uint8Array(4)),
      'safetensors: tensor "a" has invalid data_offsets [-4, 0]: expected [begin, end], two non-negative integers'],
    ['offsets written as strings', file({ a: f32([1], '0', '4') }, new Uint8Array(4)),
      'safetensors: tensor "a" has invalid data_offsets ["0", "4"]: expected [begin, end], two non-negative integers'],
    ['offsets as an object', file({ a: { dtype: 'F32', shape: [1], data_offsets: { begin: 0, end: 4 } } }, new Uint8Array(4)),
      'safetensors: tensor "a" has invalid data_offsets {...}: expected [begin, end], two non-negative integers'],
    ['offsets that end before they begin', file({ a: f32([0], 8, 4) }, new Uint8Array(8)),
      'safetensors: tensor "a" has data_offsets [8, 4] that end before they begin'],
    // Placement in the data section.
    ['a first tensor that does not begin at 0', file({ a: f32([1], 4, 8) }, new Uint8Array(8)),
      'safetensors: tensor "a" has data_offsets [4, 8], but the first tensor must begin at offset 0'],
    ['a gap between tensors', file({ a: f32([1], 0, 4), b: f32([1], 8, 12) }, new Uint8Array(12)),
      'safetensors: tensor "b" has data_offsets [8, 12], leaving a gap after tensor "a", which ends at 4'],
    ['overlapping tensors', file({ a: f32([2], 0, 8), b: f32([1], 4, 8) }, new Uint8Array(8)),
      'safetensors: tensor "b" has data_offsets [4, 8], overlapping tensor "a", which ends at 8'],
    ['two tensors at the same offsets', file({ b: f32([1], 0, 4), a: f32([1], 0, 4) }, new Uint8Array(4)),
      'safetensors: tensor "a" has data_offsets [0, 4], overlapping tensor "b", which ends at 4'],
    ['a byte range shorter than the shape needs', file({ a: f32([2, 3], 0, 20) }, new Uint8Array(20)),
      'safetensors: tensor "a" has shape [2, 3] and dtype F32, which need 24 bytes, but data_offsets [0, 20] hold 20'],
    ['an F16 byte range sized for F32', file({ a: { dtype: 'F16', shape: [3], data_offsets: [0, 12] } }, new Uint8Array(12)),
      'safetensors: tensor "a" has shape [3] and dtype F16, which need 6 bytes, but data_offsets [0, 12] hold 12'],
    ['an empty tensor given bytes', file({ a: f32([4, 0], 0, 4) }, new Uint8Array(4)),
      'safetensors: tensor "a" has shape [4, 0] and dtype F32, which need 0 bytes, but data_offsets [0, 4] hold 4'],
    ['an element count past 2^64', file({ a: f32([4294967296, 4294967296, 2], 0, 4) }, new Uint8Array(4)),
      'safetensors: tensor "a" has shape [4294967296, 4294967296, 2] and dtype F32, whose element count overflows 64 bits'],
    ['4-bit data that does not fill a byte', file({ a: { dtype: 'F4', shape: [3], data_offsets: [0, 2] } }, new Uint8Array(2)),
      'safetensors: tensor "a" has shape [3] and dtype F4, which need 12 bits, not a whole number of bytes'],
    ['a tensor past the end of the data', file({ a: f32([100], 0, 400) }, new Uint8Array(96)),
      'safetensors: tensor "a" has data_offsets [0, 400], past the end of the data (96 bytes)'],
    ['offsets far past the end of the file', file({ a: f32([2 ** 40], 0, 2 ** 42) }, new Uint8Array(4)),
      'safetensors: tensor "a" has data_offsets [0, 4398046511104], past the end of the data (4 bytes)'],
    ['trailing bytes after the last tensor', file({ a: f32([1], 0, 4) }, new Uint8Array(8)),
      'safetensors: the tensors end at byte 4 of the data, but it is 8 bytes long (4 trailing bytes)'],
    ['data without any tensor', file({ __metadata__: { format: 'pt' } }, new Uint8Array(3)),
      'safetensors: the tensors end at byte 0 of the data, but it is 3 bytes long (3 trailing bytes)'],
  ];

  it(`has ${cases.length} distinct malformed files`, () => {
    assert.ok(cases.length >= 25);
    assert.equal(new Set(cases.map(([, bytes]) => Buffer.from(bytes).toString('hex'))).size, cases.length);
  });

  for (const [description, bytes, message] of cases) {
    it(`rejects ${description}`, () => {
      expectLoadError(bytes, message);
      assert.throws(() => safetensors.metadata(bytes), { name: 'Error', message }, 'metadata() validates the same way');
    });
  }

  it('cuts long names and lists short in messages', () => {
    const name = 'n'.repeat(500);
    const shape = Array(20).fill(1);
    expectLoadError(
      file({ [name]: f32(shape, 0, 8) }, new Uint8Array(8)),
      `safetensors: tensor "${'n'.repeat(77)}..." has shape [1, 1, 1, 1, 1, 1, 1, 1, ... (20 items)] and dtype F32, which need 4 bytes, but data_offsets [0, 8] hold 8`,
    );
  });
});

// ---- fuzzing ----

describe('safetensors: fuzzing', () => {
  const seeds = [...LSTM_FILES, 'special_f16.safetensors'].map((name) => new Uint8Array(fs.readFileSync(fixturePath(name))));
  const dtypes = ['F32', 'F16', 'BF16', 'F64', 'I32', 'U8', 'BOOL', 'F4', 'F8_E4M3', 'X', 7, null];
  const oddValues = [0, 1, 2, 3, 4, 7, 8, 64, -1, -8, 1.5, 2 ** 31, 2 ** 32, 2 ** 53, 1e300, '4', null, [], {}, true];

  function withLength(bytes, length) {
    const out = new Uint8Array(bytes);
    Buffer.from(out.buffer).writeBigUInt64LE(BigInt.asUintN(64, BigInt(length)), 0);
    return out;
  }

  /** The header length field, clamped to the file (mutated files may hold anything). */
  function headerLengthOf(bytes) {
    if (bytes.length < 8) return 0;
    const length = Buffer.from(bytes.buffer, bytes.byteOffset, 8).readBigUInt64LE(0);
    return Number(length > BigInt(bytes.length - 8) ? BigInt(bytes.length - 8) : length);
  }

  /** Edits the parsed header: offsets, shapes, dtypes, keys, metadata. */
  function mutateHeader(bytes, random) {
    let parsed;
    try {
      parsed = headerOf(bytes);
    } catch {
      return bytes.slice(0, random.int(bytes.length + 1)); // not a parsable header any more
    }
    const { json, dataStart } = parsed;
    if (json === null || typeof json !== 'object') return bytes;
    const names = Object.keys(json).filter((key) => key !== '__metadata__');
    const entry = json[random.pick(names)];
    if (entry === null || typeof entry !== 'object' || !Array.isArray(entry.shape) || !Array.isArray(entry.data_offsets)) {
      return bytes;
    }
    switch (random.int(8)) {
      case 0: entry.data_offsets[random.int(2)] += random.int(17) - 8; break;
      case 1: entry.data_offsets[random.int(2)] = random.pick(oddValues); break;
      case 2: entry.shape[random.int(entry.shape.length + 1)] = random.pick(oddValues); break;
      case 3: entry.shape = random.int(2) ? entry.shape.slice(1) : [...entry.shape, random.int(3)]; break;
      case 4: entry.dtype = random.pick(dtypes); break;
      case 5: delete entry[random.pick(['dtype', 'shape', 'data_offsets'])]; break;
      case 6: json.__metadata__ = random.pick([{ a: 1 }, [], 'x', null, { b: 'c' }]); break;
      default: entry.data_offsets.reverse();
    }
    const text = JSON.stringify(json) + ' '.repeat(random.int(9));
    const data = bytes.subarray(dataStart, dataStart + Math.max(0, bytes.length - dataStart - random.int(3) * random.int(5)));
    return file(text, data);
  }

  function mutate(bytes, random) {
    const headerLength = headerLengthOf(bytes);
    if (bytes.length < 8) return bytes;
    switch (random.int(7)) {
      case 0: { // flip a few bits, mostly in the header
        const out = new Uint8Array(bytes);
        for (let n = 1 + random.int(4); n > 0; n--) {
          const at = random.int(2) ? random.int(8 + headerLength) : random.int(out.length);
          out[at] ^= 1 << random.int(8);
        }
        return out;
      }
      case 1: // truncate
        return bytes.slice(0, random.int(bytes.length));
      case 2: { // append junk
        const out = new Uint8Array(bytes.length + 1 + random.int(16));
        out.set(bytes);
        return out;
      }
      case 3: // a header length slightly off, or absurd
        return withLength(bytes, random.int(2) ? headerLength + random.int(33) - 16 : Math.floor(random() * 2 ** 64));
      case 4: { // overwrite a digit of the JSON: offsets and shapes change, length does not
        const out = new Uint8Array(bytes);
        const digits = [];
        for (let i = 8; i < 8 + headerLength; i++) if (out[i] >= 0x30 && out[i] <= 0x39) digits.push(i);
        if (digits.length > 0) out[random.pick(digits)] = 0x30 + random.int(10);
        return out;
      }
      case 5: { // overwrite any header byte with a JSON-significant character
        const out = new Uint8Array(bytes);
        if (headerLength > 0) out[8 + random.int(headerLength)] = random.pick([...Buffer.from('{}[]",:-.0e \\\x00\xff')]);
        return out;
      }
      default:
        return mutateHeader(bytes, random);
    }
  }

  it('never does anything but load or throw a safetensors Error, over thousands of mutated files', function fuzz() {
    this.timeout(20000);
    const random = prng(20240531);
    const deadline = Date.now() + 3000;
    const outcomes = { loaded: 0, rejected: 0 };
    let iterations = 0;
    while (iterations < 20000 && (iterations < 3000 || Date.now() < deadline)) {
      iterations++;
      let bytes = random.pick(seeds);
      for (let depth = 1 + random.int(2); depth > 0; depth--) bytes = mutate(bytes, random);
      for (const call of [() => safetensors.load(bytes), () => safetensors.metadata(bytes)]) {
        let result;
        try {
          result = call();
        } catch (error) {
          if (!(error instanceof Error) || !error.message.startsWith('safetensors: ')) {
            assert.fail(`iteration ${iterations}: threw ${error && error.stack}\nfile: ${Buffer.from(bytes).toString('base64')}`);
          }
          outcomes.rejected++;
          continue;
        }
        assert.equal(typeof result, 'object');
        for (const value of Object.values(result)) {
          if (typeof value === 'string') continue; // metadata
          assert.ok(value instanceof Tensor);
          assert.equal(value.numel(), value.shape.reduce((a, b) => a * b, 1));
        }
        outcomes.loaded++;
      }
    }
    assert.ok(iterations >= 3000, `only ${iterations} iterations`);
    assert.ok(outcomes.loaded > 100 && outcomes.rejected > 1000, JSON.stringify(outcomes));
  });
});

// ---- dtypes other than float32, and files of the wrong format ----

describe('safetensors: every dtype', () => {
  const { LSTM } = require('../lib');

  it('saves each dtype as its own and loads it back, in the reference order (dtype, then name)', () => {
    const tensors = {
      b_f32: tensor([1.5, -2]),
      a_f32: tensor([3]),
      f64: new Tensor(Float64Array.of(0.1), [1]),
      i64: new Tensor(BigInt64Array.of(-(2n ** 63n), 2n ** 63n - 1n), [2]),
      i32: new Tensor(Int32Array.of(-5), [1]),
      i16: new Tensor(Int16Array.of(-300), [1]),
      i8: new Tensor(Int8Array.of(-7), [1]),
      u8: new Tensor(Uint8Array.of(250), [1]),
      mask: new Tensor(Uint8Array.of(1, 0), [2], 'bool'),
    };
    const bytes = safetensors.save(tensors);
    const { json } = headerOf(bytes);
    assert.deepEqual(Object.keys(json), ['i64', 'f64', 'a_f32', 'b_f32', 'i32', 'i16', 'i8', 'u8', 'mask']);
    assert.deepEqual(Object.values(json).map((entry) => entry.dtype), ['I64', 'F64', 'F32', 'F32', 'I32', 'I16', 'I8', 'U8', 'BOOL']);
    const loaded = safetensors.load(bytes);
    for (const [name, t] of Object.entries(tensors)) {
      assert.equal(loaded[name].dtype, t.dtype, name);
      assert.deepEqual(loaded[name].data, t.data, name);
    }
  });

  it('writes a bool tensor\'s non-zero bytes as 1', () => {
    const bytes = safetensors.save({ mask: new Tensor(Uint8Array.of(0, 2, 255), [3], 'bool') });
    assert.deepEqual([...bytes.subarray(headerOf(bytes).dataStart)], [0, 1, 1]);
  });

  it('the F16 / BF16 option narrows float32 tensors only', () => {
    const bytes = safetensors.save({ w: tensor([1, 2]), f64: new Tensor(Float64Array.of(0.1), [1]), n: new Tensor(BigInt64Array.of(3n), []) }, undefined, { dtype: 'F16' });
    const { json } = headerOf(bytes);
    assert.deepEqual([json.w.dtype, json.f64.dtype, json.n.dtype], ['F16', 'F64', 'I64']);
    assert.equal(safetensors.load(bytes).f64.data[0], 0.1);
  });

  it('loadStateDict takes float64 (rounded) and integer tensors (converted), as torch\'s copy_', () => {
    const lstm = new LSTM(1, 1);
    const sd = lstm.stateDict();
    const f64 = { ...sd, weight_ih_l0: new Tensor(Float64Array.of(0.1, 0.2, 0.3, 0.4), [4, 1]) };
    lstm.loadStateDict(f64);
    assert.deepEqual(lstm.stateDict().weight_ih_l0.data, Float32Array.of(0.1, 0.2, 0.3, 0.4));
    const ints = { ...sd, bias_hh_l0: new Tensor(BigInt64Array.of(1n, 2n, 3n, -4n), [4]) };
    lstm.loadStateDict(ints);
    assert.deepEqual(lstm.stateDict().bias_hh_l0.data, Float32Array.of(1, 2, 3, -4));
  });

  it('an int64 buffer beside the weights does not stop a load under a prefix', () => {
    const encoder = new LSTM(2, 3);
    const sd = { 'bn.num_batches_tracked': new Tensor(BigInt64Array.of(12n), []) };
    for (const [key, t] of Object.entries(encoder.stateDict())) sd[`encoder.${key}`] = t;
    const loaded = safetensors.load(safetensors.save(sd));
    assert.equal(loaded['bn.num_batches_tracked'].dtype, 'int64');
    const copy = LSTM.fromStateDict(loaded, { prefix: 'encoder.' });
    assert.deepEqual(copy.stateDict(), encoder.stateDict());
  });

  it('names a torch.save file and the function that reads it', () => {
    const zip = Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x08, 0, 0, 0, 0, 0, 0, 0, 0);
    assert.throws(() => safetensors.load(zip), {
      name: 'Error',
      message:
        'safetensors: this is not a safetensors file but a zip archive, as torch.save writes ' +
        '(a .pt/.pth checkpoint or a TorchScript archive): read it with pt.load(bytes)',
    });
    const legacy = Uint8Array.of(0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e);
    const target = path.join(os.tmpdir(), `rnn-blas-legacy-${process.pid}.pt`);
    fs.writeFileSync(target, legacy);
    try {
      const message =
        'safetensors: this is not a safetensors file but a Python pickle, as torch.save writes ' +
        'with _use_new_zipfile_serialization=False: read it with pt.loadFile(path)';
      assert.throws(() => safetensors.loadFile(target), { name: 'Error', message });
      assert.throws(() => safetensors.metadata(target), { name: 'Error', message });
    } finally {
      fs.unlinkSync(target);
    }
  });
});
