//! A dense row-major matrix, just what the engine needs.

use super::kernels::{gemm_nn, gemm_part, gemm_tn};
use super::Real;

/// Columns of a Gram matrix multiplied at a time: the block triangle costs
/// (m + GRAM_COLS) / 2m of the full product.
const GRAM_COLS: usize = 64;

#[derive(Clone, Debug, PartialEq)]
pub struct Mat<T> {
    pub rows: usize,
    pub cols: usize,
    /// Row-major: element (r, c) is `data[r * cols + c]`.
    pub data: Vec<T>,
}

impl<T: Real> Mat<T> {
    pub fn zeros(rows: usize, cols: usize) -> Self {
        Mat { rows, cols, data: vec![T::ZERO; rows * cols] }
    }

    pub fn from_vec(rows: usize, cols: usize, data: Vec<T>) -> Self {
        assert_eq!(data.len(), rows * cols, "Mat::from_vec: {rows}x{cols} needs {} values", rows * cols);
        Mat { rows, cols, data }
    }

    pub fn from_fn(rows: usize, cols: usize, mut f: impl FnMut(usize, usize) -> T) -> Self {
        let mut data = Vec::with_capacity(rows * cols);
        for r in 0..rows {
            for c in 0..cols {
                data.push(f(r, c));
            }
        }
        Mat { rows, cols, data }
    }

    pub fn identity(n: usize) -> Self {
        Self::from_fn(n, n, |r, c| if r == c { T::ONE } else { T::ZERO })
    }

    #[inline]
    pub fn at(&self, r: usize, c: usize) -> T {
        self.data[r * self.cols + c]
    }

    #[inline]
    pub fn set(&mut self, r: usize, c: usize, v: T) {
        self.data[r * self.cols + c] = v;
    }

    pub fn row(&self, r: usize) -> &[T] {
        &self.data[r * self.cols..(r + 1) * self.cols]
    }

    pub fn transpose(&self) -> Self {
        let mut t = Mat::zeros(self.cols, self.rows);
        self.transpose_into(&mut t);
        t
    }

    /// Writes the transpose into `out` (already `cols x rows`), no allocation.
    pub fn transpose_into(&self, out: &mut Mat<T>) {
        assert_eq!((out.rows, out.cols), (self.cols, self.rows));
        for r in 0..self.rows {
            for c in 0..self.cols {
                out.data[c * self.rows + r] = self.data[r * self.cols + c];
            }
        }
    }

    /// `self * other`.
    pub fn matmul(&self, other: &Mat<T>) -> Mat<T> {
        assert_eq!(self.cols, other.rows, "matmul shapes");
        let mut out = Mat::zeros(self.rows, other.cols);
        gemm_nn(&mut out.data, &self.data, &other.data, self.rows, self.cols, other.cols);
        out
    }

    /// `self^T * other`.
    pub fn t_matmul(&self, other: &Mat<T>) -> Mat<T> {
        assert_eq!(self.rows, other.rows, "t_matmul shapes");
        let mut out = Mat::zeros(self.cols, other.cols);
        gemm_tn(&mut out.data, &self.data, &other.data, self.cols, self.rows, other.cols);
        out
    }

    /// `self * other^T`.
    pub fn matmul_t(&self, other: &Mat<T>) -> Mat<T> {
        self.matmul(&other.transpose())
    }

    /// `self * self^T` at about half the work of `matmul_t`, with its bits: element
    /// (i, j) is sum_p a_ip a_jp in increasing p, and (j, i) the same products in the
    /// same order, so only blocks of columns on and above the diagonal are multiplied
    /// and the rest is mirrored.
    pub fn gram(&self) -> Mat<T> {
        gram_of(&self.data, false, &self.transpose().data, self.rows, self.cols)
    }

    /// `self^T * self`, the bits of `t_matmul`, likewise at about half the work.
    pub fn t_gram(&self) -> Mat<T> {
        gram_of(&self.data, true, &self.data, self.cols, self.rows)
    }

    /// Frobenius inner product `<self, other>_F`, accumulated in f64.
    pub fn frob_dot(&self, other: &Mat<T>) -> f64 {
        assert_eq!((self.rows, self.cols), (other.rows, other.cols));
        self.data.iter().zip(&other.data).map(|(a, b)| a.to_f64() * b.to_f64()).sum()
    }

    pub fn frob_norm(&self) -> f64 {
        self.frob_dot(self).sqrt()
    }

    pub fn scale(&mut self, s: T) {
        self.data.iter_mut().for_each(|x| *x *= s);
    }

    pub fn sub(&self, other: &Mat<T>) -> Mat<T> {
        assert_eq!((self.rows, self.cols), (other.rows, other.cols));
        Mat::from_vec(self.rows, self.cols, self.data.iter().zip(&other.data).map(|(a, b)| *a - *b).collect())
    }

    pub fn map<U: Real>(&self, f: impl Fn(T) -> U) -> Mat<U> {
        Mat { rows: self.rows, cols: self.cols, data: self.data.iter().map(|&x| f(x)).collect() }
    }

    pub fn to_f64(&self) -> Mat<f64> {
        self.map(|x| x.to_f64())
    }

    pub fn cast<U: Real>(&self) -> Mat<U> {
        self.map(|x| U::from_f64(x.to_f64()))
    }

    pub fn all_finite(&self) -> bool {
        self.data.iter().all(|x| x.is_finite())
    }
}

/// The m x m Gram matrix a b (a: m x k, or stored k x m if `a_t`; b: k x m, the other
/// factor's transpose): column blocks on and above the diagonal, then the mirror.
fn gram_of<T: Real>(a: &[T], a_t: bool, b: &[T], m: usize, k: usize) -> Mat<T> {
    let mut out = Mat::zeros(m, m);
    for j0 in (0..m).step_by(GRAM_COLS) {
        let j1 = (j0 + GRAM_COLS).min(m);
        gemm_part(&mut out.data, a, a_t, b, (m, k, m), j1, j0..j1);
    }
    // The strictly lower triangle from the upper, in square tiles so that the
    // column-wise reads stay in cache.
    const TILE: usize = 32;
    for i0 in (0..m).step_by(TILE) {
        for j0 in (0..=i0).step_by(TILE) {
            for i in i0..(i0 + TILE).min(m) {
                for j in j0..(j0 + TILE).min(i) {
                    out.data[i * m + j] = out.data[j * m + i];
                }
            }
        }
    }
    out
}

/// Normalised Frobenius alignment `<a, b>_F / (|a|_F |b|_F)`: 1 when `a` and `b` agree up to scale.
pub fn alignment<T: Real>(a: &Mat<T>, b: &Mat<T>) -> f64 {
    a.frob_dot(b) / (a.frob_norm() * b.frob_norm())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    fn gram_matches_matmul_t<T: Real>(cast: impl Fn(f64) -> T) {
        let mut rng = Rng::new(8, 0);
        // Row counts below, at and across the column blocks and the mirror's tiles.
        for (m, k) in [(1, 3), (5, 0), (31, 7), (256, 13), (257, 40), (600, 29), (700, 300)] {
            let a = Mat::from_fn(m, k, |_, _| cast(rng.normal()));
            let bits = |x: &Mat<T>| x.data.iter().map(|v| v.to_f64().to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&a.gram()), bits(&a.matmul_t(&a)), "{m} x {k}");
            let at = a.transpose();
            assert_eq!(bits(&at.t_gram()), bits(&at.t_matmul(&at)), "{k} x {m}, transposed");
        }
    }

    #[test]
    fn grams_have_the_bits_of_the_full_products() {
        gram_matches_matmul_t(|x| x as f32);
        gram_matches_matmul_t(|x| x);
    }
}
