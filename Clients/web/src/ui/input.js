// Keyboard and mouse to the per-tick intent: WASD or arrows move, the mouse aims, left button
// or space fires, right button or shift is the secondary.

import { moveAxes, aimAngle } from '../game/inputSequencer.js';

const KEYS = {
  left: ['KeyA', 'ArrowLeft'], right: ['KeyD', 'ArrowRight'],
  up: ['KeyW', 'ArrowUp'], down: ['KeyS', 'ArrowDown'],
  fire: ['Space'], secondary: ['ShiftLeft', 'ShiftRight'],
};
const BY_KEY = { a: 'KeyA', d: 'KeyD', w: 'KeyW', s: 'KeyS', ' ': 'Space' };
const GAME_CODES = new Set(Object.values(KEYS).flat());

export class InputDevice {
  /**
   * @param {Window} win  @param {HTMLCanvasElement} canvas
   * @param {{ onToggleNetGraph: () => void }} hooks
   */
  constructor(win, canvas, hooks) {
    this.down = new Set();
    this.mouse = { x: 0, y: 0, seen: false };
    this.buttons = { fire: false, secondary: false };
    this.lastAim = 0;
    this.enabled = false;
    const codeOf = (e) => e.code || BY_KEY[e.key?.toLowerCase()] || e.key;
    const typing = (e) => e.target && /^(INPUT|TEXTAREA|SELECT|BUTTON)$/.test(e.target.tagName);
    win.addEventListener('keydown', (e) => {
      if (!this.enabled || typing(e)) return;
      const code = codeOf(e);
      if (code === 'F3' || code === 'KeyN') { hooks.onToggleNetGraph(); e.preventDefault(); return; }
      if (GAME_CODES.has(code)) { this.down.add(code); e.preventDefault(); }
    });
    win.addEventListener('keyup', (e) => this.down.delete(codeOf(e)));
    win.addEventListener('blur', () => { this.down.clear(); this.buttons.fire = this.buttons.secondary = false; });
    canvas.addEventListener('mousemove', (e) => { this.mouse.x = e.clientX; this.mouse.y = e.clientY; this.mouse.seen = true; });
    canvas.addEventListener('mousedown', (e) => {
      if (e.button === 0) this.buttons.fire = true;
      if (e.button === 2) this.buttons.secondary = true;
    });
    win.addEventListener('mouseup', (e) => {
      if (e.button === 0) this.buttons.fire = false;
      if (e.button === 2) this.buttons.secondary = false;
    });
    canvas.addEventListener('contextmenu', (e) => e.preventDefault());
  }

  held(name) { return KEYS[name].some((c) => this.down.has(c)); }

  /** The intent now; `ship` is the own ship's position on screen (CSS pixels). */
  sample(ship) {
    const { moveX, moveY } = moveAxes(this.held('left'), this.held('right'), this.held('up'), this.held('down'));
    if (ship && this.mouse.seen && (this.mouse.x !== ship.x || this.mouse.y !== ship.y)) {
      this.lastAim = aimAngle(ship.x, ship.y, this.mouse.x, this.mouse.y);
    }
    return {
      moveX, moveY, aim: this.lastAim,
      fire: this.buttons.fire || this.held('fire'),
      secondary: this.buttons.secondary || this.held('secondary'),
    };
  }
}
