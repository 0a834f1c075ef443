// window.arbiter: a read-only view of the client's state for automated tests.

/**
 * @param {object} target usually window
 * @param {Record<string, () => any>} getters each property's source; values are copied out
 */
export function installDebugState(target, getters) {
  const api = {};
  for (const [key, get] of Object.entries(getters)) {
    Object.defineProperty(api, key, {
      enumerable: true,
      get: () => {
        const v = get();
        return v && typeof v === 'object' ? Object.freeze(structuredClone(v)) : v;
      },
    });
  }
  Object.freeze(api);
  Object.defineProperty(target, 'arbiter', { value: api, writable: false, configurable: false, enumerable: true });
  return api;
}
