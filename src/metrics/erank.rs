//! Effective ranks of a singular spectrum (the paper reports both).

/// exp of the entropy of p_i = s_i / sum s (Roy & Vetterli 2007).
pub fn erank_entropy(s: &[f64]) -> f64 {
    let total: f64 = s.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    let h: f64 = s
        .iter()
        .filter(|&&x| x > 0.0)
        .map(|&x| {
            let p = x / total;
            -p * libm::log(p)
        })
        .sum();
    libm::exp(h)
}

/// Participation ratio (sum s)^2 / sum s^2.
pub fn erank_pr(s: &[f64]) -> f64 {
    let sum: f64 = s.iter().sum();
    let sq: f64 = s.iter().map(|x| x * x).sum();
    if sq <= 0.0 {
        0.0
    } else {
        sum * sum / sq
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flat_spectrum_has_full_rank() {
        let s = [2.0; 10];
        assert!((erank_entropy(&s) - 10.0).abs() < 1e-12);
        assert!((erank_pr(&s) - 10.0).abs() < 1e-12);
    }

    #[test]
    fn single_value_has_rank_one_and_zeros_do_not_count() {
        let s = [5.0, 0.0, 0.0, 0.0];
        assert!((erank_entropy(&s) - 1.0).abs() < 1e-12);
        assert!((erank_pr(&s) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn hand_computed_two_level_spectrum() {
        // s = (3, 1): p = (3/4, 1/4); H = -(.75 ln .75 + .25 ln .25) = 0.5623351446;
        // PR = 16 / 10 = 1.6.
        let s = [3.0, 1.0];
        assert!((erank_entropy(&s) - 0.5623351446188083f64.exp()).abs() < 1e-12);
        assert!((erank_pr(&s) - 1.6).abs() < 1e-12);
    }

    #[test]
    fn empty_or_zero_spectrum_is_rank_zero() {
        assert_eq!(erank_entropy(&[0.0, 0.0]), 0.0);
        assert_eq!(erank_pr(&[]), 0.0);
    }
}
