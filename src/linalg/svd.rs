//! Singular values and vectors through the symmetric eigenproblem of the
//! smaller Gram matrix (W^T W, or W W^T for a wide W).
//!
//! Squaring hides singular values below ~1e-8 of the largest in the Gram
//! matrix's rounding, so `singular_values` (sqrt of its eigenvalues) is only
//! that accurate at the bottom (a rank-r matrix shows its zeros as values up
//! to a few 1e-8 of the top), which no measure here resolves. `svd` instead
//! takes s_i = |W v_i|, accurate to the rounding of the largest value: there
//! the zeros come out near 1e-15 of the top.

use super::eig::{sym_eigen, sym_eigenvalues};
use super::Mat;
use crate::rng::Rng;

/// `w = u diag(s) v^T` for an m x n `w`, with k = min(m, n): `u` is m x k,
/// `s` has k values, largest first, and `v` is n x k, all columns
/// orthonormal. For a square `w`, `u` and `v` are orthogonal matrices.
pub struct Svd {
    /// Left singular vectors as columns.
    pub u: Mat<f64>,
    pub s: Vec<f64>,
    /// Right singular vectors as columns.
    pub v: Mat<f64>,
}

/// The min(m, n) singular values of `w`, largest first: square roots of the
/// Gram matrix's eigenvalues, clamped at 0 (rounding can push the smallest
/// a hair negative).
pub fn singular_values(w: &Mat<f64>) -> Vec<f64> {
    sym_eigenvalues(&gram(w)).into_iter().map(|x| x.max(0.0).sqrt()).collect()
}

/// The smaller of W^T W and W W^T: fewer eigenvalues that are zero by shape.
fn gram(w: &Mat<f64>) -> Mat<f64> {
    if w.rows >= w.cols {
        w.t_matmul(w)
    } else {
        w.matmul_t(w)
    }
}

/// The thin SVD of `w` (see `Svd`). Left vectors whose singular value is at
/// rounding level are not W v_i / s_i (that would be noise) but completions of
/// the basis, so `u` has orthonormal columns whatever the rank.
pub fn svd(w: &Mat<f64>) -> Svd {
    if w.rows < w.cols {
        let t = svd(&w.transpose());
        return Svd { u: t.v, s: t.s, v: t.u };
    }
    let (m, n) = (w.rows, w.cols);
    let (_, v) = sym_eigen(&w.t_matmul(w));
    let wv = w.matmul(&v);
    let cols: Vec<Vec<f64>> = (0..n).map(|c| (0..m).map(|r| wv.at(r, c)).collect()).collect();
    let norms: Vec<f64> = cols.iter().map(|c| dot(c, c).sqrt()).collect();
    // Taking norms can swap near-equal neighbours; restore descending order.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| norms[j].total_cmp(&norms[i]).then(i.cmp(&j)));
    let s: Vec<f64> = order.iter().map(|&i| norms[i]).collect();
    let v = Mat::from_fn(n, n, |r, c| v.at(r, order[c]));

    let floor = s.first().copied().unwrap_or(0.0) * m.max(n) as f64 * f64::EPSILON;
    let mut basis = Basis::new(m);
    for (&i, &si) in order.iter().zip(&s) {
        let resolved = si > floor && basis.try_push(cols[i].iter().map(|x| x / si).collect());
        if !resolved {
            basis.complete();
        }
    }
    let u = Mat::from_fn(m, n, |r, c| basis.cols[c][r]);
    Svd { u, s, v }
}

/// The best rank-`r` approximation of `w` in any unitarily invariant norm:
/// W V_r V_r^T with V_r the top right singular vectors (U_r U_r^T W for a
/// wide W, the same matrix, from the smaller Gram matrix).
pub fn truncate_rank(w: &Mat<f64>, r: usize) -> Mat<f64> {
    let (_, vecs) = sym_eigen(&gram(w));
    let top = Mat::from_fn(vecs.rows, r.min(vecs.cols), |i, j| vecs.at(i, j));
    if w.rows >= w.cols {
        w.matmul(&top).matmul_t(&top)
    } else {
        top.matmul(&top.t_matmul(w))
    }
}

/// A Haar-random n x n orthogonal matrix: Gram-Schmidt on the columns of a
/// Gaussian matrix. That is the QR factorisation with R's diagonal positive,
/// the sign convention that makes Q Haar-distributed (Householder QR leaves
/// signs that bias it, and needs the columns flipped by sign(R_ii)).
pub fn random_orthogonal(n: usize, rng: &mut Rng) -> Mat<f64> {
    let mut cols: Vec<Vec<f64>> = Vec::with_capacity(n);
    while cols.len() < n {
        let g: Vec<f64> = (0..n).map(|_| rng.normal()).collect();
        // A (probability zero) dependent draw is redrawn, which keeps Haar.
        if let Some(q) = orthonormalise(g, &cols) {
            cols.push(q);
        }
    }
    Mat::from_fn(n, n, |r, c| cols[c][r])
}

/// Plain sequential sum: the same bits everywhere.
fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// `x` minus its projections on the orthonormal `basis` (twice over, which
/// makes it orthogonal to rounding), normalised; None if nothing is left.
fn orthonormalise(mut x: Vec<f64>, basis: &[Vec<f64>]) -> Option<Vec<f64>> {
    for _ in 0..2 {
        for b in basis {
            let p = dot(&x, b);
            x.iter_mut().zip(b).for_each(|(a, b)| *a -= p * b);
        }
    }
    let norm = dot(&x, &x).sqrt();
    (norm > 1e-8).then(|| x.into_iter().map(|a| a / norm).collect())
}

/// An orthonormal set in R^m being grown, with each coordinate's squared
/// length inside its span, to pick good completion vectors.
struct Basis {
    cols: Vec<Vec<f64>>,
    inside: Vec<f64>,
}

impl Basis {
    fn new(m: usize) -> Self {
        Basis { cols: Vec::new(), inside: vec![0.0; m] }
    }

    fn push(&mut self, q: Vec<f64>) {
        self.inside.iter_mut().zip(&q).for_each(|(s, x)| *s += x * x);
        self.cols.push(q);
    }

    /// Adds the unit vector `x`, orthonormalised, if it was not (nearly)
    /// inside the span already: more than a quarter of its length is new.
    fn try_push(&mut self, x: Vec<f64>) -> bool {
        match orthonormalise(x.clone(), &self.cols) {
            Some(q) if dot(&x, &q) > 0.25 => {
                self.push(q);
                true
            }
            _ => false,
        }
    }

    /// Adds the coordinate vector least inside the span, orthonormalised.
    /// The squared lengths inside sum to the span's dimension k < m, so the
    /// least is at most k / m and the new part has length >= 1 / sqrt(m):
    /// never a cancellation.
    fn complete(&mut self) {
        let m = self.inside.len();
        let j = (0..m).min_by(|&a, &b| self.inside[a].total_cmp(&self.inside[b])).expect("basis of R^0");
        let mut e = vec![0.0; m];
        e[j] = 1.0;
        let q = orthonormalise(e, &self.cols).expect("a coordinate vector outside the span");
        self.push(q);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gaussian(m: usize, n: usize, seed: u64) -> Mat<f64> {
        let mut rng = Rng::new(seed, 0);
        Mat::from_fn(m, n, |_, _| rng.normal())
    }

    fn max_abs_diff(a: &Mat<f64>, b: &Mat<f64>) -> f64 {
        assert_eq!((a.rows, a.cols), (b.rows, b.cols));
        a.data.iter().zip(&b.data).map(|(x, y)| (x - y).abs()).fold(0.0, f64::max)
    }

    fn diag(d: &[f64]) -> Mat<f64> {
        Mat::from_fn(d.len(), d.len(), |r, c| if r == c { d[r] } else { 0.0 })
    }

    /// U diag(s) V^T.
    fn compose(d: &Svd, r: usize) -> Mat<f64> {
        let us = Mat::from_fn(d.u.rows, r, |i, c| d.u.at(i, c) * d.s[c]);
        let vr = Mat::from_fn(d.v.rows, r, |i, c| d.v.at(i, c));
        us.matmul_t(&vr)
    }

    #[test]
    fn svd_reconstructs_with_orthonormal_factors() {
        let cases = [
            gaussian(30, 30, 2),
            truncate_rank(&gaussian(30, 30, 3), 4),
            gaussian(30, 12, 4),
            gaussian(12, 30, 5),
            truncate_rank(&gaussian(9, 20, 6), 2),
            Mat::zeros(5, 5),
            Mat::from_vec(1, 1, vec![-2.0]),
        ];
        for w in cases {
            let (m, n) = (w.rows, w.cols);
            let k = m.min(n);
            let d = svd(&w);
            assert_eq!((d.u.rows, d.u.cols, d.s.len(), d.v.rows, d.v.cols), (m, k, k, n, k));
            assert!(d.s.windows(2).all(|p| p[0] >= p[1]) && d.s.iter().all(|&x| x >= 0.0), "{:?}", d.s);
            let err = max_abs_diff(&compose(&d, k), &w);
            assert!(err <= 1e-12 * d.s[0].max(1.0), "{m}x{n}: reconstruction {err}");
            assert!(max_abs_diff(&d.u.t_matmul(&d.u), &Mat::identity(k)) < 1e-12, "{m}x{n}: U");
            assert!(max_abs_diff(&d.v.t_matmul(&d.v), &Mat::identity(k)) < 1e-12, "{m}x{n}: V");
            if m == n {
                assert!(max_abs_diff(&d.u.matmul_t(&d.u), &Mat::identity(m)) < 1e-12, "{m}x{n}: U U^T");
            }
            let s2 = singular_values(&w);
            assert_eq!(s2.len(), k);
            for (a, b) in s2.iter().zip(&d.s) {
                assert!((a - b).abs() < 1e-7 * d.s[0].max(1.0), "{s2:?} vs {:?}", d.s);
            }
        }
    }

    #[test]
    fn singular_values_of_known_matrices() {
        let check = |got: Vec<f64>, want: &[f64], tol: f64| {
            assert_eq!(got.len(), want.len());
            for (a, b) in got.iter().zip(want) {
                assert!((a - b).abs() < tol, "{got:?} vs {want:?}");
            }
        };
        // Signs go to the vectors, the values are sorted.
        check(singular_values(&diag(&[-2.0, 0.5, 3.0])), &[3.0, 2.0, 0.5], 1e-15);
        // A rotation times a diagonal has the diagonal's values.
        let q = random_orthogonal(5, &mut Rng::new(4, 0));
        let want = [5.0, 3.0, 1.0, 0.5, 0.0];
        let w = q.matmul(&diag(&[5.0, 0.5, 3.0, 0.0, 1.0]));
        check(singular_values(&w), &want, 1e-7);
        check(svd(&w).s, &want, 1e-14);
        // [[3, 0], [4, 5]]: W^T W = [[25, 20], [20, 25]], values sqrt(45), sqrt(5).
        check(svd(&Mat::from_vec(2, 2, vec![3.0, 0.0, 4.0, 5.0])).s, &[45f64.sqrt(), 5f64.sqrt()], 1e-14);
        // A 2x3 and its transpose: rows (1, 1, 0) and (0, 0, 2) give 2 and sqrt(2).
        let wide = Mat::from_vec(2, 3, vec![1.0, 1.0, 0.0, 0.0, 0.0, 2.0]);
        check(singular_values(&wide), &[2.0, 2f64.sqrt()], 1e-15);
        check(singular_values(&wide.transpose()), &[2.0, 2f64.sqrt()], 1e-15);
    }

    #[test]
    fn truncation_has_rank_r_and_matches_the_svd() {
        for (m, n) in [(50, 50), (40, 25), (25, 40)] {
            let w = gaussian(m, n, 7);
            let full = svd(&w);
            for r in [1, 7, m.min(n)] {
                let t = truncate_rank(&w, r);
                let ts = svd(&t).s;
                assert_eq!(ts.iter().filter(|&&x| x > 1e-8 * ts[0]).count(), r, "{m}x{n} r {r}: {ts:?}");
                for (i, (a, b)) in ts.iter().zip(&full.s).take(r).enumerate() {
                    assert!((a - b).abs() < 1e-12 * full.s[0], "{m}x{n} r {r} i {i}");
                }
                let err = max_abs_diff(&t, &compose(&full, r));
                assert!(err < 1e-12 * full.s[0], "{m}x{n} r {r}: {err}");
                // The cheap values see the same rank above their noise floor.
                let cheap = singular_values(&t);
                assert_eq!(cheap.iter().filter(|&&x| x > 1e-6 * cheap[0]).count(), r);
            }
        }
    }

    #[test]
    fn random_orthogonal_is_orthogonal_seeded_and_unbiased() {
        let q = random_orthogonal(20, &mut Rng::new(9, 1));
        assert!(max_abs_diff(&q.t_matmul(&q), &Mat::identity(20)) < 1e-13);
        assert_eq!(q, random_orthogonal(20, &mut Rng::new(9, 1)));
        assert_ne!(q, random_orthogonal(20, &mut Rng::new(10, 1)));
        // Haar: every entry is symmetric about 0 with mean square 1/n. QR
        // without the sign fix would put a positive bias on the diagonal.
        let (n, draws) = (4, 2000);
        let mut rng = Rng::new(11, 0);
        let (mut mean, mut square) = (0.0, 0.0);
        for _ in 0..draws {
            let q = random_orthogonal(n, &mut rng);
            mean += q.at(0, 0) / draws as f64;
            square += q.at(0, 0).powi(2) / draws as f64;
        }
        assert!(mean.abs() < 0.05 && (square - 0.25).abs() < 0.03, "mean {mean}, mean square {square}");
    }
}
