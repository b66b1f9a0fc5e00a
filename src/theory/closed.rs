//! Closed forms for the change of the tangent kernel and of the weights of the
//! two-layer linear student (our derivations; the module documentation states
//! which result is the paper's). Gradient flow, whitened inputs, w2(0) = 0.
//!
//! With `X X^T = n I` the kernel over the inputs is `X^T M X` with the d x d
//! operator `M = W1^T W1 + |w2|^2 I`, and `<X^T A X, X^T B X>_F = n^2 <A, B>_F`,
//! so kernel alignment over the inputs equals the alignment of the operators.

/// Predicted changes: `kernel` = 1 - alignment of the final tangent kernel with
/// the initial one, `dw1` = |W1(end) - W1(0)|_F, `dw2` = |w2(end)| (w2 starts at 0).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Prediction {
    pub kernel: f64,
    pub dw1: f64,
    pub dw2: f64,
}

/// The rich limit of a small first layer, |W1(0)|_F -> 0 (relative to
/// |beta|^(1/2)), from any spectrum. `W1 W1^T - w2 w2^T` is conserved and
/// O(|W1(0)|^2), and the flow ends where `W1^T w2 = beta`; together these put
/// the end at the balanced rank-one solution, `W1^T W1 = |beta| b b^T` and
/// `|w2|^2 = |beta|` (b = beta / |beta|), up to O(|W1(0)|^2). So the kernel
/// operator goes from `G = W1(0)^T W1(0)` to `|beta| (I + b b^T)`, and
///
///   1 - alignment = 1 - (tr G + b^T G b) / (|G|_F sqrt(d + 3)).
///
/// Since `tr G / |G|_F = sqrt(PR)`, PR the participation ratio of the squared
/// singular values, the change falls as the spectrum flattens (higher
/// effective rank) and vanishes for the flat one only as d grows.
/// `lambda` are the eigenvalues of G (squared singular values of W1(0)), `b[i]`
/// the teacher's unit direction in G's eigenbasis. The first layer moves by
/// `|beta|^(1/2) - |W1(0) b|` to first order (its part along b is replaced by the new mode).
pub fn rich_limit(lambda: &[f64], b: &[f64], beta_norm: f64) -> Prediction {
    let d = lambda.len();
    assert_eq!(b.len(), d);
    let tr: f64 = lambda.iter().sum();
    let frob = lambda.iter().map(|l| l * l).sum::<f64>().sqrt();
    let along: f64 = lambda.iter().zip(b).map(|(l, b)| l * b * b).sum();
    let alignment = (tr + along) / (frob * (d as f64 + 3.0).sqrt());
    Prediction {
        kernel: (1.0 - alignment).max(0.0),
        dw1: (beta_norm.sqrt() - along.sqrt()).abs(),
        dw2: beta_norm.sqrt(),
    }
}

/// Exact for gradient flow from a rank-one start `W1 = norm u v^T`, w2 = 0,
/// in `d` input dimensions, teacher of norm `beta_norm` at cosine `cos` with v.
/// The weights stay rank one, `W1 = u c^T` and `w2 = alpha u`, because every
/// update is along u; `|c|^2 - alpha^2 = norm^2` is conserved and the flow
/// ends where `alpha c = beta`, so whatever the path
///
///   |c|^2 = (norm^2 + sqrt(norm^4 + 4 |beta|^2)) / 2,   alpha^2 = |c|^2 - norm^2,
///
/// and the kernel operator goes from `norm^2 v v^T` to `|c|^2 b b^T + alpha^2 I`:
///
///   1 - alignment = 1 - (|c|^2 cos^2 + alpha^2) / sqrt(|c|^4 + 2 |c|^2 alpha^2 + d alpha^4).
///
/// (Exact on the rank-one solution; the flow can leave it when tiny
/// perturbations seed new hidden directions faster than c can turn.)
pub fn rank_one(norm: f64, cos: f64, beta_norm: f64, d: usize) -> Prediction {
    let n2 = norm * norm;
    let root = (n2 * n2 + 4.0 * beta_norm * beta_norm).sqrt();
    let c2 = 0.5 * (n2 + root);
    // alpha^2 = (root - n2) / 2, written without cancellation.
    let a2 = 2.0 * beta_norm * beta_norm / (n2 + root);
    let alignment = (c2 * cos * cos + a2) / (c2 * c2 + 2.0 * c2 * a2 + d as f64 * a2 * a2).sqrt();
    // c turns from norm v to |c| b (alpha keeps the sign of v . beta).
    // |c - norm v|^2 = (|c| - norm)^2 + 2 norm |c| (1 - |cos|), with |c| - norm = alpha^2 / (|c| + norm).
    let c = c2.sqrt();
    let grow = a2 / (c + norm);
    let dw1 = (grow * grow + 2.0 * norm * c * (1.0 - cos.abs().min(1.0))).sqrt();
    Prediction { kernel: (1.0 - alignment).max(0.0), dw1, dw2: a2.sqrt() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_one_conserves_and_fits() {
        // |c|^2 - alpha^2 = norm^2 and alpha |c| = |beta|.
        for (norm, beta) in [(0.3, 1.0), (2.0, 1.0), (5.0, 0.2)] {
            let n2: f64 = norm * norm;
            let c2 = 0.5 * (n2 + (n2 * n2 + 4.0 * beta * beta).sqrt());
            let p = rank_one(norm, 1.0, beta, 10);
            assert!((c2 - p.dw2 * p.dw2 - n2).abs() < 1e-12);
            assert!((c2.sqrt() * p.dw2 - beta).abs() < 1e-12);
            // Aligned: c only grows, by |c| - norm.
            assert!((p.dw1 - (c2.sqrt() - norm)).abs() < 1e-12);
        }
    }

    #[test]
    fn rank_one_aligned_start_is_lazier_the_larger_the_norm() {
        let k: Vec<f64> = [0.5, 1.0, 2.0, 4.0].iter().map(|&n| rank_one(n, 1.0, 1.0, 50).kernel).collect();
        assert!(k.windows(2).all(|w| w[1] < w[0]), "{k:?}");
        assert!(rank_one(4.0, 1.0, 1.0, 50).kernel < 1e-3);
        assert!(rank_one(4.0, 0.1, 1.0, 50).kernel > 0.9);
    }

    #[test]
    fn rich_limit_is_smallest_for_a_flat_spectrum() {
        let d = 8;
        let b = vec![1.0 / (d as f64).sqrt(); d];
        let flat = rich_limit(&vec![1.0; d], &b, 1.0).kernel;
        // I vs I + b b^T: (d + 1) / sqrt(d (d + 3)).
        assert!((flat - (1.0 - 9.0 / (8.0f64 * 11.0).sqrt())).abs() < 1e-12);
        let mut steep = vec![0.0; d];
        steep[0] = 1.0;
        assert!(
            rich_limit(&steep, &b, 1.0).kernel > rich_limit(&[4.0, 3.0, 2.0, 1.0, 1.0, 0.5, 0.5, 0.1], &b, 1.0).kernel
        );
        assert!(rich_limit(&[4.0, 3.0, 2.0, 1.0, 1.0, 0.5, 0.5, 0.1], &b, 1.0).kernel > flat);
    }
}
