//! Singular values and vectors through the eigendecomposition of W^T W.
//! Squaring costs relative precision only in the smallest singular values
//! (below ~1e-8 of the largest), which none of our measures resolve.

use super::{
    eig::{sym_eigen, sym_eigenvalues},
    Mat,
};
use crate::rng::Rng;

pub struct Svd {
    pub u: Mat<f64>,
    pub s: Vec<f64>,
    /// Right singular vectors as columns.
    pub v: Mat<f64>,
}

/// Singular values of `w`, largest first.
pub fn singular_values(w: &Mat<f64>) -> Vec<f64> {
    sym_eigenvalues(&w.t_gram()).into_iter().map(|x| x.max(0.0).sqrt()).collect()
}

/// `w = u diag(s) v^T` for a square `w`, with `u` and `v` orthogonal.
pub fn svd(w: &Mat<f64>) -> Svd {
    assert_eq!(w.rows, w.cols, "svd: square matrices only");
    let n = w.rows;
    let (vals, v) = sym_eigen(&w.t_gram());
    let s: Vec<f64> = vals.iter().map(|x| x.max(0.0).sqrt()).collect();
    let wv = w.matmul(&v);
    // Below this, W v_i / s_i is rounding noise (s_i^2 sits at eps * s_0^2).
    let tiny = s.first().copied().unwrap_or(0.0) * 1e-6;
    // u_i = W v_i / s_i, re-orthonormalised against the earlier columns; where
    // s_i is unresolvable, the next unit vector that completes the basis.
    let mut cols: Vec<Vec<f64>> = Vec::with_capacity(n);
    let mut unit = 0;
    for i in 0..n {
        let resolved =
            (s[i] > tiny).then(|| (0..n).map(|r| wv.at(r, i) / s[i]).collect()).and_then(|c| orthonormalise(c, &cols));
        let q = resolved.unwrap_or_else(|| loop {
            let mut e = vec![0.0; n];
            e[unit] = 1.0;
            unit += 1;
            if let Some(q) = orthonormalise(e, &cols) {
                break q;
            }
        });
        cols.push(q);
    }
    let u = Mat::from_fn(n, n, |r, c| cols[c][r]);
    Svd { u, s, v }
}

/// `x` minus its projections on `basis` (twice, for stability), normalised;
/// None if nothing is left.
pub fn orthonormalise(mut x: Vec<f64>, basis: &[Vec<f64>]) -> Option<Vec<f64>> {
    for _ in 0..2 {
        for b in basis {
            let p: f64 = x.iter().zip(b).map(|(a, b)| a * b).sum();
            x.iter_mut().zip(b).for_each(|(a, b)| *a -= p * b);
        }
    }
    let norm = x.iter().map(|a| a * a).sum::<f64>().sqrt();
    (norm > 1e-8).then(|| x.into_iter().map(|a| a / norm).collect())
}

/// The best rank-`r` approximation W V_r V_r^T.
pub fn truncate_rank(w: &Mat<f64>, r: usize) -> Mat<f64> {
    let (_, v) = sym_eigen(&w.t_matmul(w));
    let vr = Mat::from_fn(v.rows, r.min(v.cols), |i, j| v.at(i, j));
    w.matmul(&vr).matmul_t(&vr)
}

/// A Haar-random orthogonal matrix: Gram-Schmidt on a Gaussian matrix's columns
/// (equivalent to QR with a positive diagonal of R).
pub fn random_orthogonal(n: usize, rng: &mut Rng) -> Mat<f64> {
    let mut cols: Vec<Vec<f64>> = Vec::with_capacity(n);
    while cols.len() < n {
        let g: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        if let Some(q) = orthonormalise(g, &cols) {
            cols.push(q);
        }
    }
    Mat::from_fn(n, n, |r, c| cols[c][r])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gaussian(n: usize, seed: u64) -> Mat<f64> {
        let mut rng = Rng::new(seed, 0);
        Mat::from_fn(n, n, |_, _| rng.normal())
    }

    fn max_abs_diff(a: &Mat<f64>, b: &Mat<f64>) -> f64 {
        a.data.iter().zip(&b.data).map(|(x, y)| (x - y).abs()).fold(0.0, f64::max)
    }

    /// The values-only solver gives sym_eigen's values bit for bit: full rank,
    /// rank-deficient (the rank-r starts), repeated and zero eigenvalues.
    #[test]
    fn eigenvalues_alone_are_the_bits_of_the_full_solver() {
        let w = gaussian(60, 11);
        let low = truncate_rank(&gaussian(60, 12), 3);
        let diag = Mat::from_fn(7, 7, |r, c| if r == c { [2.0, 2.0, 0.0, -1.0, 2.0, 0.0, 5.0][r] } else { 0.0 });
        for a in [w.t_matmul(&w), low.t_matmul(&low), diag, Mat::zeros(4, 4), Mat::from_vec(1, 1, vec![3.0])] {
            let bits = |v: Vec<f64>| v.into_iter().map(f64::to_bits).collect::<Vec<_>>();
            assert_eq!(bits(sym_eigenvalues(&a)), bits(sym_eigen(&a).0));
        }
    }

    #[test]
    fn eigen_reconstructs_and_is_orthogonal() {
        let g = gaussian(40, 1);
        let a = g.matmul_t(&g);
        let (w, v) = sym_eigen(&a);
        assert!(w.windows(2).all(|p| p[0] >= p[1]));
        let vd = Mat::from_fn(40, 40, |r, c| v.at(r, c) * w[c]);
        assert!(max_abs_diff(&vd.matmul_t(&v), &a) < 1e-9 * w[0]);
        assert!(max_abs_diff(&v.t_matmul(&v), &Mat::identity(40)) < 1e-12);
    }

    #[test]
    fn eigen_of_known_matrices() {
        // [[2, 1], [1, 2]] has eigenvalues 3 and 1.
        let (w, _) = sym_eigen(&Mat::from_vec(2, 2, vec![2.0, 1.0, 1.0, 2.0]));
        assert!((w[0] - 3.0).abs() < 1e-14 && (w[1] - 1.0).abs() < 1e-14, "{w:?}");
        let (w, _) = sym_eigen(&Mat::from_fn(4, 4, |r, c| if r == c { [1.0, 4.0, 4.0, -2.0][r] } else { 0.0 }));
        assert_eq!(w, vec![4.0, 4.0, 1.0, -2.0]);
        let (w, v) = sym_eigen(&Mat::zeros(3, 3));
        assert_eq!(w, vec![0.0; 3]);
        assert_eq!(v, Mat::identity(3));
        assert_eq!(sym_eigen(&Mat::from_vec(1, 1, vec![7.0])).0, vec![7.0]);
    }

    #[test]
    fn svd_reconstructs_with_orthogonal_factors() {
        for w in [gaussian(30, 2), truncate_rank(&gaussian(30, 3), 4)] {
            let d = svd(&w);
            let us = Mat::from_fn(30, 30, |r, c| d.u.at(r, c) * d.s[c]);
            let err = max_abs_diff(&us.matmul_t(&d.v), &w);
            assert!(err < 1e-7 * d.s[0], "reconstruction {err}");
            assert!(max_abs_diff(&d.u.t_matmul(&d.u), &Mat::identity(30)) < 1e-9);
            assert!(max_abs_diff(&d.v.t_matmul(&d.v), &Mat::identity(30)) < 1e-12);
        }
    }

    #[test]
    fn singular_values_of_a_rotated_diagonal() {
        let q = random_orthogonal(5, &mut Rng::new(4, 0));
        let d = Mat::from_fn(5, 5, |r, c| if r == c { [5.0, 0.5, 3.0, 0.0, 1.0][r] } else { 0.0 });
        let s = singular_values(&q.matmul(&d));
        let want = [5.0, 3.0, 1.0, 0.5, 0.0];
        for (a, b) in s.iter().zip(want) {
            assert!((a - b).abs() < 1e-7, "{s:?}");
        }
    }

    #[test]
    fn truncation_keeps_exactly_r_directions_and_the_top_values() {
        let w = gaussian(50, 5);
        let s = singular_values(&w);
        for r in [1, 7, 50] {
            let t = singular_values(&truncate_rank(&w, r));
            assert_eq!(t.iter().filter(|&&x| x > 1e-6 * t[0]).count(), r);
            for i in 0..r {
                assert!((t[i] - s[i]).abs() < 1e-9 * s[0], "r {r} i {i}");
            }
        }
    }

    /// The paper's rank-r starts at full size: W^T W then has N - r (near-)zero
    /// eigenvalues, the degenerate case an eigensolver can stall on.
    #[test]
    fn paper_sized_truncations_resolve_their_rank() {
        let w = gaussian(300, 7);
        for r in [1, 30, 100] {
            let s = singular_values(&truncate_rank(&w, r));
            assert_eq!(s.len(), 300);
            assert_eq!(s.iter().filter(|&&x| x > 1e-6 * s[0]).count(), r, "rank {r}");
        }
    }

    #[test]
    fn random_orthogonal_is_orthogonal_and_seeded() {
        let q = random_orthogonal(20, &mut Rng::new(9, 1));
        assert!(max_abs_diff(&q.t_matmul(&q), &Mat::identity(20)) < 1e-12);
        assert_eq!(q, random_orthogonal(20, &mut Rng::new(9, 1)));
    }
}
