//! One cell of the phase diagram: SGD on the centred output `F = f(w) - f(w0)` with the hinge
//! loss `max(0, 1 - alpha y F) / alpha` (mean over the batch), step `dt = T B h` (the authors'
//! `--temp`: `T = dt / (B h)`), until the train loss is exactly zero, a step cap, or a
//! non-finite output.
//!
//! A batch is B distinct points in random order, like the authors' "first B of a fresh
//! permutation": we draw them by B swaps of a partial Fisher-Yates on a persistent index list,
//! which gives the same distribution with B draws instead of P. Every cell of a grid uses the
//! same start w0, split and batch stream (one seed), so the cells differ only in (alpha, T).
//!
//! The exact stop without a full pass per step: a step whose batch (evaluated at the current
//! weights) holds no unfitted point does not move the weights, and zero loss at w implies that
//! every batch drawn at w is fitted. So the full train set is checked only on such steps, first
//! at the point found unfitted last time (move to front), and once per weights (steps that
//! change nothing do not repeat it); the run stops at the first w with zero loss. `steps` counts
//! every step taken, including the ones that changed nothing.

use super::digits::Set;
use super::mlp::Mlp;
use crate::rng::Rng;

const INIT_STREAM: u64 = 0x5d1_0002;
const BATCH_STREAM: u64 = 0x5d1_0003;

/// What every cell of a grid shares: the data, the net and its start.
pub struct Problem {
    pub net: Mlp,
    pub train: Set,
    pub test: Set,
    pub batch: usize,
    pub seed: u64,
    pub w0: Vec<f64>,
    f0_train: Vec<f64>,
    f0_test: Vec<f64>,
}

impl Problem {
    pub fn new(net: Mlp, train: Set, test: Set, batch: usize, seed: u64) -> Problem {
        assert!(batch >= 1 && batch <= train.len());
        let mut r = Rng::new(seed, INIT_STREAM);
        let w0: Vec<f64> = (0..net.n_weights()).map(|_| r.normal()).collect();
        let mut acts = net.scratch();
        let mut outputs = |s: &Set| (0..s.len()).map(|i| net.forward(&w0, s.input(i), &mut acts)).collect::<Vec<_>>();
        let (f0_train, f0_test) = (outputs(&train), outputs(&test));
        Problem { net, train, test, batch, seed, w0, f0_train, f0_test }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Status {
    Running,
    /// The train hinge loss reached exactly zero.
    Fit,
    /// The step cap came first.
    Capped,
    /// An output stopped being finite.
    Diverged,
}

/// A cell's result.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub test_err: f64,
    pub rel_dw: f64,
    pub t_star: f64,
    pub steps: u64,
    pub status: Status,
}

pub struct Cell {
    alpha: f64,
    pub dt: f64,
    cap: u64,
    pub w: Vec<f64>,
    pub steps: u64,
    pub status: Status,
    rng: Rng,
    perm: Vec<usize>,
    /// The order of the full check (move to front).
    order: Vec<usize>,
    /// Whether a full check found the current weights unfitted (they have not moved since).
    known_unfit: bool,
    grad: Vec<f64>,
    acts: Vec<Vec<f64>>,
    unfit: Vec<bool>,
    delta: Vec<f64>,
    next: Vec<f64>,
}

impl Cell {
    pub fn new(pb: &Problem, alpha: f64, temp: f64, cap: u64) -> Cell {
        let p = pb.train.len();
        Cell {
            alpha,
            dt: temp * (pb.batch * pb.net.h) as f64,
            cap,
            w: pb.w0.clone(),
            steps: 0,
            status: Status::Running,
            rng: Rng::new(pb.seed, BATCH_STREAM),
            perm: (0..p).collect(),
            order: (0..p).collect(),
            known_unfit: false,
            grad: vec![0.0; pb.w0.len()],
            acts: vec![pb.net.scratch(); pb.batch],
            unfit: vec![false; pb.batch],
            delta: Vec::new(),
            next: Vec::new(),
        }
    }

    /// Up to `max_steps` steps; whether the cell has finished.
    pub fn run(&mut self, pb: &Problem, max_steps: u64) -> bool {
        for _ in 0..max_steps {
            if self.status != Status::Running {
                break;
            }
            self.step(pb);
        }
        self.status != Status::Running
    }

    /// Whether alpha y F >= 1 at every train point (a non-finite output is unfitted).
    fn all_fit(&mut self, pb: &Problem) -> bool {
        let mut acts = pb.net.scratch();
        for k in 0..self.order.len() {
            let i = self.order[k];
            let f = pb.net.forward(&self.w, pb.train.input(i), &mut acts) - pb.f0_train[i];
            if !(self.alpha * pb.train.y[i] * f >= 1.0) {
                self.order[..=k].rotate_right(1);
                return false;
            }
        }
        true
    }

    fn step(&mut self, pb: &Problem) {
        let (p, b) = (pb.train.len(), pb.batch);
        for k in 0..b {
            let j = k + self.rng.below(p - k);
            self.perm.swap(k, j);
        }
        let mut any = false;
        for k in 0..b {
            let i = self.perm[k];
            let f = pb.net.forward(&self.w, pb.train.input(i), &mut self.acts[k]) - pb.f0_train[i];
            if !f.is_finite() {
                self.status = Status::Diverged;
                return;
            }
            self.unfit[k] = self.alpha * pb.train.y[i] * f < 1.0;
            any |= self.unfit[k];
        }
        if !any && !self.known_unfit {
            if self.all_fit(pb) {
                self.status = Status::Fit;
                return;
            }
            self.known_unfit = true;
        }
        if self.steps == self.cap {
            self.status = Status::Capped;
            return;
        }
        if any {
            self.grad.fill(0.0);
            for k in 0..b {
                if self.unfit[k] {
                    let i = self.perm[k];
                    // d/dF of (1 - alpha y F) / alpha is -y; the mean over the batch gives 1/B.
                    let dout = -pb.train.y[i] / b as f64;
                    pb.net.backward(
                        &self.w,
                        pb.train.input(i),
                        &self.acts[k],
                        dout,
                        &mut self.grad,
                        &mut self.delta,
                        &mut self.next,
                    );
                }
            }
            for (w, g) in self.w.iter_mut().zip(&self.grad) {
                *w -= self.dt * g;
            }
            self.known_unfit = false;
        }
        self.steps += 1;
    }

    /// Test error (F y <= 0 or not finite counts as wrong, as the authors count), |w - w0| / |w0|, t* = dt steps.
    pub fn outcome(&self, pb: &Problem) -> Outcome {
        let mut acts = pb.net.scratch();
        let mut wrong = 0usize;
        for i in 0..pb.test.len() {
            let f = pb.net.forward(&self.w, pb.test.input(i), &mut acts) - pb.f0_test[i];
            if !(f * pb.test.y[i] > 0.0) {
                wrong += 1;
            }
        }
        let (mut dw, mut w0) = (0.0, 0.0);
        for (a, b) in self.w.iter().zip(&pb.w0) {
            dw += (a - b) * (a - b);
            w0 += b * b;
        }
        Outcome {
            test_err: wrong as f64 / pb.test.len() as f64,
            rel_dw: (dw / w0).sqrt(),
            t_star: self.dt * self.steps as f64,
            steps: self.steps,
            status: self.status,
        }
    }

    /// The train hinge loss at the current weights (mean of max(0, 1 - alpha y F) / alpha).
    #[cfg(test)]
    pub fn train_loss(&self, pb: &Problem) -> f64 {
        let mut acts = pb.net.scratch();
        let mut sum = 0.0;
        for i in 0..pb.train.len() {
            let f = pb.net.forward(&self.w, pb.train.input(i), &mut acts) - pb.f0_train[i];
            sum += f64::max(0.0, 1.0 - self.alpha * pb.train.y[i] * f) / self.alpha;
        }
        sum / pb.train.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::super::digits::{split, D};
    use super::*;

    fn problem() -> Problem {
        let (train, test) = split(128, 2);
        Problem::new(Mlp::new(D, 8, 2), train, test, 8, 2)
    }

    #[test]
    fn stops_at_exactly_zero_hinge_loss_and_not_a_step_earlier() {
        let pb = problem();
        let mut c = Cell::new(&pb, 1.0, 0.03, 1_000_000);
        while !c.run(&pb, 100) {}
        assert_eq!(c.status, Status::Fit);
        assert_eq!(c.train_loss(&pb), 0.0);
        let n = c.steps;
        assert!(n > 10, "{n} steps");
        // The same cell capped one step earlier has not fit: its loss is positive.
        let mut early = Cell::new(&pb, 1.0, 0.03, n - 1);
        while !early.run(&pb, 7) {}
        assert_eq!((early.status, early.steps), (Status::Capped, n - 1));
        assert!(early.train_loss(&pb) > 0.0);
        // Capped at exactly n steps, it fits: the cap does not hide a fit at the cap.
        let mut at = Cell::new(&pb, 1.0, 0.03, n);
        while !at.run(&pb, 1000) {}
        assert_eq!((at.status, at.steps, &at.w), (Status::Fit, n, &c.w));
        let o = c.outcome(&pb);
        assert_eq!(o.t_star, c.dt * n as f64);
        assert!(o.test_err < 0.5 && o.rel_dw > 0.0, "{o:?}");
    }

    #[test]
    fn slicing_does_not_change_the_run_and_large_steps_diverge_or_fit() {
        let pb = problem();
        let (mut a, mut b) = (Cell::new(&pb, 0.25, 0.1, 300), Cell::new(&pb, 0.25, 0.1, 300));
        while !a.run(&pb, 1) {}
        while !b.run(&pb, 1000) {}
        assert_eq!(a.outcome(&pb), b.outcome(&pb));
        let mut big = Cell::new(&pb, 0.01, 1e6, 1000);
        while !big.run(&pb, 1000) {}
        assert_ne!(big.status, Status::Running);
    }
}
