// Bring your own connectivity: a .npy or .csv matrix in the lab's drop zone, checked by the engine
// (load_matrix); a link carries only its hash, so a link's file start waits here for the same file.
import { load_matrix } from '../../pkg/richlazy.js';
import { notice, embedded, errorOf } from '../shared.js';
import { esc } from '../form.js';
import { $, app } from './state.js';
import { schema, isFile, applySettings, formObject } from './settings.js';
import { train, askFirst, compareRuns, reset } from './runs.js';
import { refreshPreview } from './charts.js';

/** A file family's setting (the matrix's hash): a drop zone that hashes the file here (loadFile); its
 * hint and the size limit are the engine's (schema("lab").limits). */
export const fileZone = (p) => `<div class="dropzone" id="file-drop" data-key="${esc(p.key)}">
  <label>matrix file <input type="file" id="file-input" accept=".npy,.csv"></label>
  <input type="hidden" name="${esc(p.key)}">
  <p class="hint" id="file-status">${esc(schema.limits.file_hint)}</p></div>`;

/** A file start whose matrix this page does not hold (the engine would refuse it). */
export const lacksFile = (config) => isFile(config.init) && (!app.file || app.file.hash !== config.file);

/** Where the reader gives a file start its matrix: the drop zone, which an embed hides. */
export const giveFile = (what = 'it') => (embedded() ? `open the full page (Open in richlazy) and give ${what} there` : `choose or drop ${what} under "Initial recurrent weights"`);

/** What a worker needs to hold a file start's matrix: the file's bytes (each worker has its own engine). */
export const fileFor = (config) => (isFile(config.init) && app.file ? { hash: app.file.hash, name: app.file.name, bytes: app.file.bytes } : undefined);

async function loadFile(f) {
  if (!f) return;
  const refuse = (why) => notice(`${f.name}: ${why}. Nothing changed.`, 'warn');
  if (f.size > schema.limits.file_bytes) return refuse(schema.limits.file_too_large.replace('{bytes}', f.size));
  let bytes;
  try { bytes = new Uint8Array(await f.arrayBuffer()); } catch (e) { return refuse(`it could not be read (${e.message ?? e})`); }
  const r = JSON.parse(load_matrix(bytes, f.name));
  if (r.error) return refuse(errorOf(r.error).message);
  const pending = app.pendingFile;
  if (pending && pending.hash && r.hash !== pending.hash) {
    return refuse(`its matrix has hash ${r.hash}, the link's has ${pending.hash}: not the link's matrix, refused`);
  }
  app.file = { hash: r.hash, n: r.n, name: f.name, bytes };
  $('#file-status').textContent = `${f.name}: ${r.n} x ${r.n}, hash ${r.hash}.`;
  if (pending) {
    // The link's own settings, now with its matrix; then the run (or comparison) the link asked for.
    app.pendingFile = null;
    applySettings({ ...pending.obj, file: r.hash });
    refreshPreview();
    if (!pending.compare) return train();
    return askFirst(pending.compare, compareRuns(pending.compare));
  }
  applySettings({ ...formObject(), init: isFile(app.config.init) ? app.config.init : schema.families.find((x) => x.data === 'file').key, file: r.hash });
  reset();
}

/** The drop zone's file input and drag and drop. */
export function wireFile() {
  $('#file-input').addEventListener('change', (e) => { const f = e.target.files[0]; e.target.value = ''; loadFile(f); });
  const drop = $('#file-drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); loadFile(e.dataTransfer.files[0]); });
}
