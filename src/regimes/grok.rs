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
//! - `cell` 0 runs the whole map, i >= 1 only its i-th cell (alpha outer, eps inner), for the page's pool.

mod kernel;
mod net;
mod run;

use crate::json::{obj, Json};
use crate::linalg::Mat;
use crate::settings::{Kind, Param, SettingError, Values};
use crate::study::{Spec, Study};
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
    Param {
        key: "cell",
        default: "0",
        kind: Kind::Int { lo: 0, hi: 144 },
        help: "map only: 0 all cells, i only the i-th (alpha outer)",
    },
];

pub const SPEC: Spec = Spec::new("grok", "Grokking as lazy to rich", &PARAMS, open);

struct Grok {
    values: Values,
    mode: String,
    prob: Problem,
    w0: Mat<f64>,
    /// (alpha, eps, map cell from 1) of each run to do, in order.
    jobs: Vec<(f64, f64, usize)>,
    /// The runs started so far; the last may be running.
    runs: Vec<Run>,
    error: Option<String>,
    /// What `progress` has already sent: runs started, rows of the current run, runs finished.
    sent_started: usize,
    sent_rows: usize,
    sent_finished: usize,
}

fn open(v: &Values) -> Result<Box<dyn Study>, SettingError> {
    let (d, p) = (v.usize("d"), v.usize("p"));
    let mode = v.choice("mode").to_string();
    let (alpha, eps, alphas, epss) = (v.real("alpha"), v.real("eps"), v.reals("alphas"), v.reals("epss"));
    let grid: Vec<(f64, f64, usize)> = alphas
        .iter()
        .flat_map(|&a| epss.iter().map(move |&e| (a, e)))
        .enumerate()
        .map(|(i, (a, e))| (a, e, i + 1))
        .collect();
    let cell = v.usize("cell");
    let (jobs, error) = match mode.as_str() {
        "run" => (vec![(alpha, eps, 0)], None),
        "alpha" => (alphas.iter().map(|&a| (a, eps, 0)).collect(), None),
        "eps" => (epss.iter().map(|&e| (alpha, e, 0)).collect(), None),
        _ if cell == 0 => (grid, None),
        _ if cell <= grid.len() => (vec![grid[cell - 1]], None),
        _ => (vec![], Some(format!("cell: {cell} is past the map's {} cells", grid.len()))),
    };
    Ok(Box::new(Grok {
        prob: Problem::draw(d, p, v.usize("test"), v.int("seed")),
        w0: initial_weights(v.usize("n"), d, v.int("seed")),
        values: v.clone(),
        mode,
        jobs,
        runs: Vec::new(),
        error,
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
        let mut s = self.runs[i].summary(i, self.prob.d(), self.prob.x.rows);
        if let (Json::Obj(f), cell @ 1..) = (&mut s, self.jobs[i].2) {
            f.insert(1, ("cell".into(), Json::from(cell)));
        }
        s
    }

    fn rows_json(&self, i: usize, from: usize) -> Vec<Json> {
        self.runs[i].rows[from..].iter().map(|r| r.json(i)).collect()
    }

    /// The map's grokking amounts, alphas down, eps across (null where not measured), and the
    /// lower bounds where the test loss had not fallen by the last epoch.
    fn map(&self) -> Json {
        let (alphas, epss) = (self.values.reals("alphas"), self.values.reals("epss"));
        let mut grid = vec![vec![Json::Null; epss.len()]; alphas.len()];
        let mut at_least = grid.clone();
        for (run, &(_, _, cell)) in self.runs.iter().zip(&self.jobs) {
            if run.finished {
                let (i, j) = ((cell - 1) / epss.len(), (cell - 1) % epss.len());
                grid[i][j] = Json::from(run.grokking());
                at_least[i][j] = Json::from(run.grokking_at_least());
            }
        }
        let rows = |g: Vec<Vec<Json>>| Json::Arr(g.into_iter().map(Json::Arr).collect());
        obj([
            ("alphas", Json::from(&alphas[..])),
            ("epss", Json::from(&epss[..])),
            ("grokking", rows(grid)),
            ("grokking_at_least", rows(at_least)),
        ])
    }
}

impl Study for Grok {
    fn advance(&mut self, units: usize) -> bool {
        for _ in 0..units {
            if self.runs.last().is_none_or(|r| r.finished) {
                let Some(&(alpha, eps, _)) = self.jobs.get(self.runs.len()) else { return false };
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
                    ("run", Json::from(i)),
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
        let mut p = vec![
            ("done", Json::from(self.done())),
            ("total", Json::from(self.jobs.len() * (self.epochs() + 1))),
            ("started", Json::Arr(started)),
            ("rows", Json::Arr(rows)),
            ("finished", Json::Arr(finished)),
        ];
        if let Some(e) = &self.error {
            p.push(("error", Json::from(e.as_str())));
        }
        obj(p)
    }

    fn report(&self) -> Json {
        let (d, p) = (self.prob.d() as f64, self.prob.x.rows as f64);
        let runs = (0..self.runs.len()).map(|i| {
            let mut s = self.summary(i);
            if let Json::Obj(f) = &mut s {
                f.push(("rows".into(), Json::Arr(self.rows_json(i, 0))));
            }
            s
        });
        let mut r = vec![
            ("study", Json::from("grok")),
            ("settings", self.values.json()),
            ("c_marchenko_pastur", Json::from(d / (1.0 + (d / p).sqrt()).powi(2))),
            ("runs", Json::Arr(runs.collect())),
        ];
        if self.mode == "map" {
            r.push(("map", self.map()));
        }
        if let Some(e) = &self.error {
            r.push(("error", Json::from(e.as_str())));
        }
        obj(r)
    }

    fn table(&self) -> String {
        let v = &self.values;
        let (d, p) = (self.prob.d(), self.prob.x.rows);
        let mut out = format!(
            "grokking: D {d}, P {p}, N {}, test {}, c {} (kernel phase stable below about {:.2}), {} epochs, threshold {} x start, seed {}\n",
            self.w0.rows,
            self.prob.xt.rows,
            v.real("c"),
            d as f64 / (1.0 + (d as f64 / p as f64).sqrt()).powi(2),
            self.epochs(),
            v.real("threshold"),
            v.int("seed")
        );
        if let Some(e) = &self.error {
            return out + e + "\n";
        }
        let opt = |t: Option<usize>| t.map_or("-".to_string(), |t| t.to_string());
        let amount = |r: &Run| r.grokking_at_least().map_or_else(|| opt(r.grokking()), |t| format!(">{t}"));
        if self.mode == "run" {
            if let Some(r) = self.runs.first() {
                out += &format!(
                    "alpha {} eps {}: kernel regression (K0) test loss {:.4}; this draw's stable c < {:.3}\n",
                    r.alpha, r.eps, r.kernel_test, r.c_limit
                );
                out += " epoch    train     test    exact  (tr A/D)^2 2|A|^2/D^2  |b|^2/D  |W|/|W0|  K-y align  cos(dM,bb)\n";
                for row in &r.rows {
                    out += &format!(
                        "{:>6} {:>8.4} {:>8.4} {:>8.4} {:>11.4} {:>10.4} {:>8.4} {:>9.4} {:>10.4} {:>11}\n",
                        row.epoch,
                        row.train,
                        row.test,
                        row.exact(),
                        row.parts[0],
                        row.parts[1],
                        row.parts[2],
                        row.norm,
                        row.kta,
                        if row.cos.is_nan() { "-".to_string() } else { format!("{:.4}", row.cos) }
                    );
                }
            }
        } else {
            out += "alpha     eps  t_train  t_test  grokking  final train  final test  K0 test\n";
        }
        for (i, r) in self.runs.iter().enumerate() {
            if self.mode != "run" {
                let last = r.rows.last();
                out += &format!(
                    "{:>5} {:>7} {:>8} {:>7} {:>9} {:>12.4} {:>11.4} {:>8.4}\n",
                    r.alpha,
                    r.eps,
                    opt(r.t_train),
                    opt(r.t_test),
                    amount(r),
                    last.map_or(f64::NAN, |x| x.train),
                    last.map_or(f64::NAN, |x| x.test),
                    r.kernel_test
                );
            } else {
                out +=
                    &format!("t_train {}, t_test {}, grokking amount {}\n", opt(r.t_train), opt(r.t_test), amount(r));
            }
            if let Some(note) = r.note(d, p) {
                out += &format!("  run {i}: {note}\n");
            }
        }
        if self.mode == "map" {
            let epss = v.reals("epss");
            out += "\ngrokking amount (epochs), alpha down, eps across ('>E': the test loss had not fallen by the last epoch; '-': not measured)\nalpha\\eps";
            out += &epss.iter().map(|e| format!("{e:>9}")).collect::<String>();
            out += "\n";
            for (ai, a) in v.reals("alphas").iter().enumerate() {
                out += &format!("{a:>9}");
                for ei in 0..epss.len() {
                    let cell = ai * epss.len() + ei + 1;
                    let run = self
                        .jobs
                        .iter()
                        .position(|j| j.2 == cell)
                        .and_then(|k| self.runs.get(k))
                        .filter(|r| r.finished);
                    out += &format!("{:>9}", run.map_or("-".to_string(), amount));
                }
                out += "\n";
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn map_cells_split_the_whole_map() {
        let base = [
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
        let mut all = open_with(&base);
        while all.advance(50) {}
        let whole = all.report().to_string();
        for cell in 1..=4 {
            let c = cell.to_string();
            let mut pairs = base.to_vec();
            pairs.push(("cell", &c));
            let mut one = open_with(&pairs);
            while one.advance(50) {}
            let Json::Obj(f) = one.report() else { panic!() };
            let Some((_, Json::Arr(runs))) = f.iter().find(|(k, _)| k == "runs") else { panic!() };
            assert_eq!(runs.len(), 1);
            // The cell's run, less its index and its rows (which carry the index), is in the whole map's report.
            let Json::Obj(r) = &runs[0] else { panic!() };
            let tail: String =
                r[1..r.len() - 1].iter().map(|(k, v)| format!("\"{k}\":{v}")).collect::<Vec<_>>().join(",");
            assert!(whole.contains(&tail), "cell {cell} differs from the whole map's");
        }
        let mut past = open_with(&[("mode", "map"), ("alphas", "1"), ("epss", "0.1"), ("cell", "2")]);
        assert!(!past.advance(1));
        assert!(past.report().to_string().contains("cell: 2 is past the map's 1 cells"));
    }
}
