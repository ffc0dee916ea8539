#!/usr/bin/env node
'use strict';
// The source build, for platforms without a prebuilt binary (scripts/install.js calls it):
// cmake-js compiles the addon against the system's OpenBLAS into build/Release.
//
// cmake-js (about 90 packages with its own dependencies) and node-addon-api (C++ headers)
// are needed only here, so they are devDependencies, not runtime ones: a clone has them
// from `npm ci`; an installed package fetches them now, at the versions package.json names,
// into build-tools/ inside the package, with the npm that runs this install.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const toolsDir = path.join(root, 'build-tools');
const buildTools = ['cmake-js', 'node-addon-api'];

const missingPackagesHelp =
  "It needs a C++17 compiler, CMake >= 3.15 and OpenBLAS's development files. Install them with:\n" +
  '  Debian/Ubuntu: apt-get install -y build-essential cmake libopenblas-dev\n' +
  '  Fedora:        dnf install -y gcc-c++ cmake openblas-devel\n' +
  '  macOS:         brew install cmake openblas\n';

function resolvesFrom(dir, request) {
  try {
    return require.resolve(request, { paths: [dir] });
  } catch {
    return null;
  }
}

/** The npm that runs this install (npm_execpath), else the one on PATH. */
function npmCommand() {
  const cli = process.env.npm_execpath;
  if (cli && /npm-cli\.js$/.test(cli)) return { command: process.execPath, args: [cli] };
  return { command: process.platform === 'win32' ? 'npm.cmd' : 'npm', args: [] };
}

/** Folder whose node_modules holds cmake-js and node-addon-api, installing them if needed. */
function buildToolsFolder() {
  if (buildTools.every((name) => resolvesFrom(root, `${name}/package.json`))) return root;
  if (buildTools.every((name) => resolvesFrom(toolsDir, `${name}/package.json`))) return toolsDir;

  const { devDependencies } = require('../package.json');
  const dependencies = Object.fromEntries(buildTools.map((name) => [name, devDependencies[name]]));
  fs.mkdirSync(toolsDir, { recursive: true });
  fs.writeFileSync(path.join(toolsDir, 'package.json'),
    `${JSON.stringify({ name: 'rnn-blas-build-tools', private: true, dependencies }, null, 2)}\n`);
  console.log(`rnn-blas: no prebuilt binary for ${process.platform}-${process.arch}; ` +
    `fetching ${buildTools.join(' and ')} to build from source`);
  // The outer install's npm_config_* settings (registry, cache, proxy, offline) carry over;
  // those that would install elsewhere than build-tools/ do not.
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^npm_config_(global|location|prefix|save|workspaces?|include_workspace_root)/i.test(key)) delete env[key];
  }
  const npm = npmCommand();
  const install = spawnSync(npm.command, [...npm.args, 'install', '--prefix', toolsDir, '--no-package-lock',
    '--no-audit', '--no-fund', '--omit=dev', '--loglevel=error'], { cwd: toolsDir, env, stdio: 'inherit' });
  if (install.status !== 0) {
    console.error(`\nrnn-blas: could not install ${buildTools.join(' and ')} for the source build`);
    process.exit(install.status || 1);
  }
  return toolsDir;
}

function buildFromSource() {
  const tools = buildToolsFolder();
  const cmakeJs = require.resolve('cmake-js/bin/cmake-js', { paths: [tools] });
  // CMakeLists.txt asks node for node-addon-api's include folder: NODE_PATH lets it find it.
  const nodePath = [path.join(tools, 'node_modules'), process.env.NODE_PATH].filter(Boolean).join(path.delimiter);
  const build = spawnSync(process.execPath, [cmakeJs, 'compile'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_PATH: nodePath },
  });
  if (build.status !== 0) {
    console.error(`\nrnn-blas: building from source failed. ${missingPackagesHelp}`);
    process.exit(build.status || 1);
  }
}

module.exports = { buildFromSource };

if (require.main === module) buildFromSource();
