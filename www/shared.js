// What every view of the page shares: notices, downloads, the worker count, the share bar
// (copy link, exports, embed snippet) and PNG buttons on charts.

const $ = (s) => document.querySelector(s);

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

export function download(name, type, text) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** Workers to run at once: one core is left to the page. */
export const poolSize = () => Math.max(1, Math.min((navigator.hardwareConcurrency || 2) - 1, 16));

export const newWorker = () => new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });

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
