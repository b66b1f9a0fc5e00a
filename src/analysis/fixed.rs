//! Fixed and slow points of the one-step map (Sussillo & Barak 2013, as Golub & Sussillo's
//! FixedPointFinder does it): minimise q(h) = ½‖F(h) − h‖² by Adam from states sampled along the
//! network's own trajectories plus noise, then polish each candidate exactly. The map is ReLU, so it
//! is affine inside each activation pattern: a candidate's pattern gives one linear solve, repeated
//! while the solution's pattern differs (Newton's method on a piecewise-affine map); a solution
//! whose pattern is its own is a true fixed point (q at rounding level). A candidate that finds none
//! is kept as a slow point when its q is below `tol_slow`. Duplicates (closer than `tol_unique`) and
//! outliers (farther from the states' centre than `outlier` times the farthest state) are dropped.

use super::map::StepMap;
use crate::linalg::{eigenvalues, Eigenvalue};

#[derive(Clone, Debug)]
pub struct Options {
    /// Adam steps on q per candidate.
    pub steps: usize,
    /// Adam's step size.
    pub lr: f64,
    /// Pattern solves allowed in the polish.
    pub polish: usize,
    /// The largest q kept as a slow point.
    pub tol_slow: f64,
    /// Points closer than this are one point.
    pub tol_unique: f64,
    /// Points farther from the states' centre than this many times the farthest state are dropped.
    pub outlier: f64,
}

impl Default for Options {
    /// FixedPointFinder's tolerances in spirit (its tol_unique is 1e-3); the step budget and the
    /// slow-point threshold are ours.
    fn default() -> Self {
        Options { steps: 200, lr: 0.02, polish: 20, tol_slow: 1e-4, tol_unique: 1e-3, outlier: 10.0 }
    }
}

/// The stability of a point of a map: by the moduli of its Jacobian's eigenvalues.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stability {
    /// Every |λ| < 1.
    Stable,
    /// Some |λ| > 1, some < 1.
    Saddle,
    /// Every |λ| >= 1.
    Unstable,
}

impl Stability {
    pub fn key(self) -> &'static str {
        match self {
            Stability::Stable => "stable",
            Stability::Saddle => "saddle",
            Stability::Unstable => "unstable",
        }
    }
}

#[derive(Clone, Debug)]
pub struct FixedPoint {
    pub h: Vec<f64>,
    pub q: f64,
    /// A true fixed point (its own pattern's solution), not a slow point.
    pub exact: bool,
    /// Units on at the point.
    pub active: usize,
    /// The Jacobian's eigenvalues, largest modulus first.
    pub eigenvalues: Vec<Eigenvalue>,
    /// How many have modulus above 1.
    pub unstable_modes: usize,
    pub stability: Stability,
}

/// The distinct points found from `starts` (each an N-vector): exact ones first, then by q.
pub fn find_fixed_points(map: &StepMap, starts: &[Vec<f64>], opt: &Options) -> Vec<FixedPoint> {
    let mut found: Vec<(Vec<f64>, f64, bool)> = starts.iter().filter_map(|s| candidate(map, s, opt)).collect();
    found.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.total_cmp(&b.1)));
    let centre = mean(starts);
    let reach = starts.iter().map(|s| distance(s, &centre)).fold(0.0, f64::max);
    let mut kept: Vec<(Vec<f64>, f64, bool)> = Vec::new();
    for f in found {
        let near = |k: &(Vec<f64>, f64, bool)| distance(&k.0, &f.0) < opt.tol_unique;
        if distance(&f.0, &centre) <= opt.outlier * reach.max(1e-12) && !kept.iter().any(near) {
            kept.push(f);
        }
    }
    kept.into_iter().filter_map(|(h, q, exact)| describe(map, h, q, exact)).collect()
}

/// Adam on q from `start`, then the exact polish; the best of the two (exact, else lower q).
fn candidate(map: &StepMap, start: &[f64], opt: &Options) -> Option<(Vec<f64>, f64, bool)> {
    let n = map.n();
    let mut h = start.to_vec();
    let (mut m, mut v) = (vec![0.0; n], vec![0.0; n]);
    let (b1, b2, eps) = (0.9, 0.999, 1e-8);
    let (mut p1, mut p2) = (1.0, 1.0);
    for _ in 0..opt.steps {
        let (q, g) = map.q_and_gradient(&h);
        if q < 1e-20 {
            break;
        }
        p1 *= b1;
        p2 *= b2;
        for i in 0..n {
            m[i] = b1 * m[i] + (1.0 - b1) * g[i];
            v[i] = b2 * v[i] + (1.0 - b2) * g[i] * g[i];
            h[i] -= opt.lr * (m[i] / (1.0 - p1)) / ((v[i] / (1.0 - p2)).sqrt() + eps);
        }
    }
    if let Some(exact) = polish(map, &h, opt.polish) {
        let q = map.q(&exact);
        return Some((exact, q, true));
    }
    let q = map.q(&h);
    (q.is_finite() && q <= opt.tol_slow).then_some((h, q, false))
}

/// Pattern solves from h's pattern until a solution keeps its own pattern.
fn polish(map: &StepMap, h: &[f64], tries: usize) -> Option<Vec<f64>> {
    let mut on = map.pattern(h);
    for _ in 0..tries {
        let x = map.pattern_fixed_point(&on)?;
        // A solution is a fixed point of F when its active units are positive and its inactive
        // units' pre-activations are not: then relu(u(x)) = x.
        let u = map.preactivation(&x);
        let next: Vec<bool> = (0..map.n()).map(|i| if on[i] { x[i] > 0.0 } else { u[i] > 0.0 }).collect();
        if next == on {
            return Some(x);
        }
        on = next;
    }
    None
}

fn describe(map: &StepMap, h: Vec<f64>, q: f64, exact: bool) -> Option<FixedPoint> {
    let n = map.n();
    let eigenvalues = eigenvalues(&map.jacobian(&h).data, n)?;
    let unstable_modes = eigenvalues.iter().filter(|e| e.modulus() > 1.0).count();
    let stability = match unstable_modes {
        0 => Stability::Stable,
        k if k == n => Stability::Unstable,
        _ => Stability::Saddle,
    };
    let active = map.pattern(&h).iter().filter(|&&on| on).count();
    Some(FixedPoint { h, q, exact, active, eigenvalues, unstable_modes, stability })
}

fn mean(rows: &[Vec<f64>]) -> Vec<f64> {
    let n = rows.first().map_or(0, Vec::len);
    let mut c = vec![0.0; n];
    for r in rows {
        c.iter_mut().zip(r).for_each(|(c, x)| *c += x);
    }
    c.iter_mut().for_each(|c| *c /= rows.len().max(1) as f64);
    c
}

fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum::<f64>().sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::Mat;
    use crate::rng::Rng;

    fn starts(rng: &mut Rng, n: usize, count: usize, scale: f64) -> Vec<Vec<f64>> {
        (0..count).map(|_| (0..n).map(|_| scale * rng.uniform()).collect()).collect()
    }

    #[test]
    fn in_the_linear_regime_the_one_fixed_point_is_the_linear_solve() {
        // Weak recurrence and a positive drive: every unit stays on, so F is affine everywhere near
        // the point and h* = (I − W)^{-1} b.
        let mut rng = Rng::new(2, 0);
        let n = 8;
        let w = Mat::from_fn(n, n, |_, _| 0.05 * rng.normal());
        let w_in = Mat::from_fn(n, 1, |_, _| 1.0 + rng.uniform());
        let map = StepMap::new(&w, &w_in, &[1.0], 0.5);
        let points = find_fixed_points(&map, &starts(&mut rng, n, 10, 2.0), &Options::default());
        assert_eq!(points.len(), 1, "{points:?}");
        let p = &points[0];
        let a: Vec<f64> = (0..n * n).map(|k| if k / n == k % n { 1.0 } else { 0.0 } - w.data[k]).collect();
        let want = crate::analysis::solve::solve(&a, &map.drive, n).unwrap();
        for (g, w) in p.h.iter().zip(&want) {
            assert!((g - w).abs() < 1e-12, "{g} vs {w}");
        }
        assert!(p.exact && p.q < 1e-28, "{}", p.q);
        assert_eq!((p.active, p.stability), (n, Stability::Stable));
    }

    #[test]
    fn a_bistable_pair_has_two_stable_points_and_the_saddle_between() {
        // Self-excitation 0.5, mutual inhibition 1, drive 1 each (a = 1): stable at (2, 0) and (0, 2),
        // where the silent unit's pre-activation is 1 − 2 < 0; a saddle at (2/3, 2/3), where the
        // Jacobian W has eigenvalues 1.5 and −0.5.
        let w = Mat::from_vec(2, 2, vec![0.5, -1.0, -1.0, 0.5]);
        let w_in = Mat::from_vec(2, 1, vec![1.0, 1.0]);
        let map = StepMap::new(&w, &w_in, &[1.0], 1.0);
        let mut rng = Rng::new(4, 0);
        let points = find_fixed_points(&map, &starts(&mut rng, 2, 40, 2.5), &Options::default());
        let mut got: Vec<(f64, f64, &str)> = points.iter().map(|p| (p.h[0], p.h[1], p.stability.key())).collect();
        got.sort_by(|a, b| a.0.total_cmp(&b.0));
        assert_eq!(got.len(), 3, "{got:?}");
        let want = [(0.0, 2.0, "stable"), (2.0 / 3.0, 2.0 / 3.0, "saddle"), (2.0, 0.0, "stable")];
        for (g, w) in got.iter().zip(want) {
            assert!((g.0 - w.0).abs() < 1e-14 && (g.1 - w.1).abs() < 1e-14 && g.2 == w.2, "{got:?}");
        }
        let saddle = points.iter().find(|p| p.stability == Stability::Saddle).unwrap();
        let moduli: Vec<f64> = saddle.eigenvalues.iter().map(|e| e.modulus()).collect();
        assert!((moduli[0] - 1.5).abs() < 1e-14 && (moduli[1] - 0.5).abs() < 1e-14, "{moduli:?}");
        assert!(points.iter().all(|p| p.exact && p.q < 1e-28));
    }

    #[test]
    fn a_point_far_outside_the_states_is_dropped_as_an_outlier() {
        // One unit with self-weight 0.5 and drive 100: its fixed point 200 lies far beyond states
        // sampled in [0, 1] (outlier scale 10 of a reach below 1).
        let w = Mat::from_vec(1, 1, vec![0.5]);
        let w_in = Mat::from_vec(1, 1, vec![100.0]);
        let map = StepMap::new(&w, &w_in, &[1.0], 1.0);
        let near = vec![vec![0.1], vec![0.9]];
        assert!(find_fixed_points(&map, &near, &Options::default()).is_empty());
        let wide = vec![vec![0.0], vec![100.0]];
        assert_eq!(find_fixed_points(&map, &wide, &Options::default()).len(), 1);
    }
}
