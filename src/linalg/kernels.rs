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
    let n_full = n - n % NR;
    for i0 in (0..m).step_by(MC) {
        let i1 = (i0 + MC).min(m);
        let i_full = i1 - (i1 - i0) % MR;
        for j0 in (0..n_full).step_by(NR) {
            for i in (i0..i_full).step_by(MR) {
                tile::<T, MR, NR>(c, a, b, k, n, i, j0);
            }
            for i in i_full..i1 {
                tile::<T, 1, NR>(c, a, b, k, n, i, j0);
            }
        }
        // The last n % NR columns: the same per-element order, just narrower.
        if n_full < n {
            for i in i0..i1 {
                let cr = &mut c[i * n + n_full..(i + 1) * n];
                for p in 0..k {
                    let ap = a.a[i * a.row + p * a.col];
                    for (cj, &bj) in cr.iter_mut().zip(&b[p * n + n_full..(p + 1) * n]) {
                        *cj += ap * bj;
                    }
                }
            }
        }
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
    for p in 0..k {
        let bp: &[T; W] = b[p * n + j..][..W].try_into().unwrap();
        for (r, row) in acc.iter_mut().enumerate() {
            let ap = a.a[(i + r) * a.row + p * a.col];
            for (x, &bj) in row.iter_mut().zip(bp) {
                *x += ap * bj;
            }
        }
    }
    for (r, row) in acc.iter().enumerate() {
        c[(i + r) * n + j..][..W].copy_from_slice(row);
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
