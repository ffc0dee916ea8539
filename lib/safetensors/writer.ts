// Serializes float32 Tensors to safetensors bytes, as the reference implementation does.
//
// Layout: the header length (u64 little-endian), the compact JSON header ("__metadata__"
// first, then the tensors sorted by name, which for a single dtype is the reference's
// order), padded with spaces to a multiple of 8 so the data section starts 8-aligned,
// then each tensor's little-endian bytes back to back.

import { Tensor } from '../tensor';
import { SaveDtype } from './dtypes';
import { floatToBfloat16Bits, floatToHalfBits } from './float-bits';
import { LENGTH_FIELD_BYTES } from './header';

const HOST_IS_LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
const BYTES_PER_ELEMENT: Record<SaveDtype, number> = { F32: 4, F16: 2, BF16: 2 };

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
  tensors: Readonly<Record<string, Tensor>>,
  metadata: Readonly<Record<string, string>> | undefined,
  dtype: SaveDtype,
): Uint8Array {
  const names = Object.keys(tensors).sort(compareCodePoints);
  const elementBytes = BYTES_PER_ELEMENT[dtype];

  const fields: string[] = [];
  if (metadata !== undefined) {
    const entries = Object.keys(metadata).map((key) => `${JSON.stringify(key)}:${JSON.stringify(metadata[key])}`);
    fields.push(`"__metadata__":{${entries.join(',')}}`);
  }
  let dataLength = 0;
  for (const name of names) {
    const tensor = tensors[name];
    const begin = dataLength;
    dataLength += tensor.numel() * elementBytes;
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
    encode(data, dtype, out, offset);
    offset += data.length * elementBytes;
  }
  return out;
}

function encode(data: Float32Array, dtype: SaveDtype, out: Uint8Array, offset: number): void {
  if (dtype === 'F32') {
    if (HOST_IS_LITTLE_ENDIAN) {
      out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), offset);
    } else {
      const view = new DataView(out.buffer, offset, data.byteLength);
      for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i], true);
    }
    return;
  }
  const narrow = dtype === 'F16' ? floatToHalfBits : floatToBfloat16Bits;
  // Rounding from the bit patterns keeps -0, subnormals and ties exact.
  const bits = new Uint32Array(data.buffer, data.byteOffset, data.length);
  for (let i = 0, p = offset; i < bits.length; i++, p += 2) {
    const narrowed = narrow(bits[i]);
    out[p] = narrowed & 0xff;
    out[p + 1] = narrowed >>> 8;
  }
}
