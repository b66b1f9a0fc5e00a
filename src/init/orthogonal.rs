//! The orthogonal start (ours): a Haar-random orthogonal matrix Q, drawn from the start's stream
//! after the base Gaussian and scaled like every family to the Gaussian's size. Every singular value
//! is the same (|G|_F / sqrt(N) under the Frobenius scale, G's largest singular value under the
//! spectral one): a flat spectrum, effective rank N, the opposite end from the rank-1 start, on random
//! singular vectors.

use super::{InitSpec, Start, TaskAxes};
use crate::linalg::{random_orthogonal, Mat};
use crate::rng::Rng;

/// The page's hint for this family (plain text).
pub const HINT: &str = "Ours: a random orthogonal matrix, scaled to the Gaussian's size, so every singular value is \
the same (a flat spectrum): effective rank N, the opposite end from rank 1, with random singular vectors (not aligned \
with the task).";

pub fn start(_: &InitSpec, base: &Mat<f64>, rng: &mut Rng, _: &TaskAxes) -> Start {
    Start::Shaped(random_orthogonal(base.rows, rng))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::init::Scale;
    use crate::linalg::singular_values;

    fn build(scale: Scale, n: usize, seed: u64) -> (Mat<f64>, Mat<f64>) {
        let z = Mat::zeros(1, 1);
        let axes = TaskAxes { w_in: &z, w_out: &z, io_cov: &z, fixation: false };
        let spec = |key| InitSpec { scale, ..InitSpec::new(key) };
        let w = spec("orthogonal").build(n, &mut Rng::new(seed, 1), &axes);
        let g = spec("gaussian").build(n, &mut Rng::new(seed, 1), &axes);
        (w, g)
    }

    #[test]
    fn orthogonal_up_to_the_gaussians_scale_and_seeded() {
        let n = 60;
        for scale in [Scale::Frobenius, Scale::Spectral] {
            let (w, g) = build(scale, n, 5);
            // Every singular value c: |G|_F / sqrt(N) (Frobenius) or G's largest (spectral).
            let c = match scale {
                Scale::Frobenius => g.frob_norm() / (n as f64).sqrt(),
                Scale::Spectral => singular_values(&g)[0],
            };
            let wtw = w.t_matmul(&w);
            let id = Mat::<f64>::identity(n);
            assert!(
                wtw.data.iter().zip(&id.data).all(|(a, b)| (a - c * c * b).abs() < 1e-9 * c * c),
                "{scale:?}: W^T W = c^2 I"
            );
            let (want, got) = (scale.of(&g), scale.of(&w));
            assert!((got - want).abs() < 1e-9 * want, "{scale:?}: {got} vs {want}");
            assert_eq!(w, build(scale, n, 5).0, "same seed, same matrix");
            assert_ne!(w, build(scale, n, 6).0);
        }
    }
}
