//! `LyapProbe`: the Lyapunov exponents of a network driven by a fixed stream
//! of its task's trials.

use super::dynamics::{draw_inputs, Net64};
use super::qr::Benettin;
use crate::linalg::Real;
use crate::model::Rnn;
use crate::tasks::TaskStream;

/// Steps run before the exponents accumulate (state and tangent vectors settle).
pub const PROBE_BURN: usize = 100;
/// Steps over which the exponents accumulate.
pub const PROBE_STEPS: usize = 500;

/// A fixed input stream: `burn + steps` consecutive time steps of the task's
/// own trials, drawn once.
#[derive(Clone, Debug)]
pub struct LyapProbe {
    n_in: usize,
    burn: usize,
    steps: usize,
    /// `(burn + steps) x n_in`.
    x: Vec<f64>,
}

/// What one measurement saw, besides the exponents.
#[derive(Clone, Debug, PartialEq)]
pub struct LyapStats {
    /// The k leading exponents per time step (of dt), descending.
    pub exponents: Vec<f64>,
    /// How often the carried state was rescaled (burn-in included): 0 unless it grew without bound.
    pub rescales: usize,
    /// Tangent columns that collapsed (floored, see `qr::LN_FLOOR`) over the accumulated steps.
    pub collapses: usize,
    /// Mean fraction of active units (d_t = 1) over the accumulated steps.
    pub active: f64,
}

impl LyapProbe {
    /// `PROBE_BURN + PROBE_STEPS` steps from `stream` (batch 1).
    pub fn new(stream: TaskStream) -> Self {
        Self::with_len(stream, PROBE_BURN, PROBE_STEPS)
    }

    pub fn with_len(mut stream: TaskStream, burn: usize, steps: usize) -> Self {
        assert!(steps > 0, "LyapProbe: no steps");
        let n_in = stream.task().n_in();
        let mut x = Vec::new();
        draw_inputs(&mut stream, burn + steps, &mut x);
        LyapProbe { n_in, burn, steps, x }
    }

    pub fn burn(&self) -> usize {
        self.burn
    }
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// The k leading exponents (k in 1..=N), per time step, descending.
    pub fn exponents<T: Real>(&self, net: &Rnn<T>, k: usize) -> Vec<f64> {
        self.run(net, k).exponents
    }

    /// Runs `net` in f64 over the stream from `h = 0`, carrying the state
    /// across trials, with k tangent vectors from the fixed start.
    pub fn run<T: Real>(&self, net: &Rnn<T>, k: usize) -> LyapStats {
        assert_eq!(net.n_in(), self.n_in, "LyapProbe: the net's inputs do not match the task");
        let net = Net64::new(net);
        let n = net.n;
        let mut b = Benettin::new(n, k);
        let (mut h, mut drive, mut d) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
        let (mut rescales, mut active) = (0usize, 0.0);
        for (t, x) in self.x.chunks_exact(self.n_in).enumerate() {
            rescales += net.state_step(&mut h, x, &mut drive, &mut d) as usize;
            let accumulate = t >= self.burn;
            if accumulate {
                active += d.iter().sum::<f64>() / n as f64;
            }
            b.step(accumulate, |q, out| net.tangent(&d, q, out, k));
        }
        let mut exponents = b.exponents();
        // Benettin's order is already descending up to finite-time noise.
        exponents.sort_by(|a, b| b.total_cmp(a));
        LyapStats { exponents, rescales, collapses: b.collapses(), active: active / self.steps as f64 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::Mat;
    use crate::rng::Rng;
    use crate::tasks::TaskKind;

    fn gaussian_net(n: usize, g: f64, alpha: f64, seed: u64) -> Rnn<f64> {
        let task = TaskKind::Perceptual.build();
        let mut rng = Rng::new(seed, 1);
        let z = Mat::from_fn(n, n, |_, _| rng.normal() / (n as f64).sqrt());
        let mut net = Rnn::new(Mat::zeros(n, n), task.n_in(), task.n_out(), alpha, &mut Rng::new(seed, 2));
        net.w_rec = z.map(|x| g * x);
        net
    }

    fn probe(seed: u64) -> LyapProbe {
        LyapProbe::new(TaskStream::new(TaskKind::Perceptual.build(), 1, seed, 7))
    }

    /// lambda_max of a Gaussian start rises with the gain and crosses 0
    /// between g = 0.5 and 2; for small g it is negative. The tanh sanity
    /// value ln(1 - a + a g) (= ln g at a = 1) is not what a ReLU net gives:
    /// a random mask keeping a fraction f of the units shrinks a random
    /// vector by sqrt(f), so lambda_max ~ ln g + ln(f)/2 (mean field), which
    /// puts the crossing near g = sqrt(2) for f = 1/2. Asserted loosely.
    #[test]
    fn gaussian_lambda_max_rises_with_gain_and_crosses_zero() {
        let n = 100;
        let gains = [0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0];
        let p = probe(1);
        for alpha in [1.0, 0.2] {
            let stats: Vec<LyapStats> = gains.iter().map(|&g| p.run(&gaussian_net(n, g, alpha, 1), 1)).collect();
            let lam: Vec<f64> = stats.iter().map(|s| s.exponents[0]).collect();
            for (g, s) in gains.iter().zip(&stats) {
                let mf = libm::log(1.0 - alpha + alpha * g) + 0.5 * libm::log(s.active);
                println!(
                    "alpha {alpha} g {g:.2}: lambda_max {:+.4}  active {:.3}  ln(1-a+ag) {:+.4}  ln(1-a+ag)+ln(f)/2 {:+.4}  rescales {}",
                    s.exponents[0],
                    s.active,
                    libm::log(1.0 - alpha + alpha * g),
                    mf,
                    s.rescales
                );
            }
            for w in lam.windows(2) {
                assert!(w[1] > w[0] - 0.02, "alpha {alpha}: not rising: {lam:?}");
            }
            let i = lam.iter().position(|&l| l > 0.0).expect("no positive exponent");
            let g0 = gains[i - 1] + (gains[i] - gains[i - 1]) * (-lam[i - 1]) / (lam[i] - lam[i - 1]);
            println!("alpha {alpha}: lambda_max crosses 0 at g ~ {g0:.3}");
            assert!(lam[0] < 0.0 && lam[6] > 0.0, "alpha {alpha}: {lam:?}");
            assert!(g0 > 0.5 && g0 < 2.0);
            if alpha == 1.0 {
                // The ReLU mean-field value, and the tanh value as an upper bound at small g.
                for (g, s) in gains.iter().zip(&stats) {
                    let mf = libm::log(*g) + 0.5 * libm::log(s.active);
                    assert!((s.exponents[0] - mf).abs() < 0.15, "g {g}: {} vs mean field {mf}", s.exponents[0]);
                }
                assert!(lam[0] < libm::log(0.5));
            }
        }
    }

    /// A gain well into chaos: the state is rescaled, the exponents stay finite, lambda_max > 0.
    #[test]
    fn large_gain_rescales_the_state_and_stays_finite() {
        let net = gaussian_net(100, 3.0, 1.0, 2);
        let s = probe(2).run(&net, 8);
        println!("g 3: {s:?}");
        assert!(s.rescales > 0, "{s:?}");
        assert!(s.exponents.iter().all(|x| x.is_finite()));
        assert!(s.exponents[0] > 0.0);
        assert!(s.exponents.windows(2).all(|w| w[0] >= w[1]));
        // The leading exponent does not depend on k (the start for k = 1 is the first vector of k = 8's).
        assert_eq!(probe(2).exponents(&net, 1)[0].to_bits(), s.exponents[0].to_bits());
    }

    /// The f32 net runs in f64 and gives the f64 net's numbers.
    #[test]
    fn f32_and_f64_nets_agree() {
        let n64 = gaussian_net(40, 1.2, 1.0, 3);
        let n32: Rnn<f32> = Rnn { w_in: n64.w_in.cast(), w_rec: n64.w_rec.cast(), w_out: n64.w_out.cast(), alpha: 1.0 };
        let back: Rnn<f64> =
            Rnn { w_in: n32.w_in.cast(), w_rec: n32.w_rec.cast(), w_out: n32.w_out.cast(), alpha: 1.0 };
        let p = probe(3);
        assert_eq!(p.exponents(&n32, 3), p.exponents(&back, 3));
    }

    /// All silent: every column collapses, the exponent sits on the floor, nothing is NaN.
    #[test]
    fn a_silent_network_gives_the_floor_not_minus_infinity() {
        let mut net = gaussian_net(20, 1.0, 1.0, 4);
        net.w_in.data.iter_mut().for_each(|x| *x = -x.abs());
        net.w_rec.data.iter_mut().for_each(|x| *x = -x.abs());
        let s = probe(4).run(&net, 2);
        assert!(s.exponents.iter().all(|l| (l - super::super::qr::LN_FLOOR).abs() < 1e-9), "{s:?}");
        assert!(s.collapses > 0 && s.active == 0.0);
    }
}
