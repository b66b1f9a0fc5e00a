//! The structure of the learned change ΔW = W_rec − W_rec(0) (Schuessler et al., NeurIPS 2020): its
//! singular values and effective rank, and how much of its top singular vectors lies in the input
//! weights' span, the readout's span and the start's own top singular subspace.

use crate::linalg::{orthonormalise, svd, Mat};
use crate::metrics::{erank_entropy, erank_pr};

/// One singular triplet of ΔW and its overlaps: the norm of the unit vector's projection on a span
/// (0: orthogonal to it, 1: inside it; a random unit vector has about sqrt(d / N) on a d-dimensional one).
#[derive(Clone, Debug, PartialEq)]
pub struct Direction {
    pub singular_value: f64,
    /// The left vector (where ΔW writes) on W_in's columns.
    pub left_on_input: f64,
    /// The right vector (what ΔW reads) on W_out's rows.
    pub right_on_output: f64,
    /// The left vector on the start's top-k left singular vectors, the right one on its right ones.
    pub left_on_start: f64,
    pub right_on_start: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DeltaStructure {
    /// ΔW's singular values, largest first.
    pub singular_values: Vec<f64>,
    pub erank_entropy: f64,
    pub erank_pr: f64,
    /// ΔW's top `k` directions.
    pub top: Vec<Direction>,
}

/// ΔW's structure for a network with W_in (N x inputs) and W_out (outputs x N); `k` top directions.
pub fn delta_structure(
    w_rec0: &Mat<f64>,
    w_rec: &Mat<f64>,
    w_in: &Mat<f64>,
    w_out: &Mat<f64>,
    k: usize,
) -> DeltaStructure {
    let n = w_rec.rows;
    let d = svd(&w_rec.sub(w_rec0));
    let start = svd(w_rec0);
    let k = k.min(n);
    let column = |m: &Mat<f64>, c: usize| (0..m.rows).map(|r| m.at(r, c)).collect::<Vec<f64>>();
    let input = basis((0..w_in.cols).map(|c| column(w_in, c)));
    let output = basis((0..w_out.rows).map(|r| w_out.row(r).to_vec()));
    let start_left = basis((0..k).map(|c| column(&start.u, c)));
    let start_right = basis((0..k).map(|c| column(&start.v, c)));
    let top = (0..k)
        .map(|i| {
            let (u, v) = (column(&d.u, i), column(&d.v, i));
            Direction {
                singular_value: d.s[i],
                left_on_input: on(&u, &input),
                right_on_output: on(&v, &output),
                left_on_start: on(&u, &start_left),
                right_on_start: on(&v, &start_right),
            }
        })
        .collect();
    DeltaStructure { erank_entropy: erank_entropy(&d.s), erank_pr: erank_pr(&d.s), singular_values: d.s, top }
}

/// An orthonormal basis of the vectors' span (dependent ones dropped).
fn basis(vectors: impl Iterator<Item = Vec<f64>>) -> Vec<Vec<f64>> {
    let mut b: Vec<Vec<f64>> = Vec::new();
    for v in vectors {
        if let Some(q) = orthonormalise(v, &b) {
            b.push(q);
        }
    }
    b
}

/// The norm of the unit vector x's projection on the orthonormal `basis`.
fn on(x: &[f64], basis: &[Vec<f64>]) -> f64 {
    basis.iter().map(|b| b.iter().zip(x).map(|(b, x)| b * x).sum::<f64>().powi(2)).sum::<f64>().sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    #[test]
    fn a_rank_one_change_from_input_to_readout_is_found_with_its_overlaps() {
        let mut rng = Rng::new(9, 0);
        let n = 20;
        let w0 = Mat::from_fn(n, n, |_, _| rng.normal() / (n as f64).sqrt());
        let w_in = Mat::from_fn(n, 2, |_, _| rng.normal());
        let w_out = Mat::from_fn(3, n, |_, _| rng.normal());
        // ΔW = 2 (w_in column 0)(w_out row 1)ᵀ, normalised: writes along an input, reads a readout.
        let u: Vec<f64> = (0..n).map(|r| w_in.at(r, 0)).collect();
        let v: Vec<f64> = w_out.row(1).to_vec();
        let (nu, nv) = (u.iter().map(|x| x * x).sum::<f64>().sqrt(), v.iter().map(|x| x * x).sum::<f64>().sqrt());
        let w = Mat::from_fn(n, n, |r, c| w0.at(r, c) + 2.0 * u[r] / nu * v[c] / nv);
        let s = delta_structure(&w0, &w, &w_in, &w_out, 2);
        assert!((s.singular_values[0] - 2.0).abs() < 1e-9, "{:?}", &s.singular_values[..3]);
        assert!(s.singular_values[1] < 1e-6);
        // The SVD squares W (svd.rs), so the zero singular values come out near 1e-8 and the
        // effective ranks sit just above 1.
        assert!(
            (s.erank_pr - 1.0).abs() < 1e-5 && (s.erank_entropy - 1.0).abs() < 1e-4,
            "{} {}",
            s.erank_pr,
            s.erank_entropy
        );
        let top = &s.top[0];
        assert!((top.left_on_input - 1.0).abs() < 1e-9 && (top.right_on_output - 1.0).abs() < 1e-9, "{top:?}");
        assert!(top.left_on_start < 0.9 && top.right_on_start < 0.9, "{top:?}");
    }

    #[test]
    fn a_change_inside_the_starts_top_subspace_overlaps_it_fully() {
        let mut rng = Rng::new(10, 0);
        let n = 16;
        let w0 = Mat::from_fn(n, n, |_, _| rng.normal());
        let mut w = w0.clone();
        w.scale(1.5); // ΔW = 0.5 W0: the same singular vectors
        let w_in = Mat::from_fn(n, 1, |_, _| rng.normal());
        let w_out = Mat::from_fn(1, n, |_, _| rng.normal());
        let s = delta_structure(&w0, &w, &w_in, &w_out, 3);
        assert!(s.top.iter().all(|d| (d.left_on_start - 1.0).abs() < 1e-8 && (d.right_on_start - 1.0).abs() < 1e-8));
    }
}
