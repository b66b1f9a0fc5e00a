// The page's entry: one view per study, chosen by ?view= (the lab when absent), each its own module
// that mounts itself. Adding a study: its module in www/views/ and one line here.
import { notice, errors } from './shared.js';

const VIEWS = [
  { id: 'lab', title: 'Connectivity and learning rules', load: () => import('./lab/index.js') },
  { id: 'theory', title: 'Linear theory', load: () => import('./views/theory.js') },
  { id: 'perceptron', title: 'SGD noise: perceptron', load: () => import('./views/perceptron.js') },
  { id: 'phase', title: 'SGD noise: phase diagram', load: () => import('./views/phase.js') },
  { id: 'grok', title: 'Grokking', load: () => import('./views/grok.js') },
  { id: 'article', title: 'The article', load: () => import('./views/article.js') },
];
// Until the view's module replaces it, what tests and curious readers can inspect.
window.richlazy = { phase: 'loading', runs: [], errors };

const q = new URLSearchParams(location.search);
// Links from before views put the theory panel's settings on the lab's page.
let id = q.get('view') ?? ([...q.keys()].some((k) => k.startsWith('theory_')) ? 'theory' : 'lab');
if (!VIEWS.some((v) => v.id === id)) {
  notice(`Unknown view '${id.slice(0, 40)}': showing the lab. Views: ${VIEWS.map((v) => v.id).join(', ')}.`, 'warn');
  id = 'lab';
}
const view = VIEWS.find((v) => v.id === id);
document.body.dataset.pageView = id; // not data-view, which marks the views' containers
if (q.get('embed') === '1') document.body.classList.add('embed');

const nav = document.querySelector('#views');
for (const v of VIEWS) {
  const a = document.createElement('a');
  a.href = v.id === 'lab' ? './' : `?view=${v.id}`;
  a.textContent = v.title;
  if (v.id === id) a.setAttribute('aria-current', 'page');
  nav.append(a);
}
const container = document.querySelector(`[data-view="${id}"]`) ? id : 'study';
// Only the chosen view's containers stay: no other view's buttons (the same data-act names) linger hidden.
for (const el of document.querySelectorAll('[data-view]')) if (el.dataset.view === container) el.hidden = false; else el.remove();
document.title = `richlazy: ${view.title}`;

view.load()
  .then((m) => m.mount(document.querySelector(`[data-view="${container}"]`)))
  .catch((e) => {
    document.body.dataset.phase = 'error';
    notice(`The page could not start: ${e.message ?? e}. It needs a browser with WebAssembly and module workers.`, 'error');
  });
