//! States in principal-component space and the comparison of two networks' representations:
//! components of pooled states (computed once per comparison, so that a start and its trained
//! network are drawn in the same axes), principal angles between two networks' top-k subspaces,
//! and linear CKA (Kornblith et al. 2019) between their states on the same probe trials.

use crate::linalg::{svd, sym_eigen, Mat};

/// The top principal axes of a set of states.
#[derive(Clone, Debug)]
pub struct Components {
    pub mean: Vec<f64>,
    /// Unit axes, largest variance first; each axis's largest entry in magnitude is positive.
    pub axes: Vec<Vec<f64>>,
    /// The fraction of the states' variance along each axis.
    pub explained: Vec<f64>,
}

impl Components {
    /// The top `k` axes of the rows of `states` (samples x N).
    pub fn of(states: &Mat<f64>, k: usize) -> Components {
        let (m, n) = (states.rows, states.cols);
        let mut mean = vec![0.0; n];
        for r in 0..m {
            mean.iter_mut().zip(states.row(r)).for_each(|(c, x)| *c += x);
        }
        mean.iter_mut().for_each(|c| *c /= m.max(1) as f64);
        let centred = Mat::from_fn(m, n, |r, c| states.at(r, c) - mean[c]);
        let k = k.min(n);
        // The eigenvectors of the smaller of X^T X (N x N) and X X^T (samples x samples): a few
        // hundred condition-averaged states in a larger network take the second, whose vector u
        // gives the axis X^T u, normalised (zero where the states have no variance left).
        let (vals, axes): (Vec<f64>, Vec<Vec<f64>>) = if m < n {
            let (vals, u) = sym_eigen(&centred.matmul_t(&centred));
            let axes = (0..k.min(m))
                .map(|c| {
                    let a: Vec<f64> = (0..n).map(|j| (0..m).map(|r| centred.at(r, j) * u.at(r, c)).sum()).collect();
                    let norm = a.iter().map(|x| x * x).sum::<f64>().sqrt();
                    let scale = if vals[c] > 0.0 { norm } else { 0.0 };
                    a.into_iter().map(|x| if scale > 0.0 { x / scale } else { 0.0 }).collect()
                })
                .collect();
            (vals, axes)
        } else {
            let (vals, vecs) = sym_eigen(&centred.t_gram());
            (vals, (0..k).map(|c| (0..n).map(|r| vecs.at(r, c)).collect()).collect())
        };
        let total: f64 = vals.iter().map(|v| v.max(0.0)).sum();
        let k = axes.len();
        let axes = axes
            .into_iter()
            .map(|mut a: Vec<f64>| {
                let big = a.iter().fold(0.0f64, |b, x| if x.abs() > b.abs() { *x } else { b });
                if big < 0.0 {
                    a.iter_mut().for_each(|x| *x = -*x);
                }
                a
            })
            .collect();
        let explained = vals[..k].iter().map(|v| if total > 0.0 { v.max(0.0) / total } else { 0.0 }).collect();
        Components { mean, axes, explained }
    }

    /// A state's coordinates on the axes.
    pub fn project(&self, h: &[f64]) -> Vec<f64> {
        self.axes.iter().map(|a| a.iter().zip(h).zip(&self.mean).map(|((a, h), m)| a * (h - m)).sum()).collect()
    }
}

/// The principal angles (radians, smallest first) between the spans of two orthonormal sets of k
/// axes: the arccosines of the singular values of A Bᵀ.
pub fn principal_angles(a: &[Vec<f64>], b: &[Vec<f64>]) -> Vec<f64> {
    let k = a.len();
    assert_eq!(k, b.len(), "principal_angles: as many axes on both sides");
    let m = Mat::from_fn(k, k, |i, j| a[i].iter().zip(&b[j]).map(|(x, y)| x * y).sum());
    svd(&m).s.iter().map(|c| libm::acos(c.clamp(0.0, 1.0))).collect()
}

/// Linear CKA between two sets of states on the same samples (rows): ⟨K, L⟩ / (‖K‖ ‖L‖) with K, L
/// the Gram matrices of the column-centred states. 1 for the same representation up to rotation and
/// scale; 0 where either has no variance.
pub fn linear_cka(x: &Mat<f64>, y: &Mat<f64>) -> f64 {
    assert_eq!(x.rows, y.rows, "linear_cka: the same samples on both sides");
    let (k, l) = (centred(x).gram(), centred(y).gram());
    let kl = k.frob_dot(&l);
    let norms = k.frob_norm() * l.frob_norm();
    if norms > 0.0 {
        kl / norms
    } else {
        0.0
    }
}

fn centred(x: &Mat<f64>) -> Mat<f64> {
    let m = x.rows as f64;
    let means: Vec<f64> = (0..x.cols).map(|c| (0..x.rows).map(|r| x.at(r, c)).sum::<f64>() / m).collect();
    Mat::from_fn(x.rows, x.cols, |r, c| x.at(r, c) - means[c])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::random_orthogonal;
    use crate::rng::Rng;

    fn states(rng: &mut Rng, m: usize, n: usize) -> Mat<f64> {
        // Variance falling along the columns, so the axes are well separated.
        Mat::from_fn(m, n, |_, c| rng.normal() * (n - c) as f64 + 0.3)
    }

    #[test]
    fn components_are_the_right_singular_vectors_of_the_centred_states() {
        let mut rng = Rng::new(7, 0);
        let n = 10;
        let x = states(&mut rng, n, n);
        let pc = Components::of(&x, 3);
        let centred = centred(&x);
        let s = svd(&centred);
        let total: f64 = s.s.iter().map(|v| v * v).sum();
        for (i, axis) in pc.axes.iter().enumerate() {
            let dot: f64 = axis.iter().enumerate().map(|(r, a)| a * s.v.at(r, i)).sum();
            assert!((dot.abs() - 1.0).abs() < 1e-9, "axis {i}: |cos| {}", dot.abs());
            assert!((pc.explained[i] - s.s[i] * s.s[i] / total).abs() < 1e-9);
        }
        // Projections of the mean are 0; of a state, its centred dot products with the axes.
        assert!(pc.project(&pc.mean).iter().all(|v| v.abs() < 1e-12));
    }

    #[test]
    fn a_network_compared_with_itself_gives_zero_angle_and_cka_one() {
        let mut rng = Rng::new(8, 0);
        let x = states(&mut rng, 30, 12);
        let pc = Components::of(&x, 4);
        assert!(principal_angles(&pc.axes, &pc.axes).iter().all(|a| a.abs() < 1e-6));
        assert!((linear_cka(&x, &x) - 1.0).abs() < 1e-12);
        // A rotation and a scale leave CKA at 1; unrelated states give a small value.
        let q = random_orthogonal(12, &mut rng);
        let mut rotated = x.matmul(&q);
        rotated.scale(3.0);
        assert!((linear_cka(&x, &rotated) - 1.0).abs() < 1e-10);
        let other = states(&mut rng, 30, 12);
        assert!(linear_cka(&x, &other) < 0.6, "{}", linear_cka(&x, &other));
        // Orthogonal subspaces are at 90 degrees.
        let e = |i: usize| (0..12).map(|r| if r == i { 1.0 } else { 0.0 }).collect::<Vec<f64>>();
        let angles = principal_angles(&[e(0), e(1)], &[e(2), e(3)]);
        assert!(angles.iter().all(|a| (a - std::f64::consts::FRAC_PI_2).abs() < 1e-12), "{angles:?}");
    }
}
