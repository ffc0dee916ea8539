// The .npy header: magic, version, header length, and the dict literal describing the
// array, validated as numpy's format.read_array_header_* does and with its messages, before
// any data byte is looked at. https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
import { NpyKind, ByteOrder, SUPPORTED_DESCRIPTORS, parseDescr } from './dtypes';
import { LiteralSyntaxError, PythonDict, PythonLiteral, PythonTuple, parsePythonLiteral, pythonRepr } from './literal';

export const MAGIC = Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY
/** magic (6) + version (2): the bytes before the header-length field. */
export const PREAMBLE_BYTES = 8;
/** numpy's `max_header_size` default: longer headers are refused as unsafe to parse. */
export const MAX_HEADER_BYTES = 10000;

export interface NpyHeader {
  version: [number, number];
  /** Byte offset of the first data byte: preamble, length field, header. */
  dataOffset: number;
  kind: NpyKind;
  byteOrder: ByteOrder;
  fortranOrder: boolean;
  shape: number[];
  /** Elements: the product of shape. */
  count: number;
  /** Bytes of data the header promises: count * itemSize. */
  dataBytes: number;
}

/** Python's repr of bytes, as numpy's magic-string message shows them. */
function bytesRepr(bytes: Uint8Array): string {
  let out = "b'";
  for (const byte of bytes) {
    if (byte === 0x5c) out += '\\\\';
    else if (byte === 0x27) out += "\\'";
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return `${out}'`;
}

/** The length-field size of a format version, or an Error for a version numpy does not read. */
function lengthFieldBytes(major: number, minor: number): number {
  if (major === 1 && minor === 0) return 2;
  if ((major === 2 || major === 3) && minor === 0) return 4;
  throw new Error(`npy: we only support format version (1,0), (2,0), and (3,0), not (${major}, ${minor})`);
}

/**
 * Checks the magic string and version in the first bytes of a file and returns where the
 * header text lies. `prefix` must hold at least the first 12 bytes when the file has them.
 */
export function readPreamble(prefix: Uint8Array, fileLength: number): { version: [number, number]; headerStart: number; headerLength: number } {
  const magic = prefix.subarray(0, MAGIC.length);
  if (magic.length < MAGIC.length || magic.some((byte, i) => byte !== MAGIC[i])) {
    throw new Error(`npy: the magic string is not correct; expected ${bytesRepr(MAGIC)}, got ${bytesRepr(magic)}`);
  }
  if (prefix.length < PREAMBLE_BYTES) throw new Error('npy: EOF: reading array header version, expected 2 bytes got ' + (prefix.length - MAGIC.length));
  const major = prefix[6];
  const minor = prefix[7];
  const fieldBytes = lengthFieldBytes(major, minor);
  const headerStart = PREAMBLE_BYTES + fieldBytes;
  if (prefix.length < headerStart) {
    throw new Error(`npy: EOF: reading array header length, expected ${fieldBytes} bytes got ${prefix.length - PREAMBLE_BYTES}`);
  }
  const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  const headerLength = fieldBytes === 2 ? view.getUint16(PREAMBLE_BYTES, true) : view.getUint32(PREAMBLE_BYTES, true);
  if (headerLength > MAX_HEADER_BYTES) {
    throw new Error(
      `npy: Header info length (${headerLength}) is large and may not be safe to load securely (numpy's limit is ${MAX_HEADER_BYTES} bytes)`,
    );
  }
  if (headerStart + headerLength > fileLength) {
    throw new Error(`npy: EOF: reading array header, expected ${headerLength} bytes got ${Math.max(0, fileLength - headerStart)}`);
  }
  return { version: [major, minor], headerStart, headerLength };
}

function decodeHeaderText(bytes: Uint8Array, major: number): string {
  // Versions 1 and 2 are latin1, version 3 utf8 (numpy's _header_size_info).
  if (major === 3) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new Error('npy: the array header is not valid UTF-8');
    }
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** numpy's checks of the header dict, in its order, with its messages. */
export function parseHeaderText(bytes: Uint8Array, version: [number, number], dataOffset: number): NpyHeader {
  const text = decodeHeaderText(bytes, version[0]);
  let literal: PythonLiteral;
  try {
    literal = parsePythonLiteral(text);
  } catch (error) {
    if (!(error instanceof LiteralSyntaxError)) throw error;
    throw new Error(`npy: Cannot parse header: ${pythonRepr(text)}`);
  }
  if (!(literal instanceof PythonDict)) throw new Error(`npy: Header is not a dictionary: ${pythonRepr(literal)}`);
  const keys = [...literal.entries.keys()].sort();
  if (keys.join(',') !== 'descr,fortran_order,shape') {
    throw new Error(`npy: Header does not contain the correct keys: [${keys.map((key) => pythonRepr(key)).join(', ')}]`);
  }
  const shapeValue = literal.entries.get('shape')!;
  if (!(shapeValue instanceof PythonTuple) || !shapeValue.items.every((size) => typeof size === 'bigint')) {
    throw new Error(`npy: shape is not valid: ${pythonRepr(shapeValue)}`);
  }
  const fortranOrder = literal.entries.get('fortran_order')!;
  if (typeof fortranOrder !== 'boolean') throw new Error(`npy: fortran_order is not a valid bool: ${pythonRepr(fortranOrder)}`);
  const descrValue = literal.entries.get('descr')!;
  if (typeof descrValue !== 'string') {
    // A list is a structured dtype: valid numpy, but not a tensor.
    throw new Error(`npy: descr ${pythonRepr(descrValue)} is a structured dtype, which is not a tensor; supported: ${SUPPORTED_DESCRIPTORS}`);
  }
  const descr = parseDescr(descrValue);
  if (!descr) throw new Error(`npy: descr ${pythonRepr(descrValue)} is not a dtype this library reads; supported: ${SUPPORTED_DESCRIPTORS}`);

  const sizes = shapeValue.items as bigint[];
  if (sizes.length > 64) throw new Error(`npy: shape ${pythonRepr(shapeValue)} has ${sizes.length} dimensions; a tensor has at most 64`);
  let count = 1n;
  for (const size of sizes) {
    if (size < 0n) throw new Error(`npy: negative dimensions are not allowed: shape ${pythonRepr(shapeValue)}`);
    count *= size;
  }
  const dataBytes = count * BigInt(descr.kind.itemSize);
  if (dataBytes > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new Error(`npy: shape ${pythonRepr(shapeValue)} of ${descrValue} needs ${dataBytes} bytes, more than any file holds`);
  }
  return {
    version,
    dataOffset,
    kind: descr.kind,
    byteOrder: descr.byteOrder,
    fortranOrder,
    shape: sizes.map(Number),
    count: Number(count),
    dataBytes: Number(dataBytes),
  };
}

/** Shape as Python prints a tuple, for messages: (3,), (2, 4). */
export function shapeRepr(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** The whole header of an in-memory file, checked against the file's length. */
export function readHeader(bytes: Uint8Array): NpyHeader {
  const { version, headerStart, headerLength } = readPreamble(bytes.subarray(0, 12), bytes.length);
  const header = parseHeaderText(bytes.subarray(headerStart, headerStart + headerLength), version, headerStart + headerLength);
  checkDataLength(header, bytes.length);
  return header;
}

/**
 * The data must hold what the header promises: a short file is truncated. Bytes after it are
 * left unread, as np.load leaves them (np.save twice to one handle writes a second array there).
 */
export function checkDataLength(header: NpyHeader, fileLength: number): void {
  const held = fileLength - header.dataOffset;
  if (held < header.dataBytes) {
    throw new Error(
      `npy: the file is truncated: shape ${shapeRepr(header.shape)} of ${header.kind.dtype} needs ${header.dataBytes} bytes of data, the file holds ${held}`,
    );
  }
}
