//! Gradient flossing (Engelken 2023): descend `sum_{i<=k} (lambda_i - 0)^2`,
//! the k leading finite-time exponents of a window of `FLOSS_WINDOW` steps,
//! with respect to W_rec.
//!
//! The window starts after a burn-in (`floss_burn`) that settles the state
//! and the tangent vectors; both are constants of the loss. Inside the
//! window `J_t = diag(d_t) ((1-a) I + a W_rec)` with the gates `d_t`
//! piecewise constant in the weights, so the state enters the loss only
//! through `d_t` (zero derivative almost everywhere) and W_in not at all:
//! the gradient is with respect to W_rec through the J_t alone.
//!
//! Two gradients, one code path:
//! - `exact`: reverse mode through the whole QR recursion of the window
//!   (`A_t = J_t Q_{t-1}`, `(Q_t, R_t) = qr(A_t)`): `Abar_t` from the QR
//!   backward with `Qbar_t` (from later steps) and `rbar_ii = 2 lambda_i /
//!   (T_p R_t,ii)`, then `W_rec-bar += a diag(d_t) Abar_t Q_{t-1}^T` and
//!   `Qbar_{t-1} = J_t^T Abar_t`.
//! - `local` (our construction, not the paper's): the same with `Qbar`
//!   dropped at every step (a one-step truncation). Then `Abar_t = Q_t
//!   diag(c) R_t^{-T}` and a step adds `a diag(d_t) Q_t diag(c) R_t^{-T}
//!   Q_{t-1}^T`: synapse (j, l) sees a postsynaptic factor `d_j q_{t,j,i}`
//!   (tangent vector i at the receiving neuron, gated by its activity), a
//!   presynaptic tangent activity `(Q_{t-1} R_t^{-1})_{l,i}` and a global
//!   scalar per exponent `c_i = 2 lambda_i / T_p`: a three-factor rule.
//!
//! A tangent column that collapses at a step (`qr::COLLAPSE_TOL`: its
//! `ln R_ii` is floored, a constant, and the column re-seeded) makes it and
//! the columns after it constants of that step: the gradient flows exactly
//! through the columns before it (whose QR does not depend on later
//! columns) and not at all through the rest of that step. This happens only
//! when k exceeds the number of active units (or all units are silent).

use super::dynamics::{draw_inputs, Net64};
use super::qr::{fixed_start, ln_diag, qr_backward, qr_rows};
use super::{FlossMode, FlossSpec};
use crate::linalg::{gemm_tn, Mat, Real};
use crate::model::Rnn;
use crate::optim::{Optimizer, OptimizerKind};
use crate::rules::Grads;
use crate::tasks::TaskStream;

/// T_p: the window's steps (Engelken's value).
pub const FLOSS_WINDOW: usize = 55;
/// Adam's learning rate for flossing.
pub const FLOSS_LR: f64 = 1e-3;
/// The exponents' target.
pub const FLOSS_TARGET: f64 = 0.0;

/// Burn-in before a window: a whole trial, and at least 20 steps.
pub fn floss_burn(seq_len: usize) -> usize {
    seq_len.max(20)
}

/// The window's state at its start: the carried state and tangent vectors.
#[derive(Clone, Debug)]
pub(crate) struct WindowStart {
    pub h: Vec<f64>,
    pub q: Vec<f64>,
}

/// Runs `x` (steps x n_in) from `h = 0` and the fixed tangent start.
pub(crate) fn burn_in(net: &Net64, x: &[f64], k: usize) -> WindowStart {
    let n = net.n;
    let (mut h, mut drive, mut d) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    let mut q = fixed_start(n, k);
    let (mut aq, mut r) = (vec![0.0; k * n], vec![0.0; k * k]);
    for xt in x.chunks_exact(net.n_in) {
        net.state_step(&mut h, xt, &mut drive, &mut d);
        net.tangent(&d, &q, &mut aq, k);
        qr_rows(&mut aq, &mut r, n, k);
        std::mem::swap(&mut q, &mut aq);
    }
    WindowStart { h, q }
}

/// What a window gave.
#[derive(Clone, Debug, PartialEq)]
pub struct WindowResult {
    /// The window's k exponents, per step, in Benettin's order.
    pub exponents: Vec<f64>,
    /// `sum_i (lambda_i - FLOSS_TARGET)^2`.
    pub loss: f64,
    /// Steps with a collapsed column (see the module doc).
    pub collapsed_steps: usize,
}

/// The window's exponents from `start` over the inputs `x` (T_p x n_in), and,
/// when `grad` is given, d loss / d W_rec (N x N, overwritten).
pub(crate) fn window(
    net: &Net64,
    x: &[f64],
    start: &WindowStart,
    k: usize,
    mode: FlossMode,
    grad: Option<&mut [f64]>,
) -> WindowResult {
    let (n, kn) = (net.n, k * net.n);
    let steps = x.len() / net.n_in;
    assert!(steps > 0 && start.q.len() == kn);
    let mut h = start.h.clone();
    let mut drive = vec![0.0; n];
    // Q_0..Q_T (T + 1 blocks of k x n), R_t and d_t per step.
    let mut qs = vec![0.0; (steps + 1) * kn];
    qs[..kn].copy_from_slice(&start.q);
    let mut rs = vec![0.0; steps * k * k];
    let mut ds = vec![0.0; steps * n];
    let mut collapsed = vec![false; steps];
    let mut sum_ln = vec![0.0; k];
    for (t, xt) in x.chunks_exact(net.n_in).enumerate() {
        let d = &mut ds[t * n..(t + 1) * n];
        net.state_step(&mut h, xt, &mut drive, d);
        let (prev, next) = qs.split_at_mut((t + 1) * kn);
        let a = &mut next[..kn];
        net.tangent(d, &prev[t * kn..], a, k);
        let r = &mut rs[t * k * k..(t + 1) * k * k];
        collapsed[t] = qr_rows(a, r, n, k) > 0;
        for i in 0..k {
            sum_ln[i] += ln_diag(r[i * k + i]);
        }
    }
    let exponents: Vec<f64> = sum_ln.iter().map(|s| s / steps as f64).collect();
    let loss = exponents.iter().map(|l| (l - FLOSS_TARGET) * (l - FLOSS_TARGET)).sum();
    let collapsed_steps = collapsed.iter().filter(|&&c| c).count();
    let Some(grad) = grad else {
        return WindowResult { exponents, loss, collapsed_steps };
    };
    assert_eq!(grad.len(), n * n);
    // c_i = dL/d(sum_t ln R_t,ii) = 2 (lambda_i - target) / T_p.
    let c: Vec<f64> = exponents.iter().map(|l| 2.0 * (l - FLOSS_TARGET) / steps as f64).collect();
    // G stacks the gated adjoints d_t ⊙ Abar_t (T blocks of k x n); with
    // P = Q_0..Q_{T-1}, W_rec-bar = a G^T P in one product.
    let mut g = vec![0.0; steps * kn];
    let mut qbar = vec![0.0; kn];
    let mut abar = vec![0.0; kn];
    let mut rbar = vec![0.0; k];
    let mut r_lead = vec![0.0; k * k];
    for t in (0..steps).rev() {
        if mode == FlossMode::Local {
            qbar.iter_mut().for_each(|v| *v = 0.0);
        }
        let r = &rs[t * k * k..(t + 1) * k * k];
        // The leading columns before the first collapsed one (R_ii = 0) are
        // an exact QR of A's leading columns; the collapsed column and those
        // after it are constants of this step.
        let kk = (0..k).find(|&i| r[i * k + i] == 0.0).unwrap_or(k);
        if kk == 0 {
            qbar.iter_mut().for_each(|v| *v = 0.0);
            continue;
        }
        for i in 0..kk {
            rbar[i] = c[i] / r[i * k + i];
            for j in 0..kk {
                r_lead[i * kk + j] = r[i * k + j];
            }
        }
        let kkn = kk * n;
        abar[kkn..].iter_mut().for_each(|v| *v = 0.0);
        qr_backward(
            &qs[(t + 1) * kn..(t + 1) * kn + kkn],
            &r_lead[..kk * kk],
            &qbar[..kkn],
            &rbar[..kk],
            &mut abar[..kkn],
            n,
            kk,
        );
        let d = &ds[t * n..(t + 1) * n];
        let gt = &mut g[t * kn..(t + 1) * kn];
        for (row_g, row_a) in gt.chunks_exact_mut(n).zip(abar.chunks_exact(n)) {
            for i in 0..n {
                row_g[i] = d[i] * row_a[i];
            }
        }
        if mode == FlossMode::Exact && t > 0 {
            net.adjoint_gated(gt, &mut qbar, k);
        }
    }
    grad.iter_mut().for_each(|v| *v = 0.0);
    gemm_tn(grad, &g, &qs[..steps * kn], n, steps * k, n);
    grad.iter_mut().for_each(|v| *v *= net.a);
    WindowResult { exponents, loss, collapsed_steps }
}

/// Flossing as a run does it: fresh trials for every window, its own Adam.
pub struct Flosser {
    k: usize,
    mode: FlossMode,
    burn: usize,
    window: usize,
    stream: TaskStream,
    x: Vec<f64>,
    grad: Vec<f64>,
    grads: Grads<f32>,
    opt: Box<dyn Optimizer<f32>>,
    last: Option<WindowResult>,
}

impl Flosser {
    /// `spec.k` exponents (at most N) with `spec.mode`'s gradient; `stream`
    /// (batch 1) supplies the windows' inputs; Adam (lr `FLOSS_LR`, PyTorch's
    /// conventions) of its own, moving W_rec only.
    pub fn new(spec: &FlossSpec, net: &Rnn<f32>, stream: TaskStream) -> Self {
        let n = net.hidden();
        let k = spec.k.clamp(1, n);
        let burn = floss_burn(stream.task().seq_len());
        assert_eq!(stream.new_batch().batch, 1, "Flosser: the stream must have batch 1");
        let grads = Grads::zeros_like(net);
        let opt = OptimizerKind::Adam { lr: FLOSS_LR }.build(&grads);
        Flosser {
            k,
            mode: spec.mode,
            burn,
            window: FLOSS_WINDOW,
            stream,
            x: Vec::new(),
            grad: vec![0.0; n * n],
            grads,
            opt,
            last: None,
        }
    }

    pub fn k(&self) -> usize {
        self.k
    }

    /// The latest window's exponents, loss and barrier count.
    pub fn last(&self) -> Option<&WindowResult> {
        self.last.as_ref()
    }

    /// One Adam step on `net.w_rec` against the gradient of the next window's
    /// loss (computed in f64, cast to f32; W_in and W_out get zero gradients,
    /// which leaves them bit for bit as they were). Returns the window's k
    /// exponents (before the update), in Benettin's order.
    pub fn step(&mut self, net: &mut Rnn<f32>) -> Vec<f64> {
        let n_in = net.n_in();
        draw_inputs(&mut self.stream, self.burn + self.window, &mut self.x);
        let net64 = Net64::new(net);
        let (xb, xw) = self.x.split_at(self.burn * n_in);
        let start = burn_in(&net64, xb, self.k);
        let res = window(&net64, xw, &start, self.k, self.mode, Some(&mut self.grad));
        for (g, &v) in self.grads.mats[1].data.iter_mut().zip(&self.grad) {
            *g = f32::from_f64(v);
        }
        self.opt.step(net.params_mut(), &self.grads);
        let exps = res.exponents.clone();
        self.last = Some(res);
        exps
    }
}

/// The W_rec gradient of one window, for checks (f64 net, fresh burn-in).
pub fn window_gradient(net: &Rnn<f64>, x: &[f64], burn: usize, k: usize, mode: FlossMode) -> (WindowResult, Mat<f64>) {
    let net64 = Net64::new(net);
    let (xb, xw) = x.split_at(burn * net64.n_in);
    let start = burn_in(&net64, xb, k);
    let mut g = Mat::zeros(net64.n, net64.n);
    let res = window(&net64, xw, &start, k, mode, Some(&mut g.data));
    (res, g)
}

#[cfg(test)]
mod tests {
    use super::super::{FlossWhen, LyapProbe};
    use super::*;
    use crate::rng::Rng;
    use crate::tasks::TaskKind;

    fn net<T: Real>(n: usize, g: f64, seed: u64) -> Rnn<T> {
        let task = TaskKind::Perceptual.build();
        let mut rng = Rng::new(seed, 1);
        let w = Mat::from_fn(n, n, |_, _| T::from_f64(g * rng.normal() / (n as f64).sqrt()));
        let mut net = Rnn::new(Mat::zeros(n, n), task.n_in(), task.n_out(), 1.0, &mut Rng::new(seed, 2));
        net.w_rec = w;
        net
    }

    fn inputs(steps: usize, seed: u64) -> Vec<f64> {
        let mut s = TaskStream::new(TaskKind::Perceptual.build(), 1, seed, 9);
        let mut x = Vec::new();
        draw_inputs(&mut s, steps, &mut x);
        x
    }

    /// The exact gradient against central differences of the window loss,
    /// with the window's start (state, Q) held fixed as the loss defines it.
    #[test]
    fn exact_gradient_matches_finite_differences() {
        let n = 8;
        for (k, g, alpha) in [(1, 1.3, 1.0), (3, 1.3, 1.0), (3, 0.9, 0.3)] {
            let mut base: Rnn<f64> = net(n, g, 11);
            base.alpha = alpha;
            let x = inputs(20 + 30, 12);
            let (xb, xw) = x.split_at(20 * 3);
            let net64 = Net64::new(&base);
            let start = burn_in(&net64, xb, k);
            let mut grad = vec![0.0; n * n];
            let res = window(&net64, xw, &start, k, FlossMode::Exact, Some(&mut grad));
            assert_eq!(res.collapsed_steps, 0);
            let loss_at = |w: &Mat<f64>| {
                let mut p = base.clone();
                p.w_rec = w.clone();
                window(&Net64::new(&p), xw, &start, k, FlossMode::Exact, None).loss
            };
            let eps = 1e-6;
            let mut worst: f64 = 0.0;
            for (e, &ge) in grad.iter().enumerate() {
                let (mut wp, mut wm) = (base.w_rec.clone(), base.w_rec.clone());
                wp.data[e] += eps;
                wm.data[e] -= eps;
                let fd = (loss_at(&wp) - loss_at(&wm)) / (2.0 * eps);
                worst = worst.max((fd - ge).abs());
                assert!((fd - ge).abs() < 1e-6 * (1.0 + fd.abs()), "k {k}: entry {e}: fd {fd} vs exact {ge}");
            }
            let scale = grad.iter().map(|v| v.abs()).fold(0.0, f64::max);
            println!(
                "k {k} g {g} a {alpha}: loss {:.5}, max |grad| {scale:.3e}, max |fd - exact| {worst:.2e}",
                res.loss
            );
            assert!(scale > 1e-3, "a vacuous gradient");
        }
    }

    /// One-step window: the local rule is the exact gradient (bit for bit).
    #[test]
    fn local_equals_exact_on_a_single_step_window() {
        let base: Rnn<f64> = net(10, 1.2, 13);
        let x = inputs(20 + 1, 14);
        for k in [1, 4] {
            let (re, ge) = window_gradient(&base, &x, 20, k, FlossMode::Exact);
            let (rl, gl) = window_gradient(&base, &x, 20, k, FlossMode::Local);
            println!("single step k {k}: {re:?}, |grad| {}", ge.frob_norm());
            assert_eq!(re, rl);
            assert_eq!(ge, gl);
            assert!(ge.frob_norm() > 0.0);
        }
        // ... and not on a longer one.
        let x = inputs(20 + 30, 14);
        let (_, ge) = window_gradient(&base, &x, 20, 4, FlossMode::Exact);
        let (_, gl) = window_gradient(&base, &x, 20, 4, FlossMode::Local);
        println!("30-step window, k 4: alignment(local, exact) = {:.3}", crate::linalg::alignment(&ge, &gl));
        assert_ne!(ge, gl);
    }

    fn lambda_max(p: &LyapProbe, net: &Rnn<f32>) -> f64 {
        p.exponents(net, 1)[0]
    }

    /// 200 flossing steps on N = 32 push lambda_max towards 0 from either side.
    #[test]
    fn flossing_moves_lambda_max_towards_zero() {
        let p = LyapProbe::new(TaskStream::new(TaskKind::Perceptual.build(), 1, 5, 7));
        for (g, mode) in
            [(0.5, FlossMode::Exact), (2.5, FlossMode::Exact), (0.5, FlossMode::Local), (2.5, FlossMode::Local)]
        {
            let mut net: Rnn<f32> = net(32, g, 15);
            let w_in = net.w_in.clone();
            let before = lambda_max(&p, &net);
            let spec = FlossSpec { when: FlossWhen::Pre, k: 1, mode, iters: 200, every: 10 };
            let mut f = Flosser::new(&spec, &net, TaskStream::new(TaskKind::Perceptual.build(), 1, 5, 8));
            let first = f.step(&mut net)[0];
            let mut last = first;
            for _ in 1..200 {
                last = f.step(&mut net)[0];
            }
            let after = lambda_max(&p, &net);
            println!(
                "g {g} {}: probe lambda_max {before:+.4} -> {after:+.4}; window {first:+.4} -> {last:+.4}",
                mode.key()
            );
            assert_eq!(net.w_in, w_in, "flossing moved W_in");
            assert!(after.is_finite());
            // From either side, at least 40% of the way to 0.
            assert!(
                before.abs() > 0.5 && after.abs() < 0.6 * before.abs(),
                "g {g} {}: {before} -> {after}",
                mode.key()
            );
        }
    }

    /// k = N (more columns than active units: some collapse) with alpha < 1:
    /// everything stays finite.
    #[test]
    fn full_spectrum_gradient_is_finite() {
        let mut base: Rnn<f64> = net(6, 1.5, 16);
        base.alpha = 0.5;
        let x = inputs(20 + 20, 17);
        let (res, g) = window_gradient(&base, &x, 20, 6, FlossMode::Exact);
        println!("k = N = 6: {res:?}");
        assert!(g.all_finite() && res.exponents.iter().all(|l| l.is_finite()));
    }
}

/// Native timings: `cargo test --release --lib lyap::floss::timings -- --ignored --nocapture`.
#[cfg(test)]
mod timings {
    use super::super::{FlossWhen, LyapProbe};
    use super::*;
    use crate::rng::Rng;
    use crate::tasks::TaskKind;
    use std::time::Instant;

    fn net(n: usize, g: f64) -> Rnn<f32> {
        let task = TaskKind::Perceptual.build();
        let mut rng = Rng::new(1, 1);
        let w = Mat::from_fn(n, n, |_, _| (g * rng.normal() / (n as f64).sqrt()) as f32);
        let mut net = Rnn::new(Mat::zeros(n, n), task.n_in(), task.n_out(), 1.0, &mut Rng::new(1, 2));
        net.w_rec = w;
        net
    }

    fn best_of(reps: usize, mut f: impl FnMut()) -> f64 {
        (0..reps)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1e3
            })
            .fold(f64::INFINITY, f64::min)
    }

    #[test]
    #[ignore]
    fn timings() {
        let p = LyapProbe::new(TaskStream::new(TaskKind::Perceptual.build(), 1, 1, 7));
        let big = net(300, 1.25);
        for k in [1, 8] {
            let ms = best_of(5, || {
                std::hint::black_box(p.exponents(&big, k));
            });
            println!("LyapProbe::exponents N 300, {} steps, k {k}: {ms:.2} ms", p.burn() + p.steps());
        }
        for (n, k, mode) in [
            (100, 1, FlossMode::Exact),
            (100, 1, FlossMode::Local),
            (100, 8, FlossMode::Exact),
            (100, 8, FlossMode::Local),
            (300, 8, FlossMode::Exact),
            (300, 8, FlossMode::Local),
        ] {
            let mut w = net(n, 1.25);
            let spec = FlossSpec { when: FlossWhen::Pre, k, mode, iters: 1, every: 1 };
            let mut f = Flosser::new(&spec, &w, TaskStream::new(TaskKind::Perceptual.build(), 1, 1, 8));
            let ms = best_of(5, || {
                std::hint::black_box(f.step(&mut w));
            });
            println!("Flosser::step N {n} k {k} {}: {ms:.2} ms", mode.key());
        }
    }
}
