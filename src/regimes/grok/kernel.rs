//! The net's tangent kernel, kernel regression with the initial one, and kernel-target alignment.

use crate::linalg::{sym_eigen, Mat};

/// The tangent kernel of `f` between the rows of `xa` and of `xb`, for weights with mean `wbar`
/// and second moment `m`: `df/dw_i = (alpha/N) phi'(w_i.x) x`, `phi'(h) = 1 + eps h`, so
/// `K(x, x') = (alpha/N)^2 (x.x') sum_i (1 + eps w_i.x)(1 + eps w_i.x')
///           = (alpha^2/N) (x.x') (1 + eps wbar.(x + x') + eps^2 x^T M x')`.
pub fn tangent(xa: &Mat<f64>, xb: &Mat<f64>, wbar: &[f64], m: &Mat<f64>, alpha: f64, eps: f64, n: usize) -> Mat<f64> {
    let dot = xa.matmul_t(xb);
    let quad = xa.matmul(m).matmul_t(xb);
    let proj = |x: &Mat<f64>| -> Vec<f64> {
        (0..x.rows).map(|r| x.row(r).iter().zip(wbar).map(|(a, b)| a * b).sum()).collect()
    };
    let (ua, ub) = (proj(xa), proj(xb));
    let s = alpha * alpha / n as f64;
    Mat::from_fn(xa.rows, xb.rows, |i, j| s * dot.at(i, j) * (1.0 + eps * (ua[i] + ub[j]) + eps * eps * quad.at(i, j)))
}

/// `y^T K y / (|K|_F |y|^2)`: 1 when K is `y y^T` up to scale.
pub fn target_alignment(k: &Mat<f64>, y: &[f64]) -> f64 {
    let ky: Vec<f64> = (0..k.rows).map(|i| k.row(i).iter().zip(y).map(|(a, b)| a * b).sum()).collect();
    let yky: f64 = ky.iter().zip(y).map(|(a, b)| a * b).sum();
    let y2: f64 = y.iter().map(|v| v * v).sum();
    yky / (k.frob_norm() * y2)
}

/// Kernel regression with a training kernel `k` (P x P): the minimum-norm solution `a = K^+ y`
/// (eigenvalues at or below `P eps_machine lambda_max` count as zero, numpy's `pinv` cut), which is
/// where the linearised net trained from `F = 0` to zero training loss ends. Returns `a` and `lambda_max`.
pub fn min_norm_solve(k: &Mat<f64>, y: &[f64]) -> (Vec<f64>, f64) {
    let (vals, vecs) = sym_eigen(k);
    let top = vals.first().copied().unwrap_or(0.0);
    let cut = top * k.rows as f64 * f64::EPSILON;
    let mut a = vec![0.0; y.len()];
    for (j, &l) in vals.iter().enumerate() {
        if l <= cut {
            break; // descending
        }
        let c: f64 = (0..k.rows).map(|i| vecs.at(i, j) * y[i]).sum::<f64>() / l;
        for (i, ai) in a.iter_mut().enumerate() {
            *ai += c * vecs.at(i, j);
        }
    }
    (a, top)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regimes::grok::net::{initial_weights, moments, Problem};

    #[test]
    fn tangent_kernel_equals_the_sum_over_units() {
        let prob = Problem::draw(4, 5, 3, 2);
        let w = initial_weights(3, 4, 8).map(|v| v * 1.5 + 0.2);
        let (alpha, eps) = (2.0, 0.4);
        let (wbar, m) = moments(&w);
        let k = tangent(&prob.x, &prob.xt, &wbar, &m, alpha, eps, 3);
        for i in 0..5 {
            for j in 0..3 {
                let (x, z) = (prob.x.row(i), prob.xt.row(j));
                let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(p, q)| p * q).sum::<f64>();
                let direct: f64 = (0..3)
                    .map(|u| {
                        (alpha / 3.0).powi(2)
                            * (1.0 + eps * dot(w.row(u), x))
                            * (1.0 + eps * dot(w.row(u), z))
                            * dot(x, z)
                    })
                    .sum();
                assert!(
                    (k.at(i, j) - direct).abs() < 1e-13 * (1.0 + direct.abs()),
                    "({i},{j}): {} vs {direct}",
                    k.at(i, j)
                );
            }
        }
    }

    /// Plain Gaussian elimination with partial pivoting: the reference solve.
    fn gauss(k: &Mat<f64>, y: &[f64]) -> Vec<f64> {
        let n = y.len();
        let mut a: Vec<Vec<f64>> = (0..n)
            .map(|i| {
                let mut r = k.row(i).to_vec();
                r.push(y[i]);
                r
            })
            .collect();
        for c in 0..n {
            let p = (c..n).max_by(|&i, &j| a[i][c].abs().total_cmp(&a[j][c].abs())).unwrap();
            a.swap(c, p);
            for r in c + 1..n {
                let f = a[r][c] / a[c][c];
                for j in c..=n {
                    a[r][j] -= f * a[c][j];
                }
            }
        }
        let mut x = vec![0.0; n];
        for r in (0..n).rev() {
            x[r] = (a[r][n] - (r + 1..n).map(|j| a[r][j] * x[j]).sum::<f64>()) / a[r][r];
        }
        x
    }

    #[test]
    fn kernel_regression_equals_a_direct_solve() {
        // D 6 gives 6 + 21 tangent features, more than the 12 points: K0 is invertible.
        let prob = Problem::draw(6, 12, 1, 5);
        let w0 = initial_weights(20, 6, 5);
        let (wbar, m) = moments(&w0);
        let k = tangent(&prob.x, &prob.x, &wbar, &m, 1.0, 0.5, 20);
        let (a, top) = min_norm_solve(&k, &prob.y);
        let b = gauss(&k, &prob.y);
        for (u, v) in a.iter().zip(&b) {
            assert!((u - v).abs() < 1e-7 * (1.0 + v.abs()), "{a:?} vs {b:?}");
        }
        assert!(top > 0.0);
        // Rank-deficient (eps 0: only the D linear features): the minimum-norm solution still fits
        // the projection of y on K's range exactly, and lies in that range.
        let k = tangent(&prob.x, &prob.x, &wbar, &m, 1.0, 0.0, 20);
        let (a, _) = min_norm_solve(&k, &prob.y);
        let ka: Vec<f64> = (0..12).map(|i| k.row(i).iter().zip(&a).map(|(p, q)| p * q).sum()).collect();
        // K a = X X^T a must equal the least-squares fit of y by the linear features, i.e. K K^+ y.
        let kka: Vec<f64> = (0..12).map(|i| k.row(i).iter().zip(&ka).map(|(p, q)| p * q).sum()).collect();
        let ky: Vec<f64> = (0..12).map(|i| k.row(i).iter().zip(&prob.y).map(|(p, q)| p * q).sum()).collect();
        for (u, v) in kka.iter().zip(&ky) {
            assert!((u - v).abs() < 1e-9 * (1.0 + v.abs()), "K K^+ K != K on y: {u} vs {v}");
        }
    }

    #[test]
    fn alignment_is_one_for_the_target_outer_product() {
        let y = [1.0, -2.0, 0.5];
        let k = Mat::from_fn(3, 3, |i, j| 3.0 * y[i] * y[j]);
        assert!((target_alignment(&k, &y) - 1.0).abs() < 1e-15);
        assert!(target_alignment(&Mat::identity(3), &y) < 0.6);
    }
}
