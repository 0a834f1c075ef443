// World units to screen pixels: centred on the own ship, zoomed so a ship looks the same size
// on any window.

export class Camera {
  constructor() {
    this.scale = 1;
    this.cx = 0;
    this.cy = 0;
    this.width = 1;
    this.height = 1;
  }

  /** Sets the view size (CSS pixels) and a zoom showing about `span` world units across the short side. */
  fit(width, height, span) {
    this.width = width;
    this.height = height;
    this.scale = Math.max(0.05, Math.min(width, height) / span);
  }

  follow(x, y) { this.cx = x; this.cy = y; }

  toScreen(x, y) {
    return { x: (x - this.cx) * this.scale + this.width / 2, y: (y - this.cy) * this.scale + this.height / 2 };
  }

  toWorld(sx, sy) {
    return { x: (sx - this.width / 2) / this.scale + this.cx, y: (sy - this.height / 2) / this.scale + this.cy };
  }

  /** Whether a circle of world radius `r` at (x, y) is at least partly on screen. */
  sees(x, y, r = 0) {
    const hw = this.width / 2 / this.scale + r, hh = this.height / 2 / this.scale + r;
    return Math.abs(x - this.cx) <= hw && Math.abs(y - this.cy) <= hh;
  }
}
