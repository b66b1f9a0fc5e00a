//! Dense linear algebra written for determinism: the same bits on every CPU and in wasm.

mod kernels;
mod mat;
mod real;

pub use kernels::{gemm_nn, gemm_tn};
pub use mat::{alignment, Mat};
pub use real::Real;
