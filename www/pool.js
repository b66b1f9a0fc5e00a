// Every worker the page starts goes through here: a pool of engine jobs (one worker each, worker.js)
// for runs, comparisons, figures and studies, and a long-lived helper for request/reply work
// (previews, benchmarks). A worker fails in three ways (an uncaught error, an unreadable
// message, the engine's {type: 'error'}); all three reach one callback, once.

/** Workers to run at once: one core is left to the page, at most 16. */
export const poolSize = () => Math.max(1, Math.min((navigator.hardwareConcurrency || 2) - 1, 16));

/** A worker whose messages go to `onMessage` and whose failure goes to `onFail({key, code, message})`. */
function watched(onMessage, onFail) {
  const w = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  const worker = (message) => onFail({ key: '', code: 'worker', message });
  w.onmessage = (e) => (e.data?.type === 'error' ? onFail(e.data.error) : onMessage(e.data));
  w.onerror = (e) => { e.preventDefault(); worker(`the worker stopped: ${e.message || 'unknown error'}`); };
  w.onmessageerror = () => worker('the worker sent an unreadable message');
  return w;
}

/**
 * A queue of jobs, each one worker running one engine job (worker.js's 'job' message), at most
 * poolSize() at once; one started while the pool is paused starts paused. A job ends with the worker's {type: 'finished'} or its failure; either way its
 * worker goes and the next job starts, so a failed job leaves the others running.
 * hooks: { start(job) -> the message that starts it, message(job, m), failed(job, {key, code, message}), idle() }
 * (idle: nothing queued or running any more). A job gets `worker` while it runs (tests, the curious).
 */
export function pool(hooks) {
  let queue = [];
  const live = new Set();
  let paused = false;
  let peak = 0; // most workers alive at once since run()
  let generation = 0; // stop() counts

  function end(job) {
    job.worker.terminate();
    job.worker = null;
    live.delete(job);
  }
  function launch(job) {
    const settle = (f) => (m) => {
      if (!live.has(job)) return; // a stopped or ended job's last words
      const g = generation;
      f(m);
      if (!live.has(job) && g === generation) fill(); // it ended: the next one, unless the hook stopped the pool
    };
    job.worker = watched(settle((m) => {
      if (m.type === 'finished') end(job);
      hooks.message(job, m);
    }), settle((e) => {
      end(job);
      hooks.failed(job, e);
    }));
    live.add(job);
    peak = Math.max(peak, live.size);
    job.worker.postMessage({ ...hooks.start(job), paused });
  }
  function fill() {
    while (live.size < poolSize() && queue.length) launch(queue.shift());
    if (!live.size && !queue.length) hooks.idle?.();
  }
  const post = (m) => { for (const j of live) j.worker.postMessage(m); };

  return {
    /** Stops what runs, then runs `jobs`. */
    run(jobs) {
      this.stop();
      paused = false;
      peak = 0;
      queue = [...jobs];
      fill();
    },
    /** Queues `jobs` behind what runs (the article's checks, each point's as it is asked for). */
    add(jobs) {
      queue.push(...jobs);
      fill();
    },
    stop() {
      generation += 1;
      for (const j of [...live]) end(j);
      queue = [];
    },
    pause() { paused = true; post({ type: 'pause' }); },
    resume() { paused = false; post({ type: 'resume' }); },
    /** `n` steps of the one running job (stepping several at once would mean nothing). */
    step(n = 1) { if (live.size === 1) post({ type: 'step', n }); },
    get running() { return live.size; },
    get peak() { return peak; },
  };
}

/**
 * One long-lived worker for requests that each get one reply (a preview, a benchmark):
 * `send(message)` posts it with a fresh id; only the latest request's reply reaches `reply(m)`.
 * On a failure `failed({key, code, message})` is told and the next send starts a fresh worker.
 */
export function helper({ reply, failed }) {
  let w = null;
  let id = 0;
  return {
    send(message, transfer = []) {
      w ??= watched((m) => { if (m.id === id) reply(m); }, (e) => { w?.terminate(); w = null; failed(e); });
      w.postMessage({ ...message, id: ++id }, transfer);
    },
    /** Drops the pending request's reply (newer settings supersede it). */
    cancel() { ++id; },
    close() { w?.terminate(); w = null; },
  };
}
