// The progress line on stderr, only when stderr is a terminal: a log file or a batch
// system's captured stderr gets no carriage-return noise. `progress` draws it: a
// dependency-free library, where cli-progress brought five packages into every install.
import ProgressBar = require('progress');

export interface Progress {
  update(done: number, total: number | null, sequences: number): void;
  stop(): void;
}

const SILENT: Progress = { update() {}, stop() {} };

export function createProgress(enabled: boolean): Progress {
  if (!enabled || !process.stderr.isTTY) return SILENT;
  const started = Date.now();
  let bar: ProgressBar | null = null;
  const open = (total: number | null) => {
    // An unknown total (stdin) shows the count and the rate only.
    const format = total === null
      ? ':sequences sequences | :perSecond/s'
      : ':bar :percent | :sequences sequences | :perSecond/s | ETA :etas';
    return new ProgressBar(format, { total: Math.max(total ?? 1, 1), stream: process.stderr, width: 30, renderThrottle: 200 });
  };
  return {
    update(done, total, sequences) {
      const rate = Math.round(sequences / Math.max((Date.now() - started) / 1000, 1e-3));
      if (!bar) bar = open(total);
      if (total !== null) bar.total = Math.max(total, 1);
      // perSecond, not progress's own :rate, which counts the bar's units (bytes of input).
      bar.update(total === null ? 0 : Math.min(1, done / Math.max(total, 1)), { sequences, perSecond: rate });
    },
    stop() {
      if (bar) bar.terminate();
    },
  };
}
