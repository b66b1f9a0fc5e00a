//! The perceptron's data: x in R^d with x_2..x_d standard normal and x_1 = ±sqrt(2G),
//! G ~ Gamma((chi + 1)/2, 1), so that |x_1| has density ∝ |x_1|^chi e^{-x_1²/2} (chi = 0: Gaussian;
//! chi > 0 thins the points near the boundary x_1 = 0); label y = sign(x_1).

use crate::rng::Rng;

/// Points stored as the vectors the dynamics uses, `z = y x / sqrt(d)`: the margin of a weight
/// change u is `u.z` and a hinge step adds a multiple of z.
pub struct Points {
    pub d: usize,
    /// Row-major, one row of d per point.
    pub z: Vec<f64>,
    /// |z| per point.
    pub norm: Vec<f64>,
    /// The signed first coordinate x_1 (its sign is the label), for the page's picture.
    pub x1: Vec<f64>,
}

impl Points {
    /// `n` points drawn in order from `rng`: the first k of a larger sample are a sample of k.
    pub fn sample(rng: &mut Rng, chi: f64, d: usize, n: usize) -> Points {
        let scale = 1.0 / (d as f64).sqrt();
        let mut pts =
            Points { d, z: Vec::with_capacity(n * d), norm: Vec::with_capacity(n), x1: Vec::with_capacity(n) };
        for _ in 0..n {
            let x1 = first_coordinate(rng, chi);
            let y = if x1 < 0.0 { -1.0 } else { 1.0 };
            pts.x1.push(x1);
            pts.z.push(y * x1 * scale);
            for _ in 1..d {
                pts.z.push(y * rng.normal() * scale);
            }
            pts.norm.push(norm(pts.row(pts.x1.len() - 1)));
        }
        pts
    }

    pub fn len(&self) -> usize {
        self.x1.len()
    }

    pub fn row(&self, i: usize) -> &[f64] {
        &self.z[i * self.d..(i + 1) * self.d]
    }

    /// The margin `u.z_i` (a fixed-order sum: every caller gets the same bits).
    pub fn margin(&self, u: &[f64], i: usize) -> f64 {
        dot(u, self.row(i))
    }

    /// The fraction of points that `u` gets wrong (margin <= 0, a tie counting as wrong).
    pub fn error(&self, u: &[f64]) -> f64 {
        (0..self.len()).filter(|&i| self.margin(u, i) <= 0.0).count() as f64 / self.len() as f64
    }
}

/// x_1 = ±sqrt(2G), G ~ Gamma((chi + 1)/2, 1), the sign a fair coin.
pub fn first_coordinate(rng: &mut Rng, chi: f64) -> f64 {
    let r = (2.0 * rng.gamma((chi + 1.0) / 2.0)).sqrt();
    if rng.next_u64() >> 63 == 1 {
        -r
    } else {
        r
    }
}

pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut s = 0.0;
    for (x, y) in a.iter().zip(b) {
        s += x * y;
    }
    s
}

pub fn norm(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The CDF of |x_1| = sqrt(2G): P(G <= s²/2), the regularized lower incomplete gamma function
    /// at shape (chi + 1)/2, in closed form for chi = 0, 1, 2.
    fn cdf_abs_x1(chi: u32, s: f64) -> f64 {
        let g = s * s / 2.0;
        match chi {
            0 => libm::erf(g.sqrt()),
            1 => 1.0 - libm::exp(-g),
            2 => libm::erf(g.sqrt()) - 2.0 * (g / std::f64::consts::PI).sqrt() * libm::exp(-g),
            _ => unreachable!(),
        }
    }

    /// Kolmogorov-Smirnov distance of |x_1| against its CDF, and the sign balance.
    #[test]
    fn x1_marginal_matches_its_density() {
        let n = 20_000;
        for chi in [0, 1, 2] {
            let mut rng = Rng::new(5, 1);
            let xs: Vec<f64> = (0..n).map(|_| first_coordinate(&mut rng, chi as f64)).collect();
            let negative = xs.iter().filter(|x| **x < 0.0).count() as f64 / n as f64;
            assert!((negative - 0.5).abs() < 0.015, "chi {chi}: {negative} negative");
            let mut a: Vec<f64> = xs.iter().map(|x| x.abs()).collect();
            a.sort_by(f64::total_cmp);
            let ks = a.iter().enumerate().map(|(i, &s)| {
                let f = cdf_abs_x1(chi, s);
                (f - i as f64 / n as f64).abs().max(((i + 1) as f64 / n as f64 - f).abs())
            });
            let ks = ks.fold(0.0, f64::max);
            // 1.63 / sqrt(n) is the 1% critical value.
            assert!(ks < 1.63 / (n as f64).sqrt(), "chi {chi}: KS {ks}");
        }
        // The test tells the shapes apart: chi 1's sample against chi 0's CDF fails.
        let mut rng = Rng::new(5, 1);
        let mut a: Vec<f64> = (0..n).map(|_| first_coordinate(&mut rng, 1.0).abs()).collect();
        a.sort_by(f64::total_cmp);
        let ks = a.iter().enumerate().map(|(i, &s)| (cdf_abs_x1(0, s) - i as f64 / n as f64).abs()).fold(0.0, f64::max);
        assert!(ks > 0.1, "chi 1 against the chi 0 CDF: KS {ks}");
    }

    #[test]
    fn points_carry_label_times_input_over_sqrt_d() {
        let mut rng = Rng::new(9, 1);
        let pts = Points::sample(&mut rng, 0.0, 4, 50);
        for i in 0..pts.len() {
            assert!(pts.row(i)[0] > 0.0 && (pts.row(i)[0] - pts.x1[i].abs() / 2.0).abs() < 1e-15);
            assert_eq!(pts.norm[i], norm(pts.row(i)));
        }
        // A prefix of a larger sample is the smaller sample.
        let mut rng = Rng::new(9, 1);
        let small = Points::sample(&mut rng, 0.0, 4, 20);
        assert_eq!(small.z[..], pts.z[..80]);
        // u = e_1 classifies every point right; -e_1 every point wrong.
        assert_eq!(pts.error(&[1.0, 0.0, 0.0, 0.0]), 0.0);
        assert_eq!(pts.error(&[-1.0, 0.0, 0.0, 0.0]), 1.0);
    }
}
