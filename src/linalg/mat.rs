//! A dense row-major matrix, just what the engine needs.

use super::kernels::{gemm_nn, gemm_tn};
use super::Real;

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

/// Normalised Frobenius alignment `<a, b>_F / (|a|_F |b|_F)`: 1 when `a` and `b` agree up to scale.
pub fn alignment<T: Real>(a: &Mat<T>, b: &Mat<T>) -> f64 {
    a.frob_dot(b) / (a.frob_norm() * b.frob_norm())
}
