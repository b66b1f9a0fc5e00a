use super::{InitSpec, Start, TaskAxes};
use crate::linalg::Mat;
use crate::rng::Rng;

/// The page's hint for this family (plain text).
pub const HINT: &str =
    "The paper's start: g Z/√N with standard normal Z, so its spectral radius is about g (g > 1 starts near \
         chaos). Every other start draws this Gaussian first and is scaled to its size.";

/// W0 = g Z / sqrt(N): spectral radius about g, so g > 1 starts near chaos.
pub fn build(n: usize, gain: f64, rng: &mut Rng) -> Mat<f64> {
    let s = gain / (n as f64).sqrt();
    Mat::from_fn(n, n, |_, _| s * rng.normal())
}

/// The Gaussian family: the base itself.
pub fn start(_: &InitSpec, _: &Mat<f64>, _: &mut Rng, _: &TaskAxes) -> Start {
    Start::Base
}
