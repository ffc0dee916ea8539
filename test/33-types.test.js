'use strict';
// The published types, compiled with tsc --strict as user code: test/types/user-code.ts
// must compile, and every line of test/types/must-not-compile.ts marked @ts-expect-error
// must fail (an unused directive is itself an error, TS2578).
const assert = require('node:assert/strict');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.join(__dirname, '..');

describe('TypeScript types (tsc --strict on user code)', function () {
  this.timeout(120000);

  it('compile what users write, and refuse what torch refuses', () => {
    const tsc = require.resolve('typescript/bin/tsc');
    const run = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'test', 'types')], { encoding: 'utf8' });
    assert.equal(run.stdout + run.stderr, '', 'tsc reported errors');
    assert.equal(run.status, 0);
  });

  it('compile without @types/node: the published .d.ts files need nothing of Node\'s', () => {
    // The declarations alone, laid out as npm installs them (no .ts sources beside them,
    // which tsc would otherwise prefer), checked in full (skipLibCheck off), types: [].
    const fs = require('node:fs');
    const os = require('node:os');
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-blas-types-'));
    try {
      const packageDir = path.join(project, 'node_modules', 'rnn-blas');
      const copyDeclarations = (from, to) => {
        for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
          if (entry.isDirectory()) copyDeclarations(path.join(from, entry.name), path.join(to, entry.name));
          else if (entry.name.endsWith('.d.ts')) {
            fs.mkdirSync(to, { recursive: true });
            fs.copyFileSync(path.join(from, entry.name), path.join(to, entry.name));
          }
        }
      };
      copyDeclarations(path.join(root, 'lib'), path.join(packageDir, 'lib'));
      fs.copyFileSync(path.join(root, 'binding.d.ts'), path.join(packageDir, 'binding.d.ts'));
      fs.writeFileSync(path.join(packageDir, 'package.json'), JSON.stringify({ name: 'rnn-blas', types: 'lib/index.d.ts' }));
      fs.copyFileSync(path.join(root, 'test', 'types', 'no-node-types.ts'), path.join(project, 'user.ts'));
      fs.writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({
        compilerOptions: { target: 'ES2020', module: 'commonjs', lib: ['ES2020'], strict: true, noEmit: true, types: [], skipLibCheck: false },
        files: ['user.ts'],
      }));
      const tsc = require.resolve('typescript/bin/tsc');
      const run = spawnSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8' });
      assert.equal(run.stdout + run.stderr, '', 'tsc reported errors');
      assert.equal(run.status, 0);
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });

  it('without the directives, each marked line is an error of its own', () => {
    const ts = require('typescript');
    const file = path.join(root, 'test', 'types', 'must-not-compile.ts');
    const lines = ts.sys.readFile(file).split('\n');
    const marked = lines.flatMap((line, i) => (line.trim().startsWith('// @ts-expect-error') ? [i + 1] : []));
    const stripped = lines.map((line) => (line.trim().startsWith('// @ts-expect-error') ? '' : line)).join('\n');
    const config = ts.getParsedCommandLineOfConfigFile(path.join(root, 'test', 'types', 'tsconfig.json'), {}, {
      ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {},
    });
    const host = ts.createCompilerHost(config.options);
    const readFile = host.readFile;
    host.readFile = (name) => (path.resolve(name) === file ? stripped : readFile(name));
    const program = ts.createProgram([file], config.options, host);
    const errorLines = [...new Set(ts.getPreEmitDiagnostics(program)
      .filter((d) => d.file && path.resolve(d.file.fileName) === file)
      .map((d) => d.file.getLineAndCharacterOfPosition(d.start).line + 1))];
    // The error is on the line after each directive.
    assert.deepEqual(errorLines, marked.map((line) => line + 1));
    assert.equal(marked.length, 12);
  });
});
