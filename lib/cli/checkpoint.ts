// A checkpoint file as the command sees it: its tensors, and the modules their keys and
// shapes describe (an RNN/LSTM/GRU at a prefix, an Embedding or a Linear).
import * as path from 'path';
import { Embedding } from '../modules/embedding';
import { GRU } from '../modules/gru';
import { Linear } from '../modules/linear';
import { LSTM } from '../modules/lstm';
import { RNN } from '../modules/rnn';
import * as safetensors from '../safetensors';
import { AnyTensor } from '../tensor';
import type { RecurrentModule } from '../pipeline/encoder';
import { InputError, UsageError } from './errors';

export type StateDict = Record<string, AnyTensor>;

/** The tensors of a .safetensors, .pt or .pth file; any failure is an InputError. */
export function loadCheckpoint(file: string): StateDict {
  const extension = path.extname(file).toLowerCase();
  try {
    if (extension === '.safetensors') return safetensors.loadFile(file) as StateDict;
    throw new UsageError(`${file}: a checkpoint must be a .safetensors file`);
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

function recurrentRepr(module: RecurrentModule): string {
  // torch's RNNBase.extra_repr.
  let s = `${module.mode}(${module.inputSize}, ${module.hiddenSize}`;
  if (module.projSize) s += `, proj_size=${module.projSize}`;
  if (module.numLayers !== 1) s += `, num_layers=${module.numLayers}`;
  if (!module.bias) s += ', bias=False';
  if (module.bidirectional) s += ', bidirectional=True';
  return `${s})`;
}

export function buildRecurrent(sd: StateDict, prefix: string): RecurrentModule {
  const kind = recurrentKind(sd, prefix);
  if (!kind) throw new InputError(`no RNN, LSTM or GRU at prefix '${prefix}' (no ${prefix}weight_ih_l0 and ${prefix}weight_hh_l0 of a known gate count)`);
  const Recurrent = kind === 'LSTM' ? LSTM : kind === 'GRU' ? GRU : RNN;
  try {
    return (Recurrent as typeof LSTM).fromStateDict(sd, { prefix }).eval();
  } catch (error) {
    throw new InputError(`${kind} at '${prefix}': ${(error as Error).message}`);
  }
}

export function buildEmbedding(sd: StateDict, prefix: string): Embedding {
  const weight = sd[`${prefix}weight`];
  if (!weight || weight.dim() !== 2) throw new InputError(`no Embedding at prefix '${prefix}' (no 2-D ${prefix}weight)`);
  const embedding = new Embedding(weight.size(0), weight.size(1));
  try {
    embedding.loadStateDict(sd, { prefix });
  } catch (error) {
    throw new InputError(`Embedding at '${prefix}': ${(error as Error).message}`);
  }
  return embedding.eval();
}

export function buildLinear(sd: StateDict, prefix: string): Linear {
  const weight = sd[`${prefix}weight`];
  if (!weight || weight.dim() !== 2) throw new InputError(`no Linear at prefix '${prefix}' (no 2-D ${prefix}weight)`);
  const linear = new Linear(weight.size(1), weight.size(0), { bias: `${prefix}bias` in sd });
  try {
    linear.loadStateDict(sd, { prefix });
  } catch (error) {
    throw new InputError(`Linear at '${prefix}': ${(error as Error).message}`);
  }
  return linear.eval();
}

/** Every module the keys describe, in key order. */
export function findModules(sd: StateDict): FoundModule[] {
  const found: FoundModule[] = [];
  const claimed = new Set<string>();
  for (const key of Object.keys(sd)) {
    const match = RECURRENT_FIRST_WEIGHT.exec(key);
    if (!match) continue;
    const prefix = match[1];
    const kind = recurrentKind(sd, prefix);
    if (!kind) continue;
    try {
      const module = buildRecurrent(sd, prefix);
      found.push({ kind, prefix, repr: recurrentRepr(module) });
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
    if (bias && bias.dim() === 1 && bias.size(0) === weight.size(0)) {
      found.push({ kind: 'Linear', prefix, repr: `Linear(in_features=${weight.size(1)}, out_features=${weight.size(0)}, bias=True)` });
    } else if (!bias) {
      // A bias-free Linear has the same key and shape: torch cannot tell them apart either.
      found.push({ kind: 'Embedding', prefix, repr: `Embedding(${weight.size(0)}, ${weight.size(1)})` });
    }
  }
  return found;
}

/** 'rnn' and 'rnn.' name the same prefix; '' is the top level. */
export function normalizePrefix(prefix: string): string {
  return prefix === '' || prefix.endsWith('.') ? prefix : `${prefix}.`;
}

/** The recurrent module's prefix: the one given, or the only one the checkpoint holds. */
export function chooseRecurrentPrefix(sd: StateDict, given: string | undefined, file: string): string {
  if (given !== undefined) return normalizePrefix(given);
  const recurrent = findModules(sd).filter((module) => module.kind === 'RNN' || module.kind === 'LSTM' || module.kind === 'GRU');
  if (recurrent.length === 0) throw new InputError(`${file}: holds no RNN, LSTM or GRU (no weight_ih_l0 key)`);
  if (recurrent.length > 1) {
    throw new UsageError(`${file}: holds ${recurrent.length} recurrent modules (${recurrent.map((m) => `'${m.prefix}'`).join(', ')}); choose one with --rnn <prefix>`);
  }
  return recurrent[0].prefix;
}
