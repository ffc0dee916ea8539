// The .npy header as numpy >= 1.24 writes it, byte for byte: version 1.0, the dict in
// numpy's key order, spare spaces so that axis 0 can grow in place, padded with spaces
// and a newline to a multiple of 64 bytes.
import { NpyDtype, descrFor } from './dtypes';
import { MAGIC, PREAMBLE_BYTES, shapeRepr } from './header';

const ARRAY_ALIGN = 64;
/** numpy's GROWTH_AXIS_MAX_DIGITS: room for axis 0 to reach 21 digits without moving the data. */
const GROWTH_AXIS_MAX_DIGITS = 21;

/** The full header (magic, version, length, dict, padding) for a C-order little-endian array. */
export function encodeHeader(dtype: NpyDtype, shape: readonly number[]): Uint8Array {
  let dict = `{'descr': '${descrFor(dtype)}', 'fortran_order': False, 'shape': ${shapeRepr(shape)}, }`;
  if (shape.length > 0) dict += ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length));
  const fixed = PREAMBLE_BYTES + 2;
  // numpy's _wrap_header: a header already aligned still gets a full 64 spaces.
  const padding = ARRAY_ALIGN - ((fixed + dict.length + 1) % ARRAY_ALIGN);
  dict += ' '.repeat(padding) + '\n';
  // With at most 64 dimensions the dict stays far below 65535 bytes: version 1.0 always fits.
  const out = new Uint8Array(fixed + dict.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(PREAMBLE_BYTES, dict.length, true);
  for (let i = 0; i < dict.length; i++) out[fixed + i] = dict.charCodeAt(i);
  return out;
}
