// Positional reads from a file or from bytes in memory: the zip reader asks for exactly the
// ranges it needs (the end records, the central directory, each record it uses), so a
// file is never read whole and never read past its end.

import * as fs from 'fs';
import { readFileRange } from '../formats/read-file-range';
import { PtError } from './errors';

export interface ByteSource {
  /** Total length in bytes. */
  readonly length: number;
  /**
   * `length` bytes from `position`; the range must lie inside the source (callers check it
   * first, with the message that names what they were reading).
   */
  read(position: number, length: number): Uint8Array;
}

/** A source over a Uint8Array view; reads are views into it, not copies. */
export class MemorySource implements ByteSource {
  constructor(private readonly bytes: Uint8Array) {}

  get length(): number {
    return this.bytes.length;
  }

  read(position: number, length: number): Uint8Array {
    checkRange(position, length, this.bytes.length);
    return this.bytes.subarray(position, position + length);
  }
}

/** A source over an open file descriptor; each read is one `fs.readSync` loop into a fresh buffer. */
export class FileSource implements ByteSource {
  readonly length: number;

  constructor(private readonly fd: number) {
    this.length = fs.fstatSync(fd).size;
  }

  read(position: number, length: number): Uint8Array {
    checkRange(position, length, this.length);
    return readFileRange(this.fd, length, position,
      () => new PtError('the file ended while it was being read (was it truncated or modified meanwhile?)'));
  }
}

function checkRange(position: number, length: number, total: number): void {
  if (!Number.isSafeInteger(position) || !Number.isSafeInteger(length) || position < 0 || length < 0 || position + length > total) {
    // Never reached through the readers, which check every range against the file first.
    throw new PtError(`internal: read of ${length} bytes at ${position} outside a source of ${total} bytes`);
  }
}
