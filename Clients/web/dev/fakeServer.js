#!/usr/bin/env node
// DEVELOPMENT HARNESS: a tiny stand-in for arbiter-server so the browser client (and
// test/browser/play_test.py) can be tried without the Swift server. It serves Clients/web,
// GET /rooms, and /play over a hand-rolled WebSocket speaking the JSON stub codec, with four
// bots circling. Usage: node Clients/web/dev/fakeServer.js [port]

import http from 'node:http';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeMessage, MessageDecoder, SCHEMA_HASH } from './stubCodec.js';
import { stepMovement } from './stubMovement.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const port = Number(process.argv[2] || process.env.PORT || 8099);
const TICK_RATE = 60, INTERVAL = 3;
const MAP = { name: 'fake', width: 1600, height: 1200, tuning: { accel: 40, friction: 12, maxSpeed: 1280, radius: 4096 },
  walls: [{ x: 500, y: 300, w: 40, h: 300 }, { x: 1000, y: 700, w: 300, h: 40 }] };
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

function serveFile(res, file) {
  fs.readFile(file, (err, data) => {
    if (err) { res.writeHead(404); res.end('not found'); return; }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(data);
  });
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname === '/rooms') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ rooms: [
      { id: 'main', players: 4 + clients.size, capacity: 16, map: MAP.name, tickRate: TICK_RATE },
      { id: 'full', players: 3, capacity: 16, map: MAP.name, tickRate: TICK_RATE }, // refuses: roomFull
      { id: 'flaky', players: 4, capacity: 16, map: MAP.name, tickRate: TICK_RATE }, // drops after 2 s
    ] }));
    return;
  }
  if (url.pathname === '/src/protocol/arena.js') return serveFile(res, path.join(here, 'stubCodec.js'));
  if (url.pathname === '/src/arena/movement.js' && !fs.existsSync(path.join(root, 'src/arena/movement.js'))) {
    return serveFile(res, path.join(here, 'stubMovement.js'));
  }
  const file = path.normalize(path.join(root, url.pathname === '/' ? 'index.html' : url.pathname));
  if (!file.startsWith(root)) { res.writeHead(403); res.end(); return; }
  serveFile(res, file);
});

// ---------------------------------------------------------------- minimal WebSocket

function wsSend(socket, bytes) {
  const n = bytes.length;
  const head = n < 126 ? Buffer.from([0x82, n]) : n < 65536 ? Buffer.from([0x82, 126, n >> 8, n & 255]) : (() => { const b = Buffer.alloc(10); b[0] = 0x82; b[1] = 127; b.writeBigUInt64BE(BigInt(n), 2); return b; })();
  socket.write(Buffer.concat([head, Buffer.from(bytes)]));
}

function wsClose(socket, code, reason) {
  const body = Buffer.concat([Buffer.from([code >> 8, code & 255]), Buffer.from(reason)]);
  socket.end(Buffer.concat([Buffer.from([0x88, body.length]), body]));
}

function wsFrames(onMessage, onClose) {
  let buf = Buffer.alloc(0);
  return (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      if (buf.length < 2) return;
      const op = buf[0] & 15;
      let len = buf[1] & 127, off = 2;
      if (len === 126) { if (buf.length < 4) return; len = buf.readUInt16BE(2); off = 4; }
      else if (len === 127) { if (buf.length < 10) return; len = Number(buf.readBigUInt64BE(2)); off = 10; }
      if (buf.length < off + 4 + len) return;
      const mask = buf.subarray(off, off + 4);
      const data = Buffer.from(buf.subarray(off + 4, off + 4 + len));
      for (let i = 0; i < data.length; i++) data[i] ^= mask[i & 3];
      buf = buf.subarray(off + 4 + len);
      if (op === 8) { onClose(); return; }
      if (op === 2) onMessage(new Uint8Array(data));
    }
  };
}

// ---------------------------------------------------------------- the fake game

let tick = 0, nextId = 10;
const clients = new Set();
const projectiles = [];
const bots = [0, 1, 2, 3].map((i) => ({ id: (1 << 24) | (i + 1), name: `bot${i + 1}`, phase: i * Math.PI / 2 }));
const pickups = [{ id: 5, type: 'Pickup', value: { kind: 'health', x: 300, y: 300, available: true } },
  { id: 6, type: 'Pickup', value: { kind: 'power', x: 1300, y: 900, available: true } }];

function botState(b) {
  const a = b.phase + tick / 120;
  return { x: 800 + Math.cos(a) * 250, y: 600 + Math.sin(a) * 200, aim: (a + Math.PI / 2) % (2 * Math.PI) };
}

server.on('upgrade', (req, socket) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname !== '/play') { socket.destroy(); return; }
  const accept = crypto.createHash('sha1').update(req.headers['sec-websocket-key'] + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  socket.setNoDelay(true);
  const decoder = new MessageDecoder();
  const client = { socket, id: null, name: '', state: null, inputs: [], last: { moveX: 0, moveY: 0, aim: 0, fire: false }, ackSeq: 0, cooldown: 0 };
  const send = (name, value) => wsSend(socket, encodeMessage(name, value));
  socket.on('data', wsFrames((bytes) => {
    const { name, value } = decoder.decode(bytes);
    if (name === 'Hello') {
      const hash = [...value.schemaHash].map((b) => b.toString(16).padStart(2, '0')).join('');
      if (hash !== SCHEMA_HASH) { send('Kick', { reason: 'protocolMismatch', detail: `server ${SCHEMA_HASH}` }); wsClose(socket, 4001, 'protocol mismatch'); return; }
      if (url.searchParams.get('room') === 'full') { send('Kick', { reason: 'roomFull', detail: '' }); wsClose(socket, 4002, 'room full'); return; }
      client.id = (1 << 24) | nextId++;
      client.name = value.name;
      client.state = { x: 200 * 256, y: 600 * 256, vx: 0, vy: 0 };
      send('Welcome', { playerId: client.id, tickRate: TICK_RATE, snapshotInterval: INTERVAL, tick, room: 'main', map: MAP.name, resumeToken: new Uint8Array(16), resumed: value.resumeToken !== null });
      send('MapInfo', MAP);
      clients.add(client);
      if (url.searchParams.get('room') === 'flaky' && value.resumeToken === null) setTimeout(() => socket.destroy(), 2000);
    } else if (name === 'Input') {
      client.inputs.push(value);
    } else if (name === 'Ping') {
      send('Pong', { nonce: value.nonce, clientTime: value.clientTime, tick });
    }
  }, () => wsClose(socket, 1000, '')));
  socket.on('close', () => clients.delete(client));
  socket.on('error', () => clients.delete(client));
});

function step() {
  tick++;
  const size = { width: MAP.width * 256, height: MAP.height * 256 };
  const walls = MAP.walls.map((w) => ({ x: w.x * 256, y: w.y * 256, w: w.w * 256, h: w.h * 256 }));
  for (const c of clients) {
    // Like a real server, don't let a backlog of inputs grow into latency: drop the oldest.
    if (c.inputs.length > 4) c.inputs.splice(0, c.inputs.length - 2);
    const input = c.inputs.shift() || c.last;
    c.last = input;
    if (input.seq) c.ackSeq = input.seq;
    c.state = stepMovement(c.state, input, MAP.tuning, walls, size);
    if (c.cooldown > 0) c.cooldown--;
    if (input.fire && c.cooldown === 0) {
      c.cooldown = 10;
      projectiles.push({ id: (2 << 24) | nextId++, type: 'Projectile', value: { owner: c.id, x: c.state.x / 256, y: c.state.y / 256, angle: input.aim, spawnTick: tick } });
    }
  }
  if (tick % 40 === 0) {
    const b = bots[(tick / 40) % 4], s = botState(b);
    projectiles.push({ id: (2 << 24) | nextId++, type: 'Projectile', value: { owner: b.id, x: s.x, y: s.y, angle: s.aim, spawnTick: tick } });
  }
  while (projectiles.length && tick - projectiles[0].value.spawnTick > 60) projectiles.shift();
  if (tick % INTERVAL) return;
  const players = bots.map((b) => ({ id: b.id, type: 'Player', value: { name: b.name, ...botState(b), health: 100, alive: true, powered: false } }));
  for (const c of clients) {
    const others = [...clients].filter((o) => o !== c).map((o) => ({ id: o.id, type: 'Player', value: { name: o.name, x: o.state.x / 256, y: o.state.y / 256, aim: o.last.aim, health: 100, alive: true, powered: false } }));
    const own = { x: c.state.x / 256, y: c.state.y / 256, vx: c.state.vx / 256, vy: c.state.vy / 256, health: 100, alive: true, respawnTicks: 0, cooldownTicks: c.cooldown, powerTicks: 0, kills: 0, deaths: 0, score: 0 };
    const scoreboard = [...bots.map((b) => ({ id: b.id, name: b.name, kills: 1, deaths: 0, score: 10 })), { id: c.id, name: c.name, kills: 0, deaths: 0, score: 0 }];
    const kills = tick % 300 === 0 ? [{ killer: bots[0].id, victim: bots[1].id }] : [];
    wsSend(c.socket, encodeMessage('Snapshot', { tick, ackSeq: c.ackSeq, own, entities: [...players, ...others, ...projectiles, ...pickups], kills, hits: [], scoreboard }));
  }
}

let next = performance.now();
setInterval(() => {
  const now = performance.now();
  let n = 0;
  while (now >= next && n++ < 8) { step(); next += 1000 / TICK_RATE; }
  if (now > next + 200) next = now;
}, 4);

server.listen(port, () => console.log(`fake arena server on http://127.0.0.1:${port}/`));
