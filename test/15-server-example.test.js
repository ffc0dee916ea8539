'use strict';
// The README's server example: concurrent requests of different lengths are batched into
// one packed forwardAsync, and each gets the answer it would get alone: the last layer's
// final state, both directions. Bad input is a 400; it listens on 127.0.0.1 by default.
const assert = require('node:assert/strict');
const http = require('node:http');
const { spawn } = require('node:child_process');
const path = require('node:path');
const { LSTM, Tensor, cat } = require('../lib');
const { infer, model, server } = require('../examples/server/batching-server');

function post(port, body) {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: '127.0.0.1', port, method: 'POST' }, (response) => {
      let text = '';
      response.on('data', (chunk) => { text += chunk; });
      response.on('end', () => resolve({ status: response.statusCode, body: JSON.parse(text) }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

describe('the batching server example', () => {
  it('answers each request with the last layer\'s final state, both directions, as alone', async () => {
    const sequences = Array.from({ length: 24 }, (_, i) =>
      new Tensor(Float32Array.from({ length: 4 * (1 + (i % 6)) }, (_, j) => Math.sin(i + j)), [1 + (i % 6), 4]));
    const answers = await Promise.all(sequences.map(infer));
    const alone = new LSTM(4, 16, { numLayers: 2, bidirectional: true }).eval();
    alone.loadStateDict(model.stateDict(), { prefix: 'rnn.' });
    sequences.forEach((sequence, i) => {
      const [output, [hN]] = alone.forward(sequence);
      // Layer 1's states are rows 2 (forward) and 3 (backward); the forward one is the last output step's first half.
      const expected = cat([hN.select(0, 2), hN.select(0, 3)], 0);
      assert.equal(answers[i].length, 32);
      answers[i].forEach((value, j) => assert.ok(Math.abs(value - expected.data[j]) < 1e-6, `request ${i} unit ${j}`));
      const lastForward = output.select(0, -1).narrow(0, 0, 16);
      answers[i].slice(0, 16).forEach((value, j) => assert.ok(Math.abs(value - lastForward.data[j]) < 1e-6));
    });
  });

  it('refuses non-numeric, ragged or non-JSON input with a 400', async () => {
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address();
    try {
      const message = '"sequence" must be a non-empty list of rows of 4 finite numbers';
      for (const body of ['{"sequence": [[1,2,3,"x"]]}', '{"sequence": [[1,2,3]]}', '{"sequence": []}', '{"sequence": [[1,2,3,null]]}', 'null']) {
        assert.deepEqual(await post(port, body), { status: 400, body: { error: message } }, body);
      }
      assert.equal((await post(port, '{"sequence": [[1,2')).status, 400);
      const ok = await post(port, '{"sequence": [[0.1, 0.2, 0.3, 0.4]]}');
      assert.equal(ok.status, 200);
      assert.equal(ok.body.hidden.length, 32);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('listens on 127.0.0.1 unless HOST says otherwise', async () => {
    const child = spawn(process.execPath, [path.join(__dirname, '..', 'examples', 'server', 'batching-server.js')], {
      env: { ...process.env, PORT: '0' },
    });
    try {
      const line = await new Promise((resolve, reject) => {
        child.stdout.once('data', (chunk) => resolve(String(chunk)));
        child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
      });
      assert.match(line, /^listening on http:\/\/127\.0\.0\.1:[1-9][0-9]*\n$/);
    } finally {
      child.kill();
    }
  });
});
