use super::{InitSpec, Start, TaskAxes};
use crate::linalg::Mat;
use crate::rng::Rng;

/// W0 = g Z / sqrt(N): spectral radius about g, so g > 1 starts near chaos.
pub fn build(n: usize, gain: f64, rng: &mut Rng) -> Mat<f64> {
    let s = gain / (n as f64).sqrt();
    Mat::from_fn(n, n, |_, _| s * rng.normal())
}

/// The Gaussian family: the base itself.
pub fn start(_: &InitSpec, _: &Mat<f64>, _: &mut Rng, _: &TaskAxes) -> Start {
    Start::Base
}
