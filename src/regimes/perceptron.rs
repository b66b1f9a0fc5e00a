//! SGD noise on the perceptron (Sclocchi, Geiger, Wyart, ICML 2023, as in the authors' code
//! `AntonioScl/SGD_learning_regimes`): hinge loss with the scale alpha, SGD at temperature
//! T = dt / B, trained to exactly zero loss, swept over P x alpha*T x seeds at one chi.
//!
//! Choices that are ours: the sweep reports the run at `alpha` (default 1) — at fixed alpha*T,
//! |w* - w0| and t* scale as 1/alpha and nothing else depends on alpha (see `sgd`); the training
//! sets of one seed are nested (the first P of one sample), and every P and alpha*T of a seed share
//! its test set and its SGD streams; a list of P is rounded to whole numbers and B is capped at P;
//! a unit of `advance` is a slice of one run (a bounded number of margins computed), and a run ends
//! at zero loss or at the step cap, a capped run being marked and left out of the fits.
//!
//! `trace=1` runs one training (the first P and alpha*T, the first seed) and its progress rows carry
//! snapshots at hits 0, 1, 2, ... growing by 15%: w_par, |w_perp|, the unfitted count, and for the
//! first 400 training points their coordinate along u_perp's direction. In the plane of x_1 and
//! that coordinate v the boundary is exactly the line `w_par x_1 + |w_perp| v = 0`, and the margin
//! lines are `= ±sqrt(d) / alpha`.

mod data;
mod sgd;
mod summary;

use crate::json::{obj, Json};
use crate::rng::Rng;
use crate::settings::{compact, Code, Kind, Param, SettingError, Values};
use crate::study::{gather, malformed, shard_of, Spec, Study, SHARD};
use data::Points;
use sgd::{Batches, End, Run};

pub const SPEC: Spec =
    Spec { merge: Some(merge), ..Spec::new("perceptron", "SGD noise: the perceptron", &PARAMS, open) };

const PARAMS: [Param; 12] = [
    Param {
        key: "chi",
        default: "0",
        kind: Kind::Real { lo: 0.0, hi: 8.0 },
        help: "chi: density of x_1 ∝ |x_1|^chi near the boundary (0: Gaussian)",
    },
    Param { key: "d", default: "32", kind: Kind::Int { lo: 2, hi: 1024 }, help: "input dimension d" },
    Param {
        key: "ps",
        default: "128,512,2048",
        kind: Kind::Reals { lo: 2.0, hi: 65536.0, max: 8 },
        help: "training set sizes P",
    },
    Param {
        key: "ats",
        default: "0.1,0.3,1,3,10,30,100,300,1000,3000,10000",
        kind: Kind::Reals { lo: 1e-6, hi: 1e6, max: 24 },
        help: "temperatures alpha*T (T = dt/B)",
    },
    Param { key: "b", default: "2", kind: Kind::Int { lo: 1, hi: 4096 }, help: "batch size B (at most P)" },
    Param {
        key: "alpha",
        default: "1",
        kind: Kind::Real { lo: 1e-6, hi: 1e6 },
        help: "alpha: |dw| and t* are reported at this scale",
    },
    Param { key: "cap", default: "1e10", kind: Kind::Int { lo: 1, hi: 1_000_000_000_000_000 }, help: "step cap" },
    Param { key: "pte", default: "10000", kind: Kind::Int { lo: 100, hi: 1_000_000 }, help: "test set size" },
    Param { key: "seed", default: "1", kind: Kind::Int { lo: 0, hi: 1_000_000_000 }, help: "first seed" },
    Param { key: "seeds", default: "3", kind: Kind::Int { lo: 1, hi: 64 }, help: "seeds per cell" },
    Param {
        key: "trace",
        default: "0",
        kind: Kind::Int { lo: 0, hi: 1 },
        help: "1: trace one run (first P, first alpha*T) for the picture",
    },
    SHARD,
];

/// Margins computed per unit of `advance`: a millisecond or two at d = 32.
const BUDGET: u64 = 1 << 15;
/// Training points whose picture coordinates a trace carries.
const SHOWN: usize = 400;

/// Random streams per seed, one per purpose.
const TRAIN: u64 = 1;
const TEST: u64 = 2;
const INIT: u64 = 3;
const WAITS: u64 = 4;
const PICKS: u64 = 5;

struct Settings {
    chi: f64,
    d: usize,
    ps: Vec<usize>,
    ats: Vec<f64>,
    b: usize,
    alpha: f64,
    cap: u64,
    pte: usize,
    seeds: Vec<u64>,
    trace: bool,
}

/// One finished run.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub p: usize,
    pub at: f64,
    pub seed: u64,
    pub err: f64,
    /// |w* - w0| and |w* - w0| / |w0|.
    pub dw: f64,
    pub dw_rel: f64,
    pub t: f64,
    pub steps: u64,
    pub hits: u64,
    /// dw_1 and |dw_perp|.
    pub w_par: f64,
    pub w_perp: f64,
    pub capped: bool,
}

impl Row {
    fn json(&self) -> Json {
        obj([
            ("p", Json::from(self.p)),
            ("at", Json::from(self.at)),
            ("seed", Json::from(self.seed)),
            ("err", Json::from(self.err)),
            ("dw", Json::from(self.dw)),
            ("dw_rel", Json::from(self.dw_rel)),
            ("t", Json::from(self.t)),
            ("steps", Json::from(self.steps)),
            ("hits", Json::from(self.hits)),
            ("w_par", Json::from(self.w_par)),
            ("w_perp", Json::from(self.w_perp)),
            ("capped", Json::from(self.capped)),
        ])
    }

    /// `json`'s form back (a shard's report, for `merge`).
    fn parse(j: &Json) -> Result<Row, SettingError> {
        let num = |k: &str| j.number(k).ok_or_else(|| malformed(format!("a run has no number '{k}'")));
        Ok(Row {
            p: num("p")? as usize,
            at: num("at")?,
            seed: num("seed")? as u64,
            err: num("err")?,
            dw: num("dw")?,
            dw_rel: num("dw_rel")?,
            t: num("t")?,
            steps: num("steps")? as u64,
            hits: num("hits")? as u64,
            w_par: num("w_par")?,
            w_perp: num("w_perp")?,
            capped: match j.get("capped") {
                Some(Json::Bool(b)) => *b,
                _ => return Err(malformed("a run has no flag 'capped'")),
            },
        })
    }
}

/// A seed's data: the largest training set (smaller P take its first points), the test set, |w0|.
struct Sample {
    seed: u64,
    train: Points,
    test: Points,
    w0: f64,
}

struct Current {
    p: usize,
    at: f64,
    run: Run,
    /// The hit count of the next trace snapshot.
    next_snap: u64,
}

struct Perceptron {
    values: Values,
    s: Settings,
    /// This shard's (seed, P, alpha*T), in run order.
    cells: Vec<(u64, usize, f64)>,
    next: usize,
    sample: Option<Sample>,
    current: Option<Current>,
    rows: Vec<Row>,
    rows_sent: usize,
    snaps: Vec<Json>,
    snaps_sent: usize,
}

impl Settings {
    fn new(v: &Values) -> Settings {
        let seed = v.int("seed");
        let trace = v.int("trace") == 1;
        let mut s = Settings {
            chi: v.real("chi"),
            d: v.usize("d"),
            ps: v.reals("ps").iter().map(|p| p.round() as usize).collect(),
            ats: v.reals("ats"),
            b: v.usize("b"),
            alpha: v.real("alpha"),
            cap: v.int("cap"),
            pte: v.usize("pte"),
            seeds: (seed..seed + v.int("seeds")).collect(),
            trace,
        };
        if trace {
            s.ps.truncate(1);
            s.ats.truncate(1);
            s.seeds.truncate(1);
        }
        s
    }

    /// (seed, P, alpha*T) in run order: seed by seed, so every line appears early and then firms up.
    fn cells(&self) -> Vec<(u64, usize, f64)> {
        let mut cells = Vec::new();
        for &k in &self.seeds {
            for &p in &self.ps {
                for &at in &self.ats {
                    cells.push((k, p, at));
                }
            }
        }
        cells
    }

    fn head(&self) -> String {
        format!(
            "perceptron: chi {}, d {}, B {}, alpha {}, {} seed(s) from {}; means over seeds\n",
            compact(self.chi),
            self.d,
            self.b,
            compact(self.alpha),
            self.seeds.len(),
            self.seeds[0]
        )
    }
}

fn open(v: &Values) -> Result<Box<dyn Study>, SettingError> {
    let s = Settings::new(v);
    let part = shard_of(v);
    if s.trace && !part.is_whole() {
        return Err(SettingError::new("shard", Code::Conflict, "shard: a trace is one run; it does not shard"));
    }
    let cells = s.cells().into_iter().enumerate().filter(|(i, _)| part.owns(*i)).map(|(_, c)| c).collect();
    Ok(Box::new(Perceptron {
        values: v.clone(),
        s,
        cells,
        next: 0,
        sample: None,
        current: None,
        rows: Vec::new(),
        rows_sent: 0,
        snaps: Vec::new(),
        snaps_sent: 0,
    }))
}

/// The report's settings, runs and their summaries (a trace adds its picture).
fn report(v: &Values, rows: &[Row]) -> Vec<(&'static str, Json)> {
    let cells = summary::cells(rows);
    vec![
        ("settings", v.json()),
        ("runs", Json::Arr(rows.iter().map(Row::json).collect())),
        ("cells", summary::cells_json(&cells)),
        ("fits", summary::fits_json(&summary::fits(&cells))),
    ]
}

/// `richlazy merge`: the shards' reports (JSON texts) as the unsharded run's report and table. A
/// traced run (`trace=1`, which the page runs beside its sweep's shards for the picture) is no shard:
/// its report goes as it is under `traced`, once its settings are seen to be those of one of the
/// sweep's runs.
pub fn merge(texts: &[(String, String)]) -> Result<(Json, String), SettingError> {
    let (traces, shards): (Vec<_>, Vec<_>) = texts.iter().cloned().partition(|(_, text)| is_trace(text));
    let (v, runs) = gather(&SPEC, &shards, "runs", |v| Settings::new(v).cells().len())?;
    let s = Settings::new(&v);
    let rows = runs.iter().map(Row::parse).collect::<Result<Vec<_>, _>>().map_err(|e| e.within("merge"))?;
    let mut merged = report(&v, &rows);
    match traces.as_slice() {
        [] => {}
        [trace] => merged.push(("traced", traced(&v, &s, trace)?)),
        _ => return Err(crate::settings::unfit("merge: more than one traced run (trace=1) among the files")),
    }
    Ok((obj(merged), s.head() + &summary::table(&summary::cells(&rows))))
}

/// Whether a report's settings say `trace=1` (text that does not parse is left to `gather`).
fn is_trace(text: &str) -> bool {
    Json::parse(text).is_ok_and(|j| j.get("settings").and_then(|s| s.get("trace")) == Some(&Json::from("1")))
}

/// A traced run's report, checked against the sweep's settings `v`: the same but for the keys a
/// trace narrows (its one P and alpha*T must be among the sweep's, its seed the sweep's first).
fn traced(v: &Values, s: &Settings, trace: &(String, String)) -> Result<Json, SettingError> {
    let (name, text) = trace;
    let (tv, _) = gather(&SPEC, std::slice::from_ref(trace), "runs", |v| Settings::new(v).cells().len())?;
    let t = Settings::new(&tv);
    let mut widened = tv.clone();
    widened.apply(["ps", "ats", "seeds"].map(|k| (k, v.text(k))).into_iter().chain([("trace", "0")]));
    if widened != *v || !s.ps.contains(&t.ps[0]) || !s.ats.contains(&t.ats[0]) {
        return Err(crate::settings::unfit(format!(
            "merge: {name} traces a run of another sweep (its settings are not one of the shards' runs)"
        )));
    }
    Json::parse(text).map_err(|e| SettingError::from(e).within(name))
}

impl Perceptron {
    fn sample(&mut self, seed: u64) -> &Sample {
        if self.sample.as_ref().map(|s| s.seed) != Some(seed) {
            let s = &self.s;
            let pmax = *s.ps.iter().max().expect("at least one P");
            let mut init = Rng::new(seed, INIT);
            let w0 = data::norm(&(0..s.d).map(|_| init.normal()).collect::<Vec<_>>());
            self.sample = Some(Sample {
                seed,
                train: Points::sample(&mut Rng::new(seed, TRAIN), s.chi, s.d, pmax),
                test: Points::sample(&mut Rng::new(seed, TEST), s.chi, s.d, s.pte),
                w0,
            });
        }
        self.sample.as_ref().expect("just made")
    }

    fn start(&mut self) {
        let (seed, p, at) = self.cells[self.next];
        self.next += 1;
        let b = self.s.b.min(p);
        let cap = self.s.cap;
        let train = &self.sample(seed).train;
        let batches = Batches::new(p, b, Rng::new(seed, WAITS), Rng::new(seed, PICKS));
        let run = Run::new(train, at, cap, batches);
        self.current = Some(Current { p, at, run, next_snap: 0 });
    }

    fn finish(&mut self) {
        let Current { p, at, run, .. } = self.current.take().expect("a run");
        let sample = self.sample.as_ref().expect("its data");
        let a = self.s.alpha;
        let dw = data::norm(&run.u) / a;
        self.rows.push(Row {
            p,
            at,
            seed: sample.seed,
            err: sample.test.error(&run.u),
            dw,
            dw_rel: dw / sample.w0,
            t: self.time(p, at, run.steps),
            steps: run.steps,
            hits: run.hits,
            w_par: run.u[0] / a,
            w_perp: data::norm(&run.u[1..]) / a,
            capped: run.end == Some(End::Capped),
        });
    }

    /// The trace's picture at the current hit: w_par, |w_perp|, and the shown points' v.
    fn snapshot(&mut self) {
        let cur = self.current.as_ref().expect("a run");
        let train = &self.sample.as_ref().expect("its data").train;
        let (u, a, d) = (&cur.run.u, self.s.alpha, self.s.d);
        let perp = data::norm(&u[1..]);
        // v = x_perp . u_perp / |u_perp| (along x_2 while u_perp is 0); x = y z sqrt(d).
        let v: Vec<f64> = (0..cur.p.min(SHOWN))
            .map(|i| {
                let z = train.row(i);
                let y = if train.x1[i] < 0.0 { -1.0 } else { 1.0 };
                let along = if perp > 0.0 { data::dot(&z[1..], &u[1..]) / perp } else { z[1] };
                y * along * (d as f64).sqrt()
            })
            .collect();
        self.snaps.push(obj([
            ("hits", Json::from(cur.run.hits)),
            ("steps", Json::from(cur.run.steps)),
            ("t", Json::from(self.time(cur.p, cur.at, cur.run.steps))),
            ("w_par", Json::from(u[0] / a)),
            ("w_perp", Json::from(perp / a)),
            ("unfitted", Json::from(cur.run.unfitted())),
            ("v", Json::from(&v[..])),
        ]));
    }

    /// t* = dt x steps, with dt = B T = B (alpha T) / alpha.
    fn time(&self, p: usize, at: f64, steps: u64) -> f64 {
        p.min(self.s.b) as f64 * at * steps as f64 / self.s.alpha
    }

    /// The shown training points' x_1 (the picture's fixed coordinate).
    fn shown_x1(&self) -> Json {
        let train = &self.sample.as_ref().expect("its data").train;
        Json::from(&train.x1[..self.s.ps[0].min(SHOWN)])
    }
}

impl Study for Perceptron {
    fn advance(&mut self, units: usize) -> bool {
        for _ in 0..units {
            if self.current.is_none() {
                if self.next == self.cells.len() {
                    return false;
                }
                self.start();
            }
            let train = &self.sample.as_ref().expect("its data").train;
            let cur = self.current.as_mut().expect("started");
            let until = if self.s.trace { cur.next_snap } else { u64::MAX };
            cur.run.advance(train, BUDGET, until);
            if self.s.trace && (cur.run.hits >= cur.next_snap || cur.run.end.is_some()) {
                cur.next_snap = (cur.next_snap + 1).max((cur.next_snap as f64 * 1.15).ceil() as u64);
                self.snapshot();
            }
            if self.current.as_ref().is_some_and(|c| c.run.end.is_some()) {
                self.finish();
            }
        }
        self.current.is_some() || self.next < self.cells.len()
    }

    fn progress(&mut self) -> Json {
        let rows = Json::Arr(self.rows[self.rows_sent..].iter().map(Row::json).collect());
        self.rows_sent = self.rows.len();
        let mut p =
            vec![("done", Json::from(self.rows.len())), ("total", Json::from(self.cells.len())), ("rows", rows)];
        if self.s.trace && self.sample.is_some() {
            if self.snaps_sent == 0 {
                p.push(("x1", self.shown_x1()));
            }
            p.push(("trace", Json::Arr(self.snaps[self.snaps_sent..].to_vec())));
            self.snaps_sent = self.snaps.len();
        }
        obj(p)
    }

    fn report(&self) -> Json {
        let mut r = report(&self.values, &self.rows);
        if self.s.trace && self.sample.is_some() {
            r.push(("x1", self.shown_x1()));
            r.push(("trace", Json::Arr(self.snaps.clone())));
        }
        obj(r)
    }

    fn table(&self) -> String {
        self.s.head() + &summary::table(&summary::cells(&self.rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn study(pairs: &[(&str, &str)]) -> Box<dyn Study> {
        let (v, errors) = SPEC.values(pairs.iter().copied());
        assert!(errors.is_empty(), "{errors:?}");
        (SPEC.open)(&v).unwrap()
    }

    fn finish(s: &mut Box<dyn Study>, units: usize) -> Vec<Json> {
        let mut progress = Vec::new();
        while s.advance(units) {
            progress.push(s.progress());
        }
        progress.push(s.progress());
        progress
    }

    const SMALL: [(&str, &str); 5] = [("d", "8"), ("ps", "64,128"), ("ats", "0.1,10"), ("seeds", "2"), ("pte", "500")];

    #[test]
    fn report_is_deterministic_and_independent_of_slicing() {
        let mut a = study(&SMALL);
        let mut b = study(&SMALL);
        finish(&mut a, 1);
        finish(&mut b, 1000);
        assert_eq!(a.report().to_string(), b.report().to_string());
        let mut c = study(&SMALL);
        finish(&mut c, 7);
        assert_eq!(a.report().to_string(), c.report().to_string());
        assert_eq!(a.table(), c.table());
        assert_eq!(items(get(&a.report(), "runs")).len(), 8);
        // Another seed gives other numbers.
        let mut d =
            study(&[("d", "8"), ("ps", "64,128"), ("ats", "0.1,10"), ("seeds", "2"), ("pte", "500"), ("seed", "2")]);
        finish(&mut d, 1);
        assert_ne!(a.report().to_string(), d.report().to_string());
    }

    #[test]
    fn shards_merge_into_the_unsharded_report() {
        let mut whole = study(&SMALL);
        finish(&mut whole, 5);
        let parts: Vec<(String, String)> = ["1/3", "0/3", "2/3"]
            .iter()
            .map(|k| {
                let mut s = study(&[SMALL.as_slice(), &[("shard", k)]].concat());
                finish(&mut s, 5);
                (format!("part {k}"), s.report().to_string())
            })
            .collect();
        let (report, table) = merge(&parts).unwrap();
        assert_eq!((report.to_string(), table), (whole.report().to_string(), whole.table()));
        assert!(merge(&parts[1..]).unwrap_err().message.contains("shard 1/3 is missing"));
        let e = SPEC.open_strict([("trace", "1"), ("shard", "0/2")]).err().unwrap();
        assert_eq!((e.key.as_str(), e.code), ("shard", Code::Conflict));
    }

    /// The page's export: the sweep's shards and the traced run merge into the unsharded report with
    /// the traced run's own report under `traced`; a trace of another sweep, or two, are refused.
    #[test]
    fn a_traced_run_merges_beside_the_shards() {
        let report_of = |pairs: &[(&str, &str)]| {
            let mut s = study(pairs);
            finish(&mut s, 5);
            s.report().to_string()
        };
        let shard = |k: &str| (format!("part {k}"), report_of(&[SMALL.as_slice(), &[("shard", k)]].concat()));
        let trace = |extra: &[(&str, &str)]| {
            let base = [("d", "8"), ("pte", "500"), ("trace", "1"), ("ps", "64"), ("ats", "10")];
            ("trace".to_string(), report_of(&[base.as_slice(), extra].concat()))
        };
        let (whole, traced) = (report_of(&SMALL), trace(&[]));
        let (merged, table) = merge(&[shard("0/2"), shard("1/2"), traced.clone()]).unwrap();
        assert_eq!(merged.get("traced").unwrap().to_string(), traced.1);
        let Json::Obj(mut fields) = merged else { panic!("an object") };
        assert_eq!(fields.pop().map(|(k, _)| k).as_deref(), Some("traced"));
        assert_eq!(Json::Obj(fields).to_string(), whole);
        assert_eq!(table, merge(&[shard("0/2"), shard("1/2")]).unwrap().1);
        // Its one run is the sweep's run at the same P, alpha*T and seed.
        let run = |text: &str, i: usize| items(get(&Json::parse(text).unwrap(), "runs"))[i].to_string();
        assert_eq!(run(&traced.1, 0), run(&whole, 1));
        for other in [trace(&[("seed", "2")]), trace(&[("chi", "1")])] {
            let e = merge(&[shard("0/2"), shard("1/2"), other]).unwrap_err();
            assert!(e.message.contains("trace traces a run of another sweep"), "{e:?}");
            assert_eq!((e.key.as_str(), e.code), ("shard", Code::Merge));
        }
        let e = merge(&[shard("0/2"), shard("1/2"), traced.clone(), traced]).unwrap_err();
        assert!(e.message.contains("more than one traced run"), "{e:?}");
    }

    fn get<'a>(j: &'a Json, key: &str) -> &'a Json {
        match j {
            Json::Obj(f) => &f.iter().find(|(k, _)| k == key).unwrap_or_else(|| panic!("no {key} in {j}")).1,
            _ => panic!("not an object: {j}"),
        }
    }

    fn items(j: &Json) -> &[Json] {
        match j {
            Json::Arr(a) => a,
            _ => panic!("not an array: {j}"),
        }
    }

    #[test]
    fn progress_rows_arrive_once_each_and_runs_fit_the_training_set() {
        let mut s = study(&SMALL);
        let progress = finish(&mut s, 1);
        assert!(progress.len() > 8, "{} progress calls", progress.len());
        let rows: Vec<&Json> = progress.iter().flat_map(|p| items(get(p, "rows"))).collect();
        assert_eq!(rows.len(), 8);
        assert!(rows.iter().all(|r| *get(r, "capped") == Json::Bool(false)));
        assert_eq!(get(&progress[progress.len() - 1], "done"), &Json::Num(8.0));
        let report = s.report();
        assert_eq!(items(get(&report, "runs")).len(), 8);
        assert_eq!(items(get(&report, "cells")).len(), 4);
        assert!(report.to_string().contains("\"settings\":{\"chi\":\"0\",\"d\":\"8\",\"ps\":\"64,128\""));
    }

    #[test]
    fn a_trace_carries_snapshots_and_the_picture() {
        let mut s = study(&[("d", "8"), ("ps", "64,128"), ("ats", "1,10"), ("trace", "1"), ("pte", "200")]);
        let progress = finish(&mut s, 1);
        assert_eq!(items(get(&progress[0], "x1")).len(), 64);
        let snaps: Vec<&Json> = progress.iter().flat_map(|p| items(get(p, "trace"))).collect();
        assert_eq!(get(snaps[0], "hits"), &Json::Num(0.0));
        assert_eq!(get(snaps[0], "unfitted"), &Json::Num(64.0));
        assert_eq!(items(get(snaps[1], "v")).len(), 64);
        // One run only, the first P and alpha*T, and its last snapshot is its end: nothing unfitted.
        let report = s.report();
        let runs = items(get(&report, "runs"));
        assert_eq!((runs.len(), get(&runs[0], "p"), get(&runs[0], "at")), (1, &Json::Num(64.0), &Json::Num(1.0)));
        let last = snaps[snaps.len() - 1];
        assert_eq!((get(last, "unfitted"), get(last, "hits")), (&Json::Num(0.0), get(&runs[0], "hits")));
        assert!(snaps.len() > 10 && snaps.len() < 200, "{} snapshots", snaps.len());
        // In the picture's plane the margin of point i is y (w_par x_1 + |w_perp| v) alpha / sqrt(d): all >= 1 at the end.
        let num = |j: &Json| match j {
            Json::Num(x) => *x,
            _ => panic!(),
        };
        let (wp, wq) = (num(get(last, "w_par")), num(get(last, "w_perp")));
        for (x1, v) in items(get(&report, "x1")).iter().zip(items(get(last, "v"))) {
            let (x1, v) = (num(x1), num(v));
            assert!(x1.signum() * (wp * x1 + wq * v) / 8f64.sqrt() >= 1.0 - 1e-9);
        }
    }
}
