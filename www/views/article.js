// The article view (?view=article): the four studies as claims in order, each with our words, our
// verdict, a figure drawn at once from the command line's stored results (results/*.json, fetched
// when the claim scrolls into view), the command that made them, and the proof on demand: click a
// point to recompute its runs in a worker (pool.js) and see whether they match the stored numbers
// bit for bit. The text and the claims are data (www/article/, one module per study, one row per
// claim). &section=ID shows one study or claim (with &embed=1, for an iframe).
//
// window.richlazy.article (tests, the curious): { shown: {id: ms when it came into view},
//   drawn: {id: ms from coming into view to its figure}, figures: {id: figure}, checks: [{claim,
//   point, job, match, diffs, ms}], queued, done }
import init, { schema as schemaOf } from '../../pkg/richlazy.js';
import { STUDIES } from '../article/index.js';
import { lines, errorbars, heatmap } from '../plot.js';
import { pool, poolSize } from '../pool.js';
import { ask, notice, errors, onResize, showLink } from '../shared.js';
import { differences, cost } from '../article/verify.js';
import { COMMON_KEYS } from '../link.js';
import { esc } from '../form.js';
import * as smnist from '../smnist.js';

const KEYS = [...COMMON_KEYS, 'section'];
const VERDICT = { holds: 'holds', 'holds in part': 'holds in part', 'does not hold here': 'does not hold here' };
const query = (pairs) => `?${new URLSearchParams(pairs)}`;
const here = (section, embed) => `${location.pathname}${query({ view: 'article', ...(section ? { section } : {}), ...(embed ? { embed: 1 } : {}) })}`;

export async function mount(root) {
  await init();
  const schemas = Object.fromEntries(['perceptron', 'phase', 'grok'].map((n) => [n, JSON.parse(schemaOf(n))]));
  const state = { shown: {}, drawn: {}, figures: {}, frames: {}, checks: [], queued: 0, done: 0 };
  window.richlazy = { ...(window.richlazy || {}), phase: 'loading', article: state, errors };

  const q = new URLSearchParams(location.search);
  for (const k of new Set(q.keys())) if (!KEYS.includes(k)) notice(`Unknown link parameter ignored: ${k.slice(0, 40)}.`, 'warn');
  const claims = STUDIES.flatMap((s) => s.claims.map((c) => ({ ...c, study: s })));
  let section = q.get('section');
  if (section && !STUDIES.some((s) => s.id === section) && !claims.some((c) => c.id === section)) {
    notice(`Link: section '${section.slice(0, 40)}' is not in the article; showing all of it. Sections: ${[...STUDIES.map((s) => s.id), ...claims.map((c) => c.id)].join(', ')}.`, 'warn');
    section = null;
  }
  const embed = q.get('embed') === '1';
  showLink(here(section, embed), null);

  root.innerHTML = `<header class="article-head"><h1>Rich and lazy learning: four studies, every point checkable</h1>
    <p class="lede">Each claim below is in our words, with our verdict and the numbers behind it. Its figure is drawn at once from
    the results the command line stored; <strong>click any point to recompute it in your browser</strong> and see whether it matches
    the stored number bit for bit (the page and the command line run the same engine). Each claim's command reproduces the whole figure.</p>
    <nav class="toc" aria-label="contents">${STUDIES.map((s) => `<a href="${esc(here(s.id))}#${s.id}" data-goto="${s.id}">${esc(s.title)}</a>`).join('')}</nav></header>
    ${STUDIES.map((s) => `<section class="study-part" id="${s.id}" data-section="${s.id}"><h2>${esc(s.title)}</h2>
      <p class="source">${s.source}</p><p class="study-lede">${s.intro}</p>
      ${s.claims.map(claimHtml).join('')}</section>`).join('')}`;

  function claimHtml(c) {
    const lab = c.lab ? `./${query(c.lab)}` : c.view ? query({ view: c.view, ...(c.link ?? {}) }) : null;
    return `<article class="claim" id="${c.id}" data-claim="${c.id}" data-section="${c.id}">
      <h3>${esc(c.title)} <a class="anchor" href="${esc(here(c.id))}" title="link to this claim">#</a></h3>
      <p>${c.text}</p>
      <p class="verdict" data-verdict="${esc(c.verdict)}"><strong>Our verdict: ${esc(VERDICT[c.verdict])}.</strong> ${c.numbers}</p>
      <figure data-chart="article-${c.id}"><canvas></canvas><figcaption class="figure-status" role="status" aria-live="polite">Loading the stored results…</figcaption></figure>
      <div class="checks"></div>
      <div class="buttons">${c.figure ? '<button type="button" data-act="verify-all">Verify the whole figure</button>' : ''}
        ${lab ? `<a class="lab-link" href="${esc(lab)}" target="_blank" rel="noopener">Open in the ${c.lab ? 'lab' : `${esc(c.view)} view`} with these settings ↗</a>` : ''}</div>
      <details class="command"><summary>The command that reproduces it</summary><pre><code>${esc(c.command)}</code></pre>
        <p class="hint"><code>richlazy</code> is <code>target/release/richlazy</code> after <code>cargo build --release</code>; see docs/reproducibility.md.</p></details>
      <details class="embed-it"><summary>Embed or link this claim</summary>
        <textarea readonly rows="3">${esc(`<iframe src="${new URL(here(c.id, true), location.href).href}" width="820" height="720" style="border:0" loading="lazy" title="richlazy: ${c.title}"></iframe>`)}</textarea>
        <div class="buttons"><button type="button" data-act="copy">Copy the snippet</button> <a href="${esc(here(c.id))}">Link to this claim</a></div></details>
      ${c.figure ? '<details class="points"><summary>Every point of the figure</summary><ol></ol></details>' : ''}
    </article>`;
  }

  // One study or claim alone (a link to it, or an embed).
  if (section) {
    root.classList.add('one-section');
    const keep = root.querySelector(`[data-section="${CSS.escape(section)}"]`);
    keep.classList.add('chosen');
    keep.closest('.study-part')?.classList.add('holds-chosen');
    if (!embed) requestAnimationFrame(() => keep.scrollIntoView());
  }

  // Results files, fetched once each.
  const cache = new Map();
  const fetching = new Map();
  function fetchResult(name) {
    if (!fetching.has(name)) {
      fetching.set(name, fetch(new URL(`../../results/${name}`, import.meta.url)).then(async (r) => {
        if (!r.ok) throw new Error(`results/${name}: HTTP ${r.status}`);
        cache.set(name, JSON.parse(await r.text()));
      }));
    }
    return fetching.get(name);
  }
  // A figure from its builder: the files it reads are found by running it (a missing file is
  // noted, then fetched, and the builder runs again), so a claim's row never lists them twice.
  async function build(c) {
    for (let round = 0; round < 20; round++) {
      const missing = new Set(), used = new Set();
      const data = new Proxy({}, { get: (_, k) => { used.add(k); return cache.has(k) ? cache.get(k) : (missing.add(k), undefined); } });
      try {
        const fig = c.figure(data, schemas);
        if (!missing.size) return { fig, files: [...used] };
      } catch (e) {
        if (!missing.size) throw e;
      }
      await Promise.all([...missing].map(fetchResult));
    }
    throw new Error('its results never loaded');
  }

  const el = (c) => root.querySelector(`[data-claim="${c.id}"]`);
  const status = (c, text) => { el(c).querySelector('.figure-status').textContent = text; };

  async function open(c) {
    if (state.figures[c.id] || state.opening?.[c.id]) return;
    (state.opening ??= {})[c.id] = true;
    try {
      if (c.theory) return theory(c);
      const { fig, files: used } = await build(c);
      state.figures[c.id] = fig;
      draw(c);
      state.drawn[c.id] = performance.now() - state.shown[c.id];
      const runs = fig.points.reduce((a, p) => a + p.jobs.length, 0);
      status(c, `Drawn from ${used.map((f) => `results/${f}`).join(', ')}. ${fig.points.length} points, ${runs} runs: click a point to recompute it here.`);
      listPoints(c);
      if (c.demo) queue(c, fig.points, true);
    } catch (e) {
      notice(`${c.title}: the figure could not be drawn (${e.message ?? e}).`, 'error');
    }
  }

  function draw(c) {
    const fig = state.figures[c.id];
    if (!fig) return;
    const name = `article-${c.id}`;
    const marks = checkedMarks(c);
    if (fig.kind === 'lines') state.frames[c.id] = lines(name, fig.title, fig.x, fig.y, [...fig.series, ...marks.lines], fig.opts);
    else if (fig.kind === 'errorbars') state.frames[c.id] = errorbars(name, fig.title, fig.x, fig.y, [...fig.series, ...marks.bars], fig.opts);
    else state.frames[c.id] = heatmap(name, fig.title, fig.x, fig.y, fig.xs, fig.ys, fig.values, fig.opts);
  }
  // Checked points: green (same bits) or red (differs) marks over them, on line and error-bar charts
  // (a heat map's cells show their check in the list below it).
  function checkedMarks(c) {
    const fig = state.figures[c.id];
    const ok = [], bad = [];
    fig.points.forEach((p) => { if (p.checked === true) ok.push(p); else if (p.checked === false) bad.push(p); });
    const sets = [[ok, 'checked: same bits', '#2ca02c'], [bad, 'checked: differs', '#d62728']].filter(([ps]) => ps.length);
    return {
      lines: sets.map(([ps, name, colour]) => ({ name, colour, dots: true, x: ps.map((p) => p.x), y: ps.map((p) => p.y) })),
      bars: sets.map(([ps, name, colour]) => ({ name, colour, shape: 3, joined: false, pts: ps.map((p) => [p.x, p.y, 0]) })),
    };
  }
  onResize(() => claims.forEach(draw));

  // Where a click lands: the nearest point within reach, by the chart's frame.
  function pointAt(c, ev) {
    const fig = state.figures[c.id], f = state.frames[c.id];
    if (!fig || !f) return null;
    const canvas = ev.currentTarget;
    const dpr = canvas.width / canvas.clientWidth;
    const [mx, my] = [ev.offsetX * dpr, ev.offsetY * dpr];
    const lx = fig.opts?.logX, ly = fig.opts?.logY;
    const t = (v, log) => (log ? Math.log10(v) : v);
    const px = (x, y) => [f[0] + ((t(x, lx) - f[4]) / (f[5] - f[4])) * f[2], f[1] + ((f[7] - t(y, ly)) / (f[7] - f[6])) * f[3]];
    let best = null, dist = Infinity;
    for (const p of fig.points) {
      const [x, y] = fig.kind === 'heatmap' ? px(fig.xs[p.i], fig.ys[p.j]) : px(p.x, p.y);
      const d = Math.hypot(x - mx, y - my);
      if (d < dist) { dist = d; best = p; }
    }
    const reach = fig.kind === 'heatmap' ? Math.max(f[2] / fig.xs.length, f[3] / fig.ys.length) : 14 * dpr;
    return dist <= reach ? best : null;
  }

  function listPoints(c) {
    const ol = el(c).querySelector('.points ol');
    if (!ol) return;
    const fig = state.figures[c.id];
    ol.innerHTML = fig.points.map((p, k) => `<li data-point="${k}"><button type="button" class="point">${esc(p.label)}</button> <span class="check"></span></li>`).join('');
    ol.querySelectorAll('button.point').forEach((b, k) => { b.onclick = () => offer(c, [fig.points[k]]); });
    el(c).querySelector('.points summary').textContent = `Every point of the figure (${fig.points.length}), each a button that recomputes it`;
  }

  // The cost first, in the page (no dialog), then the runs.
  function offer(c, points) {
    const jobs = points.flatMap((p) => p.jobs);
    const seconds = jobs.reduce((a, j) => a + j.seconds, 0);
    const wall = seconds / Math.min(poolSize(), jobs.length);
    const what = points.length === 1 ? points[0].label : `the whole figure: ${points.length} points`;
    ask(el(c).querySelector('.checks'), {
      text: `Recompute ${what}? ${jobs.length} run${jobs.length > 1 ? 's' : ''}, ${cost(seconds)} of one worker here (${cost(wall)} on ${Math.min(poolSize(), jobs.length)} worker${poolSize() > 1 ? 's' : ''}); each is checked against the stored numbers as it lands.`,
      cancelled: 'Not recomputed. Press Start to run it anyway.',
      start: () => queue(c, points),
    });
  }

  // Checks: one pool job per run; each finished run compared with its stored numbers.
  const workers = pool({
    start: (job) => ({ type: 'job', ...job.run.message, mnist: job.mnist }),
    message: (job, m) => {
      if (m.type === 'progress' && m.iters) line(job, `running: ${m.iter} of ${m.iters} iterations, ${(m.ms / 1000).toFixed(1)} s`);
      else if (m.type === 'started') line(job, 'running…');
      else if (m.type === 'finished') settle(job, JSON.parse(m.analysis ?? m.report), m.ms); // an analysis check's report, else the run's
    },
    failed: (job, e) => {
      state.done += 1;
      line(job, `failed: ${e.message}`);
      notice(`${job.claim.title}, ${job.run.label}: the worker failed (${e.message}).`, 'error');
    },
  });
  function line(job, text) {
    job.li ??= (() => {
      const li = document.createElement('li');
      el(job.claim).querySelector('.checks').append(li);
      return li;
    })();
    job.li.textContent = `${job.run.label}: ${text}`;
  }
  function settle(job, report, ms) {
    state.done += 1;
    const computed = job.run.computed(report);
    const diffs = differences(job.run.stored, computed, job.run.skip);
    const numbers = countNumbers(job.run.stored, job.run.skip);
    state.checks.push({ claim: job.claim.id, point: job.point.label, job: job.run.label, match: diffs.length === 0, diffs, ms });
    line(job, diffs.length === 0
      ? `✓ the same bits: all ${numbers} stored numbers match exactly (${(ms / 1000).toFixed(1)} s).`
      : `✗ differs from the stored result in ${diffs.length} of ${numbers} numbers: ${diffs.slice(0, 3).map((d) => `${d.key} stored ${JSON.stringify(d.stored)}, now ${JSON.stringify(d.computed)}`).join('; ')}.`);
    job.li.className = diffs.length === 0 ? 'match' : 'mismatch';
    // The point is settled once all its runs are.
    job.point.results = [...(job.point.results ?? []), diffs.length === 0];
    if (job.point.results.length === job.point.jobs.length) {
      job.point.checked = job.point.results.every(Boolean);
      const li = el(job.claim).querySelector(`.points li[data-point="${state.figures[job.claim.id].points.indexOf(job.point)}"] .check`);
      if (li) li.textContent = job.point.checked ? '✓ same bits' : '✗ differs';
      draw(job.claim);
    }
  }
  const countNumbers = (v, skip = [], top = true) => (v !== null && typeof v === 'object'
    ? Object.entries(v).filter(([k]) => !(top && skip.includes(k))).reduce((a, [, x]) => a + countNumbers(x, [], false), 0)
    : typeof v === 'number' ? 1 : 0);

  async function queue(c, points, demo = false) {
    const runs = points.flatMap((point) => point.jobs.map((run) => ({ claim: c, point, run })));
    if (runs.some((r) => r.run.mnist)) {
      const files = await smnist.load();
      runs.forEach((r) => { if (r.run.mnist) r.mnist = files; });
    }
    points.forEach((p) => { p.results = []; p.checked = undefined; });
    state.queued += runs.length;
    if (demo) {
      const s = runs.reduce((a, r) => a + r.run.seconds, 0);
      el(c).querySelector('.checks').insertAdjacentHTML('afterbegin', `<p class="hint">Live: recomputing its ${runs.length} runs in your browser as the section opened (${cost(s)} of one worker), each checked against the stored run.</p>`);
    }
    runs.forEach((r) => line(r, 'queued'));
    workers.add(runs);
  }

  // The linear theory: under a second, so computed here as it opens (its closed forms beside), as
  // the theory view runs it: one pool job of the 'theory' study at its defaults.
  const sweeps = pool({
    start: () => ({ type: 'job', kind: 'study', name: 'theory', keys: [], values: [] }),
    message: (job, m) => {
      if (m.type !== 'finished') return;
      const c = claims.find((x) => x.theory);
      const r = JSON.parse(m.report).rank;
      const x = r.points.map((p) => p.erank);
      state.figures[c.id] = { kind: 'lines', title: 'Kernel change against the effective rank of W1(0), |W1(0)| = 0.2', x: 'effective rank', y: 'kernel change',
        series: [{ name: 'measured (mean of 3 seeds)', colour: '#1f77b4', dots: true, x, y: r.points.map((p) => p.kernel_change.mean) },
          { name: 'closed form (ours)', colour: '#d62728', dashed: true, x, y: r.points.map((p) => p.kernel_change_predicted) }],
        opts: { logX: true }, points: [] };
      draw(c);
      state.drawn[c.id] = performance.now() - state.shown[c.id];
      status(c, `Computed in your browser in ${(m.ms / 1000).toFixed(2)} s (the command line gives the same bits: tests/wasm/theory.test.mjs). ${r.claim}`);
    },
    failed: (job, e) => notice(`The linear theory: ${e.message}.`, 'error'),
  });
  function theory() { sweeps.add([{}]); }

  // Wiring: clicks on figures, the buttons, and opening as each claim scrolls into view.
  for (const c of claims) {
    const node = el(c);
    const canvas = node.querySelector('canvas');
    canvas.addEventListener('click', (ev) => { const p = pointAt(c, ev); if (p) offer(c, [p]); });
    canvas.addEventListener('mousemove', (ev) => { canvas.style.cursor = pointAt(c, ev) ? 'pointer' : ''; });
    const all = node.querySelector('[data-act="verify-all"]');
    if (all) all.onclick = () => state.figures[c.id] && offer(c, state.figures[c.id].points);
    node.querySelector('[data-act="copy"]').onclick = async () => {
      const text = node.querySelector('.embed-it textarea').value;
      try { await navigator.clipboard.writeText(text); notice('Snippet copied.'); } catch { node.querySelector('.embed-it textarea').select(); notice('Select the snippet and copy it (the browser refused the clipboard).'); }
    };
  }
  const seen = new IntersectionObserver((entries) => {
    for (const e of entries) {
      if (!e.isIntersecting) continue;
      const c = claims.find((x) => x.id === e.target.dataset.claim);
      seen.unobserve(e.target);
      state.shown[c.id] = performance.now();
      open(c);
    }
  }, { rootMargin: '100px' });
  for (const c of claims) if (el(c).offsetParent !== null) seen.observe(el(c));
  window.richlazy.phase = 'ready';
  document.body.dataset.phase = 'ready';
  return state;
}
