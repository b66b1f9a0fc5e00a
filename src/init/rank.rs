//! The rank family: the base Gaussian's best rank-r approximation. Its singular vectors are the
//! Gaussian's, random with respect to the task (compare the aligned family).

use super::{InitSpec, Start, TaskAxes};
use crate::linalg::{truncate_rank, Mat};
use crate::rng::Rng;

pub fn start(spec: &InitSpec, base: &Mat<f64>, _: &mut Rng, _: &TaskAxes) -> Start {
    Start::Shaped(truncate_rank(base, spec.rank))
}
