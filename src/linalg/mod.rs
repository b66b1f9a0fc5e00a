//! Dense linear algebra written for determinism: the same bits on every CPU and in wasm.

mod eig;
mod geneig;
mod hypot;
mod kernels;
mod lanes;
mod mat;
mod real;
mod svd;

pub use eig::sym_eigen;
pub use geneig::{eigenvalues, Eigenvalue};
pub use kernels::{gemm_nn, gemm_tn};
pub use lanes::{with_lanes, MIN_DIM};
pub use mat::{alignment, Mat};
pub use real::Real;
pub use svd::{orthonormalise, random_orthogonal, singular_values, svd, truncate_rank, Svd};
