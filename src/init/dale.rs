//! Dale's law: every unit's outgoing weights share one sign. Column j of W_rec
//! (row = receiving unit) is unit j's output, so the first n_E = round(ei N)
//! columns are excitatory (>= 0) and the rest inhibitory (<= 0); at least one
//! of each.
//!
//! Construction (ours): half-normal magnitudes taken from the base Gaussian,
//! W_ij = |G_ij| for excitatory j and -(n_E / n_I) |G_ij| for inhibitory j.
//! Each row's expected input is then zero, n_E mu - n_I (n_E / n_I) mu = 0: the
//! balance condition f mu_E + (1 - f) mu_I = 0 of Rajan & Abbott 2006, with the
//! actual fraction f = n_E / N. Balanced in expectation only (rows are not
//! re-centred, which would break the signs). The expected matrix mu 1 d^T
//! (d = the column scales) is a large rank-one part of W.
//!
//! The low-rank E/I start is the plain SVD truncation of this matrix (the
//! analogue of the rank family, which truncates the Gaussian): it has rank
//! exactly r but breaks Dale's law for some entries (`sign_violations`); rank N
//! is the Dale matrix itself.

use super::{InitSpec, Start, TaskAxes};
use crate::linalg::{truncate_rank, Mat};
use crate::rng::Rng;

/// The page's hint for these families (plain text; their rows share it).
pub const HINT: &str = "Dale's law: each unit's outgoing weights share one sign. The first round(fraction × N) units \
are excitatory, the rest inhibitory; magnitudes are |Gaussian| entries, the inhibitory ones scaled by N_E/N_I so that \
each unit's expected input sums to zero (balanced). The rank-r version is this matrix's best rank-r approximation, \
which breaks the sign of a few entries (up to about 2% at N 300).";

/// Default fraction of excitatory units.
pub const DEFAULT_EI: f64 = 0.8;

/// The number of excitatory units: round(ei n), kept within 1..=n-1.
pub fn n_excitatory(n: usize, ei: f64) -> usize {
    ((ei * n as f64).round() as usize).clamp(1, n.saturating_sub(1).max(1))
}

/// The balanced Dale matrix with `n_e` excitatory columns from the base Gaussian `g`.
pub fn build(g: &Mat<f64>, n_e: usize) -> Mat<f64> {
    let ratio = n_e as f64 / (g.cols - n_e) as f64;
    Mat::from_fn(g.rows, g.cols, |r, c| if c < n_e { g.at(r, c).abs() } else { -ratio * g.at(r, c).abs() })
}

/// The Dale family: `build` from the base Gaussian with round(ei N) excitatory units.
pub fn start(spec: &InitSpec, base: &Mat<f64>, _: &mut Rng, _: &TaskAxes) -> Start {
    Start::Shaped(build(base, n_excitatory(base.rows, spec.ei)))
}

/// The Dale rank family: the Dale start's best rank-r approximation.
pub fn start_rank(spec: &InitSpec, base: &Mat<f64>, _: &mut Rng, _: &TaskAxes) -> Start {
    Start::Shaped(truncate_rank(&build(base, n_excitatory(base.rows, spec.ei)), spec.rank))
}

/// The fraction of entries whose sign is the wrong one for their column (zeros count as right).
pub fn sign_violations(w: &Mat<f64>, n_e: usize) -> f64 {
    let wrong = (0..w.rows)
        .flat_map(|r| (0..w.cols).map(move |c| (r, c)))
        .filter(|&(r, c)| if c < n_e { w.at(r, c) < 0.0 } else { w.at(r, c) > 0.0 })
        .count();
    wrong as f64 / (w.rows * w.cols) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excitatory_count_rounds_and_keeps_one_of_each() {
        assert_eq!(n_excitatory(300, 0.8), 240);
        assert_eq!(n_excitatory(10, 0.55), 6);
        assert_eq!(n_excitatory(10, 0.01), 1);
        assert_eq!(n_excitatory(10, 0.99), 9);
    }

    #[test]
    fn violations_count_wrong_signs_only() {
        let w = Mat::from_vec(2, 2, vec![1.0, -1.0, -2.0, 0.0]);
        assert_eq!(sign_violations(&w, 1), 0.25);
        assert_eq!(sign_violations(&w, 2), 0.5);
        assert_eq!(sign_violations(&w, 0), 0.25);
    }
}
