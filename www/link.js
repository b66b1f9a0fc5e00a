// Every view reads its link here, one way: URLSearchParams (repeats kept, in order) checked
// against the view's schema (the engine's `schema(name)`: its params' keys and page_keys).
import { notice } from './shared.js';

// Keys every view accepts besides its own (main.js reads them).
export const COMMON_KEYS = ['view', 'embed'];

const quote = (v) => `'${String(v).slice(0, 40)}'`;

/**
 * The link's pairs for the view whose schema is `schema`. `prefix` is what the link puts before
 * the engine's keys (the theory view's `theory_`). Returns
 *   { keys, values }  the engine's pairs, every value of a repeated key included, for its
 *                     validation (which names a repeat as a `duplicate` error and uses none of them),
 *   page              the page keys given once: {key: value},
 *   given             whether the link set any of the view's own keys.
 * Unknown keys (with their value) and repeated page or common keys (with every value) are named
 * in notices here; bad engine values are the engine's to name.
 */
export function readLink(schema, { prefix = '', search = location.search } = {}) {
  const q = new URLSearchParams(search);
  const engine = new Set(schema.params.map((p) => p.key));
  const pageKeys = new Set(schema.page_keys ?? []);
  const keys = [], values = [], page = {};
  const seen = new Map(); // page and common keys -> their values
  for (const [k, v] of q) {
    const key = prefix && k.startsWith(prefix) ? k.slice(prefix.length) : null;
    if (key !== null && engine.has(key)) { keys.push(key); values.push(v); }
    else if (!prefix && engine.has(k)) { keys.push(k); values.push(v); }
    else if (pageKeys.has(k) || COMMON_KEYS.includes(k)) seen.set(k, [...(seen.get(k) ?? []), v]);
    else notice(`Unknown link parameter ignored: ${k.slice(0, 40)}=${quote(v)}.`, 'warn');
  }
  for (const [k, vs] of seen) {
    if (vs.length > 1) notice(`Link: ${k}: given ${vs.length} times (${vs.map(quote).join(', ')}); ${pageKeys.has(k) ? 'none is used' : `${quote(vs[0])} is used`}.`, 'warn');
    else if (pageKeys.has(k)) page[k] = vs[0];
  }
  return { keys, values, page, given: keys.length > 0 || Object.keys(page).length > 0 };
}
