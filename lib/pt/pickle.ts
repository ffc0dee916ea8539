// An interpreter of the pickle opcodes that runs nothing.
//
// A pickle is a program for a stack machine whose GLOBAL and REDUCE opcodes import and call
// any Python function; `torch.load(weights_only=False)` runs them, which is how a
// checkpoint can carry `os.system`. This interpreter implements the opcodes of protocols
// 0-5 that build plain data, resolves globals against an allowlist (globals.ts, torch's
// weights_only list), and keeps anything else as an inert record so that the error can
// name it, and say when it was a whole pickled nn.Module (torch.save(model)).
//
// Limits keep a hostile file from costing more than it holds: every length is checked
// against the bytes left, the stack, mark stack and memo have caps, integers are at most
// 1 KiB long, and callers walk the result with a depth limit.

import { PtError } from './errors';
import { GlobalValue, ScriptClass, callAllowed, describe, newScriptObject, resolveGlobal } from './globals';
import { AllowedGlobal, DTypeValue, PyDict, RefusedGlobal, RefusedObject, ScriptObject } from './values';

/** Items on the stack (and marks) at most: a pickle of N bytes pushes at most N, this bounds the memory. */
export const MAX_STACK = 1 << 22;
/** Memo entries at most (a state dict of 100,000 tensors uses about a million). */
export const MAX_MEMO = 1 << 22;
/** Bytes of one LONG1/LONG4 integer at most (2^8192): ints beyond any size or count. */
export const MAX_LONG_BYTES = 1024;

export interface UnpickleOptions {
  /** Resolves a persistent id (a storage), or throws. */
  persistentLoad(pid: unknown): unknown;
  /** A TorchScript archive: `__torch__.*` classes and torch.jit._pickle helpers are allowed. */
  torchScript?: boolean;
}

export interface UnpickleResult {
  value: unknown;
  /** Offset just past the STOP opcode (the legacy format holds several pickles in a row). */
  end: number;
}

function fail(message: string): never {
  throw new PtError(message);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Globals torch's weights_only unpickler allows that rebuild kinds of tensor rnn-blas does
 * not hold: the file is safe, only unsupported, and the error says which kind it holds.
 */
const UNSUPPORTED_TENSOR_KINDS: ReadonlyArray<[RegExp, string]> = [
  [/^torch\.Complex(Float|Double|Half)Storage$/, 'complex tensors, which rnn-blas does not hold (its dtypes are real): save t.real and t.imag, or t.abs(), instead'],
  [/^torch\._utils\._rebuild_sparse(_csr)?_tensor$|^torch\.sparse_/, 'sparse tensors, which rnn-blas does not hold: save t.to_dense() instead'],
  [/^torch\._utils\._rebuild_meta_tensor_no_storage$/, "meta tensors (shapes without data, from device='meta'), which hold no values to load"],
  [/^torch\._utils\._rebuild_qtensor$|^torch\.Q(U)?Int[0-9x]+Storage$|^torch\.per_(tensor|channel)_/, 'quantized tensors, which rnn-blas does not hold: save t.dequantize() instead'],
  [/^torch\._utils\._rebuild_(nested_tensor|wrapper_subclass)$/, 'nested or subclassed tensors, which rnn-blas does not hold'],
];

/** Throws the error a refused global deserves, naming it (and a pickled module as such). */
function refusalError(refused: RefusedGlobal, moduleClass: string | undefined): PtError {
  const kind = UNSUPPORTED_TENSOR_KINDS.find(([pattern]) => pattern.test(refused.qualifiedName));
  if (kind !== undefined) {
    return new PtError(`the file holds ${kind[1]} (GLOBAL ${refused.qualifiedName}; torch.load(weights_only=True) reads it, rnn-blas does not)`);
  }
  const unsupported = `Unsupported global: GLOBAL ${refused.qualifiedName} was not an allowed global by default.`;
  if (moduleClass !== undefined) {
    return new PtError(
      `${unsupported} The file holds a pickled module (${moduleClass}), written by torch.save(model), which only ` +
        `Python with its source can rebuild: save its state_dict() instead, torch.save(model.state_dict(), 'model.pt'), ` +
        `and load that.`,
    );
  }
  return new PtError(
    `${unsupported} rnn-blas loads only what torch.load(weights_only=True) loads (tensors, numbers, strings and ` +
      `containers), and runs nothing from the file.`,
  );
}

/** torch.nn.Module's pickled __dict__ has these: BUILD with them marks a pickled module. */
function looksLikeModuleState(state: unknown): boolean {
  const dict = Array.isArray(state) ? state[0] : state;
  return dict instanceof PyDict && (dict.map.has('_modules') || dict.map.has('_parameters'));
}

/** Runs the pickle that starts at `start` in `bytes` up to its STOP. */
export function unpickle(bytes: Uint8Array, options: UnpickleOptions, start = 0): UnpickleResult {
  const torchScript = options.torchScript === true;
  let stack: unknown[] = [];
  const marks: unknown[][] = [];
  const memo = new Map<number, unknown>();
  let position = start;
  const length = bytes.length;
  let refused: RefusedGlobal | undefined;
  /** Refused classes whose objects got a torch.nn.Module's state, in order. */
  const moduleClasses: string[] = [];
  const moduleClassOf = (first: RefusedGlobal): string | undefined =>
    moduleClasses.includes(first.qualifiedName) ? first.qualifiedName : moduleClasses[0];

  const need = (count: number, what: string): void => {
    if (count > length - position) fail(`the pickle ends inside ${what} (at byte ${position}, ${length - position} left, ${count} needed)`);
  };
  const byte = (): number => {
    need(1, 'an opcode argument');
    return bytes[position++];
  };
  const uint16 = (): number => {
    need(2, 'an opcode argument');
    const value = bytes[position] | (bytes[position + 1] << 8);
    position += 2;
    return value;
  };
  const uint32 = (): number => {
    need(4, 'an opcode argument');
    const value = (bytes[position] | (bytes[position + 1] << 8) | (bytes[position + 2] << 16) | (bytes[position + 3] << 24)) >>> 0;
    position += 4;
    return value;
  };
  const uint64 = (what: string): number => {
    const low = uint32();
    const high = uint32();
    if (high >= 0x200000) fail(`${what} of ${(BigInt(high) << 32n) | BigInt(low)} bytes is larger than any file`);
    return high * 2 ** 32 + low;
  };
  const take = (count: number, what: string): Uint8Array => {
    need(count, what);
    const out = bytes.subarray(position, position + count);
    position += count;
    return out;
  };
  const line = (what: string): string => {
    // Text arguments of protocol 0 end at a newline; at most 4 KiB of them.
    const limit = Math.min(length, position + 4096);
    let end = position;
    while (end < limit && bytes[end] !== 0x0a) end++;
    if (end >= length) fail(`the pickle ends inside ${what} (at byte ${position}, no newline follows)`);
    if (end >= limit) fail(`the pickle has no newline ending ${what} within 4096 bytes at byte ${position}`);
    const text = latin1(bytes.subarray(position, end));
    position = end + 1;
    return text;
  };
  const push = (value: unknown): void => {
    if (stack.length >= MAX_STACK) fail(`the pickle's stack grows past ${MAX_STACK} items`);
    stack.push(value);
  };
  const pop = (what: string): unknown => {
    if (stack.length === 0) fail(`${what} found an empty stack at byte ${position - 1}`);
    return stack.pop();
  };
  const top = (what: string): unknown => {
    if (stack.length === 0) fail(`${what} found an empty stack at byte ${position - 1}`);
    return stack[stack.length - 1];
  };
  const popMark = (what: string): unknown[] => {
    const items = stack;
    const previous = marks.pop();
    if (previous === undefined) fail(`${what} without a MARK at byte ${position - 1}`);
    stack = previous;
    return items;
  };
  const memoPut = (index: number): void => {
    if (!memo.has(index) && memo.size >= MAX_MEMO) fail(`the pickle's memo grows past ${MAX_MEMO} entries`);
    memo.set(index, top('PUT'));
  };
  const memoGet = (index: number): void => {
    if (!memo.has(index)) fail(`GET of memo entry ${index}, which was never PUT`);
    push(memo.get(index));
  };
  const resolve = (rawModule: string, name: string): GlobalValue => {
    const module = PYTHON2_MODULES[rawModule] ?? rawModule;
    const value = resolveGlobal(module, name, torchScript);
    if (value instanceof RefusedGlobal && refused === undefined) refused = value;
    return value;
  };
  const call = (callee: unknown, args: unknown, opcode: string): unknown => {
    if (callee instanceof RefusedGlobal) return new RefusedObject(callee);
    if (callee instanceof RefusedObject) return new RefusedObject(callee.global);
    if (!Array.isArray(args)) fail(`${opcode} needs a tuple of arguments, got ${describe(args)}`);
    if (callee instanceof ScriptClass) return newScriptObject(callee);
    if (callee instanceof AllowedGlobal) return callAllowed(callee, args);
    fail(`${opcode} of ${describe(callee)}, which is not callable`);
  };
  const setItems = (target: unknown, items: unknown[], opcode: string): void => {
    if (items.length % 2 !== 0) fail(`${opcode} with an odd number of items`);
    if (!(target instanceof PyDict)) fail(`${opcode} on ${describe(target)}, not a dict`);
    for (let i = 0; i < items.length; i += 2) target.map.set(hashKey(items[i]), items[i + 1]);
  };
  const appendItems = (target: unknown, items: unknown[], opcode: string): void => {
    if (!Array.isArray(target) || Object.isFrozen(target)) fail(`${opcode} on ${describe(target)}, not a list`);
    if (target.length + items.length > MAX_STACK) fail(`a list grows past ${MAX_STACK} items`);
    for (const item of items) target.push(item);
  };
  const text = (raw: Uint8Array, what: string): string => {
    try {
      return utf8.decode(raw);
    } catch {
      fail(`${what} at byte ${position} is not valid UTF-8`);
    }
  };

  try {
    for (;;) {
      if (position >= length) fail(`the pickle ends at byte ${position} without a STOP opcode (is the file truncated?)`);
      const opcode = bytes[position++];
      switch (opcode) {
        case 0x80: { // PROTO
          const protocol = byte();
          if (protocol > 5) fail(`unsupported pickle protocol ${protocol}`);
          break;
        }
        case 0x95: // FRAME: a length hint, the opcodes follow inline
          uint64('a FRAME');
          break;
        case 0x2e: { // STOP
          const value = pop('STOP');
          if (marks.length > 0) fail('STOP with a MARK still open');
          if (refused !== undefined) throw refusalError(refused, moduleClassOf(refused));
          return { value, end: position };
        }
        case 0x28: // MARK
          if (marks.length >= MAX_STACK) fail(`more than ${MAX_STACK} MARKs open`);
          marks.push(stack);
          stack = [];
          break;
        case 0x30: // POP
          if (stack.length > 0) stack.pop();
          else popMark('POP');
          break;
        case 0x31: // POP_MARK
          popMark('POP_MARK');
          break;
        case 0x32: // DUP
          push(top('DUP'));
          break;
        case 0x4e: // NONE
          push(null);
          break;
        case 0x88: // NEWTRUE
          push(true);
          break;
        case 0x89: // NEWFALSE
          push(false);
          break;
        case 0x4b: // BININT1
          push(byte());
          break;
        case 0x4d: // BININT2
          push(uint16());
          break;
        case 0x4a: // BININT
          push(uint32() | 0);
          break;
        case 0x8a: // LONG1
          push(decodeLong(take(byte(), 'a LONG1')));
          break;
        case 0x8b: { // LONG4
          const count = uint32();
          if (count > MAX_LONG_BYTES) fail(`a LONG4 of ${count} bytes is longer than the limit of ${MAX_LONG_BYTES}`);
          push(decodeLong(take(count, 'a LONG4')));
          break;
        }
        case 0x49: { // INT (protocol 0)
          const value = line('an INT');
          if (value === '01') push(true);
          else if (value === '00') push(false);
          else push(parseDecimal(value, 'INT'));
          break;
        }
        case 0x4c: { // LONG (protocol 0)
          const value = line('a LONG');
          push(parseDecimal(value.endsWith('L') ? value.slice(0, -1) : value, 'LONG'));
          break;
        }
        case 0x46: { // FLOAT (protocol 0)
          const value = line('a FLOAT');
          if (!/^[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?|inf|nan)$/i.test(value)) fail(`FLOAT ${JSON.stringify(value.slice(0, 40))} is not a number`);
          push(/^[-+]?inf$/i.test(value) ? (value.startsWith('-') ? -Infinity : Infinity) : /nan/i.test(value) ? NaN : Number(value));
          break;
        }
        case 0x47: { // BINFLOAT, big-endian
          const raw = take(8, 'a BINFLOAT');
          push(new DataView(raw.buffer, raw.byteOffset, 8).getFloat64(0, false));
          break;
        }
        case 0x58: // BINUNICODE
          push(text(take(uint32(), 'a BINUNICODE'), 'BINUNICODE'));
          break;
        case 0x8c: // SHORT_BINUNICODE
          push(text(take(byte(), 'a SHORT_BINUNICODE'), 'SHORT_BINUNICODE'));
          break;
        case 0x8d: // BINUNICODE8
          push(text(take(uint64('a BINUNICODE8'), 'a BINUNICODE8'), 'BINUNICODE8'));
          break;
        case 0x56: // UNICODE (protocol 0, raw-unicode-escape; only plain text is read)
          push(line('a UNICODE'));
          break;
        case 0x54: // BINSTRING (Python 2 str, read as latin1)
          push(latin1(take(uint32(), 'a BINSTRING')));
          break;
        case 0x55: // SHORT_BINSTRING
          push(latin1(take(byte(), 'a SHORT_BINSTRING')));
          break;
        case 0x42: // BINBYTES
          push(take(uint32(), 'a BINBYTES').slice());
          break;
        case 0x43: // SHORT_BINBYTES
          push(take(byte(), 'a SHORT_BINBYTES').slice());
          break;
        case 0x8e: // BINBYTES8
          push(take(uint64('a BINBYTES8'), 'a BINBYTES8').slice());
          break;
        case 0x96: // BYTEARRAY8
          push(take(uint64('a BYTEARRAY8'), 'a BYTEARRAY8').slice());
          break;
        case 0x29: // EMPTY_TUPLE
          push(Object.freeze([]));
          break;
        case 0x85: // TUPLE1
          push(Object.freeze([pop('TUPLE1')]));
          break;
        case 0x86: { // TUPLE2
          const b = pop('TUPLE2');
          const a = pop('TUPLE2');
          push(Object.freeze([a, b]));
          break;
        }
        case 0x87: { // TUPLE3
          const c = pop('TUPLE3');
          const b = pop('TUPLE3');
          const a = pop('TUPLE3');
          push(Object.freeze([a, b, c]));
          break;
        }
        case 0x74: // TUPLE
          push(Object.freeze(popMark('TUPLE')));
          break;
        case 0x5d: // EMPTY_LIST
          push([]);
          break;
        case 0x6c: // LIST
          push(popMark('LIST'));
          break;
        case 0x61: { // APPEND
          const item = pop('APPEND');
          appendItems(top('APPEND'), [item], 'APPEND');
          break;
        }
        case 0x65: { // APPENDS
          const items = popMark('APPENDS');
          appendItems(top('APPENDS'), items, 'APPENDS');
          break;
        }
        case 0x7d: // EMPTY_DICT
          push(new PyDict(false));
          break;
        case 0x64: { // DICT
          const items = popMark('DICT');
          const dict = new PyDict(false);
          setItems(dict, items, 'DICT');
          push(dict);
          break;
        }
        case 0x73: { // SETITEM
          const value = pop('SETITEM');
          const key = pop('SETITEM');
          setItems(top('SETITEM'), [key, value], 'SETITEM');
          break;
        }
        case 0x75: { // SETITEMS
          const items = popMark('SETITEMS');
          setItems(top('SETITEMS'), items, 'SETITEMS');
          break;
        }
        case 0x8f: // EMPTY_SET
          push(new Set());
          break;
        case 0x90: { // ADDITEMS
          const items = popMark('ADDITEMS');
          const target = top('ADDITEMS');
          if (!(target instanceof Set)) fail(`ADDITEMS on ${describe(target)}, not a set`);
          for (const item of items) target.add(hashKey(item));
          break;
        }
        case 0x91: // FROZENSET
          push(new Set(popMark('FROZENSET').map(hashKey)));
          break;
        case 0x70: // PUT
          memoPut(parseDecimal(line('a PUT'), 'PUT') as number);
          break;
        case 0x71: // BINPUT
          memoPut(byte());
          break;
        case 0x72: // LONG_BINPUT
          memoPut(uint32());
          break;
        case 0x94: // MEMOIZE
          memoPut(memo.size);
          break;
        case 0x67: // GET
          memoGet(parseDecimal(line('a GET'), 'GET') as number);
          break;
        case 0x68: // BINGET
          memoGet(byte());
          break;
        case 0x6a: // LONG_BINGET
          memoGet(uint32());
          break;
        case 0x63: { // GLOBAL
          const module = line('a GLOBAL module');
          const name = line('a GLOBAL name');
          push(resolve(module, name));
          break;
        }
        case 0x93: { // STACK_GLOBAL
          const name = pop('STACK_GLOBAL');
          const module = pop('STACK_GLOBAL');
          if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL needs two strings, the module and the name');
          push(resolve(module, name));
          break;
        }
        case 0x69: { // INST (protocol 0): GLOBAL and a call in one
          const module = line('an INST module');
          const name = line('an INST name');
          const args = popMark('INST');
          push(call(resolve(module, name), Object.freeze(args), 'INST'));
          break;
        }
        case 0x6f: { // OBJ (protocol 0)
          const items = popMark('OBJ');
          if (items.length === 0) fail('OBJ without a class');
          push(call(items[0], Object.freeze(items.slice(1)), 'OBJ'));
          break;
        }
        case 0x52: { // REDUCE
          const args = pop('REDUCE');
          const callee = pop('REDUCE');
          push(call(callee, args, 'REDUCE'));
          break;
        }
        case 0x81: { // NEWOBJ: cls.__new__(cls, *args)
          const args = pop('NEWOBJ');
          const cls = pop('NEWOBJ');
          push(call(cls, args, 'NEWOBJ'));
          break;
        }
        case 0x92: { // NEWOBJ_EX
          pop('NEWOBJ_EX'); // kwargs
          const args = pop('NEWOBJ_EX');
          const cls = pop('NEWOBJ_EX');
          push(call(cls, args, 'NEWOBJ_EX'));
          break;
        }
        case 0x62: { // BUILD: obj.__setstate__(state), or obj.__dict__.update(state)
          const state = pop('BUILD');
          const target = top('BUILD');
          if (target instanceof RefusedObject) {
            if (looksLikeModuleState(state)) moduleClasses.push(target.global.qualifiedName);
          } else if (target instanceof ScriptObject) {
            target.state = state;
          } else if (target instanceof PyDict) {
            // An OrderedDict's attributes, such as a state dict's _metadata: not items.
            target.attributes = state;
          } else if (target instanceof RefusedGlobal) {
            // BUILD on a global would set attributes of a class or function: refused with it.
          } else if (target instanceof DTypeValue || target instanceof AllowedGlobal) {
            fail(`BUILD on the global ${target instanceof DTypeValue ? `torch.${target.name}` : target.qualifiedName} would change it; refused`);
          } else if (typeof target === 'object' && target !== null && !Array.isArray(target)) {
            // Tensors and parameters take their (empty) python state: ignored.
          } else {
            fail(`BUILD on ${describe(target)}`);
          }
          break;
        }
        case 0x51: // BINPERSID
          push(options.persistentLoad(pop('BINPERSID')));
          break;
        case 0x50: // PERSID
          push(options.persistentLoad(line('a PERSID')));
          break;
        case 0x53: // STRING (protocol 0 repr of a Python 2 str)
          fail('the protocol 0 STRING opcode (a Python 2 str) is not read; torch.save never writes it');
          break;
        case 0x82:
        case 0x83:
        case 0x84:
          fail(`the EXT${opcode === 0x82 ? 1 : opcode === 0x83 ? 2 : 4} opcode looks code up in copyreg's extension registry; refused`);
          break;
        case 0x97:
        case 0x98:
          fail('out-of-band buffers (NEXT_BUFFER, READONLY_BUFFER) are not read; torch.save never writes them');
          break;
        default:
          fail(`invalid pickle opcode 0x${opcode.toString(16).padStart(2, '0')} at byte ${position - 1} (this is not a pickle, or it is damaged)`);
      }
    }
  } catch (error) {
    // A refused global explains any failure after it (its object was never what the pickle expected).
    if (refused !== undefined && !(error instanceof PtError && error.message.includes('Unsupported global'))) {
      throw refusalError(refused, moduleClassOf(refused));
    }
    throw error;
  }
}

/**
 * Python 2 module names that protocols 0-2 write for Python 3's (pickle's fix_imports, as
 * its _compat_pickle maps them back on load): `builtins.eval` is pickled as `__builtin__.eval`.
 */
const PYTHON2_MODULES: Readonly<Record<string, string>> = {
  __builtin__: 'builtins',
  copy_reg: 'copyreg',
  commands: 'subprocess',
  exceptions: 'builtins',
  cPickle: 'pickle',
  Queue: 'queue',
  repr: 'reprlib',
  _winreg: 'winreg',
  thread: '_thread',
  dummy_thread: '_dummy_thread',
  urllib2: 'urllib.request',
  cStringIO: 'io',
  StringIO: 'io',
};

function latin1(raw: Uint8Array): string {
  let out = '';
  for (let i = 0; i < raw.length; i += 8192) out += String.fromCharCode(...raw.subarray(i, i + 8192));
  return out;
}

/** Dict keys and set items as JavaScript Map keys: ints by value whatever their width. */
function hashKey(key: unknown): unknown {
  if (typeof key === 'bigint' && key >= BigInt(Number.MIN_SAFE_INTEGER) && key <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(key);
  return key;
}

/** A little-endian two's-complement integer: a number when safe, else a bigint. */
function decodeLong(raw: Uint8Array): number | bigint {
  if (raw.length === 0) return 0;
  if (raw.length > MAX_LONG_BYTES) fail(`a LONG of ${raw.length} bytes is longer than the limit of ${MAX_LONG_BYTES}`);
  let value = 0n;
  for (let i = raw.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(raw[i]);
  if (raw[raw.length - 1] & 0x80) value -= 1n << BigInt(raw.length * 8);
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

function parseDecimal(text: string, opcode: string): number | bigint {
  if (!/^[-+]?\d{1,2466}$/.test(text)) fail(`${opcode} ${JSON.stringify(text.slice(0, 40))} is not an integer`);
  const value = BigInt(text);
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}
