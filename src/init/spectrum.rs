//! A chosen effective rank at a fixed norm: singular values s_i = (i + 1)^-beta
//! with beta set so that the entropy effective rank hits the target, random
//! orthogonal singular vectors (the caller scales it).

use super::{InitSpec, Start, TaskAxes};
use crate::linalg::{random_orthogonal, Mat};
use crate::metrics::erank_entropy;
use crate::rng::Rng;

/// The page's hint for this family (plain text).
pub const HINT: &str =
    "Power-law singular values whose entropy effective rank is the chosen one, on random singular vectors (not \
         aligned with the task).";

/// Power-law spectrum of `n` values whose entropy effective rank is `target` (1..=n).
pub fn power_law(n: usize, target: f64) -> Vec<f64> {
    let spectrum = |beta: f64| (0..n).map(|i| libm::pow((i + 1) as f64, -beta)).collect::<Vec<_>>();
    if target >= n as f64 {
        return spectrum(0.0);
    }
    // erank falls monotonically from n (beta = 0) towards 1 as beta grows.
    let (mut lo, mut hi) = (0.0, 1.0);
    while erank_entropy(&spectrum(hi)) > target && hi < 1e3 {
        hi *= 2.0;
    }
    for _ in 0..100 {
        let mid = 0.5 * (lo + hi);
        if erank_entropy(&spectrum(mid)) > target {
            lo = mid
        } else {
            hi = mid
        }
    }
    spectrum(0.5 * (lo + hi))
}

/// U diag(s) V^T with Haar-random U, V (drawn after the base Gaussian).
pub fn build(n: usize, target: f64, rng: &mut Rng) -> Mat<f64> {
    let s = power_law(n, target);
    let u = random_orthogonal(n, rng);
    let v = random_orthogonal(n, rng);
    Mat::from_fn(n, n, |r, c| u.at(r, c) * s[c]).matmul_t(&v)
}

/// The spectrum family: `build` at the spec's effective rank, drawn after the base Gaussian.
pub fn start(spec: &InitSpec, base: &Mat<f64>, rng: &mut Rng, _: &TaskAxes) -> Start {
    Start::Shaped(build(base.rows, spec.erank, rng))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::singular_values;

    #[test]
    fn power_law_hits_the_target_effective_rank() {
        for target in [1.5, 10.0, 77.7, 199.0, 200.0] {
            let got = erank_entropy(&power_law(200, target));
            assert!((got - target).abs() < 1e-6 * target, "target {target}, got {got}");
        }
    }

    #[test]
    fn built_matrix_has_that_spectrum() {
        let w = build(60, 12.0, &mut Rng::new(1, 1));
        let s = singular_values(&w);
        assert!((erank_entropy(&s) - 12.0).abs() < 1e-4, "{}", erank_entropy(&s));
    }
}
