// Wires the pieces together: join screen -> Session (socket) -> ClientGame (netcode) ->
// Renderer/Hud (canvas and DOM), with input ticks at the server's rate and drawing at the
// display's rate.

import * as codec from './protocol/arena.js';
import { Session, ticketFromFragment } from './net/session.js';
import { socketUrl } from './net/rooms.js';
import { ClientGame } from './game/clientGame.js';
import { makeStep, SUBUNITS } from './game/ownMovement.js';
import { Camera } from './ui/camera.js';
import { Renderer } from './ui/renderer.js';
import { Hud } from './ui/hud.js';
import { NetGraph } from './ui/netGraph.js';
import { InputDevice } from './ui/input.js';
import { JoinScreen } from './ui/joinScreen.js';
import { installDebugState } from './ui/debugState.js';

/**
 * Ship diameters visible across the short side of the window: 36 Arena ships (32 units) make
 * about 1150 units, close to the height of the area the server sends (1920 x 1200 units), so
 * what arrives is mostly on screen.
 */
const VIEW_SHIPS_ACROSS = 36;

const app = {
  state: 'idle',
  lastError: null,
  /** @type {Session | null} */ session: null,
  /** @type {ClientGame | null} */ game: null,
  drawn: { playersDrawn: 0, othersDrawn: 0, otherIds: [], entitiesInView: 0 },
  fps: 0,
  lastFrameMs: null,
};

const gameRoot = document.getElementById('game');
const canvas = /** @type {HTMLCanvasElement} */ (document.getElementById('view'));
const camera = new Camera();
const renderer = new Renderer(canvas);
const hud = new Hud(document);
const netGraph = new NetGraph(document.getElementById('netgraph'));
const input = new InputDevice(window, canvas, { onToggleNetGraph: () => netGraph.toggle() });
const joinScreen = new JoinScreen(document, join);

function join(name, roomId) {
  if (app.session) app.session.close();
  app.lastError = null;
  joinScreen.hide();
  gameRoot.hidden = false;
  input.enabled = true;
  // Keys go to the game, not to the join button that just vanished.
  if (document.activeElement instanceof HTMLElement) document.activeElement.blur();
  canvas.focus();
  const game = new ClientGame({ makeStep });
  game.ownName = name;
  app.game = game;
  app.session = new Session({
    url: socketUrl(location, roomId), name, ticket: ticketFromFragment(location.hash), codec, stats: game.stats,
    onMessage: (type, value, nowMs) => onMessage(game, type, value, nowMs),
    onStatus,
  });
  app.session.connect();
}

function onMessage(game, type, value, nowMs) {
  switch (type) {
    case 'Welcome': game.onWelcome(value); break;
    case 'MapInfo': game.onMapInfo(value); break;
    case 'Snapshot': game.onSnapshot(value, nowMs); break;
    default: break; // Pong and Kick are handled by the session
  }
}

function onStatus(state, message) {
  app.state = state;
  if (state === 'refused' || state === 'closed') {
    app.lastError = message;
    input.enabled = false;
    gameRoot.hidden = true;
    hud.setBanner('');
    joinScreen.show(message || '');
  } else if (state === 'reconnecting') {
    if (message) app.lastError = message;
    hud.setBanner(message || 'reconnecting…');
  } else {
    hud.setBanner(state === 'connecting' ? 'connecting…' : '');
  }
}

function pumpInputs(nowMs) {
  const { game, session } = app;
  if (!game || !session || session.state !== 'playing') return;
  const ship = { x: camera.width / 2, y: camera.height / 2 }; // the camera follows the own ship
  for (const frame of game.pumpInputs(nowMs, () => input.sample(ship))) session.send('Input', frame);
}

function frame(nowMs) {
  requestAnimationFrame(frame);
  if (app.lastFrameMs !== null) {
    const dt = nowMs - app.lastFrameMs;
    if (dt > 0) app.fps = app.fps ? app.fps + (1000 / dt - app.fps) * 0.1 : 1000 / dt;
  }
  app.lastFrameMs = nowMs;
  pumpInputs(nowMs);
  const game = app.game;
  if (!game || gameRoot.hidden) return;
  renderer.resize(canvas.clientWidth, canvas.clientHeight, window.devicePixelRatio || 1);
  const view = game.frame(nowMs);
  if (view) {
    const radius = view.map.tuning.radius / SUBUNITS || 16;
    camera.fit(canvas.clientWidth, canvas.clientHeight, radius * 2 * VIEW_SHIPS_ACROSS);
    camera.follow(view.own.x, view.own.y);
    view.ownAim = input.lastAim;
    app.drawn = renderer.draw(view, camera);
    hud.update(view, game.ownId);
  }
  netGraph.update(nowMs, game.netFigures(nowMs), app.fps);
}

// Input ticks keep their rate even when frames are slow or throttled.
setInterval(() => pumpInputs(performance.now()), 8);
requestAnimationFrame(frame);
window.addEventListener('error', (e) => { app.lastError = String(e.message || e); });
window.addEventListener('unhandledrejection', (e) => { app.lastError = String(e.reason && e.reason.message || e.reason); });

installDebugState(window, {
  state: () => app.state,
  ownId: () => (app.game ? app.game.ownId : null),
  ownPosition: () => (app.game ? app.game.predictedPosition() : null),
  ownDrawnPosition: () => (app.game ? app.game.ownDrawn : null),
  confirmedPosition: () => (app.game ? app.game.confirmedPosition() : null),
  entitiesInView: () => app.drawn.entitiesInView,
  playersDrawn: () => app.drawn.playersDrawn,
  othersDrawn: () => app.drawn.othersDrawn,
  otherIdsDrawn: () => app.drawn.otherIds,
  playersKnown: () => (app.game ? app.game.playersKnown() : null),
  net: () => (app.game ? app.game.netFigures(performance.now()) : null),
  corrections: () => (app.game ? app.game.telemetry.recentCorrections : []),
  lastError: () => app.lastError,
  predicting: () => Boolean(app.game && app.game.predictor),
  schemaHash: () => codec.SCHEMA_HASH,
});

joinScreen.show();
