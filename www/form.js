// Form fields from a view's schema (the engine's `schema(name).params`), so that no view writes its
// settings by hand: a menu for a choice (the reader's labels where the schema has them), a box for
// numbers and lists (the engine checks what is typed), and the invalid mark for the engine's errors.

import { notice } from './shared.js';
import { fresh_seed } from '../pkg/richlazy.js';

export const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));

const range = (p) => (p.kind === 'choice' || p.kind === 'text' ? '' : ` (${p.lo} to ${p.hi}${p.kind === 'reals' ? `, up to ${p.max}, comma-separated` : ''})`);

/**
 * One field's HTML: `<label title="help (range)"><span>label</span> control[<small>note</small>]</label>`.
 * opts: label (default the schema's help), note (small text under it), number (a number box with
 * the range, as the lab's column has; otherwise a text box, which keeps whatever is typed),
 * choices ([value, label] pairs for a menu whose names the schema does not label).
 */
export function field(p, { label = p.help, note = '', number = false, choices } = {}) {
  let control;
  if (p.kind === 'choice') {
    const options = choices ?? p.choices.map((c, i) => [c, p.labels?.[i] ?? c]);
    control = `<select name="${esc(p.key)}">${options.map(([v, l]) => `<option value="${esc(v)}">${esc(l)}</option>`).join('')}</select>`;
  } else if (p.kind === 'text') {
    control = `<input name="${esc(p.key)}">`;
  } else if (number && p.kind !== 'reals') {
    control = `<input name="${esc(p.key)}" type="number" min="${p.lo}" max="${p.hi}" step="${p.kind === 'int' ? 1 : 'any'}">`;
  } else {
    control = `<input name="${esc(p.key)}" inputmode="${p.kind === 'reals' ? 'text' : 'decimal'}" size="${p.kind === 'reals' ? 22 : 8}">`;
  }
  // A seed gets a "new seed" button (seedButtons below): a fresh draw, as reproducible as any other.
  const fresh = p.key === 'seed' ? ` <button type="button" class="new-seed" data-lo="${p.lo}" data-hi="${p.hi}" title="draw a fresh seed (the browser's random source), written into this field and the link">new seed</button>` : '';
  return `<label title="${esc(p.help + range(p))}" data-key="${esc(p.key)}"><span>${esc(label)}</span> ${control}${fresh}${note ? `<small>${esc(note)}</small>` : ''}</label>`;
}

// Every view's "new seed" button, one listener for the page: the engine draws the seed (getrandom,
// Web Crypto; src/wasm/seed.rs), never inside a run. It goes into the field, and a bubbling change
// event lets the view check it and write its link as for any typed value.
document.addEventListener('click', (e) => {
  const b = e.target.closest?.('button.new-seed');
  if (!b) return;
  e.preventDefault();
  const input = b.closest('label').querySelector('input, select');
  try {
    input.value = String(fresh_seed(Number(b.dataset.lo), Number(b.dataset.hi)));
  } catch (err) {
    notice(`No fresh seed: ${err.message ?? err}.`, 'error');
    return;
  }
  input.dispatchEvent(new Event('change', { bubbles: true }));
});

/** Marks the fields of `form` that `errors` (the engine's {key, code, message}) name with
 * aria-invalid and the class `invalid`, and clears the mark on every other field of `keys`. */
export function markFields(form, keys, errors) {
  const bad = new Set(errors.map((e) => e.key));
  for (const k of keys) {
    const el = form.elements[k];
    if (!el?.classList) continue;
    el.classList.toggle('invalid', bad.has(k));
    if (bad.has(k)) el.setAttribute('aria-invalid', 'true');
    else el.removeAttribute('aria-invalid');
  }
}

/** The notice for a refused setting (an engine error, from the link or the form) and the value used
 * instead: the same words in every view. */
export const refused = (e, used, from = 'Setting ignored') => notice(`${from}: ${e.message}; using ${used ?? 'the default'}.`, 'warn');
