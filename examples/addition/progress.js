// @ts-check
'use strict';
// A one-line progress bar on stderr for the demo's steps that take more than a second.

class ProgressBar {
  /** @param {string} label @param {number} total */
  constructor(label, total) {
    this.label = label;
    this.total = total;
    this.started = Date.now();
    this.shown = false;
    // Redrawing a line needs a terminal; in a log file the bar would be noise.
    this.enabled = Boolean(process.stderr.isTTY);
  }

  /** @param {number} done */
  update(done) {
    // Quiet for fast steps: the bar appears once a step has taken a second.
    if (!this.enabled || (!this.shown && Date.now() - this.started < 1000)) return;
    this.shown = true;
    const width = 30;
    const filled = Math.round((done / this.total) * width);
    process.stderr.write(`\r  ${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.round((done / this.total) * 100)}%`);
  }

  finish() {
    if (this.shown) process.stderr.write(`\r${' '.repeat(this.label.length + 45)}\r`);
  }
}

module.exports = { ProgressBar };
