'use strict';
// npy and npz: every dtype, byte order, memory order and format version loads as numpy
// wrote it; saving gives numpy's own bytes; rows stream from disk in chunks; every
// malformed header has numpy's message, and no mutation of a valid file does anything but
// load or throw an "npy:" Error.
// Fixtures: scripts/fixtures/make_pipeline_fixtures.py (numpy 1.24).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { npy, npz, tensor, Tensor } = require('../lib');
const { NpyRowWriter } = require('../lib/npy/file');
const { fuzzNpy } = require('./support/fuzz-npy');

const DIR = path.join(__dirname, 'fixtures', 'npy');
const expected = JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-blas-npy-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function assertMatches(t, want, label) {
  assert.equal(t.dtype, want.dtype, `${label}: dtype`);
  assert.deepEqual(t.shape, want.shape, `${label}: shape`);
  const got = Array.from(t.data, (v) => (t.dtype === 'int64' ? String(v) : v));
  assert.equal(got.length, want.values.length, `${label}: numel`);
  got.forEach((v, i) => assert.ok(Object.is(v, want.values[i]), `${label}[${i}]: got ${v}, expected ${want.values[i]}`));
}

/** A .npy file with a hand-written header (the dict text as given), for hostile cases. */
function npyBytes(dict, { major = 1, data = new Uint8Array(0), magic = '\x93NUMPY' } = {}) {
  const field = major === 1 ? 2 : 4;
  const text = Buffer.from(dict, 'latin1');
  const out = Buffer.alloc(6 + 2 + field + text.length + data.length);
  out.write(magic, 0, 'latin1');
  out[6] = major;
  out[7] = 0;
  if (field === 2) out.writeUInt16LE(text.length, 8);
  else out.writeUInt32LE(text.length, 8);
  text.copy(out, 8 + field);
  Buffer.from(data).copy(out, 8 + field + text.length);
  return new Uint8Array(out);
}

describe('40 npy and npz', () => {
  describe('npy.load reads what numpy writes', () => {
    for (const name of Object.keys(expected).filter((key) => !key.endsWith('.npz'))) {
      it(`${name}.npy`, () => {
        assertMatches(npy.load(path.join(DIR, `${name}.npy`)), expected[name], name);
        // From bytes too, at an odd offset inside a larger buffer.
        const bytes = fs.readFileSync(path.join(DIR, `${name}.npy`));
        const shifted = new Uint8Array(bytes.length + 3);
        shifted.set(bytes, 3);
        assertMatches(npy.load(shifted.subarray(3)), expected[name], `${name} (bytes)`);
      });
    }
  });

  describe('npy.save writes what numpy writes', () => {
    for (const name of ['f4_le', 'f8_le', 'i8_le', 'i4_le', 'i1', 'u1', 'scalar_f4', 'empty_i4']) {
      it(`${name}: the same bytes as np.save`, () => {
        const file = path.join(DIR, `${name}.npy`);
        const out = path.join(tmp, `${name}.npy`);
        npy.save(out, npy.load(file));
        assert.deepEqual(fs.readFileSync(out), fs.readFileSync(file));
      });
    }
    it('every dtype round-trips with its values (big-endian and Fortran sources come back C-order little-endian)', () => {
      for (const name of ['f4_be', 'f8_be_fortran', 'i8_be_fortran', 'i4_be', 'i2_be', 'b1_fortran', 'f2_le']) {
        const out = path.join(tmp, `rt_${name}.npy`);
        npy.save(out, npy.load(path.join(DIR, `${name}.npy`)));
        assertMatches(npy.load(out), expected[name], `round trip ${name}`);
        const text = fs.readFileSync(out).toString('latin1', 10, 60);
        assert.match(text, /'fortran_order': False/);
        assert.doesNotMatch(text, /'>/);
      }
    });
    it('a float32 tensor made here', () => {
      const t = tensor([[0.5, -1], [2, 3.25]]);
      const bytes = npy.serialize(t);
      assert.equal(bytes.length, 128 + 16);
      assert.equal(Buffer.from(bytes).toString('latin1', 10, 73), "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }    ");
      assert.deepEqual(npy.load(bytes).toArray(), [[0.5, -1], [2, 3.25]]);
    });
  });

  describe('npz', () => {
    it('np.savez (stored) and np.savez_compressed (deflate, zip64 extras) load by name', () => {
      for (const archive of ['stored.npz', 'compressed.npz']) {
        const arrays = npz.load(path.join(DIR, archive));
        assert.deepEqual(Object.keys(arrays), Object.keys(expected[archive]));
        for (const [key, want] of Object.entries(expected[archive])) assertMatches(arrays[key], want, `${archive}:${key}`);
      }
    });
    it('npz.save round-trips every member, with deterministic bytes', () => {
      const arrays = npz.load(path.join(DIR, 'stored.npz'));
      const out = path.join(tmp, 'out.npz');
      npz.save(out, arrays);
      const again = npz.load(out);
      for (const [key, want] of Object.entries(expected['stored.npz'])) assertMatches(again[key], want, `saved ${key}`);
      const first = fs.readFileSync(out);
      npz.save(out, arrays);
      assert.deepEqual(fs.readFileSync(out), first);
    });
    it('refuses what is not an archive of .npy members', () => {
      assert.throws(() => npz.load(path.join(DIR, 'f4_le.npy')), { message: 'npz: not a zip archive (an .npz is one)' });
      const stored = new Uint8Array(fs.readFileSync(path.join(DIR, 'stored.npz')));
      const corrupt = stored.slice();
      // The first member's data: its .npy magic string.
      const at = Buffer.from(corrupt).indexOf('\x93NUMPY', 0, 'latin1');
      corrupt[at + 1] = 0x41;
      assert.throws(() => npz.load(corrupt), {
        message: "npz: member 'ids.npy': the magic string is not correct; expected b'\\x93NUMPY', got b'\\x93AUMPY'",
      });
      assert.throws(() => npz.save(path.join(tmp, 'x.npz'), { a: [1, 2] }), { name: 'TypeError', message: "npz.save: 'a' must be a Tensor, got object" });
    });
  });

  it('bytes after the data are left unread, as np.load leaves them (np.save twice to one file)', () => {
    const data = new Uint8Array(Float32Array.of(3.25, 99).buffer); // the array's 4 bytes, then more
    const t = npy.load(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }\n", { data }));
    assert.deepEqual(Array.from(t.data), [3.25]);
  });
  it("'|f4', 'f4' and '=f4' descriptors read in the host's order, as np.dtype('|f4') is float32", () => {
    const data = new Uint8Array(Float32Array.of(1.5, -2).buffer);
    for (const descr of ['|f4', 'f4', '=f4']) {
      const t = npy.load(npyBytes(`{'descr': '${descr}', 'fortran_order': False, 'shape': (2,), }`.padEnd(117) + '\n', { data }));
      assert.equal(t.dtype, 'float32', descr);
      assert.deepEqual(Array.from(t.data), [1.5, -2], descr);
    }
  });

  describe('hostile headers: numpy\'s checks and messages, before any data is read', () => {
    const cases = [
      [npyBytes('', { magic: 'PK\x03\x04\x14\x00' }), "npy: the magic string is not correct; expected b'\\x93NUMPY', got b'PK\\x03\\x04\\x14\\x00'"],
      [new Uint8Array([0x93, 0x4e, 0x55]), "npy: the magic string is not correct; expected b'\\x93NUMPY', got b'\\x93NU'"],
      [npyBytes('{}', { major: 4 }), 'npy: we only support format version (1,0), (2,0), and (3,0), not (4, 0)'],
      [npyBytes('{', {}).subarray(0, 9), 'npy: EOF: reading array header length, expected 2 bytes got 1'],
      [npyBytes("{'descr': '<f4',"), "npy: Cannot parse header: \"{'descr': '<f4',\""],
      [npyBytes('[1, 2]\n'), 'npy: Header is not a dictionary: [1, 2]'],
      [npyBytes("{'descr': '<f4', 'shape': (2,)}\n"), "npy: Header does not contain the correct keys: ['descr', 'shape']"],
      [npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 'x'), }\n"), "npy: shape is not valid: (2, 'x')"],
      [npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': [2], }\n"), 'npy: shape is not valid: [2]'],
      [npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (2.5,), }\n"), "npy: Cannot parse header: \"{'descr': '<f4', 'fortran_order': False, 'shape': (2.5,), }\\n\""],
      [npyBytes("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,), }\n"), 'npy: fortran_order is not a valid bool: 0'],
      [npyBytes("{'descr': '<u4', 'fortran_order': False, 'shape': (2,), }\n"), "npy: descr '<u4' is not a dtype this library reads; supported: '<f4', '<f8', '<f2', '<i8', '<i4', '<i2', '|i1', '|u1', '|b1' (or '>' for big-endian)"],
      [npyBytes("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }\n"), "npy: descr '|O' is not a dtype this library reads; supported: '<f4', '<f8', '<f2', '<i8', '<i4', '<i2', '|i1', '|u1', '|b1' (or '>' for big-endian)"],
      [npyBytes("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }\n"), "npy: descr [('a', '<f4')] is a structured dtype, which is not a tensor; supported: '<f4', '<f8', '<f2', '<i8', '<i4', '<i2', '|i1', '|u1', '|b1' (or '>' for big-endian)"],
      [npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 2), }\n"), 'npy: negative dimensions are not allowed: shape (-1, 2)'],
      [npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (1099511627776, 1099511627776), }\n"), "npy: shape (1099511627776, 1099511627776) of <f8 needs 9671406556917033397649408 bytes, more than any file holds"],
      [npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }\n", { data: new Uint8Array(8) }), 'npy: the file is truncated: shape (3,) of float32 needs 12 bytes of data, the file holds 8'],
      [npyBytes(`{'descr': ${'['.repeat(40)}${']'.repeat(40)}, 'fortran_order': False, 'shape': (), }\n`), `npy: Cannot parse header: "{'descr': ${'['.repeat(40)}${']'.repeat(40)}, 'fortran_order': False, 'shape': (), }\\n"`],
      [npyBytes(`{'descr': '<f4', 'fortran_order': False, 'shape': (), '${'x'.repeat(10001)}': 1}`, { major: 2 }), "npy: Header info length (10061) is large and may not be safe to load securely (numpy's limit is 10000 bytes)"],
      [npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", { major: 3 }).map((b, i, all) => (i === all.length - 5 ? 0xff : b)), 'npy: the array header is not valid UTF-8'],
    ];
    cases.forEach(([bytes, message], i) => {
      it(`case ${i}: ${message.slice(5, 70)}`, () => assert.throws(() => npy.load(bytes), (error) => {
        assert.equal(error.constructor, Error);
        assert.equal(error.message, message);
        return true;
      }));
    });
    it("a shape in extra parentheses, ((2,)), is the tuple (2,), as Python's literal_eval reads it", () => {
      const loaded = npy.load(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': ((2,)), }\n", { data: new Uint8Array(new Float32Array([1.5, -2]).buffer) }));
      assert.deepEqual(loaded.shape, [2]);
      assert.deepEqual(Array.from(loaded.data), [1.5, -2]);
    });
    it('a header length past the end of the file', () => {
      const bytes = npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (), }\n");
      assert.throws(() => npy.load(bytes.subarray(0, 40)), { message: 'npy: EOF: reading array header, expected 56 bytes got 30' });
    });
    it('non-path arguments are TypeErrors', () => {
      assert.throws(() => npy.load(42), { name: 'TypeError', message: 'npy.load: expected a path or a Uint8Array, got number' });
      assert.throws(() => npy.save(null, tensor([1])), { name: 'TypeError', message: 'npy.save: path must be a string, got null' });
    });
  });

  it('fuzz: 3000 mutations of valid .npy and .npz files load or throw an npy:/npz: Error, nothing else', function () {
    this.timeout(60000);
    const { loaded, refused } = fuzzNpy(3000, 17);
    assert.ok(loaded > 0 && refused > 0, `${loaded} loaded, ${refused} refused`);
  });

  describe('npy.open: rows of a large file, a chunk at a time', () => {
    it('chunks give the rows of npy.load, for each dtype', () => {
      for (const name of ['i8_le', 'i4_be', 'u1', 'f4_be']) {
        const file = npy.open(path.join(DIR, `${name}.npy`));
        const whole = npy.load(path.join(DIR, `${name}.npy`));
        const rows = [...file.chunks(1)].flatMap((chunk) => chunk.toArray());
        assert.deepEqual(rows, whole.toArray());
        assert.deepEqual(file.readRows(1, 1).shape, [1, ...whole.shape.slice(1)]);
        assert.throws(() => file.readRows(0, file.rows + 1), { name: 'RangeError', message: `npy: rows [0, ${file.rows + 1}) are outside the array's ${file.rows}` });
        file.close();
        assert.throws(() => file.readRows(0, 1), { message: 'npy: the file is closed' });
      }
    });
    it('a 2 MB file read 1000 rows at a time', () => {
      const big = new Tensor(Int32Array.from({ length: 5000 * 100 }, (_, i) => i * 7), [5000, 100]);
      const file = path.join(tmp, 'big.npy');
      npy.save(file, big);
      const reader = npy.open(file);
      let row = 0;
      for (const chunk of reader.chunks(1000)) {
        assert.equal(chunk.dtype, 'int32');
        assert.equal(chunk.data[0], row * 100 * 7);
        row += chunk.shape[0];
      }
      assert.equal(row, 5000);
      reader.close();
    });
    it('reads the rows of a Fortran-order file as npy.load gives them, and refuses its file order', () => {
      const file = path.join(DIR, 'i8_be_fortran.npy');
      const whole = npy.load(file);
      const reader = npy.open(file);
      assert.equal(reader.fortranOrder, true);
      for (const [start, count] of [[0, 2], [0, 1], [1, 1], [2, 0]]) {
        const rows = reader.readRows(start, count);
        assert.deepEqual(rows.shape, [count, 3, 4]);
        assert.deepEqual(Array.from(rows.data), Array.from(whole.data.subarray(start * 12, (start + count) * 12)));
      }
      assert.throws(() => reader.readElements(0, 4), {
        message: 'npy: elements of a Fortran-order array (2, 3, 4) are stored column-major; read it by rows (readRows)',
      });
      reader.close();
    });
    it('NpyRowWriter writes np.save\'s bytes, and resumes after a cut-off row', () => {
      const rows = new Float32Array(6 * 4).map((_, i) => i / 3);
      const whole = path.join(tmp, 'whole.npy');
      npy.save(whole, new Tensor(rows, [6, 4]));
      const streamed = path.join(tmp, 'streamed.npy');
      const writer = NpyRowWriter.create(streamed, 'float32', [4]);
      writer.append(rows.subarray(0, 8));
      writer.append(rows.subarray(8, 12));
      writer.close();
      fs.appendFileSync(streamed, Buffer.alloc(5)); // half a row, as a killed process leaves it
      const resumed = NpyRowWriter.resume(streamed, 'float32', [4]);
      assert.equal(resumed.rows, 3);
      resumed.append(rows.subarray(12));
      resumed.finish();
      assert.deepEqual(fs.readFileSync(streamed), fs.readFileSync(whole));
      assert.throws(() => NpyRowWriter.resume(whole, 'float32', [5]), { message: `npy: cannot resume ${whole}: it holds float32 rows of (4,), this run writes float32 rows of (5,)` });
    });
  });
});
