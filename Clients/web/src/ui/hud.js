// The DOM parts of the game view: scoreboard, kill feed, own status, death countdown and the
// connection banner. Each part is rewritten only when its text changes.

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

export class Hud {
  /** @param {Document} doc */
  constructor(doc) {
    this.scoreboard = doc.getElementById('scoreboard');
    this.killFeed = doc.getElementById('killfeed');
    this.status = doc.getElementById('status');
    this.death = doc.getElementById('death');
    this.banner = doc.getElementById('banner');
    this.keys = new Map();
  }

  /** Runs `render` only when `key` changed since last time for `name`. */
  changed(name, key) {
    if (this.keys.get(name) === key) return false;
    this.keys.set(name, key);
    return true;
  }

  update(view, ownId) {
    const rows = view.scoreboard;
    if (this.changed('score', JSON.stringify(rows))) {
      const table = el('table');
      const head = el('tr');
      for (const h of ['', 'player', 'K', 'D', 'score']) head.append(el('th', '', h));
      table.append(head);
      rows.forEach((r, i) => {
        const tr = el('tr', r.id === ownId ? 'own' : '');
        for (const v of [i + 1, r.name, r.kills, r.deaths, r.score]) tr.append(el('td', '', String(v)));
        table.append(tr);
      });
      this.scoreboard.replaceChildren(table);
    }
    if (this.changed('kills', view.kills.map((k) => k.killer + k.victim + k.atMs).join('|'))) {
      this.killFeed.replaceChildren(...view.kills.map((k) => {
        const line = el('div', k.ownInvolved ? 'kill own' : 'kill');
        line.append(el('b', '', k.killer), ' ✕ ', el('b', '', k.victim));
        return line;
      }));
    }
    const o = view.own;
    const power = o.powerMs > 0 ? ` · power ${(o.powerMs / 1000).toFixed(1)} s` : '';
    const statusText = `health ${o.health} · kills ${o.kills} · deaths ${o.deaths} · score ${o.score}${power}`;
    if (this.changed('status', statusText)) this.status.textContent = statusText;
    const deathText = o.alive ? '' : `you were destroyed — respawn in ${Math.max(0, o.respawnMs / 1000).toFixed(1)} s`;
    if (this.changed('death', deathText)) {
      this.death.textContent = deathText;
      this.death.hidden = o.alive;
    }
  }

  /** A line across the top for connection trouble; empty hides it. */
  setBanner(text) {
    if (!this.changed('banner', text)) return;
    this.banner.textContent = text;
    this.banner.hidden = !text;
  }
}
