//! Symmetric eigendecomposition in f64: Householder tridiagonalisation, then
//! the implicit QL algorithm with Wilkinson shifts.
//!
//! Written for determinism and for speed in the same stroke: every loop runs
//! along rows of a flat row-major array, and the long loops are updates of
//! the form `row += scalar * other_row`, which vectorise without reordering
//! any sum. The few dot products are plain sequential sums, which the compiler
//! must not reassociate. So native x86 and wasm give the same bits.

use super::Mat;

/// Eigenvalues of the symmetric `a` in descending order, and the matching
/// unit eigenvectors as the columns of the second result. Only the lower
/// triangle of `a` is read. Non-finite input gives NaN throughout.
pub fn sym_eigen(a: &Mat<f64>) -> (Vec<f64>, Mat<f64>) {
    let n = square(a);
    if !a.all_finite() {
        return (vec![f64::NAN; n], Mat::from_fn(n, n, |_, _| f64::NAN));
    }
    let mut work = symmetric_copy(a);
    let (mut d, mut e, h) = tridiagonalise(&mut work, n);
    // A = Q T Q^T. QL rotates pairs of Q's columns; holding them as the rows
    // of Q^T keeps each rotation on two contiguous rows.
    let mut qt = accumulate(&work, &h, n).transpose();
    tridiagonal_ql(&mut d, &mut e, Some(&mut qt));
    let order = descending(&d);
    let vals = order.iter().map(|&i| d[i]).collect();
    let vecs = Mat::from_fn(n, n, |r, c| qt.at(order[c], r));
    (vals, vecs)
}

/// The eigenvalues alone, descending: the same bits as `sym_eigen`'s (QL's
/// values never depend on the vectors), at a fraction of the cost.
pub fn sym_eigenvalues(a: &Mat<f64>) -> Vec<f64> {
    let n = square(a);
    if !a.all_finite() {
        return vec![f64::NAN; n];
    }
    let mut work = symmetric_copy(a);
    let (mut d, mut e, _) = tridiagonalise(&mut work, n);
    tridiagonal_ql(&mut d, &mut e, None);
    descending(&d).into_iter().map(|i| d[i]).collect()
}

fn square(a: &Mat<f64>) -> usize {
    assert_eq!(a.rows, a.cols, "symmetric eigenproblem needs a square matrix");
    a.rows
}

/// The lower triangle mirrored upward: the algorithm updates the full matrix
/// (so it can work along rows), and it must start exactly symmetric.
fn symmetric_copy(a: &Mat<f64>) -> Vec<f64> {
    let n = a.rows;
    let mut w = a.data.clone();
    for i in 0..n {
        for j in 0..i {
            w[j * n + i] = w[i * n + j];
        }
    }
    w
}

/// Indices of `d` by value, largest first; ties keep index order.
fn descending(d: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..d.len()).collect();
    order.sort_by(|&i, &j| d[j].total_cmp(&d[i]).then(i.cmp(&j)));
    order
}

/// Householder reduction of the symmetric `a` (n x n, row-major, modified in
/// place) to the tridiagonal T = Q^T A Q. Returns T's diagonal `d`, its
/// sub-diagonal `e` (`e[k]` = T[k+1][k], `e[n-1]` = 0), and for each step k
/// the reflector's `h` (0 where step k needed none). The reflector
/// H_k = I - u u^T / h acts on indices k+1.., with `u` left in row k of `a`.
fn tridiagonalise(a: &mut [f64], n: usize) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let mut d = vec![0.0; n];
    let mut e = vec![0.0; n];
    let mut hs = vec![0.0; n];
    let mut p = vec![0.0; n];
    for k in 0..n {
        d[k] = a[k * n + k];
        let len = n - k - 1;
        if len == 0 {
            break;
        }
        let (head, rest) = a.split_at_mut((k + 1) * n);
        // Column k below the diagonal, read as row k right of it (symmetry).
        let u = &mut head[k * n + k + 1..];
        let scale: f64 = u.iter().map(|x| x.abs()).sum();
        if len == 1 || scale == 0.0 {
            e[k] = u[0];
            continue;
        }
        // Scaling keeps the squares from overflowing or underflowing.
        let mut h = 0.0;
        for x in u.iter_mut() {
            *x /= scale;
            h += *x * *x;
        }
        let f = u[0];
        let g = if f >= 0.0 { -h.sqrt() } else { h.sqrt() };
        e[k] = scale * g;
        h -= f * g;
        u[0] = f - g;
        hs[k] = h;
        let u = &*u;
        // S = A[k+1.., k+1..] becomes H S H = S - u w^T - w u^T with
        // p = S u / h and w = p - (u.p / 2h) u. S is symmetric, so S u is a
        // sum of S's rows.
        let p = &mut p[..len];
        p.fill(0.0);
        for (j, &uj) in u.iter().enumerate() {
            axpy(p, uj, &rest[j * n + k + 1..(j + 1) * n]);
        }
        let mut up = 0.0;
        for (pi, &ui) in p.iter_mut().zip(u) {
            *pi /= h;
            up += ui * *pi;
        }
        let kk = up / (h + h);
        for (pi, &ui) in p.iter_mut().zip(u) {
            *pi -= kk * ui;
        }
        // The update keeps S exactly symmetric: entries (i, j) and (j, i)
        // add the same two products, and addition commutes.
        for i in 0..len {
            let row = &mut rest[i * n + k + 1..(i + 1) * n];
            let (ui, wi) = (u[i], p[i]);
            for ((s, &uj), &wj) in row.iter_mut().zip(u).zip(p.iter()) {
                *s -= ui * wj + wi * uj;
            }
        }
    }
    (d, e, hs)
}

/// `y += s * x`, elementwise.
#[inline(always)]
fn axpy(y: &mut [f64], s: f64, x: &[f64]) {
    for (yi, &xi) in y.iter_mut().zip(x) {
        *yi += s * xi;
    }
}

/// Q = H_0 H_1 ... H_{n-2}, built from the right end so that each H_k only
/// meets the still-sparse block of rows and columns k+1.. .
fn accumulate(a: &[f64], hs: &[f64], n: usize) -> Mat<f64> {
    let mut q = Mat::<f64>::identity(n);
    let mut y = vec![0.0; n];
    for k in (0..n).rev() {
        let h = hs[k];
        if h == 0.0 {
            continue;
        }
        let u = &a[k * n + k + 1..(k + 1) * n];
        let y = &mut y[..u.len()];
        // H_k Q = Q - u (u^T Q) / h on the block.
        y.fill(0.0);
        for (i, &ui) in u.iter().enumerate() {
            axpy(y, ui, &q.row(k + 1 + i)[k + 1..]);
        }
        for (i, &ui) in u.iter().enumerate() {
            axpy(&mut q.row_mut(k + 1 + i)[k + 1..], -(ui / h), y);
        }
    }
    q
}

/// Eigenvalues of the symmetric tridiagonal (`d`, `e` as `tridiagonalise`
/// leaves them) into `d`, unsorted, by implicit QL with Wilkinson shifts
/// (Numerical Recipes' tqli). With `qt`, each plane rotation is also applied
/// to rows i and i+1 of `qt`, which turns Q^T into V^T.
fn tridiagonal_ql(d: &mut [f64], e: &mut [f64], mut qt: Option<&mut Mat<f64>>) {
    let n = d.len();
    for l in 0..n {
        let mut iter = 0;
        loop {
            // The first negligible off-diagonal at or after l splits off a block.
            let mut m = l;
            while m + 1 < n {
                let dd = d[m].abs() + d[m + 1].abs();
                if e[m].abs() <= f64::EPSILON * dd {
                    break;
                }
                m += 1;
            }
            if m == l {
                break;
            }
            iter += 1;
            assert!(iter <= 100, "tridiagonal QL did not converge");
            let mut g = (d[l + 1] - d[l]) / (2.0 * e[l]);
            let mut r = libm::hypot(g, 1.0);
            g = d[m] - d[l] + e[l] / (g + if g >= 0.0 { r } else { -r });
            let (mut s, mut c, mut p) = (1.0, 1.0, 0.0);
            let mut i = m;
            let mut underflow = false;
            while i > l {
                i -= 1;
                let f = s * e[i];
                let b = c * e[i];
                r = libm::hypot(f, g);
                e[i + 1] = r;
                if r == 0.0 {
                    // Recover from underflow: deflate here and start over.
                    d[i + 1] -= p;
                    e[m] = 0.0;
                    underflow = true;
                    break;
                }
                s = f / r;
                c = g / r;
                g = d[i + 1] - p;
                r = (d[i] - g) * s + 2.0 * c * b;
                p = s * r;
                d[i + 1] = g + p;
                g = c * r - b;
                if let Some(qt) = qt.as_deref_mut() {
                    let cols = qt.cols;
                    let (lo, hi) = qt.data.split_at_mut((i + 1) * cols);
                    let (zi, zj) = (&mut lo[i * cols..], &mut hi[..cols]);
                    for (x, y) in zi.iter_mut().zip(zj.iter_mut()) {
                        let f = *y;
                        *y = s * *x + c * f;
                        *x = c * *x - s * f;
                    }
                }
            }
            if underflow {
                continue;
            }
            d[l] -= p;
            e[l] = g;
            e[m] = 0.0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    fn gaussian(n: usize, seed: u64) -> Mat<f64> {
        let mut rng = Rng::new(seed, 0);
        Mat::from_fn(n, n, |_, _| rng.normal())
    }

    fn max_abs_diff(a: &Mat<f64>, b: &Mat<f64>) -> f64 {
        a.data.iter().zip(&b.data).map(|(x, y)| (x - y).abs()).fold(0.0, f64::max)
    }

    /// |A - V diag(w) V^T|_F / |A|_F and max |V^T V - I|.
    fn errors(a: &Mat<f64>, w: &[f64], v: &Mat<f64>) -> (f64, f64) {
        let n = a.rows;
        let vd = Mat::from_fn(n, n, |r, c| v.at(r, c) * w[c]);
        let rec = vd.matmul_t(v).sub(a).frob_norm() / a.frob_norm().max(f64::MIN_POSITIVE);
        (rec, max_abs_diff(&v.t_matmul(v), &Mat::identity(n)))
    }

    #[test]
    fn eigen_reconstructs_and_is_orthogonal() {
        for (n, seed) in [(40, 1), (97, 2), (2, 3), (3, 4)] {
            // Indefinite, and positive semi-definite of rank n/2.
            let g = gaussian(n, seed);
            let sym = Mat::from_fn(n, n, |r, c| g.at(r, c) + g.at(c, r));
            let h = Mat::from_fn(n, n / 2 + 1, |r, c| g.at(r, c));
            for a in [sym, h.matmul_t(&h)] {
                let (w, v) = sym_eigen(&a);
                assert!(w.windows(2).all(|p| p[0] >= p[1]), "{w:?}");
                let (rec, orth) = errors(&a, &w, &v);
                assert!(rec < 1e-10 && orth < 1e-10, "n {n}: reconstruction {rec}, orthogonality {orth}");
                assert_eq!(w, sym_eigenvalues(&a), "values alone must match bit for bit");
            }
        }
    }

    #[test]
    fn eigen_of_known_matrices() {
        // [[a, b], [b, c]]: (a + c)/2 +- sqrt(((a - c)/2)^2 + b^2).
        let (a, b, c) = (1.5, -0.7, 0.25);
        let (w, v) = sym_eigen(&Mat::from_vec(2, 2, vec![a, b, b, c]));
        let (mid, rad) = ((a + c) / 2.0, (((a - c) / 2.0f64).powi(2) + b * b).sqrt());
        assert!((w[0] - (mid + rad)).abs() < 1e-14 && (w[1] - (mid - rad)).abs() < 1e-14, "{w:?}");
        // The top eigenvector is parallel to (b, lambda_0 - a).
        let (x, y) = (b, w[0] - a);
        assert!((v.at(0, 0) * y - v.at(1, 0) * x).abs() < 1e-14);

        // Diagonal: the diagonal, sorted, with unit vectors.
        let diag = [1.0, 4.0, -3.0, 2.5];
        let (w, v) = sym_eigen(&Mat::from_fn(4, 4, |r, c| if r == c { diag[r] } else { 0.0 }));
        assert_eq!(w, vec![4.0, 2.5, 1.0, -3.0]);
        assert_eq!(v, Mat::from_fn(4, 4, |r, c| if r == [1, 3, 0, 2][c] { 1.0 } else { 0.0 }));

        let (w, v) = sym_eigen(&Mat::zeros(3, 3));
        assert_eq!(w, vec![0.0; 3]);
        assert_eq!(v, Mat::identity(3));
        let (w, v) = sym_eigen(&Mat::from_vec(1, 1, vec![7.0]));
        assert_eq!((w, v), (vec![7.0], Mat::identity(1)));
        assert_eq!(sym_eigen(&Mat::zeros(0, 0)).0, Vec::<f64>::new());
    }

    #[test]
    fn repeated_eigenvalues() {
        // Q diag(3, 3, 3, 1, 1, -2) Q^T for a random orthogonal Q.
        let q = crate::linalg::random_orthogonal(6, &mut Rng::new(5, 0));
        let want = [3.0, 3.0, 3.0, 1.0, 1.0, -2.0];
        let qd = Mat::from_fn(6, 6, |r, c| q.at(r, c) * want[c]);
        let a = qd.matmul_t(&q);
        let (w, v) = sym_eigen(&a);
        for (x, y) in w.iter().zip(want) {
            assert!((x - y).abs() < 1e-13, "{w:?}");
        }
        let (rec, orth) = errors(&a, &w, &v);
        assert!(rec < 1e-13 && orth < 1e-13, "{rec} {orth}");
        // The identity: a single triple-repeated value, any basis will do.
        let (w, v) = sym_eigen(&Mat::identity(5));
        assert_eq!(w, vec![1.0; 5]);
        assert_eq!(errors(&Mat::identity(5), &w, &v).1, 0.0);
    }

    #[test]
    fn reads_the_lower_triangle_and_survives_nan() {
        let mut a = Mat::from_vec(2, 2, vec![2.0, 99.0, 1.0, 2.0]);
        let w = sym_eigenvalues(&a);
        assert!((w[0] - 3.0).abs() < 1e-15 && (w[1] - 1.0).abs() < 1e-15, "{w:?}");
        a.set(0, 0, f64::NAN);
        assert!(sym_eigen(&a).0.iter().all(|x| x.is_nan()));
    }
}
