//! The sweep read plainly: means over seeds per (P, alpha*T), and power-law slopes of |dw| and t*
//! in alpha*T (along the noise-dominated branch) and in P (at the lowest and highest alpha*T).

use super::Row;
use crate::json::{obj, Json};
use crate::settings::compact;

/// Means over the seeds of one (P, alpha*T).
pub struct Cell {
    pub p: usize,
    pub at: f64,
    pub runs: usize,
    pub capped: usize,
    pub err: f64,
    pub dw: f64,
    pub dw_rel: f64,
    pub t: f64,
    pub w_par: f64,
    pub w_perp: f64,
    pub hits: f64,
}

/// Cells in the order their first run finished.
pub fn cells(rows: &[Row]) -> Vec<Cell> {
    let mut keys: Vec<(usize, f64)> = Vec::new();
    for r in rows {
        if !keys.contains(&(r.p, r.at)) {
            keys.push((r.p, r.at));
        }
    }
    keys.into_iter()
        .map(|(p, at)| {
            let rs: Vec<&Row> = rows.iter().filter(|r| r.p == p && r.at == at).collect();
            let mean = |f: fn(&Row) -> f64| rs.iter().map(|r| f(r)).sum::<f64>() / rs.len() as f64;
            Cell {
                p,
                at,
                runs: rs.len(),
                capped: rs.iter().filter(|r| r.capped).count(),
                err: mean(|r| r.err),
                dw: mean(|r| r.dw),
                dw_rel: mean(|r| r.dw_rel),
                t: mean(|r| r.t),
                w_par: mean(|r| r.w_par),
                w_perp: mean(|r| r.w_perp),
                hits: mean(|r| r.hits as f64),
            }
        })
        .collect()
}

pub fn cells_json(cells: &[Cell]) -> Json {
    Json::Arr(
        cells
            .iter()
            .map(|c| {
                obj([
                    ("p", Json::from(c.p)),
                    ("at", Json::from(c.at)),
                    ("runs", Json::from(c.runs)),
                    ("capped", Json::from(c.capped)),
                    ("err", Json::from(c.err)),
                    ("dw", Json::from(c.dw)),
                    ("dw_rel", Json::from(c.dw_rel)),
                    ("t", Json::from(c.t)),
                    ("w_par", Json::from(c.w_par)),
                    ("w_perp", Json::from(c.w_perp)),
                    ("hits", Json::from(c.hits)),
                ])
            })
            .collect(),
    )
}

/// Least-squares slope of log y against log x; None for fewer than two distinct x.
pub fn slope(xs: &[f64], ys: &[f64]) -> Option<f64> {
    let n = xs.len() as f64;
    let lx: Vec<f64> = xs.iter().map(|x| libm::log(*x)).collect();
    let ly: Vec<f64> = ys.iter().map(|y| libm::log(*y)).collect();
    let mx = lx.iter().sum::<f64>() / n;
    let my = ly.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (x, y) in lx.iter().zip(&ly) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
    }
    (sxx > 0.0).then(|| sxy / sxx)
}

/// Slopes for one P along alpha*T: the plateau |dw| (at the lowest alpha*T) and the slopes of
/// |dw| and t* over the noise-dominated branch, the cells whose |dw| is at least twice the plateau.
pub struct Branch {
    pub p: usize,
    pub plateau: f64,
    pub from: Option<f64>,
    pub dw: Option<f64>,
    pub t: Option<f64>,
}

/// Slopes in P at one alpha*T.
pub struct InP {
    pub at: f64,
    pub dw: Option<f64>,
    pub t: Option<f64>,
}

pub struct Fits {
    pub branches: Vec<Branch>,
    pub in_p: Vec<InP>,
}

/// Cells with capped runs are left out (their |dw| and t* are bounds).
pub fn fits(cells: &[Cell]) -> Fits {
    let done: Vec<&Cell> = cells.iter().filter(|c| c.capped == 0).collect();
    let mut ps: Vec<usize> = done.iter().map(|c| c.p).collect();
    ps.sort_unstable();
    ps.dedup();
    let mut ats: Vec<f64> = done.iter().map(|c| c.at).collect();
    ats.sort_by(f64::total_cmp);
    ats.dedup();
    let branches = ps
        .iter()
        .map(|&p| {
            let mut line: Vec<&&Cell> = done.iter().filter(|c| c.p == p).collect();
            line.sort_by(|a, b| a.at.total_cmp(&b.at));
            let plateau = line[0].dw;
            let branch: Vec<&&Cell> = line.into_iter().filter(|c| c.dw >= 2.0 * plateau).collect();
            let at: Vec<f64> = branch.iter().map(|c| c.at).collect();
            Branch {
                p,
                plateau,
                from: at.first().copied(),
                dw: slope(&at, &branch.iter().map(|c| c.dw).collect::<Vec<_>>()),
                t: slope(&at, &branch.iter().map(|c| c.t).collect::<Vec<_>>()),
            }
        })
        .collect();
    let mut ends: Vec<f64> = [ats.first(), ats.last()].into_iter().flatten().copied().collect();
    ends.dedup();
    let in_p = ends
        .into_iter()
        .map(|at| {
            let col: Vec<&&Cell> = done.iter().filter(|c| c.at == at).collect();
            let p: Vec<f64> = col.iter().map(|c| c.p as f64).collect();
            InP {
                at,
                dw: slope(&p, &col.iter().map(|c| c.dw).collect::<Vec<_>>()),
                t: slope(&p, &col.iter().map(|c| c.t).collect::<Vec<_>>()),
            }
        })
        .collect();
    Fits { branches, in_p }
}

pub fn fits_json(f: &Fits) -> Json {
    obj([
        (
            "in_at",
            Json::Arr(
                f.branches
                    .iter()
                    .map(|b| {
                        obj([
                            ("p", Json::from(b.p)),
                            ("plateau_dw", Json::from(b.plateau)),
                            ("branch_from_at", Json::from(b.from)),
                            ("dw_slope", Json::from(b.dw)),
                            ("t_slope", Json::from(b.t)),
                        ])
                    })
                    .collect(),
            ),
        ),
        (
            "in_p",
            Json::Arr(
                f.in_p
                    .iter()
                    .map(|s| {
                        obj([("at", Json::from(s.at)), ("dw_slope", Json::from(s.dw)), ("t_slope", Json::from(s.t))])
                    })
                    .collect(),
            ),
        ),
    ])
}

fn num(x: f64) -> String {
    if x == 0.0 || (1e-3..1e5).contains(&x.abs()) {
        format!("{x:.4}")
    } else {
        format!("{x:.3e}")
    }
}

fn opt(x: Option<f64>) -> String {
    x.map_or("-".into(), |v| format!("{v:.3}"))
}

pub fn table(cells: &[Cell]) -> String {
    let mut s = format!(
        "{:>6} {:>9} {:>8} {:>11} {:>10} {:>11} {:>11} {:>11} {:>10} {:>7}\n",
        "P", "alpha*T", "test err", "|dw|", "|dw|/|w0|", "t*", "w_par", "|dw_perp|", "hits", "capped"
    );
    let mut sorted: Vec<&Cell> = cells.iter().collect();
    sorted.sort_by(|a, b| a.p.cmp(&b.p).then(a.at.total_cmp(&b.at)));
    for c in sorted {
        s += &format!(
            "{:>6} {:>9} {:>8.4} {:>11} {:>10} {:>11} {:>11} {:>11} {:>10} {:>7}\n",
            c.p,
            compact(c.at),
            c.err,
            num(c.dw),
            num(c.dw_rel),
            num(c.t),
            num(c.w_par),
            num(c.w_perp),
            num(c.hits),
            format!("{}/{}", c.capped, c.runs)
        );
    }
    let f = fits(cells);
    s += "\nslopes in alpha*T on the noise branch (cells with |dw| >= 2x the lowest-alpha*T |dw|; capped cells left out):\n";
    for b in &f.branches {
        s += &format!(
            "  P {:>6}: plateau |dw| {}, branch from alpha*T {}: |dw| ~ (alpha*T)^{}, t* ~ (alpha*T)^{}\n",
            b.p,
            num(b.plateau),
            b.from.map_or("-".into(), compact),
            opt(b.dw),
            opt(b.t)
        );
    }
    s += "slopes in P:\n";
    for i in &f.in_p {
        s += &format!("  alpha*T {:>9}: |dw| ~ P^{}, t* ~ P^{}\n", compact(i.at), opt(i.dw), opt(i.t));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slope_of_a_power_law() {
        let xs = [1.0, 10.0, 100.0];
        let ys: Vec<f64> = xs.iter().map(|x: &f64| 3.0 * x.powf(0.75)).collect();
        assert!((slope(&xs, &ys).unwrap() - 0.75).abs() < 1e-12);
        assert_eq!(slope(&[2.0, 2.0], &[1.0, 3.0]), None);
    }
}
