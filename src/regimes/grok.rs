//! Grokking as the move from lazy to rich training (T. Kumar, B. Bordelon, S. Gershman,
//! C. Pehlevan, ICLR 2024, arXiv 2310.06110), set up as in the authors' supplementary notebook:
//! inputs `x ~ N(0, I/D)`, target `y = (beta.x)^2 / 2` with `beta ~ N(0, I_D)`, a two-layer net with
//! fixed readouts `f(x) = alpha (1/N) sum_i phi(w_i.x)`, `phi(h) = h + eps h^2 / 2`, `W_ij ~ N(0, 1)`,
//! the centred output `F = f(x; W) - f(x; W0)`, the loss the plain mean of `(F - y)^2` (no 1/2, as in
//! the notebook), full-batch gradient descent with `eta = c N / alpha^2` (the notebook: c = 1 for its
//! Figure 1, 20 for its phase diagram). alpha sets laziness, eps the initial kernel's alignment with
//! the (even, quadratic) target.
//!
//! Choices that are ours:
//! - the kernel-regression line is the minimum-norm interpolant `K0(x, X) K0^+ y` (eigenvalues below
//!   numpy's `pinv` cut dropped), where the linearised net trained from F = 0 to zero training loss
//!   ends; the notebook solves `K0 a = y` directly, the same when K0 is invertible;
//! - kernel-target alignment is `y^T K y / (|K|_F |y|^2)` on the training set, uncentred (the
//!   notebook's formula in its figure legend; its code centres y and K's columns, on the test set);
//! - the grokking amount is `max(0, t_test - t_train)` with each t the first epoch at which the loss
//!   is below `threshold` times its start (the notebook: an absolute 0.1, about 0.13 of the start);
//!   the test loss used for `t_test` is the exact population loss (the three-part formula), free of
//!   the test set's sampling noise, evaluated every epoch; the sampled test loss is shown beside it;
//! - one draw (seed) of beta, the training and test sets and W0 is shared by every run of a study,
//!   as in the notebook's sweeps; map cells stop once both losses have crossed;
//! - runs are numbered in the unsharded order (the map's alpha outer, eps inner) and `shard` K/N
//!   runs those with i mod N = K (`crate::shard`): the page's pool runs the map's cell i as `i/cells`.
//!   The table is drawn from the report alone, so that `merge` writes the unsharded run's table too;
//! - the summary (`richlazy grok --summary`) is the report without each run's epoch rows: a map's
//!   settings, map and cell summaries in a hundredth of the bytes; shards' summaries merge into the
//!   whole run's summary, and a sweep's or map's table is the same from it.

mod kernel;
mod net;
mod run;

use crate::json::{obj, Json};
use crate::linalg::Mat;
use crate::settings::{Applies, Kind, Param, SettingError, Values};
use crate::study::{gather, shard_of, Spec, Study, SHARD};
use net::{initial_weights, Problem};
use run::Run;

const PARAMS: [Param; 14] = [
    Param {
        key: "mode",
        default: "run",
        kind: Kind::Choice { names: &["run", "alpha", "eps", "map"], labels: &[] },
        help: "one run, the alpha or eps sweep (overlays), or the (alpha, eps) map",
    },
    Param { key: "d", default: "30", kind: Kind::Int { lo: 1, hi: 400 }, help: "input dimension D" },
    Param { key: "p", default: "165", kind: Kind::Int { lo: 1, hi: 4000 }, help: "training points P" },
    Param { key: "n", default: "100", kind: Kind::Int { lo: 1, hi: 4000 }, help: "hidden units N" },
    Param { key: "test", default: "1000", kind: Kind::Int { lo: 1, hi: 100_000 }, help: "test points" },
    Param { key: "alpha", default: "1", kind: Kind::Real { lo: 1e-3, hi: 1e3 }, help: "output scale alpha (laziness)" },
    Param {
        key: "eps",
        default: "0.02",
        kind: Kind::Real { lo: 0.0, hi: 10.0 },
        help: "quadratic part eps of phi (initial alignment)",
    },
    Param {
        key: "c",
        default: "10",
        kind: Kind::Real { lo: 0.0, hi: 1e4 },
        help: "learning rate multiplier: eta = c N / alpha^2",
    },
    Param { key: "epochs", default: "10000", kind: Kind::Int { lo: 0, hi: 10_000_000 }, help: "epochs per run" },
    Param {
        key: "seed",
        default: "1",
        kind: Kind::Int { lo: 0, hi: 4_294_967_295 },
        help: "draw of beta, the data and W0",
    },
    Param {
        key: "threshold",
        default: "0.1",
        kind: Kind::Real { lo: 0.0, hi: 1.0 },
        help: "a loss has fallen when below this times its start",
    },
    Param {
        key: "alphas",
        default: "0.5,1,2,3,4",
        kind: Kind::Reals { lo: 1e-3, hi: 1e3, max: 12 },
        help: "alphas of the alpha sweep and the map",
    },
    Param {
        key: "epss",
        default: "0.01,0.02,0.05,0.1,0.2",
        kind: Kind::Reals { lo: 0.0, hi: 10.0, max: 12 },
        help: "eps values of the eps sweep and the map",
    },
    SHARD,
];

pub const SPEC: Spec = Spec {
    merge: Some(merge),
    summary: Some(summary),
    applies: &APPLIES,
    ..Spec::new("grok", "Grokking as lazy to rich", &PARAMS, open)
};

/// The keys each mode reads (`points`): one run takes alpha and eps; the alpha sweep its alphas at
/// eps; the eps sweep its epss at alpha; the map both lists.
const APPLIES: [Applies; 4] = [
    Applies { key: "alpha", when: "mode", values: || vec!["run", "eps"] },
    Applies { key: "eps", when: "mode", values: || vec!["run", "alpha"] },
    Applies { key: "alphas", when: "mode", values: || vec!["alpha", "map"] },
    Applies { key: "epss", when: "mode", values: || vec!["eps", "map"] },
];

/// A run of the study: its number in the unsharded order, its point, its map cell (from 1; 0 off the map).
#[derive(Clone, Copy)]
struct Job {
    index: usize,
    alpha: f64,
    eps: f64,
    cell: usize,
}

struct Grok {
    values: Values,
    mode: String,
    prob: Problem,
    w0: Mat<f64>,
    /// This shard's runs to do, in order.
    jobs: Vec<Job>,
    /// The runs started so far; the last may be running.
    runs: Vec<Run>,
    /// What `progress` has already sent: runs started, rows of the current run, runs finished.
    sent_started: usize,
    sent_rows: usize,
    sent_finished: usize,
}

/// (alpha, eps, map cell from 1 or 0) of every run of the unsharded study, in order.
fn points(v: &Values) -> Vec<(f64, f64, usize)> {
    let (alpha, eps, alphas, epss) = (v.real("alpha"), v.real("eps"), v.reals("alphas"), v.reals("epss"));
    match v.choice("mode") {
        "run" => vec![(alpha, eps, 0)],
        "alpha" => alphas.iter().map(|&a| (a, eps, 0)).collect(),
        "eps" => epss.iter().map(|&e| (alpha, e, 0)).collect(),
        _ => alphas
            .iter()
            .flat_map(|&a| epss.iter().map(move |&e| (a, e)))
            .zip(1..)
            .map(|((a, e), c)| (a, e, c))
            .collect(),
    }
}

fn open(v: &Values) -> Result<Box<dyn Study>, SettingError> {
    let (d, p) = (v.usize("d"), v.usize("p"));
    let mode = v.choice("mode").to_string();
    let part = shard_of(v);
    let jobs = points(v)
        .into_iter()
        .enumerate()
        .filter(|(i, _)| part.owns(*i))
        .map(|(index, (alpha, eps, cell))| Job { index, alpha, eps, cell })
        .collect();
    Ok(Box::new(Grok {
        prob: Problem::draw(d, p, v.usize("test"), v.int("seed")),
        w0: initial_weights(v.usize("n"), d, v.int("seed")),
        values: v.clone(),
        mode,
        jobs,
        runs: Vec::new(),
        sent_started: 0,
        sent_rows: 0,
        sent_finished: 0,
    }))
}

impl Grok {
    fn epochs(&self) -> usize {
        self.values.usize("epochs")
    }

    fn finished_count(&self) -> usize {
        self.runs.iter().filter(|r| r.finished).count()
    }

    /// Units are epochs (looked at, then stepped): `epochs + 1` per run.
    fn done(&self) -> usize {
        let per = self.epochs() + 1;
        self.runs.iter().map(|r| if r.finished { per } else { r.epoch }).sum()
    }

    fn summary(&self, i: usize) -> Json {
        let Job { index, cell, .. } = self.jobs[i];
        let mut s = self.runs[i].summary(index, self.prob.d(), self.prob.x.rows);
        if let (Json::Obj(f), 1..) = (&mut s, cell) {
            f.insert(1, ("cell".into(), Json::from(cell)));
        }
        s
    }

    fn rows_json(&self, i: usize, from: usize) -> Vec<Json> {
        self.runs[i].rows[from..].iter().map(|r| r.json(self.jobs[i].index)).collect()
    }
}

/// The report's fields after the settings: the Marchenko-Pastur c, the runs (summaries with their
/// rows) and in map mode the map of their grokking amounts.
fn report(v: &Values, runs: Vec<Json>, finished: &[bool]) -> Json {
    let (d, p) = (v.real("d"), v.real("p"));
    let mut r = vec![
        ("study", Json::from("grok")),
        ("settings", v.json()),
        ("c_marchenko_pastur", Json::from(d / (1.0 + (d / p).sqrt()).powi(2))),
    ];
    let map = (v.choice("mode") == "map").then(|| map(v, &runs, finished));
    r.push(("runs", Json::Arr(runs)));
    r.extend(map.map(|m| ("map", m)));
    obj(r)
}

/// The map's grokking amounts, alphas down, eps across (null where not measured), and the lower
/// bounds where the test loss had not fallen by the last epoch: from the finished runs' summaries.
fn map(v: &Values, runs: &[Json], finished: &[bool]) -> Json {
    let (alphas, epss) = (v.reals("alphas"), v.reals("epss"));
    let mut grid = vec![vec![Json::Null; epss.len()]; alphas.len()];
    let mut at_least = grid.clone();
    for (run, _) in runs.iter().zip(finished).filter(|(_, f)| **f) {
        let Some(cell) = run.number("cell") else { continue };
        let cell = cell as usize - 1;
        let (i, j) = (cell / epss.len(), cell % epss.len());
        grid[i][j] = run.get("grokking").cloned().unwrap_or(Json::Null);
        at_least[i][j] = run.get("grokking_at_least").cloned().unwrap_or(Json::Null);
    }
    let rows = |g: Vec<Vec<Json>>| Json::Arr(g.into_iter().map(Json::Arr).collect());
    obj([
        ("alphas", Json::from(&alphas[..])),
        ("epss", Json::from(&epss[..])),
        ("grokking", rows(grid)),
        ("grokking_at_least", rows(at_least)),
    ])
}

/// The report without each run's epoch rows (`rows`); every other field as it is, in its order.
pub fn summary(report: &Json) -> Json {
    let mut s = report.clone();
    if let Json::Obj(fields) = &mut s {
        if let Some((_, Json::Arr(runs))) = fields.iter_mut().find(|(k, _)| k == "runs") {
            for run in runs {
                if let Json::Obj(f) = run {
                    f.retain(|(k, _)| k != "rows");
                }
            }
        }
    }
    s
}

/// `richlazy merge`: the shards' reports (JSON texts) as the unsharded run's report and table.
pub fn merge(texts: &[(String, String)]) -> Result<(Json, String), String> {
    let (v, runs) = gather(&SPEC, texts, "runs", |v| points(v).len())?;
    let finished = vec![true; runs.len()];
    let r = report(&v, runs, &finished);
    let t = table(&r);
    Ok((r, t))
}

impl Study for Grok {
    fn advance(&mut self, units: usize) -> bool {
        for _ in 0..units {
            if self.runs.last().is_none_or(|r| r.finished) {
                let Some(&Job { alpha, eps, .. }) = self.jobs.get(self.runs.len()) else { return false };
                let v = &self.values;
                let stop = self.mode == "map";
                self.runs.push(Run::new(
                    &self.prob,
                    &self.w0,
                    alpha,
                    eps,
                    v.real("c"),
                    self.epochs(),
                    v.real("threshold"),
                    stop,
                ));
                self.sent_rows = 0;
            }
            self.runs.last_mut().expect("started").epoch(&self.prob);
        }
        self.finished_count() < self.jobs.len()
    }

    fn progress(&mut self) -> Json {
        let started: Vec<Json> = (self.sent_started..self.runs.len())
            .map(|i| {
                let r = &self.runs[i];
                obj([
                    ("run", Json::from(self.jobs[i].index)),
                    ("alpha", Json::from(r.alpha)),
                    ("eps", Json::from(r.eps)),
                    ("kernel_test", Json::from(r.kernel_test)),
                    ("c_limit", Json::from(r.c_limit)),
                ])
            })
            .collect();
        self.sent_started = self.runs.len();
        let mut rows = Vec::new();
        if let Some(i) = self.runs.len().checked_sub(1) {
            rows = self.rows_json(i, self.sent_rows);
            self.sent_rows = self.runs[i].rows.len();
        }
        let count = self.finished_count();
        let finished: Vec<Json> = (self.sent_finished..count).map(|i| self.summary(i)).collect();
        self.sent_finished = count;
        let p = vec![
            ("done", Json::from(self.done())),
            ("total", Json::from(self.jobs.len() * (self.epochs() + 1))),
            ("started", Json::Arr(started)),
            ("rows", Json::Arr(rows)),
            ("finished", Json::Arr(finished)),
        ];
        obj(p)
    }

    fn report(&self) -> Json {
        let runs = (0..self.runs.len()).map(|i| {
            let mut s = self.summary(i);
            if let Json::Obj(f) = &mut s {
                f.push(("rows".into(), Json::Arr(self.rows_json(i, 0))));
            }
            s
        });
        let finished: Vec<bool> = self.runs.iter().map(|r| r.finished).collect();
        report(&self.values, runs.collect(), &finished)
    }

    fn table(&self) -> String {
        table(&self.report())
    }
}

/// The command line's table, from a report alone (its settings and runs).
fn table(report: &Json) -> String {
    let (Some(Json::Obj(settings)), Some(Json::Arr(runs))) = (report.get("settings"), report.get("runs")) else {
        return String::new();
    };
    let set = |k: &str| {
        settings.iter().find(|(key, _)| key == k).map_or("", |(_, v)| if let Json::Str(s) = v { s } else { "" })
    };
    let real = |k: &str| set(k).parse::<f64>().unwrap_or(f64::NAN);
    let int = |k: &str| real(k) as u64;
    let (d, p) = (real("d"), real("p"));
    let mode = set("mode");
    let mut out = format!(
        "grokking: D {d}, P {p}, N {}, test {}, c {} (kernel phase stable below about {:.2}), {} epochs, threshold {} x start, seed {}\n",
        int("n"),
        int("test"),
        real("c"),
        d / (1.0 + (d / p).sqrt()).powi(2),
        int("epochs"),
        real("threshold"),
        int("seed")
    );
    let f = |r: &Json, k: &str| r.number(k).unwrap_or(f64::NAN);
    let opt = |r: &Json, k: &str| match r.get(k) {
        Some(Json::Num(t)) => format!("{t}"),
        _ => "-".to_string(),
    };
    let amount = |r: &Json| match r.get("grokking_at_least") {
        Some(Json::Num(t)) => format!(">{t}"),
        _ => opt(r, "grokking"),
    };
    if mode == "run" {
        if let Some(r) = runs.first() {
            out += &format!(
                "alpha {} eps {}: kernel regression (K0) test loss {:.4}; this draw's stable c < {:.3}\n",
                f(r, "alpha"),
                f(r, "eps"),
                f(r, "kernel_test"),
                f(r, "c_limit")
            );
            out +=
                " epoch    train     test    exact  (tr A/D)^2 2|A|^2/D^2  |b|^2/D  |W|/|W0|  K-y align  cos(dM,bb)\n";
            let rows = match r.get("rows") {
                Some(Json::Arr(rows)) => rows.as_slice(),
                _ => &[],
            };
            for row in rows {
                let cos = f(row, "cos");
                out += &format!(
                    "{:>6} {:>8.4} {:>8.4} {:>8.4} {:>11.4} {:>10.4} {:>8.4} {:>9.4} {:>10.4} {:>11}\n",
                    opt(row, "epoch"),
                    f(row, "train"),
                    f(row, "test"),
                    f(row, "exact"),
                    f(row, "part_tr"),
                    f(row, "part_frob"),
                    f(row, "part_lin"),
                    f(row, "norm"),
                    f(row, "kta"),
                    if cos.is_nan() { "-".to_string() } else { format!("{cos:.4}") }
                );
            }
        }
    } else {
        out += "alpha     eps  t_train  t_test  grokking  final train  final test  K0 test\n";
    }
    for r in runs {
        if mode != "run" {
            out += &format!(
                "{:>5} {:>7} {:>8} {:>7} {:>9} {:>12.4} {:>11.4} {:>8.4}\n",
                f(r, "alpha"),
                f(r, "eps"),
                opt(r, "t_train"),
                opt(r, "t_test"),
                amount(r),
                f(r, "final_train"),
                f(r, "final_test"),
                f(r, "kernel_test")
            );
        } else {
            out +=
                &format!("t_train {}, t_test {}, grokking amount {}\n", opt(r, "t_train"), opt(r, "t_test"), amount(r));
        }
        if let Some(Json::Str(note)) = r.get("note") {
            out += &format!("  run {}: {note}\n", opt(r, "run"));
        }
    }
    if let Some(Json::Obj(_)) = report.get("map") {
        let epss: Vec<&str> = set("epss").split(',').collect();
        out += "\ngrokking amount (epochs), alpha down, eps across ('>E': the test loss had not fallen by the last epoch; '-': not measured)\nalpha\\eps";
        out += &epss.iter().map(|e| format!("{:>9}", e.parse::<f64>().unwrap_or(f64::NAN))).collect::<String>();
        out += "\n";
        for (ai, a) in set("alphas").split(',').enumerate() {
            out += &format!("{:>9}", a.parse::<f64>().unwrap_or(f64::NAN));
            for ei in 0..epss.len() {
                let cell = (ai * epss.len() + ei + 1) as f64;
                let run = runs.iter().find(|r| r.number("cell") == Some(cell));
                out += &format!("{:>9}", run.map_or("-".to_string(), amount));
            }
            out += "\n";
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_modes_unused_keys_change_none_of_its_runs_and_are_named() {
        let other = [("alpha", "2.5"), ("eps", "0.3"), ("alphas", "0.7,0.9"), ("epss", "0.04")];
        for mode in ["run", "alpha", "eps", "map"] {
            let (base, _) = SPEC.values([("mode", mode)]);
            for (k, v) in other {
                let (changed, errors) = SPEC.values([("mode", mode), (k, v)]);
                let applies = crate::settings::applies(&APPLIES, k).unwrap().holds(mode);
                assert_eq!(points(&changed) != points(&base), applies, "{mode} {k}");
                let named = SPEC.unused(&changed, &["mode", k], &errors);
                assert_eq!(named.len(), usize::from(!applies), "{mode} {k}: {named:?}");
            }
        }
    }

    fn open_with(pairs: &[(&str, &str)]) -> Box<dyn Study> {
        let (v, e) = SPEC.values(pairs.iter().copied());
        assert!(e.is_empty(), "{e:?}");
        open(&v).unwrap()
    }

    #[test]
    fn same_settings_same_report_however_sliced() {
        let pairs = [
            ("mode", "alpha"),
            ("d", "8"),
            ("p", "30"),
            ("n", "12"),
            ("test", "50"),
            ("c", "1"),
            ("epochs", "300"),
            ("alphas", "0.5,2"),
        ];
        let mut a = open_with(&pairs);
        while a.advance(1) {}
        let mut b = open_with(&pairs);
        while b.advance(37) {
            b.progress();
        }
        assert_eq!(a.report().to_string(), b.report().to_string());
        let Json::Obj(f) = a.progress() else { panic!() };
        assert_eq!(f[0], ("done".into(), Json::from(602usize)));
        assert_eq!(f[1], ("total".into(), Json::from(602usize)));
    }

    #[test]
    fn progress_sends_each_row_once() {
        let mut s = open_with(&[("d", "6"), ("p", "20"), ("n", "8"), ("test", "20"), ("c", "1"), ("epochs", "100")]);
        let mut epochs = Vec::new();
        while s.advance(7) {
            if let Json::Obj(f) = s.progress() {
                if let Some((_, Json::Arr(rows))) = f.iter().find(|(k, _)| k == "rows") {
                    epochs.extend(rows.iter().map(|r| match r {
                        Json::Obj(g) => g[1].1.clone(),
                        _ => Json::Null,
                    }));
                }
            }
        }
        if let Json::Obj(f) = s.progress() {
            if let Some((_, Json::Arr(rows))) = f.iter().find(|(k, _)| k == "rows") {
                epochs.extend(rows.iter().map(|r| match r {
                    Json::Obj(g) => g[1].1.clone(),
                    _ => Json::Null,
                }));
            }
        }
        let want: Vec<Json> = run::row_epochs(100).into_iter().map(Json::from).collect();
        assert_eq!(epochs, want);
    }

    /// A 2 x 2 map small enough for a test.
    const MAP: [(&str, &str); 9] = [
        ("mode", "map"),
        ("d", "6"),
        ("p", "20"),
        ("n", "8"),
        ("test", "20"),
        ("c", "1"),
        ("epochs", "200"),
        ("alphas", "1,2"),
        ("epss", "0.1,0.3"),
    ];

    /// The page's pool: one job per cell (shard i/4), each run to the end.
    fn map_shards() -> Vec<(String, Box<dyn Study>)> {
        (0..4usize)
            .map(|i| {
                let k = format!("{i}/4");
                let mut one = open_with(&[MAP.as_slice(), &[("shard", &k)]].concat());
                while one.advance(50) {}
                (k, one)
            })
            .collect()
    }

    #[test]
    fn map_cells_split_the_whole_map() {
        let mut all = open_with(&MAP);
        while all.advance(50) {}
        // The cells merged into the whole map's report and table.
        let parts: Vec<(String, String)> = map_shards()
            .into_iter()
            .enumerate()
            .map(|(i, (k, one))| {
                let Some(Json::Arr(runs)) = one.report().get("runs").cloned() else { panic!() };
                assert_eq!(
                    (runs.len(), runs[0].get("run"), runs[0].get("cell")),
                    (1, Some(&Json::from(i)), Some(&Json::from(i + 1)))
                );
                (k, one.report().to_string())
            })
            .collect();
        let (report, table) = merge(&parts).unwrap();
        assert_eq!((report.to_string(), table), (all.report().to_string(), all.table()));
        assert!(merge(&parts[..3]).unwrap_err().contains("shard 3/4 is missing"));
    }

    #[test]
    fn summary_keeps_every_number_but_the_rows_and_merges() {
        let mut all = open_with(&MAP);
        while all.advance(50) {}
        let full = all.report();
        let short = summary(&full);
        // The same fields in the same order, each run's less its rows, the same bits.
        let (Json::Obj(f), Json::Obj(s)) = (&full, &short) else { panic!() };
        assert_eq!(f.iter().map(|(k, _)| k).collect::<Vec<_>>(), s.iter().map(|(k, _)| k).collect::<Vec<_>>());
        for ((k, a), (_, b)) in f.iter().zip(s) {
            if k != "runs" {
                assert_eq!(a, b, "{k}");
            }
        }
        let (Some(Json::Arr(long)), Some(Json::Arr(runs))) = (full.get("runs"), short.get("runs")) else { panic!() };
        assert_eq!(runs.len(), 4);
        for (a, b) in long.iter().zip(runs) {
            let (Json::Obj(a), Json::Obj(b)) = (a, b) else { panic!() };
            assert!(matches!(a.last(), Some((k, Json::Arr(rows))) if k == "rows" && rows.len() > 2));
            assert_eq!(&a[..a.len() - 1], &b[..]);
        }
        assert!(short.to_string().len() * 4 < full.to_string().len());
        // The map's table is the same from it, and the cells' summaries merge into the whole map's.
        assert_eq!(table(&short), all.table());
        let parts: Vec<(String, String)> =
            map_shards().into_iter().map(|(k, one)| (k, summary(&one.report()).to_string())).collect();
        let (report, t) = merge(&parts).unwrap();
        assert_eq!((report.to_string(), t), (short.to_string(), all.table()));
    }
}
