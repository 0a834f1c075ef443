// The join screen: a name, the room list from /rooms, quick-join, and the last refusal in words.

import { fetchRooms, roomHasSpace } from '../net/rooms.js';

const NAME_KEY = 'arbiter.name';

export class JoinScreen {
  /**
   * @param {Document} doc
   * @param {(name: string, roomId: string | null) => void} onJoin
   */
  constructor(doc, onJoin) {
    this.root = doc.getElementById('join');
    this.nameInput = doc.getElementById('name');
    this.roomList = doc.getElementById('rooms');
    this.error = doc.getElementById('join-error');
    this.onJoin = onJoin;
    this.timer = null;
    let saved = '';
    try { saved = localStorage.getItem(NAME_KEY) || ''; } catch { /* storage may be off */ }
    this.nameInput.value = saved || `pilot${Math.floor(Math.random() * 900 + 100)}`;
    doc.getElementById('join-form').addEventListener('submit', (e) => {
      e.preventDefault();
      this.join(null);
    });
  }

  join(roomId) {
    const name = this.nameInput.value.trim();
    if (!name) { this.showError('enter a name first'); return; }
    try { localStorage.setItem(NAME_KEY, name); } catch { /* storage may be off */ }
    this.onJoin(name, roomId);
  }

  show(errorText = '') {
    this.root.hidden = false;
    this.showError(errorText);
    this.refresh();
    clearInterval(this.timer);
    this.timer = setInterval(() => this.refresh(), 3000);
  }

  hide() {
    this.root.hidden = true;
    clearInterval(this.timer);
  }

  showError(text) {
    this.error.textContent = text;
    this.error.hidden = !text;
  }

  async refresh() {
    let rooms;
    try {
      rooms = await fetchRooms();
    } catch (e) {
      this.roomList.replaceChildren(Object.assign(document.createElement('li'), { className: 'muted', textContent: `no room list: ${e.message}` }));
      return;
    }
    if (!rooms.length) {
      this.roomList.replaceChildren(Object.assign(document.createElement('li'), { className: 'muted', textContent: 'no rooms yet: quick join starts one' }));
      return;
    }
    this.roomList.replaceChildren(...rooms.map((r) => {
      const li = document.createElement('li');
      const label = document.createElement('span');
      const bots = r.bots ? ` + ${r.bots} bot${r.bots === 1 ? '' : 's'}` : '';
      label.textContent = `room ${r.id}${r.map ? ` · ${r.map}` : ''} · ${r.players} player${r.players === 1 ? '' : 's'}${bots} / ${r.capacity || '∞'}`;
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = roomHasSpace(r) ? 'join' : 'full';
      button.disabled = !roomHasSpace(r);
      button.dataset.room = r.id;
      button.addEventListener('click', () => this.join(r.id));
      li.append(label, button);
      return li;
    }));
  }
}
