// The engine off the main thread: one training run, or previews of a start. Protocol:
//   in:  {type: 'start', keys, values, file?, mnist?} | {type: 'pause'} | {type: 'resume'} | {type: 'step', n}
//        | {type: 'preview', keys, values, id, file?, mnist?}  (file: {hash, name, bytes}, a file start's matrix;
//          mnist: the four raw MNIST files for sMNIST, see smnist.js)
//        | {type: 'theory', keys, values, id}  (the theory panel's two sweeps)
//        | {type: 'bench', keys, values, iters, warmup}  (the engine's timings, for a figure's cost)
//        | {type: 'study', name, keys, values}  (a regime study, src/regimes: any of them, run to the end)
//   out: {type: 'started', iters} | {type: 'progress', iter, iters, status, trainLoss, rows, spectrum, lyap, lyap0, lyapUnflossed}
//        | {type: 'finished', status, report} | {type: 'preview', id, preview, trial, image} | {type: 'error', message}
//        | {type: 'theory', id, result, ms} | {type: 'bench', result}
//        | {type: 'study-progress', progress, ms} ... then {type: 'study-finished', report, ms}
import init, { Run, Preview, sample_trial, theory, bench, load_matrix, load_mnist, StudyRun } from '../pkg/richlazy.js';

// Matrices this worker's engine holds (its own registry), by hash.
const loaded = new Set();
function holdFile(f) {
  if (!f || loaded.has(f.hash)) return;
  const r = JSON.parse(load_matrix(f.bytes, f.name));
  if (r.error) throw new Error(`${f.name}: ${r.error}`);
  if (r.hash !== f.hash) throw new Error(`${f.name}: hash ${r.hash}, expected ${f.hash}`);
  if (loaded.size >= 8) loaded.clear(); // the engine keeps 8; loading again is harmless
  loaded.add(f.hash);
}

// MNIST, once this worker's engine holds it.
let mnistHeld = false;
function holdMnist(files) {
  if (!files || mnistHeld) return;
  const r = JSON.parse(load_mnist(...files));
  if (r.error) throw new Error(r.error);
  mnistHeld = true;
}

const TARGET_MS = 40; // keep each chunk short so pause/step messages are seen promptly
// The next chunk aims at TARGET_MS after one that took dt ms, growing or shrinking smoothly.
function resize(dt) {
  chunk = Math.max(1, Math.min(chunk * 2, Math.round(chunk * TARGET_MS / Math.max(dt, 1))));
}

let run = null;
let running = false;
let chunk = 1;
let sent = 0; // history rows already posted
let lyapSent = false; // the initial exponents went out

function post(extra) {
  const rows = JSON.parse(run.history_since(sent));
  sent += rows.length;
  const msg = { type: 'progress', iter: run.iter(), iters: run.iters(), status: run.status(), trainLoss: run.train_loss(), rows, ...extra };
  if (rows.length) {
    msg.spectrum = JSON.parse(run.spectrum());
    // The top Lyapunov exponents now, and at the start (sent once).
    msg.lyap = JSON.parse(run.lyap_spectrum());
    if (!lyapSent) {
      msg.lyap0 = JSON.parse(run.initial_lyap_spectrum());
      msg.lyapUnflossed = JSON.parse(run.unflossed_lyap_spectrum()); // null unless pre-flossing ran
      lyapSent = true;
    }
  }
  self.postMessage(msg);
  if (msg.status !== 'running') {
    running = false;
    self.postMessage({ type: 'finished', status: msg.status, report: run.report() });
  }
}

function fail(err) {
  running = false;
  self.postMessage({ type: 'error', message: String(err && err.message ? err.message : err) });
}

function loop() {
  if (!running || !run) return;
  try {
    const t0 = performance.now();
    run.advance(chunk);
    const dt = performance.now() - t0;
    resize(dt);
    post({ chunkMs: dt });
  } catch (err) {
    return fail(err); // a trapped engine (a Rust panic) or a thrown JsError
  }
  if (running) setTimeout(loop, 0);
}

// A regime study: slices of about TARGET_MS, each followed by what is new, so charts fill in live.
let study = null;
function studyLoop() {
  if (!running || !study) return;
  try {
    const t0 = performance.now();
    const more = study.run.advance(chunk);
    const dt = performance.now() - t0;
    study.ms += dt;
    resize(dt);
    self.postMessage({ type: 'study-progress', progress: study.run.progress(), ms: study.ms });
    if (!more) {
      running = false;
      self.postMessage({ type: 'study-finished', report: study.run.report(), ms: study.ms });
      return;
    }
  } catch (err) {
    return fail(err);
  }
  setTimeout(studyLoop, 0);
}

self.onmessage = async (e) => {
  const m = e.data;
  try {
    if (m.type === 'start') {
      await init();
      holdFile(m.file);
      holdMnist(m.mnist);
      run = new Run(m.keys, m.values);
      sent = 0;
      lyapSent = false;
      self.postMessage({ type: 'started', iters: run.iters() });
      post({});
      running = run.status() === 'running';
      if (running && !m.paused) loop();
      else running = false;
    } else if (m.type === 'preview') {
      await init();
      holdFile(m.file);
      holdMnist(m.mnist);
      const p = new Preview(m.keys, m.values);
      const image = p.image();
      self.postMessage({ type: 'preview', id: m.id, preview: p.summary(), trial: sample_trial(m.keys, m.values), image }, [image.buffer]);
      p.free();
    } else if (m.type === 'theory') {
      await init();
      const t0 = performance.now();
      const result = theory(m.keys, m.values);
      self.postMessage({ type: 'theory', id: m.id, result, ms: performance.now() - t0 });
    } else if (m.type === 'bench') {
      await init();
      if (m.warmup) bench(m.keys, m.values, m.warmup); // a fresh worker's first calls run unoptimised code
      self.postMessage({ type: 'bench', result: bench(m.keys, m.values, m.iters) });
    } else if (m.type === 'study') {
      await init();
      study = { run: new StudyRun(m.name, m.keys, m.values), ms: 0 };
      chunk = 1;
      running = true;
      studyLoop();
    } else if (m.type === 'pause') {
      running = false;
    } else if (m.type === 'resume' && run && run.status() === 'running' && !running) {
      running = true;
      loop();
    } else if (m.type === 'step' && run && run.status() === 'running') {
      running = false;
      run.advance(m.n || 1);
      post({});
    }
  } catch (err) {
    fail(err);
  }
};
