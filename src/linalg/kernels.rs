//! Matrix-product kernels.
//!
//! Every output element accumulates its products in increasing `k`, with a
//! separate multiply and add (Rust never contracts to FMA), and the loops
//! vectorise across output columns only. So the bits do not depend on the
//! SIMD width: native x86 and wasm simd128 give identical results.
//!
//! Speed comes from register tiling: an `MR x NR` block of C is loaded into
//! registers, all `k` products are added into it in order, and it is stored
//! once, instead of streaming C rows through memory for every `k`. Tiling
//! only changes which elements are worked on together, never the order of
//! any one element's sum, so it reproduces the plain triple loop bit for bit.

use super::Real;

/// Rows of C per register tile: each loaded piece of B serves four rows.
const MR: usize = 4;
/// Rows of C per cache panel: the panel's slice of A (`MC x k`) stays in L2
/// while every column strip of B passes over it.
const MC: usize = 64;

/// `c (m x n) += a (m x k) * b (k x n)`, all row-major.
pub fn gemm_nn<T: Real>(c: &mut [T], a: &[T], b: &[T], m: usize, k: usize, n: usize) {
    assert!(c.len() == m * n && a.len() == m * k && b.len() == k * n, "gemm_nn shapes");
    gemm(c, Lhs { a, row: k, col: 1 }, b, m, k, n);
}

/// `c (m x n) += a^T * b` with `a` stored `k x m` and `b` stored `k x n`, row-major.
pub fn gemm_tn<T: Real>(c: &mut [T], a: &[T], b: &[T], m: usize, k: usize, n: usize) {
    assert!(c.len() == m * n && a.len() == k * m && b.len() == k * n, "gemm_tn shapes");
    gemm(c, Lhs { a, row: m, col: 1 }.transposed(), b, m, k, n);
}

/// The left factor, element `(i, p)` at `a[i * row + p * col]`: one kernel
/// serves both the plain and the transposed layout.
#[derive(Clone, Copy)]
struct Lhs<'a, T> {
    a: &'a [T],
    row: usize,
    col: usize,
}

impl<T: Copy> Lhs<'_, T> {
    fn transposed(self) -> Self {
        Lhs { row: self.col, col: self.row, ..self }
    }
}

fn gemm<T: Real>(c: &mut [T], a: Lhs<T>, b: &[T], m: usize, k: usize, n: usize) {
    // Tile width: two 128-bit vectors per row of the tile for f32, so a
    // 4 x 8 f32 tile (or 4 x 4 f64) needs 8 of the 16 SIMD registers that
    // both x86_64 SSE and wasm simd128 engines have.
    if std::mem::size_of::<T>() == 4 {
        tiled::<T, 8>(c, a, b, m, k, n)
    } else {
        tiled::<T, 4>(c, a, b, m, k, n)
    }
}

fn tiled<T: Real, const NR: usize>(c: &mut [T], a: Lhs<T>, b: &[T], m: usize, k: usize, n: usize) {
    for i0 in (0..m).step_by(MC) {
        let i1 = (i0 + MC).min(m);
        let mut j = 0;
        while j + NR <= n {
            strip::<T, NR>(c, a, b, k, n, i0..i1, j);
            j += NR;
        }
        // The leftover columns in narrower strips: one vector, then single columns.
        if NR > 4 && j + 4 <= n {
            strip::<T, 4>(c, a, b, k, n, i0..i1, j);
            j += 4;
        }
        while j < n {
            strip::<T, 1>(c, a, b, k, n, i0..i1, j);
            j += 1;
        }
    }
}

/// Columns `j..j+W` of the rows `rows` of C, in tiles of `MR` rows.
#[inline(always)]
fn strip<T: Real, const W: usize>(c: &mut [T], a: Lhs<T>, b: &[T], k: usize, n: usize, rows: std::ops::Range<usize>, j: usize) {
    let full = rows.end - rows.len() % MR;
    for i in (rows.start..full).step_by(MR) {
        tile::<T, MR, W>(c, a, b, k, n, i, j);
    }
    for i in full..rows.end {
        tile::<T, 1, W>(c, a, b, k, n, i, j);
    }
}

/// `C[i..i+R, j..j+W] += A[i..i+R, :] * B[:, j..j+W]`, the tile held in
/// registers across the whole `k` loop.
#[inline(always)]
fn tile<T: Real, const R: usize, const W: usize>(c: &mut [T], a: Lhs<T>, b: &[T], k: usize, n: usize, i: usize, j: usize) {
    let mut acc = [[T::ZERO; W]; R];
    for (r, row) in acc.iter_mut().enumerate() {
        row.copy_from_slice(&c[(i + r) * n + j..][..W]);
    }
    if a.col == 1 {
        // Plain layout: row r of the tile reads row i + r of A.
        let rows: [&[T]; R] = std::array::from_fn(|r| &a.a[(i + r) * a.row..][..k]);
        for p in 0..k {
            let bp: &[T; W] = b[p * n + j..][..W].try_into().unwrap();
            fma_free_update(&mut acc, std::array::from_fn(|r| rows[r][p]), bp);
        }
    } else {
        // Transposed layout: the tile's R values for one p sit side by side.
        for p in 0..k {
            let bp: &[T; W] = b[p * n + j..][..W].try_into().unwrap();
            let ap: &[T; R] = a.a[p * a.col + i..][..R].try_into().unwrap();
            fma_free_update(&mut acc, *ap, bp);
        }
    }
    for (r, row) in acc.iter().enumerate() {
        c[(i + r) * n + j..][..W].copy_from_slice(row);
    }
}

/// One step of the tile's sums: `acc[r][j] += a[r] * b[j]`, a multiply then an add.
#[inline(always)]
fn fma_free_update<T: Real, const R: usize, const W: usize>(acc: &mut [[T; W]; R], a: [T; R], b: &[T; W]) {
    for r in 0..R {
        for j in 0..W {
            acc[r][j] += a[r] * b[j];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    fn random(len: usize, rng: &mut Rng) -> Vec<f32> {
        (0..len).map(|_| rng.normal() as f32).collect()
    }

    /// The reference: a plain triple loop summing in increasing k.
    fn naive(a: impl Fn(usize, usize) -> f32, b: &[f32], m: usize, k: usize, n: usize, c0: &[f32]) -> Vec<f32> {
        let mut c = c0.to_vec();
        for i in 0..m {
            for j in 0..n {
                let mut s = c[i * n + j];
                for p in 0..k {
                    s += a(i, p) * b[p * n + j];
                }
                c[i * n + j] = s;
            }
        }
        c
    }

    #[test]
    fn blocked_kernels_give_the_naive_bits() {
        let mut rng = Rng::new(1, 0);
        for (m, k, n) in [(7, 13, 5), (33, 301, 299), (4, 1, 1), (1, 9, 8)] {
            let a = random(m * k, &mut rng);
            let b = random(k * n, &mut rng);
            let c0 = random(m * n, &mut rng);
            let mut c = c0.clone();
            gemm_nn(&mut c, &a, &b, m, k, n);
            assert_eq!(c, naive(|i, p| a[i * k + p], &b, m, k, n, &c0), "nn {m}x{k}x{n}");
            let at = random(k * m, &mut rng);
            let mut c = c0.clone();
            gemm_tn(&mut c, &at, &b, m, k, n);
            assert_eq!(c, naive(|i, p| at[p * m + i], &b, m, k, n, &c0), "tn {m}x{k}x{n}");
        }
    }
}
