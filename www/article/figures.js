// The shapes the article's figures take, so that a study's module is rows: each builder takes the
// stored results (by file name) and returns a figure for www/views/article.js to draw, with its
// points, each carrying the runs (verify.js jobs) that reproduce it.
//   { kind: 'errorbars' | 'lines' | 'heatmap', title, x, y, series, opts, points: [{series, x, y, label, jobs}] }
//   (heatmap: xs, ys, values, opts; points: {i, j, label, jobs})
import { COLOURS, meanSd } from '../plot.js';
import { labRun, analysisRun } from './verify.js';

/** A lab run's start as the command line's --inits names it (rank:30, aligned:1, connectome, ...). */
export function startOf(c) {
  return ['rank', 'aligned', 'dale_rank'].includes(c.init) ? `${c.init}:${c.rank}` : c.init;
}

const f3 = (x) => (Number.isFinite(x) ? x.toFixed(3) : '—');

/**
 * Final measures of lab runs against their initial effective rank, mean ± sd over seeds.
 * groups: [{name, file, starts: ['rank:1', ...], where?(config), colour?, shape?, joined?}]; one point per start.
 * A group may instead list its points from several files: items: [{file, start, where?, name?}].
 * `value(run)` is the y where it is not the final measure (a sequence's forgetting); `measure` names it.
 */
export function startsFigure({ title, measure, yLabel, groups, logX = true, logY = false, value = (r) => r.final[measure] }) {
  return (data) => {
    const series = [], points = [];
    groups.forEach((g, gi) => {
      const pts = [];
      const items = g.items ?? g.starts.map((start) => ({ file: g.file, start, where: g.where }));
      // Every file first, so that a figure's missing files are all fetched at once.
      const files = items.map((it) => data[it.file]);
      items.forEach((it, k) => {
        const runs = (files[k]?.runs ?? []).filter((r) => startOf(r.config) === it.start && (!it.where || it.where(r.config)));
        if (!runs.length) return;
        const done = runs.filter((r) => r.status === 'done');
        const [x] = meanSd(runs.map((r) => r.initial.erank_entropy));
        const [m, sd] = meanSd(done.map(value));
        pts.push([x, m, sd]);
        const where = `${g.name}, ${it.name ?? it.start}`;
        points.push({ series: gi, x, y: m, label: `${where}: ${measure} ${f3(m)} ± ${f3(sd)} (${done.length} of ${runs.length} seeds)`,
          jobs: runs.map((r) => labRun(r, `${where}, seed ${r.config.seed}`)) });
      });
      series.push({ name: g.name, colour: g.colour ?? COLOURS[gi % COLOURS.length], shape: g.shape ?? gi % 5, joined: g.joined ?? true, pts });
    });
    return { kind: 'errorbars', title, x: 'initial effective rank', y: yLabel ?? measure, series, opts: { logX, logY }, points };
  };
}

/**
 * State-space reports (`richlazy analyse`; a bundle {reports: [{name: 'TASK-START-sSEED', report}]}) against
 * their start's effective rank (`w_rec0.erank_entropy`), mean ± sd over seeds; `measure(report)` is the y.
 * groups: [{name, task, starts: [START, ...], file? (the figure's by default), joined?, shape?, colour?}]; one point per start.
 */
export function analysisFigure({ title, file, measure, yLabel, groups, logX = true }) {
  return (data) => {
    const series = [], points = [];
    groups.forEach((g, gi) => {
      const reports = data[g.file ?? file].reports;
      const pts = [];
      for (const start of g.starts) {
        const runs = reports.filter((r) => r.name.startsWith(`${g.task}-${start}-s`));
        if (!runs.length) continue;
        const [x] = meanSd(runs.map((r) => r.report.w_rec0.erank_entropy));
        const [m, sd] = meanSd(runs.map((r) => measure(r.report)));
        pts.push([x, m, sd]);
        const where = `${g.name}, ${start}`;
        points.push({ series: gi, x, y: m, label: `${where}: ${yLabel} ${f3(m)} ± ${f3(sd)} (${runs.length} seeds)`,
          jobs: runs.map((r) => analysisRun(r.report, `${where}, seed ${r.report.config.seed}`)) });
      }
      series.push({ name: g.name, colour: g.colour ?? COLOURS[gi % COLOURS.length], shape: g.shape ?? gi % 5, joined: g.joined ?? true, pts });
    });
    return { kind: 'errorbars', title, x: 'initial effective rank', y: yLabel, series, opts: { logX }, points };
  };
}

/** Lab runs' final measure against one of their settings (the gain), one line per group of runs. */
export function settingFigure({ title, file, measure, yLabel, key, xLabel, groups, logX = false }) {
  return (data) => {
    const runs = data[file].runs;
    const series = [], points = [];
    groups.forEach((g, gi) => {
      const mine = runs.filter((r) => g.where(r.config));
      const xs = [...new Set(mine.map((r) => r.config[key]))].sort((a, b) => a - b);
      const pts = xs.map((x) => {
        const at = mine.filter((r) => r.config[key] === x);
        const done = at.filter((r) => r.status === 'done');
        const [m, sd] = meanSd(done.map((r) => r.final[measure]));
        points.push({ series: gi, x, y: m, label: `${g.name}, ${key} ${x}: ${measure} ${f3(m)} ± ${f3(sd)} (${done.length} of ${at.length} seeds)`,
          jobs: at.map((r) => labRun(r, `${g.name}, ${key} ${x}, seed ${r.config.seed}`)) });
        return [x, m, sd];
      });
      series.push({ name: g.name, colour: g.colour ?? COLOURS[gi % COLOURS.length], shape: g.shape ?? gi % 5, joined: true, pts });
    });
    return { kind: 'errorbars', title, x: xLabel ?? key, y: yLabel ?? measure, series, opts: { logX }, points };
  };
}
