// npy: numpy's .npy array files, read and written in plain TypeScript.
//
// Re-exported by the package index as the `npy` namespace:
//
//   import { npy } from 'rnn-blas';
//   const ids = npy.load('ids.npy');        // Tensor<'int64'> of shape (N, L)
//   npy.save('vectors.npy', vectors);
//
// The pieces live in lib/npy/: header.ts validates a header as numpy does (literal.ts
// reads its Python dict), data.ts converts byte order and memory order, writer.ts writes
// numpy's header, file.ts reads and writes rows of files on disk.
import * as fs from 'fs';
import { AnyTensor, Tensor, asAnyTensor } from './tensor';
import { decodeElements, encodeElements, fortranToC } from './npy/data';
import { readHeader } from './npy/header';
import { encodeHeader } from './npy/writer';

import { NpyFile } from './npy/file';

export { NpyFile };

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  return typeof value;
}

/**
 * The array of a .npy file, as `numpy.load` gives it, as a Tensor of its own dtype.
 *
 * Reads format versions 1.0, 2.0 and 3.0, little- and big-endian data, C and Fortran
 * order (Fortran-order data is reordered to row-major), and the dtypes float32, float64,
 * int64, int32, int16, int8, uint8 and bool (`<f4 <f8 <i8 <i4 <i2 |i1 |u1 |b1`, `>` for
 * big-endian); float16 (`<f2`) loads as float32, exactly. The header is validated as numpy
 * validates it (magic string, version, header size limit, the dict's keys and values), with
 * numpy's messages, and the data length checked against the shape, before any data byte is
 * read. The returned tensor owns its data.
 *
 * @param pathOrBytes - a file path, or the whole file as a Uint8Array (a Buffer is one).
 * @throws Error for a malformed or truncated file or a dtype torch has no tensor of
 *   (uint16/32/64, complex, strings, objects, structured dtypes).
 *
 * @example
 * ```ts
 * // Python: np.save('ids.npy', np.array([[1, 2, 3], [4, 5, 0]]))
 * const ids = npy.load('ids.npy');
 * ids.dtype; // 'int64'
 * ids.shape; // [2, 3]
 * ```
 */
export function load(pathOrBytes: string | Uint8Array): AnyTensor {
  let bytes: Uint8Array;
  if (typeof pathOrBytes === 'string') bytes = fs.readFileSync(pathOrBytes);
  else if (pathOrBytes instanceof Uint8Array) bytes = pathOrBytes;
  else throw new TypeError(`npy.load: expected a path or a Uint8Array, got ${describe(pathOrBytes)}`);
  const header = readHeader(bytes);
  const raw = bytes.subarray(header.dataOffset, header.dataOffset + header.dataBytes);
  let data = decodeElements(raw, header.kind, header.byteOrder, header.count);
  if (header.fortranOrder) data = fortranToC(data, header.shape);
  return new Tensor(data as never, header.shape, header.kind.dtype as never) as unknown as AnyTensor;
}

/**
 * The .npy bytes of a tensor, as `numpy.save` writes them for the same array: format 1.0,
 * little-endian, C order, numpy's header byte for byte.
 *
 * @param tensor - a Tensor of any dtype (or nested arrays, saved as float32).
 */
export function serialize(tensor: AnyTensor | Tensor): Uint8Array {
  const t = asAnyTensor(tensor as AnyTensor, 'npy.save');
  const header = encodeHeader(t.dtype, t.shape);
  const data = encodeElements(t.data);
  const out = new Uint8Array(header.length + data.length);
  out.set(header, 0);
  out.set(data, header.length);
  return out;
}

/**
 * Writes a tensor to a .npy file that `numpy.load` (and {@link load}) read back with the same
 * dtype, shape and values: format 1.0, little-endian, C order.
 *
 * @example
 * ```ts
 * npy.save('vectors.npy', tensor([[0.5, 1], [2, 3]])); // Python: np.load('vectors.npy') is (2, 2) float32
 * ```
 */
export function save(path: string, tensor: AnyTensor | Tensor): void {
  if (typeof path !== 'string') throw new TypeError(`npy.save: path must be a string, got ${describe(path)}`);
  fs.writeFileSync(path, serialize(tensor));
}

/**
 * Opens a .npy file for reading its rows on demand (a {@link NpyFile}), without loading it:
 * for arrays larger than memory.
 */
export function open(path: string): NpyFile {
  return new NpyFile(path);
}
