// Serializes Tensors of any dtype to safetensors bytes, as the reference implementation does.
//
// Layout: the header length (u64 little-endian), the compact JSON header ("__metadata__"
// first, then the tensors in the reference's order: by dtype, highest of its enum first,
// then by name), padded with spaces to a multiple of 8 so the data section starts
// 8-aligned, then each tensor's little-endian bytes back to back.

import { AnyTensor } from '../tensor';
import { FILE_DTYPE_OF, SaveDtype, WritableDtype, dtypeBytes } from './dtypes';
import { floatToBfloat16Bits, floatToHalfBits } from './float-bits';
import { LENGTH_FIELD_BYTES } from './header';
import { HOST_IS_LITTLE_ENDIAN, swapElementBytes } from '../formats/byte-order';

/** Position in the reference's `Dtype` enum, whose reverse order `serialize` sorts by. */
const REFERENCE_DTYPE_RANK: Record<WritableDtype, number> = {
  BOOL: 0,
  U8: 4,
  I8: 5,
  I16: 9,
  F16: 11,
  BF16: 12,
  I32: 13,
  F32: 15,
  F64: 17,
  I64: 18,
};

/** Orders strings by Unicode code point, which is the byte order of their UTF-8 (Rust's `str` order). */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(i) as number;
    if (x !== y) return x - y;
    if (x > 0xffff) i++; // both strings hold the same surrogate pair here
  }
  return a.length - b.length;
}

/**
 * The file bytes for `tensors` (already checked: Tensors under well-formed names) with
 * optional string metadata, each tensor stored as `dtype`.
 */
export function serialize(
  tensors: Readonly<Record<string, AnyTensor>>,
  metadata: Readonly<Record<string, string>> | undefined,
  floatDtype: SaveDtype,
): Uint8Array {
  const fileDtype = (name: string): WritableDtype =>
    tensors[name].dtype === 'float32' ? floatDtype : FILE_DTYPE_OF[tensors[name].dtype];
  const names = Object.keys(tensors).sort(
    (a, b) => REFERENCE_DTYPE_RANK[fileDtype(b)] - REFERENCE_DTYPE_RANK[fileDtype(a)] || compareCodePoints(a, b),
  );

  const fields: string[] = [];
  if (metadata !== undefined) {
    const entries = Object.keys(metadata).map((key) => `${JSON.stringify(key)}:${JSON.stringify(metadata[key])}`);
    fields.push(`"__metadata__":{${entries.join(',')}}`);
  }
  let dataLength = 0;
  for (const name of names) {
    const tensor = tensors[name];
    const dtype = fileDtype(name);
    const begin = dataLength;
    dataLength += tensor.numel() * dtypeBytes(dtype);
    fields.push(
      `${JSON.stringify(name)}:{"dtype":"${dtype}","shape":[${tensor.shape.join(',')}],"data_offsets":[${begin},${dataLength}]}`,
    );
  }
  const json = new TextEncoder().encode(`{${fields.join(',')}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;

  const dataStart = LENGTH_FIELD_BYTES + headerLength;
  const out = new Uint8Array(dataStart + dataLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength, true);
  view.setUint32(4, 0, true);
  out.set(json, LENGTH_FIELD_BYTES);
  out.fill(0x20, LENGTH_FIELD_BYTES + json.length, dataStart);

  let offset = dataStart;
  for (const name of names) {
    const data = tensors[name].data;
    const dtype = fileDtype(name);
    if (dtype === 'F16' || dtype === 'BF16') encodeSixteenBit(data as Float32Array, dtype, out, offset);
    // A bool tensor built by hand may hold other bytes than 0 and 1; the file gets torch's.
    else if (dtype === 'BOOL') for (let i = 0; i < data.length; i++) out[offset + i] = data[i] !== 0 ? 1 : 0;
    else encodeBytes(data, out, offset);
    offset += data.length * dtypeBytes(dtype);
  }
  return out;
}

/** The elements' own bytes, little-endian. */
function encodeBytes(data: AnyTensor['data'], out: Uint8Array, offset: number): void {
  const source = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  out.set(source, offset);
  if (!HOST_IS_LITTLE_ENDIAN) swapElementBytes(out.subarray(offset, offset + source.length), data.BYTES_PER_ELEMENT);
}

function encodeSixteenBit(data: Float32Array, dtype: 'F16' | 'BF16', out: Uint8Array, offset: number): void {
  const narrow = dtype === 'F16' ? floatToHalfBits : floatToBfloat16Bits;
  // Rounding from the bit patterns keeps -0, subnormals and ties exact.
  const bits = new Uint32Array(data.buffer, data.byteOffset, data.length);
  for (let i = 0, p = offset; i < bits.length; i++, p += 2) {
    const narrowed = narrow(bits[i]);
    out[p] = narrowed & 0xff;
    out[p + 1] = narrowed >>> 8;
  }
}
