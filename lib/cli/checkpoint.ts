// A checkpoint file as the command sees it: its tensors, and the modules their keys and
// shapes describe (an RNN/LSTM/GRU at a prefix, an Embedding or a Linear).
import * as fs from 'fs';
import { sniffFormat } from '../formats/sniff';
import { Embedding } from '../modules/embedding';
import { GRU } from '../modules/gru';
import { Linear } from '../modules/linear';
import { LSTM } from '../modules/lstm';
import { RNN } from '../modules/rnn';
import { loadFileStateDict } from '../pt';
import * as safetensors from '../safetensors';
import { AnyTensor } from '../tensor';
import type { RecurrentModule } from '../pipeline/encoder';
import { InputError, UsageError } from './errors';

export type StateDict = Record<string, AnyTensor>;

/** The first bytes of a file, which say what it is. */
function firstBytes(file: string): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    const bytes = new Uint8Array(16);
    return bytes.subarray(0, fs.readSync(fd, bytes, 0, bytes.length, 0));
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The tensors of a checkpoint, told apart by content rather than name: safetensors, or what
 * torch.save / torch.jit.save write (`key`: the entry of a checkpoint dict holding the state
 * dict). Any failure is an InputError.
 */
export function loadCheckpoint(file: string, key?: string): StateDict {
  try {
    const format = sniffFormat(firstBytes(file));
    if (format === 'safetensors') {
      if (key !== undefined) throw new UsageError(`--key ${key}: a safetensors file is one flat state dict, it has no entries to choose from`);
      return safetensors.loadFile(file) as StateDict;
    }
    return loadFileStateDict(file, key, (suggested) => `--key ${suggested}`) as StateDict;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new InputError(`${file}: ${(error as Error).message}`);
  }
}

export type ModuleKind = 'RNN' | 'LSTM' | 'GRU' | 'Embedding' | 'Linear';

/** A module the keys describe: its kind, the prefix of its keys ('' or 'rnn.'), and its sizes. */
export interface FoundModule {
  kind: ModuleKind;
  prefix: string;
  /** torch's repr of the module the weights fit (the options weights cannot tell at their defaults). */
  repr: string;
}

const RECURRENT_FIRST_WEIGHT = /^(.*?)weight_ih_l0$/;

/** 4 gates: LSTM, 3: GRU, 1: RNN, from weight_hh_l0's rows over its columns (or a projection). */
function recurrentKind(sd: StateDict, prefix: string): 'RNN' | 'LSTM' | 'GRU' | null {
  const hh = sd[`${prefix}weight_hh_l0`];
  if (!hh || hh.dim() !== 2) return null;
  if (`${prefix}weight_hr_l0` in sd) return 'LSTM';
  const [rows, columns] = hh.shape;
  if (columns === 0) return null;
  return ({ 4: 'LSTM', 3: 'GRU', 1: 'RNN' } as Record<number, 'RNN' | 'LSTM' | 'GRU'>)[rows / columns] ?? null;
}

/** The RNN, LSTM or GRU at `prefix`; `nonlinearity` (an RNN's only, which no key records) is refused for the others. */
export function buildRecurrent(sd: StateDict, prefix: string, nonlinearity?: 'tanh' | 'relu'): RecurrentModule {
  const kind = recurrentKind(sd, prefix);
  if (!kind) throw new InputError(`no RNN, LSTM or GRU at prefix '${prefix}' (no ${prefix}weight_ih_l0 and ${prefix}weight_hh_l0 of a known gate count)`);
  if (nonlinearity !== undefined && kind !== 'RNN') {
    throw new UsageError(`--nonlinearity is an RNN's option; the module at '${prefix}' is ${kind === 'LSTM' ? 'an LSTM' : 'a GRU'}`);
  }
  try {
    if (kind === 'RNN') return RNN.fromStateDict(sd, { prefix, nonlinearity }).eval();
    return (kind === 'LSTM' ? LSTM : GRU).fromStateDict(sd, { prefix }).eval();
  } catch (error) {
    throw new InputError(`${kind} at '${prefix}': ${(error as Error).message}`);
  }
}

export function buildEmbedding(sd: StateDict, prefix: string): Embedding {
  try {
    return Embedding.fromStateDict(sd, { prefix }).eval();
  } catch (error) {
    throw new InputError(`Embedding at '${prefix}': ${(error as Error).message}`);
  }
}

export function buildLinear(sd: StateDict, prefix: string): Linear {
  try {
    return Linear.fromStateDict(sd, { prefix }).eval();
  } catch (error) {
    throw new InputError(`Linear at '${prefix}': ${(error as Error).message}`);
  }
}

/** Where the keys describe a recurrent module (its weight_ih_l0 and weight_hh_l0), in key order; nothing is built. */
function recurrentCandidates(sd: StateDict): { prefix: string; kind: 'RNN' | 'LSTM' | 'GRU' }[] {
  const candidates: { prefix: string; kind: 'RNN' | 'LSTM' | 'GRU' }[] = [];
  for (const key of Object.keys(sd)) {
    const match = RECURRENT_FIRST_WEIGHT.exec(key);
    const kind = match && recurrentKind(sd, match[1]);
    if (kind) candidates.push({ prefix: match[1], kind });
  }
  return candidates;
}

/** Every module the keys describe, in key order. */
export function findModules(sd: StateDict): FoundModule[] {
  const found: FoundModule[] = [];
  const claimed = new Set<string>();
  for (const { prefix, kind } of recurrentCandidates(sd)) {
    try {
      const module = buildRecurrent(sd, prefix);
      found.push({ kind, prefix, repr: String(module) });
      for (const [name] of module.parameterShapes()) claimed.add(prefix + name);
    } catch {
      // Keys that look recurrent but do not load are listed as tensors only.
    }
  }
  for (const key of Object.keys(sd)) {
    if (!key.endsWith('weight') || claimed.has(key)) continue;
    const prefix = key.slice(0, -'weight'.length);
    if (prefix !== '' && !prefix.endsWith('.')) continue;
    const weight = sd[key];
    if (weight.dim() !== 2) continue;
    const bias = sd[`${prefix}bias`];
    try {
      if (bias && bias.dim() === 1 && bias.size(0) === weight.size(0)) {
        found.push({ kind: 'Linear', prefix, repr: String(buildLinear(sd, prefix)) });
      } else if (!bias) {
        // A bias-free Linear has the same key and shape: torch cannot tell them apart either.
        found.push({ kind: 'Embedding', prefix, repr: String(buildEmbedding(sd, prefix)) });
      }
    } catch {
      // An integer weight, say: not a layer this command runs; listed as a tensor only.
    }
  }
  // In the checkpoint's order (the model's), not recurrent layers first.
  const keys = Object.keys(sd);
  const firstKey = (prefix: string): number => keys.findIndex((key) => key.startsWith(prefix));
  return found.sort((a, b) => firstKey(a.prefix) - firstKey(b.prefix));
}

/** 'rnn' and 'rnn.' name the same prefix; '' is the top level. */
export function normalizePrefix(prefix: string): string {
  return prefix === '' || prefix.endsWith('.') ? prefix : `${prefix}.`;
}

/**
 * The recurrent module's prefix: the one given, or the only one the checkpoint holds (found
 * by its keys alone: the run builds it once, after this).
 */
export function chooseRecurrentPrefix(sd: StateDict, given: string | undefined, file: string): string {
  if (given !== undefined) return normalizePrefix(given);
  const recurrent = recurrentCandidates(sd);
  if (recurrent.length === 0) throw new InputError(`${file}: holds no RNN, LSTM or GRU (no weight_ih_l0 key)`);
  if (recurrent.length > 1) {
    throw new UsageError(`${file}: holds ${recurrent.length} recurrent modules (${recurrent.map((m) => `'${m.prefix}'`).join(', ')}); choose one with --rnn <prefix>`);
  }
  return recurrent[0].prefix;
}
