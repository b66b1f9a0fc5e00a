//! Timings of the engine's hot paths, shared by `richlazy bench` and the wasm
//! module (which has no std clock, so the caller passes one).

use crate::config::Config;
use crate::experiment::{initial_network, learning_rule};
use crate::json::{obj, Json};
use crate::linalg::{alignment, singular_values};
use crate::lyap::LyapProbe;
use crate::metrics::tangent_kernel;
use crate::rules::Grads;
use crate::tasks::TaskStream;

/// Milliseconds for: one training iteration (median over chunks of 10 of
/// `iters` iterations of the configured rule), one tangent-kernel alignment
/// (median of 3), the singular values of the N x N W_rec (median of 5), and
/// lambda_max over the Lyapunov probe's 500 steps (after its burn-in; median of 3).
#[derive(Clone, Debug)]
pub struct Timings {
    pub iters: usize,
    pub iteration_ms: f64,
    pub kernel_alignment_ms: f64,
    pub svd_ms: f64,
    pub kernel_size: usize,
    pub lyap_ms: f64,
}

impl Timings {
    pub fn to_json(&self) -> Json {
        obj([
            ("iters", self.iters.into()),
            ("iteration_ms", self.iteration_ms.into()),
            ("kernel_alignment_ms", self.kernel_alignment_ms.into()),
            ("svd_ms", self.svd_ms.into()),
            ("kernel_size", self.kernel_size.into()),
            ("lyap_ms", self.lyap_ms.into()),
        ])
    }
}

/// Runs the benchmark; `now_ms` is a monotonic clock in milliseconds.
pub fn run(config: &Config, iters: usize, now_ms: &dyn Fn() -> f64) -> Timings {
    let mut net = initial_network(config);
    let mut stream = TaskStream::new(config.task(), config.batch, config.seed, 0);
    let decision = stream.task().decision_steps();
    let mut rule = learning_rule(config, &net, stream.task().seq_len());
    let mut grads = Grads::zeros_like(&net);
    let mut opt = config.optimizer.build(&grads);
    let mut batch = stream.new_batch();
    let mut step = |net: &mut crate::model::Rnn<f32>| {
        stream.fill(&mut batch);
        rule.gradients(net, &batch, decision.clone(), &mut grads);
        opt.step(net.params_mut(), &grads);
    };
    step(&mut net); // warm-up
                    // Chunks of 10 iterations, and the median chunk: a chunk that another
                    // process interrupted (the development machine is shared) is an outlier,
                    // not a tenth of the figure.
    let chunks = iters.div_ceil(CHUNK);
    let iteration_ms = median((0..chunks).map(|_| {
        let t0 = now_ms();
        for _ in 0..CHUNK {
            step(&mut net);
        }
        (now_ms() - t0) / CHUNK as f64
    }));

    // As the measures take it: the kernel now against a stored one.
    let mut probes = TaskStream::new(config.task(), config.batch, config.seed, 1);
    let first = probes.next_batch();
    let probe = probes.kernel_part(&first);
    let k0 = tangent_kernel(&initial_network(config), &probe);
    let mut size = 0;
    let kernel_alignment_ms = median((0..3).map(|_| {
        let t0 = now_ms();
        let k = tangent_kernel(&net, &probe);
        let a = alignment(&k, &k0);
        let ms = now_ms() - t0;
        assert!(a.is_finite());
        size = k.rows;
        ms
    }));

    let w = net.w_rec.to_f64();
    let svd_ms = median((0..5).map(|_| {
        let t0 = now_ms();
        let s = singular_values(&w);
        let ms = now_ms() - t0;
        assert!(s[0].is_finite());
        ms
    }));
    let lyap = LyapProbe::new(TaskStream::new(config.task(), 1, config.seed, 2));
    let lyap_ms = median((0..3).map(|_| {
        let t0 = now_ms();
        let l = lyap.exponents(&net, 1);
        let ms = now_ms() - t0;
        assert!(l[0].is_finite());
        ms
    }));
    Timings { iters: chunks * CHUNK, iteration_ms, kernel_alignment_ms, svd_ms, kernel_size: size, lyap_ms }
}

/// Iterations per timed chunk.
const CHUNK: usize = 10;

fn median(times: impl Iterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = times.collect();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
