// What every view of the page shares: notices, an in-page question, numbers and table rows as text,
// downloads, links, the embed snippet and PNG buttons on charts. The share bar: study.js; workers: pool.js.

import { notebook, total_iters } from '../pkg/richlazy.js';

const $ = (s) => document.querySelector(s);

/** The iterations a run of config `c` trains, every phase of a sequence included (the engine's count). */
export const totalIters = (c) => total_iters(Object.keys(c), Object.values(c).map(String)) || Number(c.iters);

/** An error as {key, code, message}, whatever carried it: a wasm reply's `error` (an object, or the
 * text a few exports still send), a worker's failure, a thrown Error. `code` defaults to `fallback`. */
export function errorOf(e, fallback = 'format') {
  if (e && typeof e === 'object' && typeof e.message === 'string') return { key: e.key ?? '', code: e.code ?? fallback, message: e.message };
  return { key: '', code: fallback, message: String(e) };
}

/** Error notices so far (tests and curious readers: window.richlazy.errors). */
export const errors = [];

/** A dismissable notice: always text, never HTML (links may carry anything). */
export function notice(text, kind = 'info') {
  const p = document.createElement('p');
  p.className = `notice ${kind}`;
  p.textContent = text;
  const close = document.createElement('button');
  close.textContent = '×';
  close.title = 'dismiss';
  close.onclick = () => p.remove();
  p.append(close);
  $('#notices').append(p);
  if (kind === 'error') errors.push(text);
}

/** "Open as notebook": the engine's .ipynb (`notebook`, src/notebook.rs) for a view's settings (an
 * object of key: value, page keys included) and its finished report, or none (null). */
export function downloadNotebook(view, settings, report) {
  const text = notebook(view, Object.keys(settings), Object.values(settings).map(String), report == null ? undefined : JSON.stringify(report));
  if (text.startsWith('{"error"')) return notice(`Notebook: ${errorOf(JSON.parse(text).error).message}.`, 'error');
  download(`richlazy-${view}.ipynb`, 'application/x-ipynb+json', text);
}

/** A number with `d` decimals, or '–' where there is none (not yet measured, not finite). */
export const fixed = (v, d) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '–');

/** A table row of text cells (`th` for a head). */
export function tableRow(cells, tag = 'td') {
  const tr = document.createElement('tr');
  for (const c of cells) { const td = document.createElement(tag); td.textContent = c; tr.append(td); }
  return tr;
}

export function download(name, type, text) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** Whether the page is embedded (?embed=1): the settings column and its buttons are hidden, so a
 * message may point only at what the embed shows (the charts, Train, the box below, the full page). */
export const embedded = () => document.body.classList.contains('embed');

/**
 * Asks inside the page, never in a dialog (an iframe sandboxed without allow-modals refuses
 * window.confirm at once): a box at the top of `parent` with `text` and its own Start and Cancel
 * buttons, so it works where the view's other controls are hidden. Start removes the box and calls
 * `start()`; Cancel leaves it saying `cancelled` (Start stays) and calls `cancel()`. A new box
 * replaces an older one; `unask(parent)` removes it (something else started).
 */
export function ask(parent, { text, cancelled, start, cancel }) {
  unask(parent);
  const box = document.createElement('div');
  box.className = 'ask';
  box.setAttribute('role', 'group');
  box.setAttribute('aria-label', 'start or cancel');
  const p = document.createElement('p');
  p.textContent = text;
  const go = document.createElement('button');
  go.className = 'primary';
  go.textContent = 'Start';
  go.onclick = () => { box.remove(); start(); };
  const no = document.createElement('button');
  no.textContent = 'Cancel';
  no.onclick = () => { p.textContent = cancelled; no.remove(); cancel?.(); };
  const buttons = document.createElement('div');
  buttons.className = 'buttons';
  buttons.append(go, no);
  box.append(p, buttons);
  parent.prepend(box);
  return box;
}

export const unask = (parent) => parent.querySelector(':scope > .ask')?.remove();

/** A PNG download button on each chart figure under `root` that has none yet. */
export function pngButtons(root, prefix = 'richlazy') {
  for (const fig of root.querySelectorAll('figure[data-chart]')) {
    if (fig.querySelector('button.png')) continue;
    const b = document.createElement('button');
    b.className = 'png';
    b.textContent = 'PNG';
    b.title = 'download this chart as PNG';
    b.onclick = () => fig.querySelector('canvas').toBlob((blob) => {
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `${prefix}-${fig.dataset.chart}.png`;
      a.click();
    });
    fig.append(b);
  }
}

/** The link for a view: `?view=id` (left out for the lab, the page's first view) then the pairs. */
export function viewLink(view, pairs) {
  const q = new URLSearchParams();
  if (view !== 'lab') q.set('view', view);
  for (const [k, v] of Object.entries(pairs)) if (v !== undefined && v !== null) q.set(k, String(v));
  const s = q.toString();
  return `${location.pathname}${s ? `?${s}` : ''}`;
}

/** Sets the address bar to `url`, the embed bar's "open" link to it without `embed`, and the snippet
 * in `snippet` (a textarea) to an iframe of it with `embed=1`. */
export function showLink(url, snippet, title) {
  history.replaceState(null, '', url);
  const u = new URL(url, location.href);
  u.searchParams.delete('embed');
  const full = $('#full-link');
  if (full) full.href = u.href;
  if (snippet) {
    u.searchParams.set('embed', '1');
    snippet.value = `<iframe src="${u.href}" width="820" height="640" style="border:0" loading="lazy" title="${title}"></iframe>`;
  }
}

/** Copies the address bar's link (it reproduces the view's settings and numbers). */
export async function copyLink() {
  try { await navigator.clipboard.writeText(location.href); notice('Link copied: it reproduces these settings and numbers exactly.'); }
  catch { notice(`Copy this link: ${location.href}`); }
}

const resizers = [];
let resizeTimer;
/** `redraw` runs after the window stops resizing (charts follow their boxes). */
export function onResize(redraw) {
  if (!resizers.length) window.addEventListener('resize', () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(() => resizers.forEach((f) => f()), 150); });
  resizers.push(redraw);
}
