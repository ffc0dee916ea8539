// A .npy file on disk read a few rows at a time (NpyFile), and one written a few rows at a
// time (NpyRowWriter): a dataset larger than memory streams through both. Every read is
// positional and bounded by the validated header.
import * as fs from 'fs';
import { bytesPerElement } from '../dtype';
import type { DType, TensorData } from '../dtype';
import { AnyTensor, Tensor } from '../tensor';
import { decodeElements, encodeElements, fortranToC } from './data';
import { NpyHeader, checkDataLength, parseHeaderText, readPreamble, shapeRepr } from './header';
import { encodeHeader } from './writer';
import { readFileRange } from '../formats/read-file-range';

function readExactly(fd: number, length: number, position: number): Uint8Array {
  return readFileRange(fd, length, position, () => new Error('npy: the file ended early (was it modified while being read?)'));
}

/** Reads and validates the header of the .npy file open as `fd`, whose length is `fileLength`. */
function readHeaderFromFd(fd: number, fileLength: number): NpyHeader {
  const prefix = readExactly(fd, Math.min(fileLength, 12), 0);
  const { version, headerStart, headerLength } = readPreamble(prefix, fileLength);
  return parseHeaderText(readExactly(fd, headerLength, headerStart), version, headerStart + headerLength);
}

/**
 * An open .npy file whose rows (slices along the first dimension) are read on demand,
 * without loading the file: `npy.open(path)`. The header is validated, and the file's
 * length checked against it, when the file is opened.
 *
 * @example
 * ```ts
 * const file = npy.open('ids.npy');   // (N, L) int64
 * for (const rows of file.chunks(4096)) console.log(rows.shape); // [4096, L], ..., the rest
 * file.close();
 * ```
 */
export class NpyFile {
  /** The element type the rows load as. */
  readonly dtype: DType;
  /** The array's shape as the header gives it. */
  readonly shape: readonly number[];
  /**
   * True when the file stores the array column-major (numpy's `fortran_order`, as np.save
   * writes a transposed array): readRows gathers each row's elements, readElements (file
   * order) is refused for more than one dimension.
   */
  readonly fortranOrder: boolean;
  private fd: number | null;
  private readonly header: NpyHeader;
  /** Elements per row: the product of every dimension but the first. */
  private readonly rowElements: number;

  /** Opens and validates `path`. @throws Error for a malformed or truncated file. */
  constructor(path: string) {
    if (typeof path !== 'string') throw new TypeError(`npy.open: path must be a string, got ${typeof path}`);
    const fd = fs.openSync(path, 'r');
    try {
      const fileLength = fs.fstatSync(fd).size;
      const header = readHeaderFromFd(fd, fileLength);
      checkDataLength(header, fileLength);
      if (header.shape.length === 0) throw new Error('npy: a 0-d array has no rows; use npy.load');
      this.header = header;
    } catch (error) {
      fs.closeSync(fd);
      throw error;
    }
    this.fd = fd;
    this.dtype = this.header.kind.dtype;
    this.shape = Object.freeze([...this.header.shape]);
    this.fortranOrder = this.header.fortranOrder && this.shape.length > 1;
    this.rowElements = this.shape.slice(1).reduce((a, b) => a * b, 1);
  }

  /** The number of rows: shape[0]. */
  get rows(): number {
    return this.shape[0];
  }

  /**
   * `count` elements from element `offset` in file order, as a typed array of the dtype: for
   * reading across rows (a time-major (L, N) file's columns, say).
   */
  readElements(offset: number, count: number): TensorData {
    if (this.fortranOrder) {
      throw new Error(`npy: elements of a Fortran-order array ${shapeRepr(this.shape)} are stored column-major; read it by rows (readRows)`);
    }
    return this.readFileOrder(offset, count);
  }

  private readFileOrder(offset: number, count: number): TensorData {
    const total = this.header.count;
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(count) || offset < 0 || count < 0 || offset + count > total) {
      throw new RangeError(`npy: elements [${offset}, ${offset + count}) are outside the array's ${total}`);
    }
    const itemSize = this.header.kind.itemSize;
    const bytes = readExactly(this.openFd(), count * itemSize, this.header.dataOffset + offset * itemSize);
    return decodeElements(bytes, this.header.kind, this.header.byteOrder, count);
  }

  /** Rows `[start, start + count)` as a tensor of shape `(count, *shape[1:])`. */
  readRows(start: number, count: number): AnyTensor {
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(count) || start < 0 || count < 0 || start + count > this.rows) {
      throw new RangeError(`npy: rows [${start}, ${start + count}) are outside the array's ${this.rows}`);
    }
    const shape = [count, ...this.shape.slice(1)];
    let data: TensorData;
    if (this.fortranOrder) {
      // Column-major, the rows' values at one trailing position lie together (the first
      // index moves fastest): one read per position gives rows [start, start + count) as a
      // column-major (count, *shape[1:]) array, reordered to row-major.
      const columns = new (this.readFileOrder(0, 0).constructor as new (length: number) => TensorData)(count * this.rowElements);
      for (let position = 0; position < this.rowElements && count > 0; position++) {
        (columns as Float32Array).set(this.readFileOrder(position * this.rows + start, count) as Float32Array, position * count);
      }
      data = fortranToC(columns as never, shape) as TensorData;
    } else {
      data = this.readFileOrder(start * this.rowElements, count * this.rowElements);
    }
    return new Tensor(data as never, shape, this.dtype as never) as unknown as AnyTensor;
  }

  /** Every row, `rowsPerChunk` at a time (the last chunk may be shorter). */
  *chunks(rowsPerChunk: number): Generator<AnyTensor> {
    if (!Number.isInteger(rowsPerChunk) || rowsPerChunk < 1) throw new RangeError(`npy: rowsPerChunk must be a positive integer, got ${rowsPerChunk}`);
    for (let start = 0; start < this.rows; start += rowsPerChunk) yield this.readRows(start, Math.min(rowsPerChunk, this.rows - start));
  }

  /** Closes the file. Reading after this throws. */
  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  private openFd(): number {
    if (this.fd === null) throw new Error('npy: the file is closed');
    return this.fd;
  }
}

/**
 * Writes a .npy file of rows appended as they come: the header (numpy's, with room for the
 * row count to grow in place) is rewritten with the final count by finish(). A file left
 * unfinished can be continued with {@link NpyRowWriter.resume}: its rows are counted from
 * its length, a partly written row dropped.
 * @internal
 */
export class NpyRowWriter {
  private fd: number;
  private readonly headerBytes: number;
  private readonly rowBytes: number;
  /** Rows in the file so far. */
  rows = 0;

  private constructor(fd: number, readonly dtype: DType, readonly rowShape: readonly number[], headerBytes: number) {
    this.fd = fd;
    this.headerBytes = headerBytes;
    this.rowBytes = rowShape.reduce((a, b) => a * b, 1) * bytesPerElement(dtype);
  }

  /** A new file (truncating any) of rows shaped `rowShape`. */
  static create(path: string, dtype: DType, rowShape: readonly number[]): NpyRowWriter {
    const header = encodeHeader(dtype, [0, ...rowShape]);
    const fd = fs.openSync(path, 'w');
    fs.writeSync(fd, header, 0, header.length, 0);
    return new NpyRowWriter(fd, dtype, rowShape, header.length);
  }

  /**
   * Continues a file this writer left unfinished. Its header must describe the same rows;
   * a row cut short by the interruption is dropped.
   */
  static resume(path: string, dtype: DType, rowShape: readonly number[]): NpyRowWriter {
    const fd = fs.openSync(path, 'r+');
    try {
      const size = fs.fstatSync(fd).size;
      const header = readHeaderFromFd(fd, size);
      const expected = `${dtype} rows of ${shapeRepr(rowShape)}`;
      const held = `${header.kind.dtype} rows of ${shapeRepr(header.shape.slice(1))}`;
      if (header.fortranOrder || held !== expected) throw new Error(`npy: cannot resume ${path}: it holds ${held}, this run writes ${expected}`);
      const writer = new NpyRowWriter(fd, dtype, rowShape, header.dataOffset);
      writer.rows = writer.rowBytes === 0 ? header.shape[0] : Math.floor((size - header.dataOffset) / writer.rowBytes);
      fs.ftruncateSync(fd, header.dataOffset + writer.rows * writer.rowBytes);
      return writer;
    } catch (error) {
      fs.closeSync(fd);
      throw error;
    }
  }

  /** Appends whole rows: `data` holds a multiple of the row size, in row-major order. */
  append(data: TensorData): void {
    const bytes = encodeElements(data);
    if (this.rowBytes > 0 && bytes.length % this.rowBytes !== 0) throw new RangeError(`npy: ${bytes.length} bytes are not whole rows of ${this.rowBytes}`);
    let written = 0;
    const position = this.headerBytes + this.rows * this.rowBytes;
    while (written < bytes.length) written += fs.writeSync(this.fd, bytes, written, bytes.length - written, position + written);
    this.rows += this.rowBytes > 0 ? bytes.length / this.rowBytes : 0;
  }

  /** Writes the final row count into the header and closes the file. */
  finish(): void {
    const header = encodeHeader(this.dtype, [this.rows, ...this.rowShape]);
    if (header.length !== this.headerBytes) throw new Error('npy: the header outgrew its space'); // 21 digits: cannot happen
    fs.writeSync(this.fd, header, 0, header.length, 0);
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
  }

  /** Closes without finishing (the file stays resumable). */
  close(): void {
    fs.closeSync(this.fd);
  }
}
