#!/usr/bin/env node
'use strict';
// npm run release: the tarball to hand out, made and checked in one go.
//   1. builds both prebuilds: prebuilds/linux-x64 here, prebuilds/linux-arm64 cross-compiled
//      (scripts/arm64/setup-toolchain.sh installs what that needs);
//   2. packs the tarball into dist/ (prepack compiles lib/) and checks it holds both;
//   3. installs it into a new project with --ignore-scripts, as a user whose npm runs no
//      install script, and checks the package loads there and computes; under qemu with the
//      arm64 Node too, when scripts/arm64/ has set one up;
//   4. prints the tarball's path and size, each prebuild's size and what the install added.
// --skip-build packs the prebuilds already in prebuilds/.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { parseArgs } = require('node:util');

const root = path.join(__dirname, '..');
const dist = path.join(root, 'dist');
const targets = ['linux-x64', 'linux-arm64'];
const { values: options } = parseArgs({ options: { 'skip-build': { type: 'boolean', default: false } } });

const megabytes = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
function step(text) {
  console.log(`\n== release: ${text}`);
}
function run(command, args, spawnOptions = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', encoding: 'utf8', ...spawnOptions });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    if (result.stdout) process.stdout.write(result.stdout);
    if (result.stderr) process.stderr.write(result.stderr);
    console.error(`release: FAILED: ${command} ${args.join(' ')} exited with ${result.status}`);
    process.exit(1);
  }
  return result;
}
const npm = (args, spawnOptions) => run(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, spawnOptions);

if (`${process.platform}-${process.arch}` !== 'linux-x64') {
  console.error('release: builds the linux-x64 prebuild natively and cross-compiles linux-arm64, so it runs on linux-x64');
  process.exit(1);
}
const started = Date.now();

if (!options['skip-build']) {
  step('build prebuilds/linux-x64');
  npm(['run', '--silent', 'build:prebuild']);
  step('cross-compile prebuilds/linux-arm64');
  npm(['run', '--silent', 'build:prebuild:arm64']);
}
// The size budget of one prebuild (the x64 one was 25.9 MB when it was set).
const maxPrebuildBytes = 26e6;
const prebuildSizes = targets.map((target) => {
  const file = path.join(root, 'prebuilds', target, 'rnn-blas.glibc.node');
  assert.ok(fs.existsSync(file), `no ${path.relative(root, file)}`);
  const { size } = fs.statSync(file);
  assert.ok(size <= maxPrebuildBytes, `prebuilds/${target} is ${megabytes(size)}, over the ${megabytes(maxPrebuildBytes)} budget`);
  return [target, size];
});

step('npm pack');
fs.mkdirSync(dist, { recursive: true });
const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', dist], { stdio: ['inherit', 'pipe', 'inherit'] }).stdout
  .replace(/^[^[]*/s, ''));
const tarball = path.join(dist, packed.filename);
const files = packed.files.map((file) => file.path);
for (const target of targets) {
  assert.ok(files.includes(`prebuilds/${target}/rnn-blas.glibc.node`), `the tarball lacks prebuilds/${target}`);
}

step('install the tarball into a new project with --ignore-scripts');
const app = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-blas-release-'));
try {
  fs.writeFileSync(path.join(app, 'package.json'), '{ "name": "release-check", "version": "1.0.0", "private": true }\n');
  npm(['install', '--ignore-scripts', '--no-audit', '--no-fund', tarball], { cwd: app });
  const diskUsage = (dir) => fs.readdirSync(dir, { withFileTypes: true }).reduce((total, entry) => {
    const file = path.join(dir, entry.name);
    return total + (entry.isDirectory() ? diskUsage(file) : fs.lstatSync(file).size);
  }, 0);
  const nodeModulesBytes = diskUsage(path.join(app, 'node_modules'));
  const installed = Object.keys(JSON.parse(fs.readFileSync(path.join(app, 'node_modules', '.package-lock.json'), 'utf8')).packages)
    .filter((key) => key !== 'node_modules/rnn-blas');
  // What a user's first lines do: load the package, run an LSTM, read which binary and kernels.
  const check = `
    const rnn = require('rnn-blas');
    const packageDir = require('path').dirname(require.resolve('rnn-blas/package.json'));
    const binary = require('path').relative(packageDir, require('node-gyp-build').resolve(packageDir));
    rnn.manualSeed(18);
    const [output] = new rnn.LSTM(8, 16, { numLayers: 2 }).forward(rnn.randn([5, 3, 8]));
    if (String(output.shape) !== '5,3,16' || !output.data.every(Number.isFinite)) throw new Error('bad LSTM output');
    console.log(process.arch + ': ' + binary + ', kernelSet() ' + rnn.kernelSet() + ', LSTM output [' + output.shape + ']');`;
  run(process.execPath, ['-e', check], { cwd: app, env: { ...process.env, PREBUILDS_ONLY: '1' } });
  const armNode = path.join(root, 'scripts', 'arm64', 'node.sh');
  const armProbe = spawnSync(armNode, ['-e', '0'], { encoding: 'utf8' });
  if (armProbe.status === 0) run(armNode, ['-e', check], { cwd: app, env: { ...process.env, PREBUILDS_ONLY: '1' } });
  else console.log('(no arm64 Node here, scripts/arm64/setup-toolchain.sh sets one up: the arm64 prebuild was not run)');

  step('done');
  for (const [target, size] of prebuildSizes) console.log(`prebuilds/${target}: ${megabytes(size)} (${size} bytes)`);
  console.log(`packages the install added besides rnn-blas: ${installed.length} (${installed.map((p) => path.basename(p)).join(', ')})`);
  console.log(`unpacked package: ${megabytes(packed.unpackedSize)}, ${packed.entryCount} files; ` +
    `the new project's node_modules: ${megabytes(nodeModulesBytes)}`);
  console.log(`took ${Math.round((Date.now() - started) / 1000)} s`);
  console.log(`tarball: ${tarball} (${megabytes(packed.size)}, ${packed.size} bytes)`);
} finally {
  fs.rmSync(app, { recursive: true, force: true });
}
