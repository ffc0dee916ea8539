// The command's two kinds of failure, by exit code: 1 for input it cannot use (a file, a
// line, a checkpoint), 2 for a command line it cannot run.

/** Exit code 2: the arguments are wrong (unknown option, missing value, options that conflict). */
export class UsageError extends Error {
  readonly exitCode = 2;
}

/** Exit code 1: an input (checkpoint, data file, line) cannot be used. */
export class InputError extends Error {
  readonly exitCode = 1;
}

/** The exit code for any error: a UsageError's 2, else 1 (every other failure comes from the data). */
export function exitCodeOf(error: unknown): number {
  return error instanceof UsageError ? 2 : 1;
}
