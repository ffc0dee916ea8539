#!/usr/bin/env node
'use strict';
// An HTTP endpoint that serves an LSTM to many clients at once. Requests that arrive
// within a few milliseconds of each other are gathered into one batch, run by one
// forwardAsync call off the event loop, and each request is answered with its own slice.
//
//   node examples/server/batching-server.js
//   curl -s localhost:8080 -d '{"sequence": [[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8]]}'
//
// Sequences may differ in length: the batch is packed (packSequence), so a short request
// costs only its own steps.
const http = require('node:http');
const { LSTM, Tensor, manualSeed, packSequence } = require('../../lib');

const INPUT_SIZE = 4;
const MAX_BATCH = 64;
const GATHER_MS = 5;

manualSeed(0);
const model = new LSTM(INPUT_SIZE, 16).eval(); // load real weights with LSTM.fromStateDict

let waiting = []; // { sequence: Tensor, resolve, reject }
let timer = null;

/** Queues one sequence; resolves with its final hidden state once its batch has run. */
function infer(sequence) {
  return new Promise((resolve, reject) => {
    waiting.push({ sequence, resolve, reject });
    if (waiting.length >= MAX_BATCH) flush();
    else if (!timer) timer = setTimeout(flush, GATHER_MS);
  });
}

async function flush() {
  clearTimeout(timer);
  timer = null;
  const batch = waiting;
  waiting = [];
  try {
    const packed = packSequence(batch.map((request) => request.sequence), { enforceSorted: false });
    // hN comes back in the order of `batch`, whatever order packing sorted them into.
    const [, [hN]] = await model.forwardAsync(packed);
    const hidden = hN.size(2);
    batch.forEach((request, i) => request.resolve(Array.from(hN.data.subarray(i * hidden, (i + 1) * hidden))));
  } catch (error) {
    for (const request of batch) request.reject(error);
  }
}

function parseSequence(body) {
  const rows = JSON.parse(body).sequence;
  if (!Array.isArray(rows) || rows.length === 0 || rows.some((row) => !Array.isArray(row) || row.length !== INPUT_SIZE)) {
    throw new RangeError(`"sequence" must be a non-empty list of rows of ${INPUT_SIZE} numbers`);
  }
  return new Tensor(Float32Array.from(rows.flat()), [rows.length, INPUT_SIZE]);
}

const server = http.createServer((request, response) => {
  let body = '';
  request.on('data', (chunk) => { body += chunk; });
  request.on('end', async () => {
    try {
      const hidden = await infer(parseSequence(body));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ hidden }));
    } catch (error) {
      response.writeHead(400, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: error.message }));
    }
  });
});

if (require.main === module) {
  server.listen(8080, () => console.log('listening on http://localhost:8080'));
}

module.exports = { server, infer };
