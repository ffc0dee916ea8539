'use strict';
// What the numbers ran on: the CPU, core count, OS, Node, and how busy the cores were with
// other work just before and after the run (a shared machine makes every time noisier).
const os = require('os');

function describeMachine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0] ? cpus[0].model : 'unknown',
    cores: cpus.length,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
  };
}

function cpuTimes() {
  return os.cpus().reduce((sum, cpu) => {
    const { user, nice, sys, idle, irq } = cpu.times;
    return { busy: sum.busy + user + nice + sys + irq, total: sum.total + user + nice + sys + idle + irq };
  }, { busy: 0, total: 0 });
}

/** Fraction (0..1) of all cores busy over the next `ms` while this process sleeps: other jobs' load. */
async function measureOtherLoad(ms = 500) {
  const before = cpuTimes();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = cpuTimes();
  const total = after.total - before.total;
  return total > 0 ? (after.busy - before.busy) / total : 0;
}

module.exports = { describeMachine, measureOtherLoad };
