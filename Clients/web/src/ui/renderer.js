// Draws one frame of the view model from ClientGame.frame on a 2D canvas.

import { SUBUNITS } from '../game/ownMovement.js';

const COLORS = {
  background: '#0b0f17', outside: '#05070b', grid: '#151c29', border: '#3b4a66',
  wall: '#2b3445', wallEdge: '#6b7a99', own: '#37d6ff', ownShot: '#ffe066', shot: '#ff8a3d',
  health: '#42d77d', power: '#c77dff', name: '#e6edf3', barBack: '#3a1f24', hit: '#ffffff',
};

/** A stable colour per player id. */
export function playerColor(id) {
  const hue = ((id & 0xffffff) * 137.508) % 360;
  return `hsl(${hue.toFixed(0)}, 70%, 60%)`;
}

export class Renderer {
  /** @param {HTMLCanvasElement} canvas */
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext('2d');
    this.dpr = 1;
  }

  /** Matches the backing store to the element's size and the display's pixel ratio. */
  resize(cssWidth, cssHeight, dpr) {
    this.dpr = dpr;
    const w = Math.max(1, Math.round(cssWidth * dpr)), h = Math.max(1, Math.round(cssHeight * dpr));
    if (this.canvas.width !== w || this.canvas.height !== h) { this.canvas.width = w; this.canvas.height = h; }
  }

  /**
   * @param {any} view ClientGame.frame's result  @param {import('./camera.js').Camera} cam
   * @returns {{ playersDrawn: number, othersDrawn: number, otherIds: number[], entitiesInView: number }}
   */
  draw(view, cam) {
    const ctx = this.ctx;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.fillStyle = COLORS.outside;
    ctx.fillRect(0, 0, cam.width, cam.height);
    const radius = view.map.tuning.radius / SUBUNITS;
    this.drawArena(view.map, cam);
    let entitiesInView = 0, playersDrawn = 0;
    const otherIds = [];
    for (const p of view.pickups) {
      if (!cam.sees(p.x, p.y, radius)) continue;
      entitiesInView++;
      this.drawPickup(p, cam, radius);
    }
    for (const s of view.projectiles) {
      if (!cam.sees(s.x, s.y, radius)) continue;
      entitiesInView++;
      this.drawProjectile(s, cam, radius);
    }
    for (const p of view.players) {
      if (!p.alive || !cam.sees(p.x, p.y, radius * 3)) continue;
      entitiesInView++;
      playersDrawn++;
      otherIds.push(p.id);
      this.drawShip(p, playerColor(p.id), cam, radius);
    }
    const othersDrawn = playersDrawn;
    if (view.own.alive) {
      playersDrawn++;
      this.drawShip({ ...view.own, aim: view.ownAim, own: true }, COLORS.own, cam, radius);
    }
    return { playersDrawn, othersDrawn, otherIds, entitiesInView };
  }

  drawArena(map, cam) {
    const ctx = this.ctx;
    const s = cam.scale;
    const o = cam.toScreen(0, 0);
    ctx.fillStyle = COLORS.background;
    ctx.fillRect(o.x, o.y, map.width * s, map.height * s);
    // A grid so that movement is visible even in open space.
    const step = 64;
    ctx.strokeStyle = COLORS.grid;
    ctx.lineWidth = 1;
    ctx.beginPath();
    const tl = cam.toWorld(0, 0), br = cam.toWorld(cam.width, cam.height);
    for (let x = Math.max(0, Math.ceil(tl.x / step) * step); x <= Math.min(map.width, br.x); x += step) {
      const sx = cam.toScreen(x, 0).x;
      ctx.moveTo(sx, Math.max(0, o.y)); ctx.lineTo(sx, Math.min(cam.height, o.y + map.height * s));
    }
    for (let y = Math.max(0, Math.ceil(tl.y / step) * step); y <= Math.min(map.height, br.y); y += step) {
      const sy = cam.toScreen(0, y).y;
      ctx.moveTo(Math.max(0, o.x), sy); ctx.lineTo(Math.min(cam.width, o.x + map.width * s), sy);
    }
    ctx.stroke();
    ctx.strokeStyle = COLORS.border;
    ctx.lineWidth = 2;
    ctx.strokeRect(o.x, o.y, map.width * s, map.height * s);
    ctx.fillStyle = COLORS.wall;
    ctx.strokeStyle = COLORS.wallEdge;
    ctx.lineWidth = 1.5;
    for (const w of map.walls) {
      if (!cam.sees(w.x + w.w / 2, w.y + w.h / 2, Math.max(w.w, w.h))) continue;
      const p = cam.toScreen(w.x, w.y);
      ctx.fillRect(p.x, p.y, w.w * s, w.h * s);
      ctx.strokeRect(p.x, p.y, w.w * s, w.h * s);
    }
  }

  drawPickup(p, cam, radius) {
    const ctx = this.ctx;
    const c = cam.toScreen(p.x, p.y);
    const r = radius * 0.7 * cam.scale;
    ctx.globalAlpha = p.available ? 1 : 0.25;
    ctx.fillStyle = p.kind === 'health' ? COLORS.health : COLORS.power;
    if (p.kind === 'health') {
      ctx.fillRect(c.x - r, c.y - r / 3, 2 * r, (2 * r) / 3);
      ctx.fillRect(c.x - r / 3, c.y - r, (2 * r) / 3, 2 * r);
    } else {
      ctx.beginPath();
      ctx.moveTo(c.x, c.y - r); ctx.lineTo(c.x + r, c.y); ctx.lineTo(c.x, c.y + r); ctx.lineTo(c.x - r, c.y);
      ctx.closePath();
      ctx.fill();
    }
    ctx.globalAlpha = 1;
  }

  drawProjectile(s, cam, radius) {
    const ctx = this.ctx;
    const c = cam.toScreen(s.x, s.y);
    const tail = radius * 1.5 * cam.scale;
    ctx.strokeStyle = s.own ? COLORS.ownShot : COLORS.shot;
    ctx.lineWidth = Math.max(2, radius * 0.3 * cam.scale);
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(c.x - Math.cos(s.angle) * tail, c.y - Math.sin(s.angle) * tail);
    ctx.lineTo(c.x, c.y);
    ctx.stroke();
  }

  drawShip(p, color, cam, radius) {
    const ctx = this.ctx;
    const c = cam.toScreen(p.x, p.y);
    const r = radius * cam.scale;
    if (p.powered) {
      ctx.fillStyle = 'rgba(199, 125, 255, 0.25)';
      ctx.beginPath(); ctx.arc(c.x, c.y, r * 1.6, 0, Math.PI * 2); ctx.fill();
    }
    ctx.fillStyle = color;
    ctx.beginPath(); ctx.arc(c.x, c.y, r, 0, Math.PI * 2); ctx.fill();
    ctx.strokeStyle = p.hit ? COLORS.hit : p.own ? '#ffffff' : 'rgba(0,0,0,0.6)';
    ctx.lineWidth = p.hit ? 3 : p.own ? 2 : 1.5;
    ctx.stroke();
    // The barrel shows the aim.
    ctx.strokeStyle = color;
    ctx.lineWidth = Math.max(3, r * 0.35);
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(c.x, c.y);
    ctx.lineTo(c.x + Math.cos(p.aim || 0) * r * 1.7, c.y + Math.sin(p.aim || 0) * r * 1.7);
    ctx.stroke();
    // Health bar and name.
    const barW = r * 2.4, barY = c.y + r + 6;
    ctx.fillStyle = COLORS.barBack;
    ctx.fillRect(c.x - barW / 2, barY, barW, 4);
    ctx.fillStyle = p.health > 100 ? COLORS.power : p.health > 35 ? COLORS.health : '#ff5c5c';
    ctx.fillRect(c.x - barW / 2, barY, (barW * Math.min(100, p.health)) / 100, 4);
    ctx.fillStyle = COLORS.name;
    ctx.font = '12px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.fillText(p.name || '', c.x, c.y - r - 4);
  }
}
