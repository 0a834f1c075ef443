// Checks Protocol/README.md against things a client implementer can verify without Swift: the
// worked example of the canonical form (§9.1) hashes, with an independent SHA-256, to the hash the
// README states; the Hello vector carries the generated codec's schema hash; and every error code a
// decoder can report (§4.5) has an error vector.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SCHEMA_HASH } from '../src/protocol/arena.js';

const protocolDir = fileURLToPath(new URL('../../../Protocol/', import.meta.url));
const readme = readFileSync(protocolDir + 'README.md', 'utf8');

/** The body of the first fenced block after `<!-- marker -->`, each line ending in "\n". */
function fencedBlock(marker) {
  const lines = readme.split('\n');
  const start = lines.indexOf(`<!-- ${marker} -->`);
  assert.ok(start >= 0, `README has no ${marker} marker`);
  const open = lines.findIndex((l, i) => i > start && l.startsWith('```'));
  const close = lines.findIndex((l, i) => i > open && l.startsWith('```'));
  return lines.slice(open + 1, close).map((l) => l + '\n').join('');
}

test('the canonical form example hashes to the stated schema hash', () => {
  const canonical = fencedBlock('canonical-example:canonical');
  const stated = fencedBlock('canonical-example:hash').trim();
  assert.match(stated, /^[0-9a-f]{64}$/);
  const bytes = Buffer.from(canonical, 'utf8');
  assert.equal(createHash('sha256').update(bytes).digest('hex'), stated);
  assert.ok(readme.includes(`has this canonical form, ${bytes.length} bytes`));
  assert.ok(!/\r|\t| \n|  /.test(canonical), 'the canonical form has single spaces only, no trailing ones');
});

test('the Hello vector carries the current schema hash', () => {
  const hello = JSON.parse(readFileSync(protocolDir + 'vectors/arena/hello.json', 'utf8'));
  assert.equal(Buffer.from(hello.value.schemaHash).toString('hex'), SCHEMA_HASH);
});

test('every error code a decoder can report has an error vector', () => {
  // §4.5's table of reported bits lists the decoder codes; the encoder-only ones are named there too.
  const section = readme.slice(readme.indexOf('### 4.5'), readme.indexOf('## 5. Messages'));
  const table = section.slice(section.indexOf('| code | reported bit |'));
  const codes = new Set([...table.matchAll(/^\| ([^|]+) \|/gm)].flatMap((m) => [...m[1].matchAll(/`([a-z0-9_]+)`/g)].map((c) => c[1])));
  assert.ok(codes.size >= 12, `found only ${[...codes]}`);
  const dir = protocolDir + 'vectors/errors/';
  const covered = new Set(readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => JSON.parse(readFileSync(dir + f, 'utf8')).error));
  for (const code of codes) assert.ok(covered.has(code), `no error vector for ${code}`);
  for (const code of covered) assert.ok(codes.has(code), `${code} has a vector but no row in §4.5`);
});
