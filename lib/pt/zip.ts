// A zip reader for torch.save archives: the central directory, read over positional reads.
//
// Why not a library: yauzl is async-only (no synchronous loadFile), fflate and adm-zip want
// the whole file in memory and fflate trusts the declared sizes, unzipper is async with 18
// dependencies. torch's writer (PyTorchStreamWriter, on miniz) needs little: stored
// records (64-byte aligned), zip64 end records, sizes and CRCs only in the central
// directory (the local headers hold zeros, a few versions write CRC 0). Deflated records
// (an archive re-zipped by a tool) are inflated by node:zlib with maxOutputLength set to the
// declared size, so a zip bomb cannot allocate more than the directory says.
//
// Every offset and size is checked against the file before a byte is read: the end
// records, the directory, each entry's local header and data range.

import * as zlib from 'zlib';
import { ByteSource } from './source';
import { PtError, quoteName } from './errors';

const EOCD_SIGNATURE = 0x06054b50;
const EOCD64_LOCATOR_SIGNATURE = 0x07064b50;
const EOCD64_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_BYTES = 22;
const MAX_COMMENT = 0xffff;
const CENTRAL_BYTES = 46;
const LOCAL_BYTES = 30;
/** More entries than any checkpoint has (a storage per tensor): bounds the directory's cost. */
const MAX_ENTRIES = 1 << 20;

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly crc: number;
  readonly localHeaderOffset: number;
}

function fail(message: string): never {
  throw new PtError(`corrupt zip archive: ${message}`);
}

function u16(bytes: Uint8Array, at: number): number {
  return bytes[at] | (bytes[at + 1] << 8);
}

function u32(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

/** A u64 that must be a safe integer (every offset and size in a file that exists is). */
function u64(bytes: Uint8Array, at: number, what: string): number {
  const low = u32(bytes, at);
  const high = u32(bytes, at + 4);
  if (high >= 0x200000) fail(`${what} (${(BigInt(high) << 32n) | BigInt(low)}) is larger than any file`);
  return high * 2 ** 32 + low;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class ZipArchive {
  readonly entries: ReadonlyMap<string, ZipEntry>;

  constructor(private readonly source: ByteSource) {
    this.entries = readCentralDirectory(source);
  }

  /** The record's bytes (inflated if deflated), checked against its declared size and CRC. */
  read(entry: ZipEntry): Uint8Array {
    const source = this.source;
    if (entry.localHeaderOffset + LOCAL_BYTES > source.length) {
      fail(`the local header of ${quoteName(entry.name)} at ${entry.localHeaderOffset} lies past the end of the file`);
    }
    const local = source.read(entry.localHeaderOffset, LOCAL_BYTES);
    if (u32(local, 0) !== LOCAL_SIGNATURE) fail(`no local header for ${quoteName(entry.name)} at offset ${entry.localHeaderOffset}`);
    const dataStart = entry.localHeaderOffset + LOCAL_BYTES + u16(local, 26) + u16(local, 28);
    if (dataStart + entry.compressedSize > source.length) {
      fail(`the data of ${quoteName(entry.name)} (${entry.compressedSize} bytes at ${dataStart}) runs past the end of the file (${source.length} bytes)`);
    }
    const raw = source.read(dataStart, entry.compressedSize);
    let data: Uint8Array;
    if (entry.method === 0) {
      data = raw;
    } else {
      try {
        data = zlib.inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.size) });
      } catch (error) {
        fail(`the deflated data of ${quoteName(entry.name)} does not inflate to its ${entry.size} bytes (${(error as Error).message})`);
      }
      if (data.length !== entry.size) fail(`${quoteName(entry.name)} inflates to ${data.length} bytes, not the ${entry.size} its directory entry says`);
    }
    checkCrc(entry, data);
    return data;
  }
}

type Crc32 = (data: Uint8Array, value?: number) => number;
const crc32: Crc32 | undefined = (zlib as unknown as { crc32?: Crc32 }).crc32;

function checkCrc(entry: ZipEntry, data: Uint8Array): void {
  // CRC 0 is what some torch versions write for every record; Node < 20.15 has no zlib.crc32.
  if (entry.crc === 0 || crc32 === undefined) return;
  const actual = crc32(data) >>> 0;
  if (actual !== entry.crc) {
    fail(`the CRC-32 of ${quoteName(entry.name)} is ${hex(actual)}, not the ${hex(entry.crc)} its directory entry says (the file is damaged)`);
  }
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

interface EndRecord {
  entryCount: number;
  directorySize: number;
  directoryOffset: number;
}

function findEndRecord(source: ByteSource): { record: EndRecord; eocdOffset: number } {
  if (source.length < EOCD_BYTES) fail(`the file is ${source.length} bytes, too short for a zip's end record`);
  const tailLength = Math.min(source.length, EOCD_BYTES + MAX_COMMENT);
  const tailStart = source.length - tailLength;
  const tail = source.read(tailStart, tailLength);
  for (let at = tail.length - EOCD_BYTES; at >= 0; at--) {
    if (u32(tail, at) !== EOCD_SIGNATURE) continue;
    // The comment must end exactly at the end of the file, or this is a stray signature.
    if (at + EOCD_BYTES + u16(tail, at + 20) !== tail.length) continue;
    const record = {
      entryCount: u16(tail, at + 10),
      directorySize: u32(tail, at + 12),
      directoryOffset: u32(tail, at + 16),
    };
    return { record, eocdOffset: tailStart + at };
  }
  fail('no end-of-central-directory record (the file is truncated, or not a zip archive)');
}

function readZip64End(source: ByteSource, eocdOffset: number): EndRecord {
  if (eocdOffset < 20) fail('the end record asks for zip64, but there is no room for its locator');
  const locator = source.read(eocdOffset - 20, 20);
  if (u32(locator, 0) !== EOCD64_LOCATOR_SIGNATURE) fail('the end record asks for zip64, but there is no zip64 locator before it');
  const recordOffset = u64(locator, 8, 'the zip64 end record offset');
  if (recordOffset + 56 > eocdOffset - 20) fail(`the zip64 end record offset ${recordOffset} lies past the locator`);
  const record = source.read(recordOffset, 56);
  if (u32(record, 0) !== EOCD64_SIGNATURE) fail(`no zip64 end record at offset ${recordOffset}`);
  return {
    entryCount: u64(record, 32, 'the zip64 entry count'),
    directorySize: u64(record, 40, 'the zip64 central directory size'),
    directoryOffset: u64(record, 48, 'the zip64 central directory offset'),
  };
}

function readCentralDirectory(source: ByteSource): Map<string, ZipEntry> {
  const { record: end, eocdOffset } = findEndRecord(source);
  let record = end;
  if (end.entryCount === 0xffff || end.directorySize === 0xffffffff || end.directoryOffset === 0xffffffff) {
    record = readZip64End(source, eocdOffset);
  }
  const { entryCount, directorySize, directoryOffset } = record;
  if (directoryOffset + directorySize > eocdOffset) {
    fail(`the central directory (${directorySize} bytes at ${directoryOffset}) runs past its end record at ${eocdOffset}`);
  }
  if (entryCount > MAX_ENTRIES || entryCount * CENTRAL_BYTES > directorySize) {
    fail(`${entryCount} entries cannot fit in a central directory of ${directorySize} bytes`);
  }
  const directory = source.read(directoryOffset, directorySize);
  const entries = new Map<string, ZipEntry>();
  let at = 0;
  for (let index = 0; index < entryCount; index++) {
    if (at + CENTRAL_BYTES > directory.length) fail(`entry ${index} runs past the end of the central directory`);
    if (u32(directory, at) !== CENTRAL_SIGNATURE) fail(`entry ${index} of the central directory has no signature`);
    const flags = u16(directory, at + 8);
    const method = u16(directory, at + 10);
    const crc = u32(directory, at + 16);
    let compressedSize = u32(directory, at + 20);
    let size = u32(directory, at + 24);
    const nameLength = u16(directory, at + 28);
    const extraLength = u16(directory, at + 30);
    const commentLength = u16(directory, at + 32);
    let localHeaderOffset = u32(directory, at + 42);
    const nameStart = at + CENTRAL_BYTES;
    const extraStart = nameStart + nameLength;
    const next = extraStart + extraLength + commentLength;
    if (next > directory.length) fail(`entry ${index} runs past the end of the central directory`);
    let name: string;
    try {
      name = utf8.decode(directory.subarray(nameStart, extraStart));
    } catch {
      fail(`the name of entry ${index} is not valid UTF-8`);
    }
    // zip64: the fields that overflowed 32 bits, in this order, in extra field 0x0001.
    if (size === 0xffffffff || compressedSize === 0xffffffff || localHeaderOffset === 0xffffffff) {
      const extra = findExtra(directory.subarray(extraStart, extraStart + extraLength), 0x0001);
      if (extra === undefined) fail(`${quoteName(name)} has 32-bit sizes marked zip64 but no zip64 extra field`);
      let p = 0;
      const take = (what: string): number => {
        if (p + 8 > extra.length) fail(`the zip64 extra field of ${quoteName(name)} is too short for its ${what}`);
        const value = u64(extra, p, `the ${what} of ${quoteName(name)}`);
        p += 8;
        return value;
      };
      if (size === 0xffffffff) size = take('size');
      if (compressedSize === 0xffffffff) compressedSize = take('compressed size');
      if (localHeaderOffset === 0xffffffff) localHeaderOffset = take('local header offset');
    }
    if ((flags & 0x1) !== 0) fail(`${quoteName(name)} is encrypted`);
    if (method !== 0 && method !== 8) fail(`${quoteName(name)} uses compression method ${method} (only stored and deflated records are read)`);
    if (method === 0 && compressedSize !== size) fail(`${quoteName(name)} is stored, yet its sizes differ (${compressedSize} and ${size})`);
    if (localHeaderOffset + LOCAL_BYTES > directoryOffset) {
      fail(`the local header of ${quoteName(name)} at ${localHeaderOffset} lies past the start of the central directory`);
    }
    if (entries.has(name)) fail(`${quoteName(name)} appears twice`);
    entries.set(name, { name, method, compressedSize, size, crc, localHeaderOffset });
    at = next;
  }
  return entries;
}

function findExtra(extra: Uint8Array, id: number): Uint8Array | undefined {
  let p = 0;
  while (p + 4 <= extra.length) {
    const fieldId = u16(extra, p);
    const length = u16(extra, p + 2);
    if (p + 4 + length > extra.length) return undefined;
    if (fieldId === id) return extra.subarray(p + 4, p + 4 + length);
    p += 4 + length;
  }
  return undefined;
}
