//! The two controls for a measured wiring diagram: what survives when its
//! structure is destroyed but its weights kept (shuffle), and when its
//! spectrum is kept but its singular vectors randomised.

use super::{InitSpec, Start};
use crate::linalg::{random_orthogonal, singular_values, Mat};
use crate::rng::Rng;

/// The same entries, zeros included, at uniformly random positions.
pub fn shuffled(w: &Mat<f64>, rng: &mut Rng) -> Mat<f64> {
    let mut data = w.data.clone();
    rng.shuffle(&mut data);
    Mat::from_vec(w.rows, w.cols, data)
}

/// U diag(s) V^T with `w`'s singular values s and Haar-random U, V.
pub fn same_spectrum(w: &Mat<f64>, rng: &mut Rng) -> Mat<f64> {
    let n = w.rows;
    let s = singular_values(w);
    let u = random_orthogonal(n, rng);
    let v = random_orthogonal(n, rng);
    Mat::from_fn(n, n, |r, c| u.at(r, c) * s[c]).matmul_t(&v)
}

/// The two controls of a measured wiring.
#[derive(Clone, Copy)]
pub enum Control {
    Shuffled,
    Spectrum,
}

/// A measured wiring (a worm connectome, a V1 draw, the fly's patch, a reader's file) or one of its
/// two controls, with the wiring's own size: the controls keep its scale factor, so that the shuffle
/// holds exactly its weights and the spectrum control exactly its singular values.
pub fn measured(spec: &InitSpec, c: Mat<f64>, control: Option<Control>, rng: &mut Rng) -> Start {
    let size = spec.scale.of(&c);
    let w = match control {
        Some(Control::Shuffled) => shuffled(&c, rng),
        Some(Control::Spectrum) => same_spectrum(&c, rng),
        None => c,
    };
    Start::Sized(w, size)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sparse(n: usize, rng: &mut Rng) -> Mat<f64> {
        Mat::from_fn(n, n, |_, _| if rng.uniform() < 0.1 { (1 + rng.below(5)) as f64 } else { 0.0 })
    }

    #[test]
    fn shuffle_keeps_the_weights() {
        let mut rng = Rng::new(1, 0);
        let w = sparse(30, &mut rng);
        let s = shuffled(&w, &mut rng);
        let sorted = |m: &Mat<f64>| {
            let mut d = m.data.clone();
            d.sort_by(f64::total_cmp);
            d
        };
        assert_eq!(sorted(&w), sorted(&s));
        assert_ne!(w, s);
    }

    #[test]
    fn spectrum_control_keeps_the_singular_values() {
        let mut rng = Rng::new(2, 0);
        let w = sparse(30, &mut rng);
        let c = same_spectrum(&w, &mut rng);
        let (a, b) = (singular_values(&w), singular_values(&c));
        // Singular values come from W^T W, so zeros resolve only to about sqrt(eps) s_1.
        assert!(a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-6 * a[0]), "{a:?} {b:?}");
        assert!(c.data.iter().any(|&x| x < 0.0), "random singular vectors give mixed signs");
    }
}
