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
/// lambda_max over the Lyapunov probe's 500 steps (after its burn-in; median of 3); and, when asked,
/// the state-space analysis (`Analysis`).
#[derive(Clone, Debug)]
pub struct Timings {
    pub iters: usize,
    pub iteration_ms: f64,
    pub kernel_alignment_ms: f64,
    pub svd_ms: f64,
    pub kernel_size: usize,
    pub lyap_ms: f64,
    pub analysis: Option<Analysis>,
}

/// The state-space analysis of the network trained so far against its start: the live frame the page
/// draws at every measure point (median of 3), its share of the `every` training iterations between
/// two measure points, one default fixed-point search (under the fixation input; median of 3) and the
/// whole report (once).
#[derive(Clone, Debug)]
pub struct Analysis {
    pub frame_ms: f64,
    pub frame_share: f64,
    pub fixed_point_search_ms: f64,
    pub analysis_ms: f64,
}

impl Timings {
    pub fn to_json(&self) -> Json {
        let a = self.analysis.as_ref().map(|a| {
            [
                ("frame_ms", a.frame_ms.into()),
                ("frame_share", a.frame_share.into()),
                ("fixed_point_search_ms", a.fixed_point_search_ms.into()),
                ("analysis_ms", a.analysis_ms.into()),
            ]
        });
        obj([
            ("iters", self.iters.into()),
            ("iteration_ms", self.iteration_ms.into()),
            ("kernel_alignment_ms", self.kernel_alignment_ms.into()),
            ("svd_ms", self.svd_ms.into()),
            ("kernel_size", self.kernel_size.into()),
            ("lyap_ms", self.lyap_ms.into()),
        ]
        .into_iter()
        .chain(a.into_iter().flatten()))
    }
}

/// Runs the benchmark, the analysis's too if `analysis`; `now_ms` is a monotonic clock in milliseconds.
pub fn run(config: &Config, iters: usize, analysis: bool, now_ms: &dyn Fn() -> f64) -> Timings {
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
    let analysis = analysis.then(|| {
        let (frame_ms, fixed_point_search_ms, analysis_ms) = analysis_times(config, &net, now_ms);
        let frame_share = frame_ms / (config.every as f64 * iteration_ms);
        Analysis { frame_ms, frame_share, fixed_point_search_ms, analysis_ms }
    });
    Timings { iters: chunks * CHUNK, iteration_ms, kernel_alignment_ms, svd_ms, kernel_size: size, lyap_ms, analysis }
}

/// The analysis of `net` against the configuration's start on its probe set: (frame, one fixed-point
/// search, whole report) in ms.
fn analysis_times(config: &Config, net: &crate::model::Rnn<f32>, now_ms: &dyn Fn() -> f64) -> (f64, f64, f64) {
    use crate::analysis::{report, StepMap};
    let task = config.probe_task();
    let probe = crate::trials::probe(config).expect("the bench's callers have the task's data");
    let w = crate::analysis::Weights {
        w_in: net.w_in.to_f64(),
        w_rec0: initial_network(config).w_rec.to_f64(),
        w_rec: net.w_rec.to_f64(),
        w_out: net.w_out.to_f64(),
    };
    let opt = report::Options::default();
    let timed = |f: &mut dyn FnMut()| {
        let t0 = now_ms();
        f();
        now_ms() - t0
    };
    let frame_ms =
        median((0..3).map(|_| timed(&mut || drop(report::frame(task.as_ref(), &probe, config.alpha, &w, &opt)))));
    let end =
        crate::model::Rnn { w_in: w.w_in.clone(), w_rec: w.w_rec.clone(), w_out: w.w_out.clone(), alpha: config.alpha };
    let starts =
        report::search_starts(&crate::analysis::Trajectories::of(&end, &probe, task.decision_steps()), &opt, 0);
    let (_, fixation) = &report::constant_inputs(task.as_ref(), &probe)[0];
    let map = StepMap::new(&w.w_rec, &w.w_in, fixation, config.alpha);
    let search_ms =
        median((0..3).map(|_| timed(&mut || drop(crate::analysis::find_fixed_points(&map, &starts, &opt.search)))));
    let analysis_ms = timed(&mut || drop(report::analyse(task.as_ref(), &probe, config.alpha, &w, &opt)));
    (frame_ms, search_ms, analysis_ms)
}

/// Iterations per timed chunk.
const CHUNK: usize = 10;

fn median(times: impl Iterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = times.collect();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}
