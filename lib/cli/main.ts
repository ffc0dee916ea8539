#!/usr/bin/env node
// The `rnn-blas` command (the package's bin): info, run and merge. Arguments are parsed by
// commander; every failure becomes one line on stderr and an exit code: 0 ok, 1 bad input,
// 2 usage.
import { Command, CommanderError, Option } from 'commander';
import { exitCodeOf } from './errors';
import { infoCommand } from './info';
import { mergeCommand } from './merge';
import { RunArguments, runCommand } from './run';

function packageVersion(): string {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return (require('../../package.json') as { version: string }).version;
}

export function buildProgram(): Command {
  const program = new Command('rnn-blas')
    .description("PyTorch's RNN/LSTM/GRU over whole datasets: a checkpoint's encoder on every sequence of a file or a stream")
    .version(packageVersion())
    .exitOverride()
    .showHelpAfterError('(rnn-blas --help for usage)');

  program
    .command('info')
    .description('the tensors of a checkpoint (name, dtype, shape) and the modules their keys describe')
    .argument('<checkpoint>', '.safetensors, .pt or .pth file (torch.save, torch.jit.save)')
    .option('--key <name>', 'the entry of a checkpoint dict that holds the state dict (torch.save({..., "model_state_dict": ...}))')
    .action((checkpoint: string, options: { key?: string }) => infoCommand(checkpoint, options.key));

  program
    .command('run')
    .description('run a checkpoint over every sequence of --input, writing one result per input, in input order, to --output')
    .argument('<checkpoint>', '.safetensors, .pt or .pth file (torch.save, torch.jit.save)')
    .option('--key <name>', 'the entry of a checkpoint dict that holds the state dict')
    .requiredOption('--input <path|->', 'JSONL (one sequence per line), a padded .npy (with --lengths), an .npz, or - for JSONL on stdin')
    .requiredOption('--output <path|->', '.npy (N x F float32), .jsonl ({"id", "vector"} per line), or - for JSONL on stdout')
    .option('--embedding <prefix>', 'an Embedding in front, at this key prefix: inputs are token ids')
    .option('--rnn <prefix>', 'the RNN, LSTM or GRU at this key prefix (default: the only one)')
    .option('--linear <prefix>', 'a Linear after the pooling, at this key prefix')
    .option('--nonlinearity <tanh|relu>', "an RNN's nonlinearity, which its weights do not record (default: tanh, torch's)")
    .addOption(new Option('--pool <how>', 'last: final states of the last layer, directions concatenated; mean/max over the real steps; none: every step (JSONL only)').default('last'))
    .option('--lengths <file>', 'a .npy of sequence lengths for a padded .npy input')
    .option('--batch-first', 'a padded .npy/.npz input is (N, L, ...) rather than (L, N, ...)')
    .addOption(new Option('--batch-tokens <n>', 'token budget of a batch (the sum of its lengths)').default('8192'))
    .option('--threads <n>', 'BLAS threads (per worker, with --workers)')
    .option('--workers <n|auto>', 'worker threads, each with its own copy of the model (auto: one per core); default 0: this thread')
    .option('--shard <i/n>', 'only inputs i, i+n, i+2n, ... (for n copies on n machines)')
    .option('--shards <n>', `n shards, this one's index from JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX`)
    .option('--resume', 'continue <output>.partial from its last complete row')
    .option('--skip-bad', 'report a malformed input on stderr and leave it out, instead of stopping')
    .option('--quiet', 'no progress bar, no summary')
    .action((checkpoint: string, options: RunArguments) => runCommand(checkpoint, options));

  program
    .command('merge')
    .description('put the outputs of --shard 0/n ... (n-1)/n back in input order (files taken in natural order: out-2 before out-10)')
    .argument('<shards...>', '.npy or .jsonl shard outputs')
    .requiredOption('--output <path|->', 'the merged .npy or .jsonl (- for JSONL on stdout)')
    .option('--quiet', 'no summary')
    .action((shards: string[], options: { output: string; quiet?: boolean }) => mergeCommand(shards, options.output, Boolean(options.quiet)));

  for (const command of program.commands) command.exitOverride().showHelpAfterError('(rnn-blas --help for usage)');
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has printed its message (or the help); help and --version are not errors.
      return error.exitCode === 0 ? 0 : 2;
    }
    process.stderr.write(`rnn-blas: ${(error as Error).message}\n`);
    return exitCodeOf(error);
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
