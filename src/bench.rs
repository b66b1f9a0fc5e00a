//! Timings of the engine's hot paths, shared by `richlazy bench` and the wasm
//! module (which has no std clock, so the caller passes one).

use crate::config::Config;
use crate::experiment::initial_network;
use crate::json::{obj, Json};
use crate::linalg::{alignment, singular_values};
use crate::metrics::tangent_kernel;
use crate::rules::Grads;
use crate::tasks::TaskStream;

/// Milliseconds for: one training iteration (mean over `iters`), one
/// tangent-kernel alignment, one N x N singular-value decomposition.
#[derive(Clone, Debug)]
pub struct Timings {
    pub iters: usize,
    pub iteration_ms: f64,
    pub kernel_alignment_ms: f64,
    pub svd_ms: f64,
    pub kernel_size: usize,
}

impl Timings {
    pub fn to_json(&self) -> Json {
        obj([
            ("iters", self.iters.into()),
            ("iteration_ms", self.iteration_ms.into()),
            ("kernel_alignment_ms", self.kernel_alignment_ms.into()),
            ("svd_ms", self.svd_ms.into()),
            ("kernel_size", self.kernel_size.into()),
        ])
    }
}

/// Runs the benchmark; `now_ms` is a monotonic clock in milliseconds.
pub fn run(config: &Config, iters: usize, now_ms: &dyn Fn() -> f64) -> Timings {
    let mut net = initial_network(config);
    let mut stream = TaskStream::new(config.task.build(), config.batch, config.seed, 0);
    let decision = stream.task().decision_steps();
    let mut rule = config.rule.build(&net, stream.task().seq_len(), config.batch);
    let mut grads = Grads::zeros_like(&net);
    let mut opt = config.optimizer.build(&grads);
    let mut batch = stream.new_batch();
    let mut step = |net: &mut crate::model::Rnn<f32>| {
        stream.fill(&mut batch);
        rule.gradients(net, &batch, decision.clone(), &mut grads);
        opt.step(net.params_mut(), &grads);
    };
    step(&mut net); // warm-up
    let t0 = now_ms();
    for _ in 0..iters {
        step(&mut net);
    }
    let iteration_ms = (now_ms() - t0) / iters as f64;

    // As the measures take it: the kernel now against a stored one.
    let probe = TaskStream::new(config.task.build(), config.batch, config.seed, 1).next_batch();
    let k0 = tangent_kernel(&initial_network(config), &probe);
    let t0 = now_ms();
    let k = tangent_kernel(&net, &probe);
    let a = alignment(&k, &k0);
    let kernel_alignment_ms = now_ms() - t0;
    assert!(a.is_finite());

    let w = net.w_rec.to_f64();
    let t0 = now_ms();
    let s = singular_values(&w);
    let svd_ms = now_ms() - t0;
    assert!(s[0].is_finite());
    Timings { iters, iteration_ms, kernel_alignment_ms, svd_ms, kernel_size: k.rows }
}
