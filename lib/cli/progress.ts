// The progress bar (cli-progress) on stderr, only when stderr is a terminal: a log file or
// a batch system's captured stderr gets no carriage-return noise.
import { SingleBar } from 'cli-progress';

export interface Progress {
  update(done: number, total: number | null, sequences: number): void;
  stop(): void;
}

const SILENT: Progress = { update() {}, stop() {} };

export function createProgress(enabled: boolean, unit: 'bytes' | 'inputs'): Progress {
  if (!enabled || !process.stderr.isTTY) return SILENT;
  const started = Date.now();
  const bar = new SingleBar(
    {
      format: `{bar} {percentage}% | {sequences} sequences | {rate}/s | ETA {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
    },
  );
  let startedBar = false;
  return {
    update(done, total, sequences) {
      const rate = Math.round(sequences / Math.max((Date.now() - started) / 1000, 1e-3));
      if (!startedBar) {
        bar.start(total ?? 0, 0, { sequences: 0, rate: 0 });
        startedBar = true;
      }
      if (total !== null) bar.setTotal(total);
      bar.update(unit === 'bytes' || total !== null ? done : sequences, { sequences, rate });
    },
    stop() {
      if (startedBar) bar.stop();
    },
  };
}
