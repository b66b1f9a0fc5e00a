// The engine off the main thread: one job (a lab run or a regime study), or one-off requests. Protocol:
//   in:  {type: 'job', kind: 'run' | 'study', name? (the study), keys, values, paused?, file?, mnist?, analyse? (a run's:
//          its finished message adds `analysis`, richlazy analyse of its final weights, as JSON text)}
//          (file: {hash, name, bytes}, a file start's matrix; mnist: the four raw MNIST files for sMNIST, see smnist.js)
//        | {type: 'pause'} | {type: 'resume'} | {type: 'step', n}  (the job)
//        | {type: 'preview', keys, values, id, file?, mnist?}  (a start's spectrum, sample trial and image)
//        | {type: 'bench', keys, values, iters, warmup, id}  (the engine's timings, for a figure's cost)
//        | {type: 'analyse', keys, values, weights: [[name, bytes] x 4], id}  (richlazy analyse --weights)
//   out: {type: 'started', iters?} then {type: 'progress', ms, ...} per chunk, then {type: 'finished', ms, status, report}
//          progress: a run's {iter, iters, status, trainLoss, rows, sequence, spectrum, lyap, lyap0, lyapUnflossed,
//          frames: [{frame (the state-space picture, with iter), weights: [[name, bytes]]}] per new measure point},
//          a study's {progress} (what is new, its own JSON)
//        | {type: 'preview', id, preview, trial, image} | {type: 'bench', id, result} | {type: 'analysis', id, report (JSON text)}
//        | {type: 'error', error: {key, code, message}}  (anything that failed, whatever the request)
import { errorOf } from './shared.js';
import init, { Run, Preview, sample_trial, bench, load_matrix, load_mnist, StudyRun, analyse_npy } from '../pkg/richlazy.js';

// Matrices this worker's engine holds (its own registry), by hash.
const loaded = new Set();
function holdFile(f) {
  if (!f || loaded.has(f.hash)) return;
  const r = JSON.parse(load_matrix(f.bytes, f.name));
  if (r.error) { const e = errorOf(r.error); throw { ...e, message: `${f.name}: ${e.message}` }; }
  if (r.hash !== f.hash) throw { key: 'file', code: 'format', message: `${f.name}: hash ${r.hash}, expected ${f.hash}` };
  if (loaded.size >= 8) loaded.clear(); // the engine keeps 8; loading again is harmless
  loaded.add(f.hash);
}

// MNIST, once this worker's engine holds it.
let mnistHeld = false;
function holdMnist(files) {
  if (!files || mnistHeld) return;
  const r = JSON.parse(load_mnist(...files));
  if (r.error) throw errorOf(r.error);
  mnistHeld = true;
}

// analyse_npy's four files from [[name, bytes]] (a missing one empty, which the engine names).
const npyArgs = (weights) => ['W_in.npy', 'W_rec0.npy', 'W_rec.npy', 'W_out.npy'].map((name) => weights.find(([n]) => n === name)?.[1] ?? new Uint8Array());

const TARGET_MS = 40; // keep each chunk short so pause/step messages are seen promptly
// The next chunk aims at TARGET_MS after one that took dt ms, growing or shrinking smoothly.
function resize(dt) {
  chunk = Math.max(1, Math.min(chunk * 2, Math.round(chunk * TARGET_MS / Math.max(dt, 1))));
}

// The two kinds of job behind one adapter: advance(n) units of work, more() whether work remains,
// progress() what is new for the charts, report() the finished message's fields; first: whether
// the start itself has something to show.
function labJob(m) {
  const run = new Run(m.keys, m.values);
  let sent = 0; // history rows already posted
  let lyapSent = false; // the initial exponents went out
  const names = JSON.parse(run.weight_names());
  return {
    iters: run.iters(),
    first: true, // iteration 0's measures
    advance: (n) => { run.advance(n); },
    progress() {
      const rows = JSON.parse(run.history_since(sent));
      sent += rows.length;
      // Each new measure point's state-space frame, with its weights for the on-demand analysis.
      const frames = JSON.parse(run.take_frames()).map((frame, i) => ({ frame, weights: names.map((n) => [n, run.taken_weight(i, n)]) }));
      const msg = { iter: run.iter(), iters: run.iters(), status: run.status(), trainLoss: run.train_loss(), rows, frames };
      if (rows.length) {
        msg.sequence = JSON.parse(run.sequence()); // null for a run of one task
        msg.spectrum = JSON.parse(run.spectrum());
        // The top Lyapunov exponents now, and at the start (sent once).
        msg.lyap = JSON.parse(run.lyap_spectrum());
        if (!lyapSent) {
          msg.lyap0 = JSON.parse(run.initial_lyap_spectrum());
          msg.lyapUnflossed = JSON.parse(run.unflossed_lyap_spectrum()); // null unless pre-flossing ran
          lyapSent = true;
        }
      }
      return msg;
    },
    // The weights go with the report (as the command line's .npy files), for the page's download.
    // An article check of a state-space report asks for the analysis of the final weights too (analyse).
    report: () => {
      const weights = names.map((name) => [name, run.weight_npy(name)]);
      const analysis = m.analyse && run.status() === 'done' ? { analysis: analyse_npy(m.keys, m.values, ...npyArgs(weights)) } : {};
      return { status: run.status(), report: run.report(), weights, ...analysis };
    },
    more: () => run.status() === 'running',
  };
}

function studyJob(m) {
  const run = new StudyRun(m.name, m.keys, m.values);
  let more = true;
  return {
    first: false,
    advance: (n) => { more = run.advance(n); },
    progress: () => ({ progress: run.progress() }),
    report: () => ({ status: 'done', report: run.report() }),
    more: () => more,
  };
}

let job = null;
let running = false;
let chunk = 1;
let ms = 0; // engine time of this job

// What is new, then, once no work remains, the job's report.
function post(extra) {
  self.postMessage({ type: 'progress', ms, ...job.progress(), ...extra });
  if (!job.more()) {
    running = false;
    self.postMessage({ type: 'finished', ms, ...job.report() });
    job = null;
  }
}

function fail(err) {
  running = false;
  job = null;
  self.postMessage({ type: 'error', error: errorOf(err, 'engine') });
}

// Chunks of about TARGET_MS, each followed by what is new, so charts fill in live.
function loop() {
  if (!running || !job) return;
  try {
    const t0 = performance.now();
    job.advance(chunk);
    const dt = performance.now() - t0;
    ms += dt;
    resize(dt);
    post({ chunkMs: dt });
  } catch (err) {
    return fail(err); // a trapped engine (a Rust panic) or a thrown JsError
  }
  if (running) setTimeout(loop, 0);
}

self.onmessage = async (e) => {
  const m = e.data;
  try {
    if (m.type === 'job') {
      await init();
      holdFile(m.file);
      holdMnist(m.mnist);
      job = m.kind === 'study' ? studyJob(m) : labJob(m);
      chunk = 1;
      ms = 0;
      self.postMessage({ type: 'started', iters: job.iters });
      if (job.first) post({});
      running = !!job?.more() && !m.paused;
      loop();
    } else if (m.type === 'preview') {
      await init();
      holdFile(m.file);
      holdMnist(m.mnist);
      const p = new Preview(m.keys, m.values);
      const image = p.image();
      self.postMessage({ type: 'preview', id: m.id, preview: p.summary(), trial: sample_trial(m.keys, m.values), image }, [image.buffer]);
      p.free();
    } else if (m.type === 'bench') {
      await init();
      if (m.warmup) bench(m.keys, m.values, m.warmup); // a fresh worker's first calls run unoptimised code
      self.postMessage({ type: 'bench', id: m.id, result: bench(m.keys, m.values, m.iters) });
    } else if (m.type === 'analyse') {
      await init();
      holdFile(m.file);
      holdMnist(m.mnist);
      const text = analyse_npy(m.keys, m.values, ...npyArgs(m.weights));
      const r = JSON.parse(text);
      if (r.error) throw errorOf(r.error);
      self.postMessage({ type: 'analysis', id: m.id, report: text }); // the engine's text: its numbers as the command line prints them
    } else if (m.type === 'pause') {
      running = false;
    } else if (m.type === 'resume' && job && !running) {
      running = true;
      loop();
    } else if (m.type === 'step' && job) {
      running = false;
      job.advance(m.n || 1);
      post({});
    }
  } catch (err) {
    fail(err);
  }
};
