// Recent kills in words, newest first, each shown for a few seconds.

export class KillFeed {
  constructor(lifetimeMs = 6000, maxShown = 6) {
    this.lifetimeMs = lifetimeMs;
    this.maxShown = maxShown;
    /** @type {{ killer: string, victim: string, ownInvolved: boolean, atMs: number }[]} */
    this.entries = [];
  }

  /** @param {{ killer: number, victim: number }[]} kills  @param {(id: number) => string} nameOf */
  add(kills, nameOf, ownId, nowMs) {
    for (const k of kills) {
      this.entries.unshift({
        killer: nameOf(k.killer), victim: nameOf(k.victim),
        ownInvolved: k.killer === ownId || k.victim === ownId, atMs: nowMs,
      });
    }
    this.entries.length = Math.min(this.entries.length, this.maxShown);
  }

  visible(nowMs) {
    return this.entries.filter((e) => nowMs - e.atMs < this.lifetimeMs);
  }
}
