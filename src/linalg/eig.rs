//! Symmetric eigendecomposition in f64: Householder tridiagonalisation, then
//! implicit QL with Wilkinson shifts (tred2 / tqli). Plain loops in a fixed
//! order, so every platform gets the same bits.

use super::Mat;

/// Iterations allowed per eigenvalue in the QL phase (typically 2 to 5 are used).
const MAX_QL_ITERATIONS: usize = 300;

/// Eigenvalues in descending order and the matching eigenvectors as columns.
pub fn sym_eigen(a: &Mat<f64>) -> (Vec<f64>, Mat<f64>) {
    let (vals, z, order) = solve(a, true);
    let vecs = Mat::from_fn(a.rows, a.rows, |r, c| z[r][order[c]]);
    (vals, vecs)
}

/// The eigenvalues alone, bit for bit those of `sym_eigen`, several times
/// faster: the transforms are neither accumulated nor rotated, and nothing
/// that computes the values reads them.
pub fn sym_eigenvalues(a: &Mat<f64>) -> Vec<f64> {
    solve(a, false).0
}

fn solve(a: &Mat<f64>, vectors: bool) -> (Vec<f64>, Vec<Vec<f64>>, Vec<usize>) {
    let n = a.rows;
    assert_eq!(a.cols, n, "sym_eigen needs a square matrix");
    if n == 0 {
        return (Vec::new(), Vec::new(), Vec::new());
    }
    // z is stored column-major-like as rows of vectors: z[i][j] = a(i, j).
    let mut z: Vec<Vec<f64>> = (0..n).map(|i| a.row(i).to_vec()).collect();
    let mut d = vec![0.0; n];
    let mut e = vec![0.0; n];
    tred2(&mut z, &mut d, &mut e, vectors);
    tqli(&mut d, &mut e, if vectors { &mut z } else { &mut [] });
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| d[j].partial_cmp(&d[i]).unwrap_or(std::cmp::Ordering::Equal).then(i.cmp(&j)));
    (order.iter().map(|&i| d[i]).collect(), z, order)
}

/// Householder reduction of the symmetric `a` to tridiagonal form: on return
/// `d` is the diagonal, `e[1..]` the sub-diagonal, `a` the orthogonal transform
/// if `vectors` (the second loop; the first reads only a's lower triangle).
fn tred2(a: &mut [Vec<f64>], d: &mut [f64], e: &mut [f64], vectors: bool) {
    householder(a, d, e);
    accumulate(a, d, e, vectors);
}

/// tred2's reduction: the Householder vectors into a's lower triangle (and u/h into its column i),
/// `d[i]` = h, `e` the sub-diagonal.
fn householder(a: &mut [Vec<f64>], d: &mut [f64], e: &mut [f64]) {
    let n = a.len();
    for i in (1..n).rev() {
        let l = i - 1;
        let mut h = 0.0;
        if l > 0 {
            let scale: f64 = (0..=l).map(|k| a[i][k].abs()).sum();
            if scale == 0.0 {
                e[i] = a[i][l];
            } else {
                for k in 0..=l {
                    a[i][k] /= scale;
                    h += a[i][k] * a[i][k];
                }
                let f = a[i][l];
                let g = if f >= 0.0 { -h.sqrt() } else { h.sqrt() };
                e[i] = scale * g;
                h -= f * g;
                a[i][l] = f - g;
                // e = A u / h over the lower triangle, by rows (contiguous) rather than down
                // columns (strided): each e[j] still sums its row part a[j][..=j] first, then its
                // column part a[k][j] for k = j+1..=l in ascending k, so every bit is as summed by
                // columns. The row parts are independent sums, four at a time for the pipeline.
                let (rows, below) = a.split_at_mut(i);
                let u = &below[0][..=l];
                row_parts(&rows[..=l], u, &mut e[..=l]);
                for (k, row) in rows[..=l].iter_mut().enumerate() {
                    row[i] = u[k] / h;
                    let uk = u[k];
                    for (ej, &akj) in e[..k].iter_mut().zip(&row[..k]) {
                        *ej += akj * uk;
                    }
                }
                let mut f = 0.0;
                for j in 0..=l {
                    e[j] /= h;
                    f += e[j] * a[i][j];
                }
                let hh = f / (h + h);
                let (rows, below) = a.split_at_mut(i);
                let u = &below[0][..=l];
                for (j, row) in rows[..=l].iter_mut().enumerate() {
                    let f = u[j];
                    let g = e[j] - hh * f;
                    e[j] = g;
                    for ((ajk, &ek), &uk) in row[..=j].iter_mut().zip(&e[..=j]).zip(&u[..=j]) {
                        *ajk -= f * ek + g * uk;
                    }
                }
            }
        } else {
            e[i] = a[i][l];
        }
        d[i] = h;
    }
}

/// `e[k] = sum_{m <= k} rows[k][m] u[m]`, each summed in ascending m; four rows share one pass so
/// that four independent chains of additions overlap.
fn row_parts(rows: &[Vec<f64>], u: &[f64], e: &mut [f64]) {
    let n = e.len();
    let mut k = 0;
    while k + 4 <= n {
        let (r0, r1, r2, r3) = (&rows[k], &rows[k + 1], &rows[k + 2], &rows[k + 3]);
        let (mut g0, mut g1, mut g2, mut g3) = (0.0, 0.0, 0.0, 0.0);
        for m in 0..=k {
            let um = u[m];
            g0 += r0[m] * um;
            g1 += r1[m] * um;
            g2 += r2[m] * um;
            g3 += r3[m] * um;
        }
        for m in k + 1..=k + 3 {
            let um = u[m];
            g3 += r3[m] * um;
            if m <= k + 2 {
                g2 += r2[m] * um;
            }
            if m == k + 1 {
                g1 += r1[m] * um;
            }
        }
        e[k..k + 4].copy_from_slice(&[g0, g1, g2, g3]);
        k += 4;
    }
    for (k, ek) in e.iter_mut().enumerate().skip(k) {
        let mut g = 0.0;
        for m in 0..=k {
            g += rows[k][m] * u[m];
        }
        *ek = g;
    }
}

/// tred2's second part: the transform into `a` if `vectors`, the diagonal into `d`.
fn accumulate(a: &mut [Vec<f64>], d: &mut [f64], e: &mut [f64], vectors: bool) {
    let n = a.len();
    if n == 0 {
        return;
    }
    d[0] = 0.0;
    e[0] = 0.0;
    for i in 0..n {
        if !vectors {
            // The accumulation below writes only a[..i][..i], never a diagonal entry still to be read.
            d[i] = a[i][i];
            continue;
        }
        if d[i] != 0.0 {
            for j in 0..i {
                let mut g = 0.0;
                for k in 0..i {
                    g += a[i][k] * a[k][j];
                }
                for k in 0..i {
                    a[k][j] -= g * a[k][i];
                }
            }
        }
        d[i] = a[i][i];
        a[i][i] = 1.0;
        for j in 0..i {
            a[j][i] = 0.0;
            a[i][j] = 0.0;
        }
    }
}

/// Eigenvalues (into `d`) and vectors (accumulated into `z`; pass no rows
/// for values only) of the tridiagonal matrix left by `tred2`, by implicit QL.
fn tqli(d: &mut [f64], e: &mut [f64], z: &mut [Vec<f64>]) {
    let n = d.len();
    for i in 1..n {
        e[i - 1] = e[i];
    }
    e[n - 1] = 0.0;
    for l in 0..n {
        let mut iter = 0;
        loop {
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
            // QL converges in a few sweeps per eigenvalue; never hang or panic on
            // a pathological input: past this, take the value as it stands.
            if iter > MAX_QL_ITERATIONS {
                break;
            }
            let mut g = (d[l + 1] - d[l]) / (2.0 * e[l]);
            let mut r = libm::hypot(g, 1.0);
            g = d[m] - d[l] + e[l] / (g + if g >= 0.0 { r.abs() } else { -r.abs() });
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
                for row in z.iter_mut() {
                    let f = row[i + 1];
                    row[i + 1] = s * row[i] + c * f;
                    row[i] = c * row[i] - s * f;
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

    /// The reduction as it was first written, summing each e[j] down column j: the oracle for the
    /// row-by-row version's bits.
    fn householder_by_columns(a: &mut [Vec<f64>], d: &mut [f64], e: &mut [f64]) {
        let n = a.len();
        for i in (1..n).rev() {
            let l = i - 1;
            let mut h = 0.0;
            if l > 0 {
                let scale: f64 = (0..=l).map(|k| a[i][k].abs()).sum();
                if scale == 0.0 {
                    e[i] = a[i][l];
                } else {
                    for k in 0..=l {
                        a[i][k] /= scale;
                        h += a[i][k] * a[i][k];
                    }
                    let f = a[i][l];
                    let g = if f >= 0.0 { -h.sqrt() } else { h.sqrt() };
                    e[i] = scale * g;
                    h -= f * g;
                    a[i][l] = f - g;
                    let mut f = 0.0;
                    for j in 0..=l {
                        a[j][i] = a[i][j] / h;
                        let mut g = 0.0;
                        for k in 0..=j {
                            g += a[j][k] * a[i][k];
                        }
                        for k in j + 1..=l {
                            g += a[k][j] * a[i][k];
                        }
                        e[j] = g / h;
                        f += e[j] * a[i][j];
                    }
                    let hh = f / (h + h);
                    for j in 0..=l {
                        let f = a[i][j];
                        let g = e[j] - hh * f;
                        e[j] = g;
                        for k in 0..=j {
                            a[j][k] -= f * e[k] + g * a[i][k];
                        }
                    }
                }
            } else {
                e[i] = a[i][l];
            }
            d[i] = h;
        }
    }

    #[test]
    fn row_by_row_reduction_keeps_every_bit() {
        let mut rng = Rng::new(7, 0);
        for n in [1, 2, 3, 8, 33, 120] {
            // A symmetric matrix with a zero row too (the scale == 0 branch).
            let mut m: Vec<Vec<f64>> = (0..n).map(|_| (0..n).map(|_| rng.normal()).collect()).collect();
            for r in 0..n {
                for c in 0..r {
                    m[c][r] = m[r][c];
                }
            }
            if n > 3 {
                for c in 0..n {
                    (m[2][c], m[c][2]) = (0.0, 0.0);
                }
            }
            let (mut a, mut d, mut e) = (m.clone(), vec![0.0; n], vec![0.0; n]);
            let (mut a0, mut d0, mut e0) = (m, vec![0.0; n], vec![0.0; n]);
            householder(&mut a, &mut d, &mut e);
            householder_by_columns(&mut a0, &mut d0, &mut e0);
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&d), bits(&d0), "d, n {n}");
            assert_eq!(bits(&e), bits(&e0), "e, n {n}");
            assert!(a.iter().zip(&a0).all(|(r, r0)| bits(r) == bits(r0)), "a, n {n}");
        }
    }
}
