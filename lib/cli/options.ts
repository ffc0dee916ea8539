// The run command's options, checked (exit 2 for anything wrong) and resolved: the shard
// from --shard i/n or from a batch system's array index with --shards n.
import { coreCount } from '../pipeline/batcher';
import { Pooling } from '../pipeline/pooling';
import { UsageError } from './errors';
import type { Shard } from './inputs';

/** Environment variables that batch systems set to a task's index in an array job. */
export const SHARD_INDEX_VARIABLES = ['JOB_COMPLETION_INDEX', 'AWS_BATCH_JOB_ARRAY_INDEX'] as const;

export function parseCount(value: string, option: string, { allowZero = false } = {}): number {
  if (!/^[0-9]+$/.test(value) || (!allowZero && Number(value) === 0) || !Number.isSafeInteger(Number(value))) {
    throw new UsageError(`${option} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got '${value}'`);
  }
  return Number(value);
}

export function parsePool(value: string): Pooling {
  if (!['last', 'mean', 'max', 'none'].includes(value)) throw new UsageError(`--pool must be last, mean, max or none, got '${value}'`);
  return value as Pooling;
}

/** An RNN's nonlinearity: nothing in a state dict tells tanh from relu. */
export function parseNonlinearity(value: string | undefined): 'tanh' | 'relu' | undefined {
  if (value === undefined || value === 'tanh' || value === 'relu') return value;
  throw new UsageError(`--nonlinearity must be tanh or relu, got '${value}'`);
}

export function parseWorkers(value: string | undefined): number {
  if (value === undefined) return 0;
  if (value === 'auto') return coreCount();
  return parseCount(value, '--workers', { allowZero: true });
}

export function resolveShard(shard: string | undefined, shards: string | undefined, env: NodeJS.ProcessEnv): Shard {
  if (shard !== undefined && shards !== undefined) throw new UsageError('--shard i/n and --shards n exclude each other');
  if (shard !== undefined) {
    const match = /^([0-9]+)\/([0-9]+)$/.exec(shard);
    if (!match) throw new UsageError(`--shard must be i/n (0 <= i < n), got '${shard}'`);
    const [index, count] = [Number(match[1]), Number(match[2])];
    if (count < 1 || index >= count) throw new UsageError(`--shard must be i/n with 0 <= i < n, got '${shard}'`);
    return { index, count };
  }
  if (shards !== undefined) {
    const count = parseCount(shards, '--shards');
    const variable = SHARD_INDEX_VARIABLES.find((name) => env[name] !== undefined && env[name] !== '');
    if (!variable) throw new UsageError(`--shards ${count} takes the shard index from ${SHARD_INDEX_VARIABLES.join(' or ')}, and neither is set`);
    const value = env[variable]!;
    if (!/^[0-9]+$/.test(value) || Number(value) >= count) throw new UsageError(`${variable}=${value} is not a shard index below --shards ${count}`);
    return { index: Number(value), count };
  }
  return { index: 0, count: 1 };
}
