// The lab's state, which every lab module reads: what tests and curious readers see as window.richlazy.
// app.config: the settings in use; app.runs: the runs (one, or a comparison's); app.file: the reader's
// matrix ({hash, n, name, bytes}); app.pendingFile: a link's file start waiting for it.
import { errors } from '../shared.js';

export const app = { phase: 'loading', config: null, runs: [], compare: null, errors, drawMs: {}, file: null, pendingFile: null,
  // The state-space chart: its shown measure point (null: the latest), a link's or the reader's analysed point.
  statesAt: null, analyseAt: null, analysed: false };
export const $ = (s) => document.querySelector(s);
