//! The grokking study's data and network, and one epoch of full-batch gradient descent.
//!
//! The net `f(x) = alpha (1/N) sum_i phi(w_i.x)`, `phi(h) = h + eps h^2 / 2`, depends on its
//! weights only through `wbar = (1/N) sum_i w_i` and `M = (1/N) sum_i w_i w_i^T`:
//! `f(x) = alpha wbar.x + (alpha eps / 2) x^T M x`. So with `F = f(x; W) - f(x; W0)` and
//! `y = x^T (beta beta^T / 2) x` the error is a quadratic form,
//! `F(x) - y = b.x + x^T A x`, `b = alpha (wbar - wbar0)`, `A = (alpha eps / 2)(M - M0) - beta beta^T / 2`,
//! and the gradient needs only `g = sum_mu r_mu x_mu` and `G = sum_mu r_mu x_mu x_mu^T`
//! (`r` the training residuals): an epoch costs `O((P + N) D^2)` in matrix products instead of
//! the `O(P N D)` of evaluating every unit on every point, with the same result.

use crate::linalg::Mat;
use crate::rng::Rng;

/// One random stream per purpose, so that changing P leaves beta, W0 and the test set alone.
const STREAM_BETA: u64 = 0x67_0001;
const STREAM_TRAIN: u64 = 0x67_0002;
const STREAM_TEST: u64 = 0x67_0003;
const STREAM_WEIGHTS: u64 = 0x67_0004;

/// Points `x ~ N(0, I/D)` as the rows of a matrix.
fn points(rows: usize, d: usize, rng: &mut Rng) -> Mat<f64> {
    let s = 1.0 / (d as f64).sqrt();
    Mat::from_fn(rows, d, |_, _| s * rng.normal())
}

/// The task: training and test inputs with their targets `y = (beta.x)^2 / 2`.
pub struct Problem {
    pub x: Mat<f64>,
    pub y: Vec<f64>,
    pub xt: Mat<f64>,
    pub yt: Vec<f64>,
    /// `beta beta^T / 2`: the target is `x^T target x`.
    pub target: Mat<f64>,
}

impl Problem {
    pub fn draw(d: usize, p: usize, test: usize, seed: u64) -> Problem {
        let mut rng = Rng::new(seed, STREAM_BETA);
        let beta: Vec<f64> = (0..d).map(|_| rng.normal()).collect();
        let target = Mat::from_fn(d, d, |a, b| beta[a] * beta[b] / 2.0);
        let label = |x: &Mat<f64>| -> Vec<f64> {
            (0..x.rows)
                .map(|r| {
                    let h: f64 = x.row(r).iter().zip(&beta).map(|(a, b)| a * b).sum();
                    h * h / 2.0
                })
                .collect()
        };
        let x = points(p, d, &mut Rng::new(seed, STREAM_TRAIN));
        let xt = points(test, d, &mut Rng::new(seed, STREAM_TEST));
        Problem { y: label(&x), yt: label(&xt), x, xt, target }
    }

    pub fn d(&self) -> usize {
        self.x.cols
    }

    /// `beta beta^T`, the direction `M - M0` should learn.
    pub fn beta_beta(&self) -> Mat<f64> {
        self.target.map(|v| 2.0 * v)
    }
}

/// Initial weights `W_ij ~ N(0, 1)`, N x D.
pub fn initial_weights(n: usize, d: usize, seed: u64) -> Mat<f64> {
    let mut rng = Rng::new(seed, STREAM_WEIGHTS);
    Mat::from_fn(n, d, |_, _| rng.normal())
}

/// `wbar` and `M` of weights `w` (N x D).
pub fn moments(w: &Mat<f64>) -> (Vec<f64>, Mat<f64>) {
    let n = w.rows as f64;
    let wbar = (0..w.cols).map(|c| (0..w.rows).map(|r| w.at(r, c)).sum::<f64>() / n).collect();
    let mut m = w.t_matmul(w);
    m.scale(1.0 / n);
    (wbar, m)
}

/// The error `F(x) - y = b.x + x^T A x` of the current net.
pub struct Form {
    pub b: Vec<f64>,
    pub a: Mat<f64>,
}

impl Form {
    /// `F(x) - y` at each row of `x`.
    pub fn residuals(&self, x: &Mat<f64>) -> Vec<f64> {
        let xa = x.matmul(&self.a);
        (0..x.rows)
            .map(|r| x.row(r).iter().zip(xa.row(r)).zip(&self.b).map(|((xi, axi), bi)| xi * (axi + bi)).sum())
            .collect()
    }

    /// The exact test loss for `x ~ N(0, I/D)` in its three parts (summing to it):
    /// `(tr A / D)^2`, `2 |A|_F^2 / D^2`, `|b|^2 / D`.
    ///
    /// With `x = z / sqrt(D)`, `z ~ N(0, I)`, and the loss the plain mean of `(F - y)^2` (no 1/2):
    /// `E (b.x + x^T A x)^2 = E (b.x)^2 + 2 E (b.x)(x^T A x) + E (x^T A x)^2`, where
    /// `E (b.x)^2 = b^T E[x x^T] b = |b|^2 / D`; the cross term is odd in `x`, so zero; and
    /// `E (x^T A x)^2 = D^-2 sum_abcd A_ab A_cd E[z_a z_b z_c z_d]
    ///               = D^-2 sum_abcd A_ab A_cd (d_ab d_cd + d_ac d_bd + d_ad d_bc)
    ///               = D^-2 ((tr A)^2 + 2 |A|_F^2)` for symmetric `A` (`M`, `M0` and `beta beta^T` are).
    pub fn exact_loss_parts(&self) -> [f64; 3] {
        let d = self.b.len() as f64;
        let tr: f64 = (0..self.a.rows).map(|i| self.a.at(i, i)).sum();
        let fro2 = self.a.frob_dot(&self.a);
        let b2: f64 = self.b.iter().map(|v| v * v).sum();
        [(tr / d) * (tr / d), 2.0 * fro2 / (d * d), b2 / d]
    }
}

/// Mean of squares: the loss (the authors' notebook uses the plain mean, no 1/2).
pub fn mse(r: &[f64]) -> f64 {
    r.iter().map(|v| v * v).sum::<f64>() / r.len() as f64
}

/// The trained first layer with its start and scales.
#[derive(Clone)]
pub struct Net {
    pub alpha: f64,
    pub eps: f64,
    pub w: Mat<f64>,
    wbar0: Vec<f64>,
    m0: Mat<f64>,
}

impl Net {
    pub fn new(w0: Mat<f64>, alpha: f64, eps: f64) -> Net {
        let (wbar0, m0) = moments(&w0);
        Net { alpha, eps, w: w0, wbar0, m0 }
    }

    pub fn m0(&self) -> &Mat<f64> {
        &self.m0
    }

    /// `b` and `A` of the current weights, with their `wbar` and `M`.
    pub fn form(&self, target: &Mat<f64>) -> (Form, Vec<f64>, Mat<f64>) {
        let (wbar, m) = moments(&self.w);
        let b = wbar.iter().zip(&self.wbar0).map(|(w, w0)| self.alpha * (w - w0)).collect();
        let k = self.alpha * self.eps / 2.0;
        let a = Mat::from_vec(
            m.rows,
            m.cols,
            m.data.iter().zip(&self.m0.data).zip(&target.data).map(|((m, m0), t)| k * (m - m0) - t).collect(),
        );
        (Form { b, a }, wbar, m)
    }

    /// The gradient of the training loss `(1/P) sum_mu r_mu^2` given the residuals `r` at the rows of `x`:
    /// `dL/dw_i = (2/P) sum_mu r_mu (alpha/N) phi'(w_i.x_mu) x_mu = (2 alpha / (P N)) (g + eps G w_i)`.
    pub fn gradient(&self, x: &Mat<f64>, r: &[f64]) -> Mat<f64> {
        let (p, d) = (x.rows, x.cols);
        let xr = Mat::from_fn(p, d, |mu, a| r[mu] * x.at(mu, a));
        let g: Vec<f64> = (0..d).map(|a| (0..p).map(|mu| xr.at(mu, a)).sum()).collect();
        let mut grad = self.w.matmul(&xr.t_matmul(x));
        let s = 2.0 * self.alpha / (p as f64 * self.w.rows as f64);
        for row in grad.data.chunks_mut(d) {
            for (v, ga) in row.iter_mut().zip(&g) {
                *v = s * (ga + self.eps * *v);
            }
        }
        grad
    }

    /// One full-batch step `W -= eta dL/dW` with `eta = c N / alpha^2`.
    pub fn step(&mut self, x: &Mat<f64>, r: &[f64], c: f64) {
        let eta = c * self.w.rows as f64 / (self.alpha * self.alpha);
        let grad = self.gradient(x, r);
        self.w.data.iter_mut().zip(&grad.data).for_each(|(w, g)| *w -= eta * g);
    }

    /// `|W| / |W0|` (Frobenius), from `tr M / tr M0`.
    pub fn norm_ratio(&self, m: &Mat<f64>) -> f64 {
        let tr = |m: &Mat<f64>| (0..m.rows).map(|i| m.at(i, i)).sum::<f64>();
        (tr(m) / tr(&self.m0)).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The net's loss the slow, plain way: every unit on every point.
    fn loss_direct(w: &Mat<f64>, w0: &Mat<f64>, alpha: f64, eps: f64, x: &Mat<f64>, y: &[f64]) -> f64 {
        let f = |w: &Mat<f64>, xr: &[f64]| -> f64 {
            let n = w.rows as f64;
            (0..w.rows)
                .map(|i| {
                    let h: f64 = w.row(i).iter().zip(xr).map(|(a, b)| a * b).sum();
                    h + eps * h * h / 2.0
                })
                .sum::<f64>()
                * alpha
                / n
        };
        (0..x.rows)
            .map(|mu| {
                let e = f(w, x.row(mu)) - f(w0, x.row(mu)) - y[mu];
                e * e
            })
            .sum::<f64>()
            / x.rows as f64
    }

    fn moved(prob: &Problem, n: usize, alpha: f64, eps: f64) -> Net {
        let mut net = Net::new(initial_weights(n, prob.d(), 4), alpha, eps);
        for _ in 0..5 {
            let r = net.form(&prob.target).0.residuals(&prob.x);
            net.step(&prob.x, &r, 2.0);
        }
        net
    }

    #[test]
    fn residuals_and_gradient_match_the_plain_net_and_central_differences() {
        let prob = Problem::draw(5, 12, 1, 3);
        let (alpha, eps) = (1.7, 0.3);
        let w0 = initial_weights(4, 5, 4);
        let net = moved(&prob, 4, alpha, eps);
        let r = net.form(&prob.target).0.residuals(&prob.x);
        let direct = loss_direct(&net.w, &w0, alpha, eps, &prob.x, &prob.y);
        assert!((mse(&r) - direct).abs() < 1e-12 * direct, "{} vs {direct}", mse(&r));
        let grad = net.gradient(&prob.x, &r);
        let h = 1e-5;
        for k in 0..net.w.data.len() {
            let mut wp = net.w.clone();
            let mut wm = net.w.clone();
            wp.data[k] += h;
            wm.data[k] -= h;
            let fd = (loss_direct(&wp, &w0, alpha, eps, &prob.x, &prob.y)
                - loss_direct(&wm, &w0, alpha, eps, &prob.x, &prob.y))
                / (2.0 * h);
            assert!(
                (fd - grad.data[k]).abs() < 1e-8 * (1.0 + fd.abs()),
                "weight {k}: finite difference {fd}, gradient {}",
                grad.data[k]
            );
        }
    }

    #[test]
    fn three_part_formula_equals_the_sampled_test_loss() {
        // A moved net (b and M - M0 both nonzero), its error on 200k fresh points against the formula.
        let prob = Problem::draw(6, 30, 200_000, 9);
        let net = moved(&prob, 8, 1.3, 0.5);
        let (form, _, _) = net.form(&prob.target);
        let r = form.residuals(&prob.xt);
        let sampled = mse(&r);
        let parts = form.exact_loss_parts();
        let exact: f64 = parts.iter().sum();
        // The sample mean's standard error from the sample's own spread.
        let var = r.iter().map(|v| (v * v - sampled).powi(2)).sum::<f64>() / r.len() as f64;
        let se = (var / r.len() as f64).sqrt();
        assert!(
            parts.iter().all(|&p| p > 6.0 * se),
            "a wrong or missing part must show: parts {parts:?}, standard error {se}"
        );
        assert!((sampled - exact).abs() < 4.0 * se, "sampled {sampled}, exact {exact}, standard error {se}");
    }
}
