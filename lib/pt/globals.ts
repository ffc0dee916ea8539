// The globals a pickle may name, as torch's weights_only unpickler allows them
// (torch/_weights_only_unpickler.py): the callables that rebuild tensors, parameters and
// plain containers, the storage classes and dtypes. Each allowed callable is implemented
// here as a pure function of its arguments; nothing from the file is ever executed. Any
// other global is a RefusedGlobal, which the unpickler reports by name.

import type { DType } from '../dtype';
import { PtError } from './errors';
import { AllowedGlobal, DTypeValue, FileDtype, PyDict, RefusedGlobal, ScriptObject, StorageRef, TensorRef } from './values';

/** Storage classes (the second element of a storage's persistent id) and their element type. */
const STORAGE_TYPES: Readonly<Record<string, FileDtype>> = {
  FloatStorage: 'F32',
  DoubleStorage: 'F64',
  HalfStorage: 'F16',
  BFloat16Storage: 'BF16',
  LongStorage: 'I64',
  IntStorage: 'I32',
  ShortStorage: 'I16',
  CharStorage: 'I8',
  ByteStorage: 'U8',
  BoolStorage: 'BOOL',
  UntypedStorage: 'U8',
};

/** A storage class named by a persistent id. */
export class StorageType {
  constructor(
    readonly name: string,
    readonly fileDtype: FileDtype,
  ) {}
}

const TORCH_DTYPES: Readonly<Record<string, DType | undefined>> = {
  float32: 'float32',
  float: 'float32',
  float64: 'float64',
  double: 'float64',
  float16: undefined,
  half: undefined,
  bfloat16: undefined,
  int64: 'int64',
  long: 'int64',
  int32: 'int32',
  int: 'int32',
  int16: 'int16',
  short: 'int16',
  int8: 'int8',
  uint8: 'uint8',
  bool: 'bool',
  // Named so that a file holding them says which dtype it is (see _rebuild_tensor_v3).
  uint16: undefined,
  uint32: undefined,
  uint64: undefined,
  float8_e4m3fn: undefined,
  float8_e5m2: undefined,
  complex64: undefined,
  complex128: undefined,
  cfloat: undefined,
  cdouble: undefined,
};

/** Callables torch's weights_only unpickler allows, by qualified name. */
const CALLABLES = new Set([
  'collections.OrderedDict',
  'builtins.set',
  'builtins.frozenset',
  'builtins.bytearray',
  '__builtin__.set',
  '_codecs.encode',
  'torch._utils._rebuild_tensor',
  'torch._utils._rebuild_tensor_v2',
  'torch._utils._rebuild_tensor_v3',
  'torch._utils._rebuild_parameter',
  'torch._utils._rebuild_parameter_with_state',
  'torch._tensor._rebuild_from_type_v2',
  'torch.Size',
  'torch.device',
  'torch.serialization._get_layout',
  'torch.Tensor',
  'torch.nn.parameter.Parameter',
]);

/** TorchScript's own helpers for typed containers (torch/jit/_pickle.py), allowed in its archives only. */
const SCRIPT_CALLABLES = new Set([
  'torch.jit._pickle.restore_type_tag',
  'torch.jit._pickle.build_intlist',
  'torch.jit._pickle.build_tensorlist',
  'torch.jit._pickle.build_doublelist',
  'torch.jit._pickle.build_boollist',
  'torch.jit._pickle.build_tensor_from_id',
]);

export type GlobalValue = AllowedGlobal | StorageType | DTypeValue | RefusedGlobal | ScriptClass;

/** A TorchScript class (`__torch__.*`): NEWOBJ makes an inert ScriptObject of it. */
export class ScriptClass {
  constructor(readonly className: string) {}
}

export function resolveGlobal(module: string, name: string, torchScript: boolean): GlobalValue {
  const qualified = `${module}.${name}`;
  if (module === 'torch' && Object.prototype.hasOwnProperty.call(STORAGE_TYPES, name)) {
    return new StorageType(name, STORAGE_TYPES[name]);
  }
  if (module === 'torch' && Object.prototype.hasOwnProperty.call(TORCH_DTYPES, name)) {
    return new DTypeValue(name, TORCH_DTYPES[name]);
  }
  if (CALLABLES.has(qualified)) return new AllowedGlobal(module, name);
  if (torchScript && SCRIPT_CALLABLES.has(qualified)) return new AllowedGlobal(module, name);
  if (torchScript && (module === '__torch__' || module.startsWith('__torch__.'))) return new ScriptClass(qualified);
  return new RefusedGlobal(qualified);
}

function fail(message: string): never {
  throw new PtError(message);
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function intList(value: unknown, what: string, callee: string): number[] {
  if (!Array.isArray(value)) fail(`${callee}: ${what} must be a tuple of ints, got ${describe(value)}`);
  return value.map((item, i) => {
    if (!isInteger(item)) fail(`${callee}: ${what}[${i}] must be an int, got ${describe(item)}`);
    return item;
  });
}

export function describe(value: unknown): string {
  if (value === null) return 'None';
  if (Array.isArray(value)) return 'a tuple or list';
  if (value instanceof PyDict) return 'a dict';
  if (value instanceof Uint8Array) return 'bytes';
  if (value instanceof TensorRef) return 'a tensor';
  if (value instanceof StorageRef) return 'a storage';
  if (typeof value === 'bigint') return 'an int';
  if (typeof value === 'object') return `a ${(value as object).constructor?.name ?? 'object'}`;
  return `a ${typeof value}`;
}

function tensorArgs(args: readonly unknown[], callee: string): TensorRef {
  const [storage, offset, size, stride] = args;
  if (!(storage instanceof StorageRef)) fail(`${callee}: the first argument must be a storage, got ${describe(storage)}`);
  if (!isInteger(offset) || offset < 0) fail(`${callee}: storage_offset must be a non-negative int, got ${String(offset)}`);
  const sizes = intList(size, 'size', callee);
  const strides = intList(stride, 'stride', callee);
  if (sizes.length !== strides.length) fail(`${callee}: size has ${sizes.length} dimensions but stride ${strides.length}`);
  storage.uses++;
  return new TensorRef(storage, offset, sizes, strides);
}

/** REDUCE (and NEWOBJ) of an allowed global: what calling it would have returned. */
export function callAllowed(callee: AllowedGlobal, args: readonly unknown[]): unknown {
  const name = callee.qualifiedName;
  switch (name) {
    case 'collections.OrderedDict': {
      const dict = new PyDict(true);
      if (args.length > 0) {
        if (!Array.isArray(args[0])) fail(`collections.OrderedDict: expected a list of pairs, got ${describe(args[0])}`);
        for (const pair of args[0]) {
          if (!Array.isArray(pair) || pair.length !== 2) fail('collections.OrderedDict: every item must be a (key, value) pair');
          dict.map.set(pair[0], pair[1]);
        }
      }
      return dict;
    }
    case 'builtins.set':
    case '__builtin__.set':
    case 'builtins.frozenset':
      if (args.length === 0) return new Set();
      if (!Array.isArray(args[0])) fail(`${name}: expected a list, got ${describe(args[0])}`);
      return new Set(args[0]);
    case 'builtins.bytearray':
      if (args.length === 0) return new Uint8Array(0);
      if (args[0] instanceof Uint8Array) return args[0].slice();
      return latin1Bytes(args[0], name);
    case '_codecs.encode':
      // How protocol 2 pickles bytes: _codecs.encode(text, 'latin1').
      if (args[1] !== 'latin1' && args[1] !== 'latin-1') fail(`_codecs.encode: only the latin1 encoding is read, got ${describe(args[1])}`);
      return latin1Bytes(args[0], name);
    case 'torch._utils._rebuild_tensor':
    case 'torch._utils._rebuild_tensor_v2':
      return tensorArgs(args, name);
    case 'torch._utils._rebuild_tensor_v3': {
      // torch 2.x writes v3 (an untyped storage and the dtype) only for dtypes without a
      // typed storage class: uint16/32/64, float8, ... none of which a Tensor here holds.
      const dtype = args[6];
      const named = dtype instanceof DTypeValue ? `torch.${dtype.name}` : describe(dtype);
      fail(`a tensor of dtype ${named} (rebuilt by torch._utils._rebuild_tensor_v3) cannot be read: rnn-blas holds float32, float64, float16 and bfloat16 (as float32), int64, int32, int16, int8, uint8 and bool`);
    }
    case 'torch._utils._rebuild_parameter':
    case 'torch._utils._rebuild_parameter_with_state':
      if (!(args[0] instanceof TensorRef)) fail(`${name}: the data must be a tensor, got ${describe(args[0])}`);
      return args[0];
    case 'torch._tensor._rebuild_from_type_v2': {
      const [inner, , innerArgs] = args;
      if (!(inner instanceof AllowedGlobal)) fail(`${name}: the rebuild function must be an allowed global`);
      if (!Array.isArray(innerArgs)) fail(`${name}: the arguments must be a tuple`);
      return callAllowed(inner, innerArgs);
    }
    case 'torch.Size':
      return intList(args[0] ?? [], 'the sizes', name);
    case 'torch.device':
      if (typeof args[0] !== 'string') fail(`torch.device: expected a string, got ${describe(args[0])}`);
      return args.length > 1 && args[1] !== null ? `${args[0]}:${String(args[1])}` : args[0];
    case 'torch.serialization._get_layout':
      if (typeof args[0] !== 'string') fail(`${name}: expected a string`);
      return args[0];
    case 'torch.jit._pickle.restore_type_tag':
      return args[0];
    case 'torch.jit._pickle.build_intlist':
    case 'torch.jit._pickle.build_tensorlist':
    case 'torch.jit._pickle.build_doublelist':
    case 'torch.jit._pickle.build_boollist':
      if (!Array.isArray(args[0])) fail(`${name}: expected a list`);
      return args[0];
    default:
      fail(`${name} cannot be called with these arguments`);
  }
}

function latin1Bytes(text: unknown, where: string): Uint8Array {
  if (typeof text !== 'string') fail(`${where}: expected a string, got ${describe(text)}`);
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff) fail(`${where}: the text is not latin1 (character ${code} at ${i})`);
    out[i] = code;
  }
  return out;
}

/** NEWOBJ of a TorchScript class: an inert object that BUILD fills with attributes. */
export function newScriptObject(cls: ScriptClass): ScriptObject {
  return new ScriptObject(cls.className);
}
