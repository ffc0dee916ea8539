// `rnn-blas info`: what a checkpoint holds: its tensors, and the modules their keys describe.
import { findModules, loadCheckpoint } from './checkpoint';

export function infoCommand(checkpoint: string, key?: string): void {
  const sd = loadCheckpoint(checkpoint, key);
  const entries = Object.entries(sd);
  const lines = [`${checkpoint}: ${entries.length} tensors`];
  const nameWidth = Math.max(0, ...entries.map(([name]) => name.length));
  for (const [name, tensor] of entries) lines.push(`  ${name.padEnd(nameWidth)}  ${tensor.dtype.padEnd(7)}  [${tensor.shape.join(', ')}]`);
  const modules = findModules(sd);
  lines.push(modules.length > 0 ? 'modules:' : 'modules: none recognised (no RNN, LSTM, GRU, Embedding or Linear keys)');
  for (const module of modules) lines.push(`  ${module.prefix === '' ? '(no prefix)' : module.prefix}: ${module.repr}`);
  if (modules.some((module) => module.kind === 'RNN')) {
    lines.push("note: an RNN's weights do not record its nonlinearity: run computes tanh unless given --nonlinearity relu");
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
