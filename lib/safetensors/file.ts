// Reading just the header of a file on disk, so that `metadata(path)` on a large
// checkpoint costs two small reads rather than the whole file.

import * as fs from 'fs';
import { LENGTH_FIELD_BYTES, ParsedHeader, parseHeader, readHeaderLength } from './header';
import { refuseForeignFormat } from '../formats/sniff';
import { readFileRange } from '../formats/read-file-range';

function readExactly(fd: number, length: number, position: number): Uint8Array {
  return readFileRange(fd, length, position,
    () => new Error('safetensors: the file ended while its header was being read (was it modified?)'));
}

/** Reads and validates the header of the safetensors file at `path`, without its data. */
export function readHeaderFromFile(path: string): ParsedHeader {
  const fd = fs.openSync(path, 'r');
  try {
    const fileLength = fs.fstatSync(fd).size;
    // 14 bytes: enough to recognise torch.save's legacy magic number.
    const prefix = readExactly(fd, Math.min(fileLength, 14), 0);
    refuseForeignFormat(prefix, 'safetensors', 'pt.loadFile(path)');
    const headerLength = readHeaderLength(prefix, fileLength);
    return parseHeader(readExactly(fd, headerLength, LENGTH_FIELD_BYTES), fileLength);
  } finally {
    fs.closeSync(fd);
  }
}
