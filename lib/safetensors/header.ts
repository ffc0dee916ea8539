// Parsing and validation of a safetensors header, before any tensor byte is touched.
//
// A file is:
//   8 bytes   N, the header length, unsigned 64-bit little-endian
//   N bytes   a UTF-8 JSON object: "__metadata__" (optional, string -> string) and one
//             entry per tensor, {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]}
//   the rest  the data section; each tensor's bytes at [begin, end) within it
//
// The checks follow the reference implementation (huggingface/safetensors,
// `SafeTensors::read_metadata` and `Metadata::validate`): the header length is at most
// 100,000,000 and inside the file; the header is UTF-8 JSON of the expected shape; sorted by
// offset, the tensors tile the data section from 0 with no gap, no overlap and no trailing
// byte; and each tensor's byte range is exactly prod(shape) * dtype size. Once a header
// passes, every tensor range lies inside the data section, so reading can never go out of
// bounds. Every failure is an Error with its own message, prefixed "safetensors: ".

import { dtypeBits, isKnownDtype } from './dtypes';
import { findDuplicateKey } from './duplicate-keys';

/** The reference implementation's limit on the header length. */
export const MAX_HEADER_LENGTH = 100_000_000;
/** Bytes of the header-length field. */
export const LENGTH_FIELD_BYTES = 8;

/** One tensor of the header, its offsets relative to the start of the data section. */
export interface TensorEntry {
  readonly name: string;
  /** A dtype the format defines; not necessarily one that loads as float32. */
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly begin: number;
  readonly end: number;
}

export interface ParsedHeader {
  /** N, the length of the JSON header in bytes. */
  readonly headerLength: number;
  /** Where the data section starts in the file: 8 + N. */
  readonly dataStart: number;
  /** `__metadata__`, or an empty record when the file has none. */
  readonly metadata: Record<string, string>;
  /** The tensors in file order (sorted by offset). */
  readonly tensors: readonly TensorEntry[];
}

function fail(message: string): never {
  throw new Error(`safetensors: ${message}`);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** A JSON string of `text`, cut short so that messages stay readable. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

/** A short rendering of any JSON value, bounded however large or deep the value is. */
function preview(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (Array.isArray(value)) return formatList(value.slice(0, 9).map(shallow), value.length);
  return shallow(value);
}

function shallow(value: unknown): string {
  if (value !== null && typeof value === 'object') return Array.isArray(value) ? '[...]' : '{...}';
  return typeof value === 'string' ? quote(value) : String(value);
}

/** "[a, b, c]", with at most 8 of the list's `total` items shown. */
export function formatList(items: readonly unknown[], total = items.length): string {
  const shown = items.slice(0, 8).join(', ');
  return total > 8 ? `[${shown}, ... (${total} items)]` : `[${shown}]`;
}

/** Strict UTF-8 (no replacement characters) that keeps a byte-order mark, which JSON then rejects. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Reads and checks the 8-byte header length. `prefix` holds the first bytes of a file of
 * `fileLength` bytes (at least 8 of them when the file has 8).
 */
export function readHeaderLength(prefix: Uint8Array, fileLength: number): number {
  if (fileLength < LENGTH_FIELD_BYTES) {
    fail(`file is ${fileLength} bytes, too short to hold the 8-byte header length`);
  }
  // Two 32-bit halves: a JavaScript number cannot hold every u64, and a DataView on the
  // bytes works at any alignment.
  const view = new DataView(prefix.buffer, prefix.byteOffset, LENGTH_FIELD_BYTES);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  if (high !== 0 || low > MAX_HEADER_LENGTH) {
    const length = (BigInt(high) << 32n) | BigInt(low);
    fail(`header length ${length} is larger than the limit of ${MAX_HEADER_LENGTH} bytes`);
  }
  if (LENGTH_FIELD_BYTES + low > fileLength) {
    fail(`header length ${low} runs past the end of the file (${fileLength - LENGTH_FIELD_BYTES} bytes follow the length field)`);
  }
  return low;
}

/**
 * Parses and validates the JSON header. `headerBytes` are the N bytes after the length
 * field of a file of `fileLength` bytes; the data section is everything after them.
 */
export function parseHeader(headerBytes: Uint8Array, fileLength: number): ParsedHeader {
  const headerLength = headerBytes.length;
  const dataStart = LENGTH_FIELD_BYTES + headerLength;
  const dataLength = fileLength - dataStart;

  let text: string;
  try {
    text = utf8.decode(headerBytes);
  } catch {
    fail('header is not valid UTF-8');
  }
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    fail('header is not valid JSON');
  }
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    fail(`header must be a JSON object, got ${kindOf(root)}`);
  }
  const duplicate = findDuplicateKey(text);
  if (duplicate !== undefined) fail(`header has duplicate key ${quote(duplicate)}`);

  const fields = root as Record<string, unknown>;
  let metadata: Record<string, string> = {};
  const tensors: TensorEntry[] = [];
  for (const name of Object.keys(fields)) {
    if (name === '__metadata__') metadata = checkMetadata(fields[name]);
    else tensors.push(checkEntry(name, fields[name]));
  }

  // Like the reference: order by offsets, then the tensors must tile the data section.
  tensors.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let position = 0;
  let previous: TensorEntry | undefined;
  for (const entry of tensors) {
    checkPlacement(entry, position, previous);
    checkByteSize(entry);
    if (entry.end > dataLength) {
      fail(`tensor ${quote(entry.name)} has data_offsets ${formatList([entry.begin, entry.end])}, past the end of the data (${dataLength} bytes)`);
    }
    position = entry.end;
    previous = entry;
  }
  if (position !== dataLength) {
    fail(`the tensors end at byte ${position} of the data, but it is ${dataLength} bytes long (${dataLength - position} trailing bytes)`);
  }
  return { headerLength, dataStart, metadata, tensors };
}

/** Reads the length field and the header of a whole file held in memory. */
export function readHeader(bytes: Uint8Array): ParsedHeader {
  const headerLength = readHeaderLength(bytes, bytes.length);
  const start = LENGTH_FIELD_BYTES;
  return parseHeader(bytes.subarray(start, start + headerLength), bytes.length);
}

function checkMetadata(value: unknown): Record<string, string> {
  // The reference reads `Option<HashMap<String, String>>`, so null means "none".
  const metadata: Record<string, string> = {};
  if (value === null) return metadata;
  if (typeof value !== 'object' || Array.isArray(value)) {
    fail(`__metadata__ must be an object of string values, got ${kindOf(value)}`);
  }
  const entries = value as Record<string, unknown>;
  for (const key of Object.keys(entries)) {
    const item = entries[key];
    if (typeof item !== 'string') fail(`__metadata__[${quote(key)}] must be a string, got ${kindOf(item)}`);
    // defineProperty: a key such as "__proto__" stays an ordinary entry.
    Object.defineProperty(metadata, key, { value: item, enumerable: true, writable: true, configurable: true });
  }
  return metadata;
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function checkEntry(name: string, value: unknown): TensorEntry {
  const label = `tensor ${quote(name)}`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(`${label} must be an object with dtype, shape and data_offsets, got ${kindOf(value)}`);
  }
  // Other fields are ignored, as the reference ignores them.
  const info = value as Record<string, unknown>;
  for (const field of ['dtype', 'shape', 'data_offsets']) {
    if (!Object.prototype.hasOwnProperty.call(info, field)) fail(`${label} is missing "${field}"`);
  }
  const { dtype, shape, data_offsets: offsets } = info;
  if (!isKnownDtype(dtype)) fail(`${label} has unknown dtype ${preview(dtype)}`);
  if (!Array.isArray(shape) || !shape.every(isIndex)) {
    fail(`${label} has invalid shape ${preview(shape)}: expected a list of non-negative integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !isIndex(offsets[0]) || !isIndex(offsets[1])) {
    fail(`${label} has invalid data_offsets ${preview(offsets)}: expected [begin, end], two non-negative integers`);
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) fail(`${label} has data_offsets ${formatList([begin, end])} that end before they begin`);
  return { name, dtype, shape: shape as number[], begin, end };
}

function checkPlacement(entry: TensorEntry, position: number, previous: TensorEntry | undefined): void {
  if (entry.begin === position) return;
  const label = `tensor ${quote(entry.name)} has data_offsets ${formatList([entry.begin, entry.end])}`;
  if (previous === undefined) fail(`${label}, but the first tensor must begin at offset 0`);
  if (entry.begin > position) {
    fail(`${label}, leaving a gap after tensor ${quote(previous.name)}, which ends at ${position}`);
  }
  fail(`${label}, overlapping tensor ${quote(previous.name)}, which ends at ${position}`);
}

/** prod(shape) * dtype size must be exactly the tensor's byte range. */
function checkByteSize(entry: TensorEntry): void {
  const label = `tensor ${quote(entry.name)} has shape ${formatList(entry.shape)} and dtype ${entry.dtype}`;
  // BigInt keeps the product exact; stopping past 2^64 (the reference's usize overflow)
  // keeps it cheap for absurd shapes.
  const limit = 2n ** 64n;
  let elements = 1n;
  if (entry.shape.includes(0)) {
    elements = 0n; // empty tensors are legal, whatever their other sizes
  } else {
    for (const size of entry.shape) {
      elements *= BigInt(size);
      if (elements > limit) fail(`${label}, whose element count overflows 64 bits`);
    }
  }
  const bits = elements * BigInt(dtypeBits(entry.dtype));
  if (bits % 8n !== 0n) {
    fail(`${label}, which need ${bits} bits, not a whole number of bytes`);
  }
  const needed = bits / 8n;
  const span = entry.end - entry.begin;
  if (needed !== BigInt(span)) {
    fail(`${label}, which need ${needed} bytes, but data_offsets ${formatList([entry.begin, entry.end])} hold ${span}`);
  }
}
