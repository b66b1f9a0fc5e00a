//! Matrix-product kernels.
//!
//! Every output element accumulates its products in increasing `k`, with a
//! separate multiply and add (Rust never contracts to FMA), and the loops
//! vectorise across output columns only. So the bits do not depend on the
//! SIMD width: native x86 and wasm simd128 give identical results.
//! Rows are taken four at a time so that each loaded row of `b` serves four
//! outputs; that reorders nothing within an element's sum.

use super::Real;

/// `c_r[j] += a_r * b[j]` for four output rows at once.
#[inline(always)]
fn axpy4<T: Real>(c: [&mut [T]; 4], a: [T; 4], b: &[T]) {
    let [c0, c1, c2, c3] = c;
    let n = b.len();
    let (c0, c1, c2, c3) = (&mut c0[..n], &mut c1[..n], &mut c2[..n], &mut c3[..n]);
    for j in 0..n {
        let bj = b[j];
        c0[j] += a[0] * bj;
        c1[j] += a[1] * bj;
        c2[j] += a[2] * bj;
        c3[j] += a[3] * bj;
    }
}

#[inline(always)]
fn axpy<T: Real>(c: &mut [T], a: T, b: &[T]) {
    for (cj, &bj) in c.iter_mut().zip(b) {
        *cj += a * bj;
    }
}

/// Four consecutive rows of `c` (row length `n`) starting at row `i`.
#[inline(always)]
fn rows4<T>(c: &mut [T], i: usize, n: usize) -> [&mut [T]; 4] {
    let (r0, rest) = c[i * n..(i + 4) * n].split_at_mut(n);
    let (r1, rest) = rest.split_at_mut(n);
    let (r2, r3) = rest.split_at_mut(n);
    [r0, r1, r2, r3]
}

/// `c (m x n) += a (m x k) * b (k x n)`, all row-major.
pub fn gemm_nn<T: Real>(c: &mut [T], a: &[T], b: &[T], m: usize, k: usize, n: usize) {
    assert!(c.len() == m * n && a.len() == m * k && b.len() == k * n, "gemm_nn shapes");
    let m4 = m - m % 4;
    for i in (0..m4).step_by(4) {
        let mut cr = rows4(c, i, n);
        for p in 0..k {
            let av = [a[i * k + p], a[(i + 1) * k + p], a[(i + 2) * k + p], a[(i + 3) * k + p]];
            let [c0, c1, c2, c3] = &mut cr;
            axpy4([c0, c1, c2, c3], av, &b[p * n..(p + 1) * n]);
        }
    }
    for i in m4..m {
        for p in 0..k {
            axpy(&mut c[i * n..(i + 1) * n], a[i * k + p], &b[p * n..(p + 1) * n]);
        }
    }
}

/// `c (m x n) += a^T * b` with `a` stored `k x m` and `b` stored `k x n`, row-major.
pub fn gemm_tn<T: Real>(c: &mut [T], a: &[T], b: &[T], m: usize, k: usize, n: usize) {
    assert!(c.len() == m * n && a.len() == k * m && b.len() == k * n, "gemm_tn shapes");
    let m4 = m - m % 4;
    for i in (0..m4).step_by(4) {
        let mut cr = rows4(c, i, n);
        for p in 0..k {
            let ap = &a[p * m + i..p * m + i + 4];
            let [c0, c1, c2, c3] = &mut cr;
            axpy4([c0, c1, c2, c3], [ap[0], ap[1], ap[2], ap[3]], &b[p * n..(p + 1) * n]);
        }
    }
    for i in m4..m {
        for p in 0..k {
            axpy(&mut c[i * n..(i + 1) * n], a[p * m + i], &b[p * n..(p + 1) * n]);
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
