//! The mean-field fully connected net of the authors' code (`edm/architecture.py`, `mlp`):
//! `L` hidden layers of width `h`, no biases, every weight N(0, 1) at the start,
//! `z_l = W_l x_(l-1) / sqrt(n_(l-1))`, `x_l = phi(z_l)`, and the mean-field readout
//! `f = a . x_L / h`. `phi` is GELU divided by its root mean square under a standard normal
//! (the authors' `normalize_act`), so every layer's units start with unit second moment.
//!
//! Ours: GELU is the exact form `z Phi(z)` with `libm::erf` (jax's `gelu` defaults to the tanh
//! approximation; the two differ by under 1e-3), and its normaliser is a fixed quadrature
//! instead of the authors' Monte-Carlo estimate. Everything is f64 in fixed-order loops, so
//! native and wasm give the same bits.

/// 1 / sqrt(2 pi).
const INV_SQRT_2PI: f64 = 0.398_942_280_401_432_7;

fn gelu(z: f64) -> f64 {
    z * 0.5 * (1.0 + libm::erf(z * std::f64::consts::FRAC_1_SQRT_2))
}

/// d gelu / dz = Phi(z) + z phi(z).
fn gelu_slope(z: f64) -> f64 {
    0.5 * (1.0 + libm::erf(z * std::f64::consts::FRAC_1_SQRT_2)) + z * INV_SQRT_2PI * libm::exp(-0.5 * z * z)
}

/// sqrt(E[gelu(z)^2]) for z ~ N(0, 1), by composite Simpson on [-12, 12] (the tails beyond add < 1e-30).
fn gelu_rms() -> f64 {
    let (n, lo, hi) = (4800usize, -12.0f64, 12.0f64);
    let step = (hi - lo) / n as f64;
    let mut s = 0.0;
    for i in 0..=n {
        let z = lo + step * i as f64;
        let w = if i == 0 || i == n {
            1.0
        } else if i % 2 == 1 {
            4.0
        } else {
            2.0
        };
        let g = gelu(z);
        s += w * g * g * INV_SQRT_2PI * libm::exp(-0.5 * z * z);
    }
    (s * step / 3.0).sqrt()
}

/// The architecture; the weights live in one flat vector: W_1 (h x d), W_2..W_L (h x h), a (h).
#[derive(Clone, Debug)]
pub struct Mlp {
    pub d: usize,
    pub h: usize,
    pub layers: usize,
    /// 1 / rms of GELU.
    inv_c: f64,
}

impl Mlp {
    pub fn new(d: usize, h: usize, layers: usize) -> Mlp {
        assert!(layers >= 1 && h >= 1 && d >= 1);
        Mlp { d, h, layers, inv_c: 1.0 / gelu_rms() }
    }

    fn fan_in(&self, l: usize) -> usize {
        if l == 0 {
            self.d
        } else {
            self.h
        }
    }

    /// Where layer l's matrix starts in the flat weights (l = layers: the readout).
    fn offset(&self, l: usize) -> usize {
        if l == 0 {
            0
        } else {
            self.d * self.h + (l - 1) * self.h * self.h
        }
    }

    pub fn n_weights(&self) -> usize {
        self.offset(self.layers) + self.h
    }

    /// Scratch for one input's pre- and post-activations: 2 L h numbers.
    pub fn scratch(&self) -> Vec<f64> {
        vec![0.0; 2 * self.layers * self.h]
    }

    /// f(w, x); `acts` keeps z_l at [2 l h, (2 l + 1) h) and x_l after it, for `backward`.
    pub fn forward(&self, w: &[f64], x: &[f64], acts: &mut [f64]) -> f64 {
        let h = self.h;
        for l in 0..self.layers {
            let n = self.fan_in(l);
            let wl = &w[self.offset(l)..self.offset(l) + h * n];
            let s = 1.0 / (n as f64).sqrt();
            let (before, here) = acts.split_at_mut(2 * l * h);
            let input = if l == 0 { x } else { &before[(2 * l - 1) * h..2 * l * h] };
            let (z, out) = here[..2 * h].split_at_mut(h);
            for i in 0..h {
                let row = &wl[i * n..(i + 1) * n];
                let mut acc = 0.0;
                for j in 0..n {
                    acc += row[j] * input[j];
                }
                z[i] = acc * s;
                out[i] = gelu(z[i]) * self.inv_c;
            }
        }
        let a = &w[self.offset(self.layers)..];
        let last = &acts[(2 * self.layers - 1) * h..2 * self.layers * h];
        let mut f = 0.0;
        for i in 0..h {
            f += a[i] * last[i];
        }
        f / h as f64
    }

    /// Adds `dout` times df/dw at the input `forward` last saw (its `acts`) to `grad`.
    /// `delta` and `next` are scratch of length h.
    #[allow(clippy::too_many_arguments)] // the caller owns the scratch, so training allocates nothing
    pub fn backward(
        &self,
        w: &[f64],
        x: &[f64],
        acts: &[f64],
        dout: f64,
        grad: &mut [f64],
        delta: &mut Vec<f64>,
        next: &mut Vec<f64>,
    ) {
        let (h, top) = (self.h, self.offset(self.layers));
        let last = &acts[(2 * self.layers - 1) * h..2 * self.layers * h];
        let scale = dout / h as f64;
        delta.clear();
        for i in 0..h {
            grad[top + i] += scale * last[i];
            delta.push(scale * w[top + i]);
        }
        for l in (0..self.layers).rev() {
            let n = self.fan_in(l);
            let off = self.offset(l);
            let s = 1.0 / (n as f64).sqrt();
            let z = &acts[2 * l * h..(2 * l + 1) * h];
            let input = if l == 0 { x } else { &acts[(2 * l - 1) * h..2 * l * h] };
            // delta becomes dL/dz_l times 1/sqrt(n), the factor every use below needs.
            for i in 0..h {
                delta[i] *= gelu_slope(z[i]) * self.inv_c * s;
            }
            for i in 0..h {
                let g = &mut grad[off + i * n..off + (i + 1) * n];
                for j in 0..n {
                    g[j] += delta[i] * input[j];
                }
            }
            if l > 0 {
                next.clear();
                next.resize(n, 0.0);
                for i in 0..h {
                    let row = &w[off + i * n..off + (i + 1) * n];
                    for j in 0..n {
                        next[j] += row[j] * delta[i];
                    }
                }
                std::mem::swap(delta, next);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    #[test]
    fn gelu_is_normalised_and_its_slope_is_its_derivative() {
        // E[gelu(z)^2] against a Monte-Carlo estimate (4e5 samples: sd of the mean ~ 0.002).
        let mut r = Rng::new(3, 0);
        let n = 400_000;
        let m = (0..n).map(|_| gelu(r.normal()).powi(2)).sum::<f64>() / n as f64;
        assert!((m.sqrt() - gelu_rms()).abs() < 0.005, "{} vs {}", m.sqrt(), gelu_rms());
        for z in [-3.0, -0.7, 0.0, 0.4, 2.5] {
            let fd = (gelu(z + 1e-6) - gelu(z - 1e-6)) / 2e-6;
            assert!((fd - gelu_slope(z)).abs() < 1e-8, "z {z}");
        }
    }

    #[test]
    fn gradient_matches_central_differences() {
        for (d, h, layers) in [(5, 4, 1), (6, 5, 3)] {
            let net = Mlp::new(d, h, layers);
            let mut r = Rng::new(11, 1);
            let w: Vec<f64> = (0..net.n_weights()).map(|_| r.normal()).collect();
            let x: Vec<f64> = (0..d).map(|_| r.normal()).collect();
            let mut acts = net.scratch();
            net.forward(&w, &x, &mut acts);
            let mut g = vec![0.0; w.len()];
            net.backward(&w, &x, &acts, 1.0, &mut g, &mut Vec::new(), &mut Vec::new());
            let eps = 1e-5;
            for k in 0..w.len() {
                let (mut wp, mut wm) = (w.clone(), w.clone());
                wp[k] += eps;
                wm[k] -= eps;
                let fd = (net.forward(&wp, &x, &mut acts) - net.forward(&wm, &x, &mut acts)) / (2.0 * eps);
                assert!((fd - g[k]).abs() < 1e-8 * (1.0 + fd.abs()), "L {layers} weight {k}: {fd} vs {}", g[k]);
            }
        }
    }
}
