//! The network's one-step map under a constant input x:
//!   F(h) = relu((1 − a) h + a (W_rec h + W_in x)).
//! Inside one activation pattern D (the units whose pre-activation is positive) it is affine, so
//! its Jacobian is D((1 − a) I + a W_rec) and a fixed point of a pattern is one linear solve.

use crate::linalg::Mat;

pub struct StepMap<'a> {
    pub w_rec: &'a Mat<f64>,
    /// W_in x: the constant input's drive.
    pub drive: Vec<f64>,
    /// The leak a = dt / tau.
    pub a: f64,
}

impl<'a> StepMap<'a> {
    pub fn new(w_rec: &'a Mat<f64>, w_in: &Mat<f64>, x: &[f64], a: f64) -> StepMap<'a> {
        assert_eq!((w_in.rows, w_in.cols), (w_rec.rows, x.len()), "W_in is N x inputs");
        let drive = (0..w_in.rows).map(|i| w_in.row(i).iter().zip(x).map(|(w, x)| w * x).sum()).collect();
        StepMap { w_rec, drive, a }
    }

    pub fn n(&self) -> usize {
        self.w_rec.rows
    }

    /// u = (1 − a) h + a (W h + b).
    pub fn preactivation(&self, h: &[f64]) -> Vec<f64> {
        let a = self.a;
        (0..self.n())
            .map(|i| {
                let wh: f64 = self.w_rec.row(i).iter().zip(h).map(|(w, h)| w * h).sum();
                (1.0 - a) * h[i] + a * (wh + self.drive[i])
            })
            .collect()
    }

    pub fn step(&self, h: &[f64]) -> Vec<f64> {
        self.preactivation(h).into_iter().map(|u| u.max(0.0)).collect()
    }

    /// q(h) = ½‖F(h) − h‖².
    pub fn q(&self, h: &[f64]) -> f64 {
        0.5 * self.step(h).iter().zip(h).map(|(f, h)| (f - h) * (f - h)).sum::<f64>()
    }

    /// The units on at h (pre-activation > 0).
    pub fn pattern(&self, h: &[f64]) -> Vec<bool> {
        self.preactivation(h).into_iter().map(|u| u > 0.0).collect()
    }

    /// D((1 − a) I + a W) at h, N x N.
    pub fn jacobian(&self, h: &[f64]) -> Mat<f64> {
        let (n, a) = (self.n(), self.a);
        let on = self.pattern(h);
        Mat::from_fn(
            n,
            n,
            |i, j| if on[i] { a * self.w_rec.at(i, j) + if i == j { 1.0 - a } else { 0.0 } } else { 0.0 },
        )
    }

    /// ∇q = (J − I)ᵀ (F(h) − h), and q itself.
    pub fn q_and_gradient(&self, h: &[f64]) -> (f64, Vec<f64>) {
        let (n, a) = (self.n(), self.a);
        let u = self.preactivation(h);
        let r: Vec<f64> = (0..n).map(|i| u[i].max(0.0) - h[i]).collect();
        // Only the units that are on carry r back through W.
        let dr: Vec<f64> = (0..n).map(|i| if u[i] > 0.0 { r[i] } else { 0.0 }).collect();
        let mut g: Vec<f64> = (0..n).map(|j| (1.0 - a) * dr[j] - r[j]).collect();
        for (i, &d) in dr.iter().enumerate() {
            if d != 0.0 {
                for (gj, w) in g.iter_mut().zip(self.w_rec.row(i)) {
                    *gj += a * w * d;
                }
            }
        }
        (0.5 * r.iter().map(|x| x * x).sum::<f64>(), g)
    }

    /// The fixed point of the affine map of pattern `on`: the active units solve
    /// (I − W_SS) h_S = b_S (the leak cancels), the others are 0. `None` where that system is singular.
    pub fn pattern_fixed_point(&self, on: &[bool]) -> Option<Vec<f64>> {
        let s: Vec<usize> = (0..self.n()).filter(|&i| on[i]).collect();
        let m = s.len();
        let mut a = vec![0.0; m * m];
        for (r, &i) in s.iter().enumerate() {
            for (c, &j) in s.iter().enumerate() {
                a[r * m + c] = if i == j { 1.0 } else { 0.0 } - self.w_rec.at(i, j);
            }
        }
        let b: Vec<f64> = s.iter().map(|&i| self.drive[i]).collect();
        let x = super::solve::solve(&a, &b, m)?;
        let mut h = vec![0.0; self.n()];
        for (k, &i) in s.iter().enumerate() {
            h[i] = x[k];
        }
        Some(h)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    #[test]
    fn the_jacobian_and_the_gradient_match_finite_differences() {
        let mut rng = Rng::new(11, 0);
        let n = 12;
        let w = Mat::from_fn(n, n, |_, _| rng.normal() * 0.4);
        let w_in = Mat::from_fn(n, 3, |_, _| rng.normal());
        let map = StepMap::new(&w, &w_in, &[0.5, 1.0, -0.2], 0.2);
        let h: Vec<f64> = (0..n).map(|_| rng.normal().abs()).collect();
        let j = map.jacobian(&h);
        let eps = 1e-6;
        for c in 0..n {
            let (mut hp, mut hm) = (h.clone(), h.clone());
            hp[c] += eps;
            hm[c] -= eps;
            let (fp, fm) = (map.step(&hp), map.step(&hm));
            for r in 0..n {
                let fd = (fp[r] - fm[r]) / (2.0 * eps);
                assert!((fd - j.at(r, c)).abs() < 1e-6, "J[{r},{c}] {fd} vs {}", j.at(r, c));
            }
            let fd = (map.q(&hp) - map.q(&hm)) / (2.0 * eps);
            let g = map.q_and_gradient(&h).1[c];
            assert!((fd - g).abs() < 1e-6 * (1.0 + g.abs()), "dq/dh[{c}] {fd} vs {g}");
        }
    }
}
