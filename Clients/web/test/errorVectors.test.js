// The committed error vectors (Protocol/vectors/errors/*.json) are exactly what errorVectorCases.js
// generates, and nothing else is there. Both decoders are checked against the files elsewhere
// (protocol.test.js here, ErrorVectorTests in Swift). After a schema change, regenerate with
// `ARBITER_UPDATE_VECTORS=1 node --test Clients/web/test/errorVectors.test.js`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { errorVectorCases, errorVectorDir } from './errorVectorCases.js';

const render = (vector) => JSON.stringify(vector, null, 2) + '\n';
const cases = errorVectorCases();

if (process.env.ARBITER_UPDATE_VECTORS === '1') {
  for (const c of cases) writeFileSync(`${errorVectorDir}${c.file}.json`, render(c.vector));
}

test('every error vector file is what its case generates', () => {
  for (const c of cases) {
    assert.equal(readFileSync(`${errorVectorDir}${c.file}.json`, 'utf8'), render(c.vector),
      `${c.file}.json is stale: regenerate with ARBITER_UPDATE_VECTORS=1`);
  }
});

test('no error vector file lacks a case', () => {
  const files = readdirSync(errorVectorDir).filter((f) => f.endsWith('.json')).sort();
  assert.deepEqual(files, cases.map((c) => `${c.file}.json`).sort());
});
