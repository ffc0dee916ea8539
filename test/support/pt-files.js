'use strict';
// Hand-made torch.save files for the tests of lib/pt: a stored zip with torch's layout
// (`<name>/data.pkl`, `<name>/data/<key>`), and pickles written opcode by opcode, so that a
// test can say exactly which hostile or damaged structure it feeds the reader.
const zlib = require('node:zlib');

function crc32(bytes) {
  if (typeof zlib.crc32 === 'function') return zlib.crc32(bytes) >>> 0;
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A stored zip of [name, bytes] records, sizes and CRCs in the central directory as torch writes them. */
function zipOf(records) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, data] of records) {
    const nameBytes = Buffer.from(name, 'utf8');
    const body = Buffer.from(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 8);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc32(body), 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(body.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, body);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(records.length, 8);
  end.writeUInt16LE(records.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, directory, end]));
}

/** A torch-style archive around a data.pkl and storages ({ key: bytes }). */
function archiveOf(pickle, storages = {}, name = 'archive') {
  const records = [[`${name}/data.pkl`, pickle]];
  for (const [key, bytes] of Object.entries(storages)) records.push([`${name}/data/${key}`, bytes]);
  records.push([`${name}/version`, Buffer.from('3\n')]);
  return zipOf(records);
}

/** Pickle bytes from pieces: numbers are opcodes/bytes, strings are latin1 text. */
function bytesOf(...pieces) {
  const parts = pieces.map((piece) => {
    if (typeof piece === 'number') return Buffer.of(piece);
    if (typeof piece === 'string') return Buffer.from(piece, 'latin1');
    return Buffer.from(piece);
  });
  return new Uint8Array(Buffer.concat(parts));
}

const op = {
  PROTO2: [0x80, 2],
  STOP: 0x2e,
  MARK: 0x28,
  EMPTY_DICT: 0x7d,
  EMPTY_LIST: 0x5d,
  EMPTY_TUPLE: 0x29,
  APPEND: 0x61,
  SETITEM: 0x73,
  SETITEMS: 0x75,
  TUPLE: 0x74,
  TUPLE2: 0x86,
  REDUCE: 0x52,
  BUILD: 0x62,
  NEWFALSE: 0x89,
  BINPERSID: 0x51,
  global: (module, name) => [0x63, `${module}\n${name}\n`],
  str: (text) => {
    const body = Buffer.from(text, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(body.length);
    return [0x58, length, body];
  },
  int: (value) => {
    const body = Buffer.alloc(4);
    body.writeInt32LE(value);
    return [0x4a, body];
  },
};

/** Flattens nested pieces for bytesOf. */
function pickleOf(...pieces) {
  return bytesOf(...pieces.flat(3));
}

/**
 * The pickle torch writes for `{name: tensor}` with one float32 storage: `_rebuild_tensor_v2`
 * of storage `key` (`numel` elements) at `offset` with `size` and `stride`.
 */
function tensorDictPickle({ name = 'w', key = '0', numel, offset = 0, size, stride, storageType = 'FloatStorage' }) {
  const tuple = (values) => [op.MARK, ...values.map(op.int), op.TUPLE];
  return pickleOf(
    op.PROTO2,
    op.global('collections', 'OrderedDict'), op.EMPTY_TUPLE, op.REDUCE,
    op.str(name),
    op.global('torch._utils', '_rebuild_tensor_v2'),
    op.MARK,
    op.MARK, op.str('storage'), op.global('torch', storageType), op.str(key), op.str('cpu'), op.int(numel), op.TUPLE,
    op.BINPERSID,
    op.int(offset), tuple(size), tuple(stride), op.NEWFALSE,
    op.global('collections', 'OrderedDict'), op.EMPTY_TUPLE, op.REDUCE,
    op.TUPLE, op.REDUCE,
    op.SETITEM,
    op.STOP,
  );
}

module.exports = { zipOf, archiveOf, pickleOf, bytesOf, op, tensorDictPickle, crc32 };
