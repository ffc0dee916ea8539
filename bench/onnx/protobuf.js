'use strict';
// A minimal protocol-buffers writer: just what an ONNX ModelProto needs (varints,
// length-delimited fields, packed repeated ints and floats). Messages are built bottom-up:
// each `Message` collects its fields into chunks and `finish()` returns the bytes, which a
// parent then embeds with `message(field, bytes)`.

const WIRE_VARINT = 0;
const WIRE_FIXED32 = 5;
const WIRE_LENGTH_DELIMITED = 2;

/** Unsigned LEB128; negative int64 values take ten bytes, as protobuf encodes them. */
function encodeVarint(value) {
  let n = BigInt.asUintN(64, BigInt(value));
  const bytes = [];
  while (n >= 0x80n) {
    bytes.push(Number(n & 0x7fn) | 0x80);
    n >>= 7n;
  }
  bytes.push(Number(n));
  return Uint8Array.from(bytes);
}

const utf8 = new TextEncoder();

class Message {
  constructor() {
    this.chunks = [];
  }

  key(field, wireType) {
    this.chunks.push(encodeVarint((field << 3) | wireType));
  }

  /** int32, int64, enum and bool fields. */
  varint(field, value) {
    this.key(field, WIRE_VARINT);
    this.chunks.push(encodeVarint(value));
    return this;
  }

  float(field, value) {
    this.key(field, WIRE_FIXED32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.chunks.push(bytes);
    return this;
  }

  bytes(field, value) {
    this.key(field, WIRE_LENGTH_DELIMITED);
    this.chunks.push(encodeVarint(value.length), value);
    return this;
  }

  string(field, value) {
    return this.bytes(field, utf8.encode(value));
  }

  /** An embedded message: `value` is another Message or its finished bytes. */
  message(field, value) {
    return this.bytes(field, value instanceof Message ? value.finish() : value);
  }

  /** Packed repeated int64 / int32 (proto2 accepts packed encoding for repeated scalars). */
  packedVarints(field, values) {
    const parts = Array.from(values, encodeVarint);
    return this.bytes(field, concat(parts));
  }

  /** Packed repeated float. */
  packedFloats(field, values) {
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    Array.from(values).forEach((v, i) => view.setFloat32(i * 4, v, true));
    return this.bytes(field, bytes);
  }

  finish() {
    return concat(this.chunks);
  }
}

function concat(parts) {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

module.exports = { Message, encodeVarint };
