//! The (alpha, T) phase diagram of Sclocchi, Geiger & Wyart (ICML 2023): a small mean-field
//! fully connected net (`mlp`) trained by SGD to zero hinge loss (`cell`) on the 8x8 digits,
//! even against odd (`digits`), at every pair of a grid of scales alpha and temperatures T.
//! Per cell: test error, relative weight change |w* - w0| / |w0|, t* and steps, and whether the
//! step cap or a divergence ended it.
//!
//! Cells are numbered alpha-major (`i = ia * nT + iT`). A shard K/N runs the cells with
//! `i % N == K` (`crate::shard`), so one cell alone is `i/cells` (the page's pool); every cell builds
//! the same data and start from the seed, so shards `merge` into exactly the report of an unsharded
//! run. One `advance` unit is at most `STEPS_PER_UNIT` SGD steps of the current cell.
//!
//! The paper's feature-regime optimum `T_opt ~ alpha^k`, `k = (L - 1) / (L + 1)`, has no known
//! constant: ours is to anchor the line at the best fitted cell of the smallest alpha that has one.

mod cell;
mod digits;
mod mlp;

use crate::json::{obj, Json};
use crate::settings::{compact, Kind, Param, SettingError, Values};
use crate::study::{gather, shard_of, Spec, Study, SHARD};
use cell::{Cell, Outcome, Problem, Status};
use std::fmt::Write;

const PARAMS: [Param; 9] = [
    Param { key: "L", default: "3", kind: Kind::Int { lo: 1, hi: 8 }, help: "hidden layers" },
    Param { key: "h", default: "32", kind: Kind::Int { lo: 2, hi: 512 }, help: "width of each hidden layer" },
    Param {
        key: "P",
        default: "512",
        kind: Kind::Int { lo: 64, hi: 1536 },
        help: "train points (the rest of the 1797 digits are the test set)",
    },
    Param { key: "B", default: "16", kind: Kind::Int { lo: 1, hi: 64 }, help: "batch size" },
    Param {
        key: "log2_alpha",
        default: "-6,-4,-2,0,2,4,6",
        kind: Kind::Reals { lo: -20.0, hi: 20.0, max: 32 },
        help: "log2 of the scales alpha (small: features, large: lazy)",
    },
    Param {
        key: "log2_T",
        default: "-10,-9,-8,-7,-6,-5,-4",
        kind: Kind::Reals { lo: -30.0, hi: 10.0, max: 32 },
        help: "log2 of the temperatures T = dt / (B h)",
    },
    Param { key: "cap", default: "10000", kind: Kind::Int { lo: 1, hi: 1_000_000_000 }, help: "step cap per cell" },
    Param {
        key: "seed",
        default: "1",
        kind: Kind::Int { lo: 0, hi: 4_294_967_295 },
        help: "seed of the split, the start and the batches",
    },
    SHARD,
];

pub const SPEC: Spec = Spec {
    merge: Some(merge),
    extra: Some(grid_rows),
    ..Spec::new("phase", "SGD noise: the (alpha, T) phase diagram", &PARAMS, open)
};

/// The schema's rows on the grid, so that the page reads them: `grid`, its axes outer first (cell
/// `i` = `i_alpha * len(log2_T) + i_T`, the shard order) on a log base 2, `unfit` the flags of a
/// cell that is not fitted; `optimum`, the line
/// `T0 (alpha / alpha0)^k` with `k = (L - 1)/(L + 1)` through the anchor (`anchor`, `best`), and
/// where a report holds it (`line`: `{"k", "alpha0", "T0"}`).
fn grid_rows() -> Vec<(&'static str, Json)> {
    let strs = |l: &[&str]| Json::Arr(l.iter().map(|s| Json::from(*s)).collect());
    vec![
        (
            "grid",
            obj([
                ("order", strs(&["log2_alpha", "log2_T"])),
                ("base", Json::from(2usize)),
                ("unfit", strs(&["capped", "diverged"])),
            ]),
        ),
        (
            "optimum",
            obj([
                ("layers", Json::from("L")),
                ("exponent", Json::from("(L - 1) / (L + 1)")),
                ("anchor", Json::from("smallest_alpha")),
                ("best", Json::from("lowest test_err, the lower T on ties, among fitted cells")),
                ("report", Json::from("line")),
            ]),
        ),
    ]
}

/// SGD steps per advance unit: a few ms at the page's default size.
const STEPS_PER_UNIT: u64 = 50;

/// One finished cell.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    i: usize,
    alpha: f64,
    temp: f64,
    out: Outcome,
}

impl Row {
    fn json(&self) -> Json {
        let o = &self.out;
        obj([
            ("i", Json::from(self.i)),
            ("alpha", self.alpha.into()),
            ("T", self.temp.into()),
            ("test_err", o.test_err.into()),
            ("rel_dw", o.rel_dw.into()),
            ("t_star", o.t_star.into()),
            ("steps", o.steps.into()),
            ("capped", (o.status == Status::Capped).into()),
            ("diverged", (o.status == Status::Diverged).into()),
        ])
    }

    /// `json`'s form back (null numbers are NaN, as non-finite ones were written).
    fn parse(j: &Json) -> Result<Row, String> {
        let num = |k: &str| j.number(k).ok_or_else(|| format!("a cell has no number '{k}'"));
        let flag = |k: &str| match j.get(k) {
            Some(Json::Bool(b)) => Ok(*b),
            _ => Err(format!("a cell has no flag '{k}'")),
        };
        let status = match (flag("capped")?, flag("diverged")?) {
            (false, false) => Status::Fit,
            (true, false) => Status::Capped,
            (false, true) => Status::Diverged,
            (true, true) => return Err("a cell is both capped and diverged".into()),
        };
        let out = Outcome {
            test_err: num("test_err")?,
            rel_dw: num("rel_dw")?,
            t_star: num("t_star")?,
            steps: num("steps")? as u64,
            status,
        };
        Ok(Row { i: num("i")? as usize, alpha: num("alpha")?, temp: num("T")?, out })
    }

    fn fit(&self) -> bool {
        self.out.status == Status::Fit
    }
}

/// The grid a setting describes: (alpha, T) per cell, alpha-major.
fn grid(v: &Values) -> (Vec<f64>, Vec<f64>) {
    let pow2 = |xs: Vec<f64>| xs.into_iter().map(libm::exp2).collect();
    (pow2(v.reals("log2_alpha")), pow2(v.reals("log2_T")))
}

/// The line's exponent for L hidden layers.
fn exponent(layers: usize) -> f64 {
    (layers as f64 - 1.0) / (layers as f64 + 1.0)
}

struct Phase {
    values: Values,
    alphas: Vec<f64>,
    temps: Vec<f64>,
    /// The cells of this shard, in order.
    mine: Vec<usize>,
    cap: u64,
    problem: Option<Problem>,
    current: Option<Cell>,
    rows: Vec<Row>,
    reported: usize,
}

fn open(v: &Values) -> Result<Box<dyn Study>, SettingError> {
    let (alphas, temps) = grid(v);
    let part = shard_of(v);
    let mine = (0..alphas.len() * temps.len()).filter(|&i| part.owns(i)).collect();
    Ok(Box::new(Phase {
        values: v.clone(),
        alphas,
        temps,
        mine,
        cap: v.int("cap"),
        problem: None,
        current: None,
        rows: Vec::new(),
        reported: 0,
    }))
}

impl Study for Phase {
    fn advance(&mut self, units: usize) -> bool {
        for _ in 0..units {
            let Some(&i) = self.mine.get(self.rows.len()) else { return false };
            let v = &self.values;
            let pb = self.problem.get_or_insert_with(|| {
                let (train, test) = digits::split(v.usize("P"), v.int("seed"));
                Problem::new(
                    mlp::Mlp::new(digits::D, v.usize("h"), v.usize("L")),
                    train,
                    test,
                    v.usize("B"),
                    v.int("seed"),
                )
            });
            let (alpha, temp) = (self.alphas[i / self.temps.len()], self.temps[i % self.temps.len()]);
            let c = self.current.get_or_insert_with(|| Cell::new(pb, alpha, temp, self.cap));
            if c.run(pb, STEPS_PER_UNIT) {
                self.rows.push(Row { i, alpha, temp, out: c.outcome(pb) });
                self.current = None;
            }
        }
        self.rows.len() < self.mine.len()
    }

    fn progress(&mut self) -> Json {
        let new = Json::Arr(self.rows[self.reported..].iter().map(Row::json).collect());
        self.reported = self.rows.len();
        let steps = self.current.as_ref().map_or(0, |c| c.steps);
        obj([
            ("done", Json::from(self.rows.len())),
            ("total", Json::from(self.mine.len())),
            ("steps", steps.into()),
            ("cells", new),
        ])
    }

    fn report(&self) -> Json {
        report(&self.values, &self.alphas, &self.temps, &self.rows)
    }

    fn table(&self) -> String {
        table(&self.values, &self.alphas, &self.temps, &self.rows)
    }
}

/// The best fitted cell per alpha (lowest test error, the lower T on ties), `None` where none fit.
fn best(alphas: &[f64], temps: &[f64], rows: &[Row]) -> Vec<Option<Row>> {
    (0..alphas.len())
        .map(|ia| {
            let mut b: Option<&Row> = None;
            for r in rows.iter().filter(|r| r.i / temps.len() == ia && r.fit()) {
                if b.is_none_or(|b| r.out.test_err < b.out.test_err) {
                    b = Some(r);
                }
            }
            b.cloned()
        })
        .collect()
}

/// The line's anchor: the best fitted cell of the smallest alpha that has one (the schema's `optimum`).
fn anchor(best: &[Option<Row>]) -> Option<&Row> {
    best.iter().flatten().min_by(|a, b| a.alpha.total_cmp(&b.alpha))
}

/// The anchored line `T0 (alpha / alpha0)^k`: its exponent and anchor (null before any cell fits).
fn line(layers: usize, best: &[Option<Row>]) -> Json {
    let (a0, t0) = anchor(best).map_or((Json::Null, Json::Null), |r| (r.alpha.into(), r.temp.into()));
    obj([("k", exponent(layers).into()), ("alpha0", a0), ("T0", t0)])
}

fn report(v: &Values, alphas: &[f64], temps: &[f64], rows: &[Row]) -> Json {
    let mut sorted = rows.to_vec();
    sorted.sort_by_key(|r| r.i);
    let best = best(alphas, temps, &sorted);
    let best_json = Json::Arr(
        alphas
            .iter()
            .zip(&best)
            .map(|(&a, b)| {
                obj([
                    ("alpha", a.into()),
                    ("T", b.as_ref().map(|r| r.temp).into()),
                    ("test_err", b.as_ref().map(|r| r.out.test_err).into()),
                ])
            })
            .collect(),
    );
    obj([
        ("settings", v.json()),
        ("alphas", alphas.into()),
        ("Ts", temps.into()),
        ("cells", Json::Arr(sorted.iter().map(Row::json).collect())),
        ("best", best_json),
        ("line", line(v.usize("L"), &best)),
    ])
}

fn table(v: &Values, alphas: &[f64], temps: &[f64], rows: &[Row]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "phase diagram: digits even/odd, P {}, L {} x h {} GELU mean-field, B {}, cap {} steps, seed {}; {} of {} cells here",
        v.int("P"), v.int("L"), v.int("h"), v.int("B"), v.int("cap"), v.int("seed"), rows.len(), alphas.len() * temps.len()
    );
    let at = |ia: usize, it: usize| rows.iter().find(|r| r.i == ia * temps.len() + it);
    let mark = |r: &Row| match r.out.status {
        Status::Capped => "c",
        Status::Diverged => "d",
        _ => " ",
    };
    for (title, pick) in [
        ("test error", (|o: &Outcome| o.test_err) as fn(&Outcome) -> f64),
        ("relative weight change |w*-w0|/|w0|", |o| o.rel_dw),
        ("steps", |o| o.steps as f64),
    ] {
        let _ = writeln!(s, "\n{title} (rows T, columns alpha; c = capped, d = diverged)");
        let _ = write!(s, "{:>10}", "T \\ alpha");
        for a in alphas {
            let _ = write!(s, " {:>9}", compact(*a));
        }
        s.push('\n');
        for (it, t) in temps.iter().enumerate().rev() {
            let _ = write!(s, "{:>10}", compact(*t));
            for ia in 0..alphas.len() {
                let _ = match at(ia, it) {
                    Some(r) => write!(s, " {:>8}{}", short(pick(&r.out)), mark(r)),
                    None => write!(s, " {:>9}", "-"),
                };
            }
            s.push('\n');
        }
    }
    let best = best(alphas, temps, rows);
    let k = exponent(v.usize("L"));
    let anchor = anchor(&best);
    let _ =
        writeln!(s, "\nbest T per alpha (fitted cells) against T0 (alpha/alpha0)^k, k = (L-1)/(L+1) = {}", compact(k));
    for (a, b) in alphas.iter().zip(&best) {
        let line = anchor.map_or(String::from("-"), |r| format!("{:.4}", r.temp * libm::pow(a / r.alpha, k)));
        let _ = match b {
            Some(r) => writeln!(
                s,
                "  alpha {:>9}  best T {:>9}  test error {:.3}  line {line}",
                compact(*a),
                compact(r.temp),
                r.out.test_err
            ),
            None => writeln!(s, "  alpha {:>9}  no cell fit  line {line}", compact(*a)),
        };
    }
    s
}

/// A table entry in 8 characters: whole numbers as they are, others to 3 decimals, large ones as powers of ten.
fn short(x: f64) -> String {
    if !x.is_finite() || x.abs() >= 1e5 {
        format!("{x:.1e}")
    } else if x.fract() == 0.0 {
        format!("{x}")
    } else {
        format!("{x:.3}")
    }
}

/// `richlazy merge`: the reports of shards of one grid (JSON texts) as the report and table of the
/// unsharded run.
pub fn merge(texts: &[(String, String)]) -> Result<(Json, String), String> {
    let (v, cells) = gather(&SPEC, texts, "cells", |v| {
        let (a, t) = grid(v);
        a.len() * t.len()
    })?;
    let rows = cells.iter().map(Row::parse).collect::<Result<Vec<_>, _>>().map_err(|e| format!("merge: {e}"))?;
    let (alphas, temps) = grid(&v);
    Ok((report(&v, &alphas, &temps, &rows), table(&v, &alphas, &temps, &rows)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(pairs: &[(&str, &str)]) -> Box<dyn Study> {
        let (v, e) = SPEC.values(pairs.iter().copied());
        assert!(e.is_empty(), "{e:?}");
        let mut s = (SPEC.open)(&v).unwrap();
        while s.advance(3) {}
        s
    }

    const SMALL: [(&str, &str); 7] = [
        ("L", "2"),
        ("h", "8"),
        ("P", "128"),
        ("B", "8"),
        ("log2_alpha", "-2,3"),
        ("log2_T", "-5,-2,1"),
        ("cap", "3000"),
    ];

    #[test]
    fn shards_merge_into_the_unsharded_report() {
        let whole = run(&SMALL);
        let report = whole.report();
        let mut parts = Vec::new();
        for k in ["2/3", "0/3", "1/3"] {
            let mut pairs = SMALL.to_vec();
            pairs.push(("shard", k));
            let mut s = run(&pairs);
            assert_eq!(s.progress().get("total"), Some(&Json::from(2usize)));
            parts.push((format!("part-{k}.json"), s.report().to_string()));
        }
        let (merged, table) = merge(&parts).unwrap();
        assert_eq!(merged.to_string(), report.to_string());
        assert_eq!(table, whole.table());
        // Every cell fit or was capped or diverged, and the report names each once.
        let Some(Json::Arr(cells)) = report.get("cells") else { panic!() };
        assert_eq!(cells.len(), 6);
        // A missing or doubled shard, or another grid, is refused.
        assert!(merge(&parts[..2]).unwrap_err().contains("missing"));
        let doubled = [parts.clone(), vec![parts[0].clone()]].concat();
        assert!(merge(&doubled).unwrap_err().contains("twice"));
        let mut other = parts.clone();
        other[1].1 = other[1].1.replace("\"seed\":\"1\"", "\"seed\":\"2\"");
        assert!(merge(&other).unwrap_err().contains("differ"));
        assert!(SPEC.open_strict([("shard", "3/3")]).is_err_and(|e| e.key == "shard"));
    }

    #[test]
    fn progress_brings_each_cell_once_and_the_line_is_anchored() {
        let (v, _) = SPEC.values(SMALL.iter().copied());
        let mut s = (SPEC.open)(&v).unwrap();
        let mut seen = Vec::new();
        while s.advance(1) {
            if let Some(Json::Arr(c)) = s.progress().get("cells") {
                seen.extend(c.iter().map(|r| Row::parse(r).unwrap().i));
            }
        }
        if let Some(Json::Arr(c)) = s.progress().get("cells") {
            seen.extend(c.iter().map(|r| Row::parse(r).unwrap().i));
        }
        assert_eq!(seen, [0, 1, 2, 3, 4, 5]);
        let r = s.report();
        let line = r.get("line").unwrap();
        assert_eq!(line.get("k"), Some(&Json::from(1.0 / 3.0)));
        let Some(Json::Arr(best)) = r.get("best") else { panic!() };
        // The anchor is the best T of the smallest alpha where a cell fit.
        let first = best.iter().find(|b| b.get("T") != Some(&Json::Null)).unwrap();
        assert_eq!((line.get("alpha0"), line.get("T0")), (first.get("alpha"), first.get("T")));
    }
}
