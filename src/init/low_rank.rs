use crate::linalg::{truncate_rank, Mat};

/// Top-`rank` SVD truncation of `base`, rescaled to `base`'s Frobenius norm
/// (the paper's script: low rank at an unchanged overall weight scale).
pub fn build(base: &Mat<f64>, rank: usize) -> Mat<f64> {
    let mut w = truncate_rank(base, rank);
    let s = base.frob_norm() / w.frob_norm();
    w.scale(s);
    w
}
