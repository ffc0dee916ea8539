#!/usr/bin/env node
'use strict';
// An HTTP endpoint that serves a recurrent encoder to many clients at once. Requests that
// arrive within a few milliseconds of each other are gathered into one batch, run by one
// forwardAsync call off the event loop, and each request is answered with its own row.
//
//   node examples/server/batching-server.js            # listens on 127.0.0.1:8080
//   HOST=0.0.0.0 PORT=9000 node examples/server/batching-server.js
//   curl -s localhost:8080 -d '{"sequence": [[0.1, 0.2, 0.3, 0.4], [0.5, 0.6, 0.7, 0.8]]}'
//
// Sequences may differ in length: the batch is packed (packSequence), so a short request
// costs only its own steps. The answer is the last layer's final state, both directions
// (torch: torch.cat([h_n[-2], h_n[-1]], 1)).
const http = require('node:http');
const { LSTM, Module, Tensor, cat, manualSeed, packSequence } = require('../../lib');

const INPUT_SIZE = 4;
const HIDDEN_SIZE = 16;
const MAX_BATCH = 64;
const GATHER_MS = 5;
const MAX_BODY_BYTES = 1 << 20;

/**
 * The served model, as a PyTorch user writes it: a Module whose child is a 2-layer
 * bidirectional LSTM. Load real weights with `encoder.loadStateDict(safetensors.loadFile(path))`
 * (keys `rnn.weight_ih_l0`, ...).
 */
class SequenceEncoder extends Module {
  constructor() {
    super();
    this.rnn = new LSTM(INPUT_SIZE, HIDDEN_SIZE, { numLayers: 2, bidirectional: true });
  }

  /** (N, 2 * HIDDEN_SIZE): the last layer's final h, forward then backward direction. */
  async forwardAsync(packed) {
    // hN is (numLayers * 2, N, H) in the order of the requests, whatever order packing sorted them into.
    const [, [hN]] = await this.rnn.forwardAsync(packed);
    return cat([hN.select(0, -2), hN.select(0, -1)], 1);
  }
}

manualSeed(0);
const model = new SequenceEncoder().eval();

let waiting = []; // { sequence: Tensor, resolve, reject }
let timer = null;

/** Queues one (L, INPUT_SIZE) sequence; resolves with its features once its batch has run. */
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
    const features = await model.forwardAsync(packed);
    batch.forEach((request, i) => request.resolve(features.select(0, i).toJSON()));
  } catch (error) {
    for (const request of batch) request.reject(error);
  }
}

/** A client's mistake: answered with 400 and the message. */
class BadRequest extends Error {}

/** The request's sequence as an (L, INPUT_SIZE) Tensor; a BadRequest for anything else. */
function parseSequence(body) {
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new BadRequest('the body must be JSON: {"sequence": [[...], ...]}');
  }
  const rows = parsed !== null && typeof parsed === 'object' ? parsed.sequence : undefined;
  const isRow = (row) => Array.isArray(row) && row.length === INPUT_SIZE &&
    row.every((value) => typeof value === 'number' && Number.isFinite(value));
  if (!Array.isArray(rows) || rows.length === 0 || !rows.every(isRow)) {
    throw new BadRequest(`"sequence" must be a non-empty list of rows of ${INPUT_SIZE} finite numbers`);
  }
  return new Tensor(Float32Array.from(rows.flat()), [rows.length, INPUT_SIZE]);
}

function answer(response, status, payload) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(payload));
}

const server = http.createServer((request, response) => {
  let body = '';
  let tooLarge = false;
  request.setEncoding('utf8');
  request.on('data', (chunk) => {
    body += chunk;
    if (body.length > MAX_BODY_BYTES && !tooLarge) {
      tooLarge = true;
      answer(response, 413, { error: `the body is larger than ${MAX_BODY_BYTES} bytes` });
      request.destroy();
    }
  });
  request.on('end', async () => {
    if (tooLarge) return;
    let sequence;
    try {
      sequence = parseSequence(body);
    } catch (error) {
      answer(response, 400, { error: error.message });
      return;
    }
    try {
      answer(response, 200, { hidden: await infer(sequence) });
    } catch (error) {
      answer(response, 500, { error: error.message });
    }
  });
});

if (require.main === module) {
  const host = process.env.HOST || '127.0.0.1';
  const port = Number(process.env.PORT || 8080);
  server.listen(port, host, () => console.log(`listening on http://${host}:${server.address().port}`));
}

module.exports = { server, infer, parseSequence, model, BadRequest };
