// Shared by the page's studies: the engine's chart functions (src/wasm/charts.rs) fed from plain series.
import { line_chart, errorbar_chart, grid_heatmap } from '../pkg/richlazy.js';
import { canvasOf } from './canvas.js';

export const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

// Each chart returns its frame (src/charts/axes.rs `Frame`): the plotting area [left, top, width,
// height] in canvas pixels and its axis ranges [x0, x1, y0, y1], for finding a clicked point.

/** Lines. Series: {name ('' = no legend entry), colour, x, y, dashed, dots (points only, a scatter)};
 * opts: logX, logY, yMin, yMax, markers. */
export function lines(name, title, xLabel, yLabel, series, opts = {}) {
  const [c, dpr] = canvasOf(name);
  const xs = [], ys = [], lens = [];
  for (const s of series) { xs.push(...s.x); ys.push(...s.y); lens.push(s.x.length); }
  return line_chart(c, title, xLabel, yLabel, series.map((s) => s.name), series.map((s) => s.colour), Uint8Array.from(series, (s) => (s.dots ? 2 : s.dashed ? 1 : 0)),
    Float64Array.from(xs), Float64Array.from(ys), Uint32Array.from(lens),
    !!opts.logX, !!opts.logY, opts.yMin ?? NaN, opts.yMax ?? NaN, !!opts.markers, dpr);
}

/** A heat map over a grid of settings: cells centred on xs × ys, values[j * xs.length + i] (NaN: not yet
 * computed, pale grey), marks[k] true crosses a cell out; opts: logX, logY, logV (colours by log10),
 * valueLabel (the colour bar's), line: {x, y} (a dashed reference line on top). */
export function heatmap(name, title, xLabel, yLabel, xs, ys, values, opts = {}) {
  const [c, dpr] = canvasOf(name);
  return grid_heatmap(c, title, xLabel, yLabel, Float64Array.from(xs), Float64Array.from(ys), Float64Array.from(values, (v) => (v ?? NaN)),
    Uint8Array.from(opts.marks ?? [], (m) => (m ? 1 : 0)), !!opts.logX, !!opts.logY, opts.valueLabel ?? '', !!opts.logV,
    Float64Array.from(opts.line?.x ?? []), Float64Array.from(opts.line?.y ?? []), dpr);
}

/** Means ± sd. Series: {name, colour, shape (0 dot, 1 triangle, 2 cross, 3 ring, 4 square), joined, pts: [[x, mean, sd]]}. */
export function errorbars(name, title, xLabel, yLabel, series, { logX = false, logY = false } = {}) {
  const [c, dpr] = canvasOf(name);
  const flat = (k) => Float64Array.from(series.flatMap((s) => s.pts.map((p) => p[k])));
  return errorbar_chart(c, title, xLabel, yLabel, series.map((s) => s.name), series.map((s) => s.colour), flat(0), flat(1), flat(2),
    Uint32Array.from(series, (s) => s.pts.length), Uint8Array.from(series, (s) => s.shape), Uint8Array.from(series, (s) => (s.joined ? 1 : 0)), logX, logY, dpr);
}

/** Mean and sample sd of numbers (sd 0 for one value); non-finite values left out. */
export function meanSd(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x));
  if (!v.length) return [NaN, NaN];
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return [m, v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1)) : 0];
}
