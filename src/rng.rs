//! The one random-number source of the engine: a PCG64 stream per purpose.
//!
//! Every draw goes through integer arithmetic, IEEE's correctly rounded
//! operations (square roots among them) and `libm`'s transcendental functions,
//! so a seed gives the same numbers natively and in wasm, on every CPU.

use rand_core::{RngCore, SeedableRng};
use rand_pcg::Pcg64;

/// A seeded stream of random numbers. `(seed, stream)` pairs are independent.
#[derive(Clone, Debug)]
pub struct Rng {
    inner: Pcg64,
    spare_normal: Option<f64>,
}

impl Rng {
    /// Stream `stream` of seed `seed`: distinct streams never overlap.
    pub fn new(seed: u64, stream: u64) -> Self {
        // Mix the seed through the SplitMix-based seeding of rand_core so that
        // nearby seeds give unrelated states; the stream selects the PCG increment.
        let mut state = Pcg64::seed_from_u64(seed);
        let s = ((state.next_u64() as u128) << 64) | state.next_u64() as u128;
        Rng { inner: Pcg64::new(s, stream as u128), spare_normal: None }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.inner.next_u64()
    }

    /// Uniform on [0, 1) with 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform on [lo, hi).
    pub fn uniform_in(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.uniform()
    }

    /// Uniform integer in 0..n (unbiased, by rejection).
    pub fn below(&mut self, n: usize) -> usize {
        assert!(n > 0, "below(0)");
        let n = n as u64;
        let zone = u64::MAX - (u64::MAX - n + 1) % n;
        loop {
            let v = self.next_u64();
            if v <= zone {
                return (v % n) as usize;
            }
        }
    }

    /// Standard normal by the Box-Muller transform (libm, so portable).
    pub fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare_normal.take() {
            return z;
        }
        // 1 - uniform() lies in (0, 1], so the log is finite.
        let r = (-2.0 * libm::log(1.0 - self.uniform())).sqrt();
        let theta = 2.0 * std::f64::consts::PI * self.uniform();
        self.spare_normal = Some(r * libm::sin(theta));
        r * libm::cos(theta)
    }

    /// Gamma(shape, 1) by Marsaglia and Tsang's squeeze-and-reject method (ACM TOMS 2000) on
    /// `normal` and `uniform`, libm throughout, so portable; shape < 1 by the boost
    /// Gamma(a) = Gamma(a + 1) U^(1/a).
    pub fn gamma(&mut self, shape: f64) -> f64 {
        assert!(shape > 0.0, "gamma shape {shape}");
        if shape < 1.0 {
            return self.gamma(shape + 1.0) * libm::pow(1.0 - self.uniform(), 1.0 / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        loop {
            let x = self.normal();
            let v = 1.0 + c * x;
            if v <= 0.0 {
                continue;
            }
            let v = v * v * v;
            let u = 1.0 - self.uniform();
            let x2 = x * x;
            if u < 1.0 - 0.0331 * x2 * x2 || libm::log(u) < 0.5 * x2 + d * (1.0 - v + libm::log(v)) {
                return d * v;
            }
        }
    }

    /// Fisher-Yates shuffle.
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_same_numbers() {
        let mut a = Rng::new(7, 3);
        let mut b = Rng::new(7, 3);
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
    }

    #[test]
    fn streams_and_seeds_differ() {
        let a: Vec<u64> = (0..4)
            .map({
                let mut r = Rng::new(7, 3);
                move |_| r.next_u64()
            })
            .collect();
        let b: Vec<u64> = (0..4)
            .map({
                let mut r = Rng::new(7, 4);
                move |_| r.next_u64()
            })
            .collect();
        let c: Vec<u64> = (0..4)
            .map({
                let mut r = Rng::new(8, 3);
                move |_| r.next_u64()
            })
            .collect();
        assert_ne!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn normal_has_unit_moments() {
        let mut r = Rng::new(1, 0);
        let n = 200_000;
        let xs: Vec<f64> = (0..n).map(|_| r.normal()).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
        assert!(mean.abs() < 0.01, "mean {mean}");
        assert!((var - 1.0).abs() < 0.01, "var {var}");
    }

    #[test]
    fn gamma_has_its_mean_and_variance() {
        // Gamma(a, 1): mean a, variance a; both branches (a < 1 boosts).
        for a in [0.5, 1.0, 2.5] {
            let mut r = Rng::new(3, 0);
            let n = 200_000;
            let xs: Vec<f64> = (0..n).map(|_| r.gamma(a)).collect();
            let mean = xs.iter().sum::<f64>() / n as f64;
            let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
            assert!((mean - a).abs() < 0.01 * a.max(1.0), "a {a}: mean {mean}");
            assert!((var - a).abs() < 0.03 * a.max(1.0), "a {a}: var {var}");
        }
    }

    #[test]
    fn below_covers_range_uniformly() {
        let mut r = Rng::new(2, 0);
        let mut counts = [0usize; 5];
        for _ in 0..50_000 {
            counts[r.below(5)] += 1;
        }
        for c in counts {
            assert!((c as f64 - 10_000.0).abs() < 400.0, "{counts:?}");
        }
    }
}
