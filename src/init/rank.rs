//! The rank family: the base Gaussian's best rank-r approximation. Its singular vectors are the
//! Gaussian's, random with respect to the task (compare the aligned family).

use super::{InitSpec, Start, TaskAxes};
use crate::linalg::{truncate_rank, Mat};
use crate::rng::Rng;

/// The page's hint for this family (plain text).
pub const HINT: &str = "The Gaussian's best rank-r approximation: its singular vectors are random, so it is not \
aligned with the task.";

pub fn start(spec: &InitSpec, base: &Mat<f64>, _: &mut Rng, _: &TaskAxes) -> Start {
    Start::Shaped(truncate_rank(base, spec.rank))
}
