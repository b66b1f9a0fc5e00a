//! Matrix-product kernels.
//!
//! Every output element accumulates its products in increasing `k`, with a
//! separate multiply and add (Rust never contracts to FMA), and the loops
//! vectorise across output columns only. So the bits do not depend on the
//! SIMD width: native x86 and wasm simd128 give identical results.

use super::Real;

/// `c (m x n) += a (m x k) * b (k x n)`, all row-major.
pub fn gemm_nn<T: Real>(c: &mut [T], a: &[T], b: &[T], m: usize, k: usize, n: usize) {
    assert!(c.len() == m * n && a.len() == m * k && b.len() == k * n, "gemm_nn shapes");
    for i in 0..m {
        let ci = &mut c[i * n..(i + 1) * n];
        let ai = &a[i * k..(i + 1) * k];
        for (p, &aip) in ai.iter().enumerate() {
            let bp = &b[p * n..(p + 1) * n];
            for (cij, &bpj) in ci.iter_mut().zip(bp) {
                *cij += aip * bpj;
            }
        }
    }
}

/// `c (m x n) += a^T * b` with `a` stored `k x m` and `b` stored `k x n`, row-major.
pub fn gemm_tn<T: Real>(c: &mut [T], a: &[T], b: &[T], m: usize, k: usize, n: usize) {
    assert!(c.len() == m * n && a.len() == k * m && b.len() == k * n, "gemm_tn shapes");
    for p in 0..k {
        let ap = &a[p * m..(p + 1) * m];
        let bp = &b[p * n..(p + 1) * n];
        for (i, &api) in ap.iter().enumerate() {
            let ci = &mut c[i * n..(i + 1) * n];
            for (cij, &bpj) in ci.iter_mut().zip(bp) {
                *cij += api * bpj;
            }
        }
    }
}
