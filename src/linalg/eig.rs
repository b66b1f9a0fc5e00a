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
/// `d[i]` = h, `e` the sub-diagonal. Compiled for AVX-512 or AVX where the CPU has them (no FMA,
/// each lane one element in the order of the plain build, so the same bits).
fn householder(a: &mut [Vec<f64>], d: &mut [f64], e: &mut [f64]) {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx512f") {
        // SAFETY: the CPU has AVX-512F, checked just above.
        return unsafe { householder_avx512(a, d, e) };
    }
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("avx") {
        // SAFETY: the CPU has AVX, checked just above.
        return unsafe { householder_avx(a, d, e) };
    }
    reduce(a, d, e)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
unsafe fn householder_avx512(a: &mut [Vec<f64>], d: &mut [f64], e: &mut [f64]) {
    reduce(a, d, e)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
unsafe fn householder_avx(a: &mut [Vec<f64>], d: &mut [f64], e: &mut [f64]) {
    reduce(a, d, e)
}

/// The classic reduction (Numerical Recipes' tred2, which reads a's lower triangle and sums
/// e = A u / h with e[j]'s row part a[j][..=j] first, then its column part a[k][j] for k > j),
/// rearranged to vectorise and to pass over the matrix once a step, with every bit kept:
/// - the active block is held as a full symmetric matrix (the upper triangle a mirror of the
///   lower, kept so by applying each rank-2 update to both: x + y == y + x exactly), so
///   e[j] = sum over m ascending of a[m][j] u[m], an update of all of e by each row m in turn;
/// - step i's start reads row i alone, so once step i + 1 has updated row i, step i starts,
///   and A u for it is summed as step i + 1 updates the rows above, in ascending order.
#[inline(always)]
fn reduce(a: &mut [Vec<f64>], d: &mut [f64], e: &mut [f64]) {
    let n = a.len();
    for r in 0..n {
        for c in 0..r {
            a[c][r] = a[r][c];
        }
    }
    if n < 2 {
        return;
    }
    // `au`: A u for the step about to run, when `summed`; `w`: e of the original.
    let (mut au, mut w) = (vec![0.0; n], vec![0.0; n]);
    let mut summed = false;
    let mut h = start(&mut a[n - 1], n - 1, e);
    for i in (1..n).rev() {
        let l = i - 1;
        d[i] = h.unwrap_or(0.0);
        let (rows, below) = a.split_at_mut(i);
        let Some(hi) = h else {
            if l > 0 {
                h = start(&mut rows[l], l, e);
            }
            summed = false;
            continue;
        };
        let u = &below[0][..=l];
        if !summed {
            au[..=l].fill(0.0);
            for (row, &um) in rows.iter().zip(u) {
                for (s, &amj) in au.iter_mut().zip(&row[..=l]) {
                    *s += amj * um;
                }
            }
        }
        let mut f = 0.0;
        for (((row, wj), &s), &uj) in rows.iter_mut().zip(w.iter_mut()).zip(&au).zip(u) {
            row[i] = uj / hi;
            *wj = s / hi;
            f += *wj * uj;
        }
        let hh = f / (hi + hi);
        for (wj, &uj) in w.iter_mut().zip(u) {
            *wj -= hh * uj;
        }
        let w = &w[..=l];
        let (above, last) = rows.split_at_mut(l);
        update(&mut last[0][..=l], u[l], w[l], w, u);
        h = if l > 0 { start(&mut last[0], l, e) } else { None };
        summed = h.is_some();
        if !summed {
            for (j, row) in above.iter_mut().enumerate() {
                update(&mut row[..=l], u[j], w[j], w, u);
            }
            continue;
        }
        let (next_u, au) = (&last[0][..l], &mut au[..l]);
        au.fill(0.0);
        // Four rows a pass, then one at a time (each lane of au adds the rows in order).
        let mut quads = above.chunks_exact_mut(4);
        for (q, rows) in quads.by_ref().enumerate() {
            update_rows::<4>(rows, 4 * q, l, u, w, next_u, au);
        }
        let done = l / 4 * 4;
        for (q, row) in quads.into_remainder().chunks_exact_mut(1).enumerate() {
            update_rows::<1>(row, done + q, l, u, w, next_u, au);
        }
    }
}

/// The rank-2 update of the `R` rows from `j0` (over columns ..=l), adding each updated row
/// (columns ..l) times next_u[j] into `au`, row after row.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn update_rows<const R: usize>(
    rows: &mut [Vec<f64>],
    j0: usize,
    l: usize,
    u: &[f64],
    w: &[f64],
    next_u: &[f64],
    au: &mut [f64],
) {
    let (f, g, nu): ([f64; R], [f64; R], [f64; R]) = (
        std::array::from_fn(|r| u[j0 + r]),
        std::array::from_fn(|r| w[j0 + r]),
        std::array::from_fn(|r| next_u[j0 + r]),
    );
    let mut it = rows.iter_mut();
    let heads: [&mut [f64]; R] = std::array::from_fn(|_| &mut it.next().expect("R rows")[..=l]);
    let (uh, wh, au) = (&u[..l], &w[..l], &mut au[..l]);
    for k in 0..l {
        let (wk, uk) = (wh[k], uh[k]);
        let mut s = au[k];
        for r in 0..R {
            let a = &mut heads[r][k];
            *a -= f[r] * wk + g[r] * uk;
            s += *a * nu[r];
        }
        au[k] = s;
    }
    for r in 0..R {
        heads[r][l] -= f[r] * w[l] + g[r] * u[l];
    }
}

/// One row of the rank-2 update: a_jk -= u_j w_k + w_j u_k.
#[inline(always)]
fn update(row: &mut [f64], uj: f64, wj: f64, w: &[f64], u: &[f64]) {
    for ((a, &wk), &uk) in row.iter_mut().zip(w).zip(u) {
        *a -= uj * wk + wj * uk;
    }
}

/// The start of step i, which reads and writes row i alone: its scale, u (into the row), h and
/// e[i]; None where there is nothing to reduce (i = 1, or a zero row).
#[inline(always)]
fn start(row: &mut [f64], i: usize, e: &mut [f64]) -> Option<f64> {
    let l = i - 1;
    let scale: f64 = if l > 0 { row[..=l].iter().map(|x| x.abs()).sum() } else { 0.0 };
    if scale == 0.0 {
        e[i] = row[l];
        return None;
    }
    let mut h = 0.0;
    for x in &mut row[..=l] {
        *x /= scale;
        h += *x * *x;
    }
    let f = row[l];
    let g = if f >= 0.0 { -h.sqrt() } else { h.sqrt() };
    e[i] = scale * g;
    h -= f * g;
    row[l] = f - g;
    Some(h)
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
/// hypot from a fused multiply-add where the CPU has one (same bits, see `hypot`).
fn tqli(d: &mut [f64], e: &mut [f64], z: &mut [Vec<f64>]) {
    #[cfg(target_arch = "x86_64")]
    if std::is_x86_feature_detected!("fma") {
        // SAFETY: the CPU has FMA, checked just above.
        return unsafe { tqli_fma(d, e, z) };
    }
    ql(d, e, z, super::hypot::hypot)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "fma")]
unsafe fn tqli_fma(d: &mut [f64], e: &mut [f64], z: &mut [Vec<f64>]) {
    ql(d, e, z, super::hypot::hypot_fma)
}

#[inline(always)]
fn ql(d: &mut [f64], e: &mut [f64], z: &mut [Vec<f64>], hypot: impl Fn(f64, f64) -> f64) {
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
            let mut r = hypot(g, 1.0);
            g = d[m] - d[l] + e[l] / (g + if g >= 0.0 { r.abs() } else { -r.abs() });
            let (mut s, mut c, mut p) = (1.0, 1.0, 0.0);
            let mut i = m;
            let mut underflow = false;
            while i > l {
                i -= 1;
                let f = s * e[i];
                let b = c * e[i];
                r = hypot(f, g);
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
            // Not symmetric (only the lower triangle may be read), with a zero row and column
            // (the scale == 0 branch).
            let mut m: Vec<Vec<f64>> = (0..n).map(|_| (0..n).map(|_| rng.normal()).collect()).collect();
            if n > 3 {
                for c in 0..n {
                    (m[2][c], m[c][2]) = (0.0, 0.0);
                }
            }
            for vectors in [false, true] {
                // What the reduction leaves that accumulate reads, compared after it.
                let (mut a, mut d, mut e) = (m.clone(), vec![0.0; n], vec![0.0; n]);
                let (mut a0, mut d0, mut e0) = (m.clone(), vec![0.0; n], vec![0.0; n]);
                tred2(&mut a, &mut d, &mut e, vectors);
                householder_by_columns(&mut a0, &mut d0, &mut e0);
                accumulate(&mut a0, &mut d0, &mut e0, vectors);
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&d), bits(&d0), "d, n {n}");
                assert_eq!(bits(&e), bits(&e0), "e, n {n}");
                assert!(!vectors || a.iter().zip(&a0).all(|(r, r0)| bits(r) == bits(r0)), "a, n {n}");
            }
        }
    }
}
