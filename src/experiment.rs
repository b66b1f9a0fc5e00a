//! One training run: the network, its learning rule and optimiser, the task
//! stream, and the measures taken along the way. Native CLI and browser
//! worker drive the same object, a chunk of iterations at a time.

use crate::config::Config;
use crate::init::{io_covariance, TaskAxes};
use crate::linalg::Mat;
use crate::lyap::Flosser;
use crate::metrics::{Baseline, Measures, Probe, Spectrum, PROBE_BATCHES};
use crate::model::Rnn;
use crate::optim::Optimizer;
use crate::rng::Rng;
use crate::rules::{Grads, LearningRule};
use crate::sequence::Tracker;
use crate::settings::SettingError;
use crate::tasks::{Batch, TaskStream};

/// PCG stream numbers: one purpose each, so that changing one setting (say
/// the rank) leaves every other random draw of the seed as it was.
const STREAM_W_REC: u64 = 1;
const STREAM_W_IN_OUT: u64 = 2;
const STREAM_FEEDBACK: u64 = 3;
const STREAM_TRAIN: u64 = 1 << 16;
const STREAM_PROBE: u64 = 2 << 16;
const STREAM_TASK_STATS: u64 = 3 << 16;
const STREAM_LYAP: u64 = 4 << 16;
const STREAM_FLOSS: u64 = 5 << 16;
/// A sequence's task j draws its training and probe trials from streams j * this above the first
/// task's (one per batch slot: `MAX_BATCH` of them), so that task 0's are a plain run's.
const TASK_STREAMS: u64 = crate::config::MAX_BATCH as u64;

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Status {
    Running,
    Done,
    /// The loss or the weights stopped being finite at this iteration.
    Diverged {
        iter: usize,
    },
    /// Every unit was silent at the decision step on every probe trial at this iteration (or at
    /// the start), so the representation Gram matrix is zero and its alignment undefined; the
    /// loss and the weights are finite. A silent ReLU network gets no gradient through W_rec at
    /// that step either, so the run stops here (an all-silent `dale_rank:1` start does this).
    Silent {
        iter: usize,
    },
}

impl Status {
    /// "running", "done", "diverged" or "silent", as reports and the page spell it.
    pub fn key(self) -> &'static str {
        match self {
            Status::Running => "running",
            Status::Done => "done",
            Status::Diverged { .. } => "diverged",
            Status::Silent { .. } => "silent",
        }
    }

    /// Over, without final measures (diverged or silent).
    pub fn failed(self) -> bool {
        matches!(self, Status::Diverged { .. } | Status::Silent { .. })
    }
}

/// A run's weights as the engine holds them (rows x cols, row-major): W_in N x n_in, W_rec N x N,
/// W_out n_out x N in f32; W_rec0 (W_rec at iteration 0, after any pre-flossing) N x N in f64.
pub struct Weights<'a> {
    pub w_in: &'a Mat<f32>,
    pub w_rec0: &'a Mat<f64>,
    pub w_rec: &'a Mat<f32>,
    pub w_out: &'a Mat<f32>,
}

pub struct Experiment {
    config: Config,
    net: Rnn<f32>,
    rule: Box<dyn LearningRule<f32>>,
    opt: Box<dyn Optimizer<f32>>,
    /// One stream of training batches per task of the run (one without a sequence).
    streams: Vec<TaskStream>,
    batch: Batch,
    grads: Grads<f32>,
    probe: Probe,
    baseline: Baseline,
    /// Interleaved flossing, when on.
    flosser: Option<Flosser>,
    /// The Lyapunov exponents before pre-flossing, when it ran.
    unflossed: Option<Vec<f64>>,
    iter: usize,
    /// The iterations of the whole run (`Config::total_iters`: every phase's).
    total: usize,
    status: Status,
    /// Loss of the latest training batch (before its update).
    pub train_loss: f64,
    history: Vec<Measures>,
    /// The phases of a sequence, their measures and costs; `None` for a run of one task.
    sequence: Option<Tracker>,
    /// Threads a large product may split over (`linalg::with_lanes`); 1 unless asked.
    lanes: usize,
}

/// Builds the initial network of a configuration (also used to preview an initialisation).
pub fn initial_network(config: &Config) -> Rnn<f32> {
    let (task, n) = (config.task(), config.hidden);
    let mut net = Rnn::new(
        Mat::zeros(n, n),
        task.n_in(),
        task.n_out(),
        config.alpha,
        &mut Rng::new(config.seed, STREAM_W_IN_OUT),
    );
    let mut stats = TaskStream::new(config.task(), config.batch, config.seed, STREAM_TASK_STATS);
    let io_cov = io_covariance(&(0..PROBE_BATCHES).map(|_| stats.next_batch()).collect::<Vec<_>>(), task.n_out());
    let fixation = task.input_names().first() == Some(&"fixation");
    let axes = TaskAxes { w_in: &net.w_in.to_f64(), w_out: &net.w_out.to_f64(), io_cov: &io_cov, fixation };
    net.w_rec = config.init.build(n, &mut Rng::new(config.seed, STREAM_W_REC), &axes).cast();
    net
}

/// The stream of training batches of task j (`Config::tasks`; 0 without a sequence): iteration k
/// (0-based) of a plain run trains on its (k+1)-th batch; a sequence's phases of task j draw from it in turn.
pub fn train_stream_at(config: &Config, j: usize) -> TaskStream {
    TaskStream::new(config.task_at(j), config.batch, config.seed, STREAM_TRAIN + j as u64 * TASK_STREAMS)
}

/// The stream the probe set is drawn from (its first `PROBE_BATCHES` batches): held-out trials.
pub fn probe_stream(config: &Config) -> TaskStream {
    probe_stream_at(config, 0)
}

/// ... and task j's.
pub fn probe_stream_at(config: &Config, j: usize) -> TaskStream {
    TaskStream::new(config.probe_task_at(j), config.batch, config.seed, STREAM_PROBE + j as u64 * TASK_STREAMS)
}

/// The configuration's learning rule for `net` (random feedback drawn from the seed).
pub fn learning_rule(config: &Config, net: &Rnn<f32>, seq_len: usize) -> Box<dyn LearningRule<f32>> {
    config.rule.build(net, seq_len, config.batch, &mut Rng::new(config.seed, STREAM_FEEDBACK))
}

impl Experiment {
    pub fn new(config: Config) -> Result<Self, SettingError> {
        let task = config.task();
        task.ready()?;
        config.init.validate(config.hidden, task.n_in(), task.n_out())?;
        let mut net = initial_network(&config);
        let streams: Vec<TaskStream> = (0..config.tasks().len()).map(|j| train_stream_at(&config, j)).collect();
        // The probe set and the Lyapunov stream: held-out trials (sMNIST's test images).
        let lyap_stream = TaskStream::new(config.probe_task(), 1, config.seed, STREAM_LYAP);
        let probe = Probe::draw(probe_stream(&config), PROBE_BATCHES, lyap_stream);
        let mut flosser = config
            .floss
            .on()
            .then(|| Flosser::new(&config.floss, &net, TaskStream::new(config.task(), 1, config.seed, STREAM_FLOSS)));
        // Pre-flossing shapes the start: the measures compare against the network it leaves.
        let unflossed = match &mut flosser {
            Some(f) if config.floss.pre() => {
                let before = probe.lyapunov(&net);
                for _ in 0..config.floss.iters {
                    f.step(&mut net);
                }
                Some(before)
            }
            _ => None,
        };
        let flosser = flosser.filter(|_| config.floss.interleaved());
        let baseline = Baseline::take(&net, &probe);
        let grads = Grads::zeros_like(&net);
        let rule = learning_rule(&config, &net, streams[0].task().seq_len());
        let opt = config.optimizer.build(&grads);
        let batch = streams[0].new_batch();
        let sequence = (!config.sequence.is_empty()).then(|| {
            let lyap = |j: usize| {
                TaskStream::new(config.probe_task_at(j), 1, config.seed, STREAM_LYAP + j as u64 * TASK_STREAMS)
            };
            // The other tasks' probes give only their loss and accuracy (their Lyapunov stream is unused).
            let probes =
                (1..streams.len()).map(|j| Probe::draw(probe_stream_at(&config, j), PROBE_BATCHES, lyap(j))).collect();
            Tracker::new(config.tasks(), config.plan(), probes, &net)
        });
        let total = config.total_iters();
        let mut exp = Experiment {
            config,
            net,
            rule,
            opt,
            streams,
            batch,
            grads,
            probe,
            baseline,
            flosser,
            unflossed,
            iter: 0,
            total,
            status: Status::Running,
            train_loss: f64::NAN,
            history: Vec::new(),
            sequence,
            lanes: 1,
        };
        exp.record();
        exp.next_phase();
        Ok(exp)
    }

    pub fn config(&self) -> &Config {
        &self.config
    }
    pub fn net(&self) -> &Rnn<f32> {
        &self.net
    }
    pub fn weights(&self) -> Weights<'_> {
        Weights { w_in: &self.net.w_in, w_rec0: self.baseline.w_rec0(), w_rec: &self.net.w_rec, w_out: &self.net.w_out }
    }
    pub fn iter(&self) -> usize {
        self.iter
    }
    pub fn probe(&self) -> &Probe {
        &self.probe
    }
    pub fn status(&self) -> Status {
        self.status
    }
    pub fn history(&self) -> &[Measures] {
        &self.history
    }
    /// A sequence's phases and measures, if the run has one.
    pub fn sequence(&self) -> Option<&Tracker> {
        self.sequence.as_ref()
    }
    pub fn initial_spectrum(&self) -> &[f64] {
        &self.baseline.singular_values
    }
    /// The leading Lyapunov exponents at iteration 0 (after any pre-flossing).
    pub fn initial_lyap_spectrum(&self) -> &[f64] {
        &self.baseline.lyap_spectrum
    }
    /// ... and before pre-flossing, when it ran.
    pub fn unflossed_lyap_spectrum(&self) -> Option<&[f64]> {
        self.unflossed.as_deref()
    }

    /// Splits this run's large products (N of at least `linalg::MIN_DIM`) over up to `threads`
    /// threads; the bits do not change. A sweep with several runs in flight leaves each at 1.
    pub fn set_threads(&mut self, threads: usize) {
        self.lanes = threads.max(1);
    }

    /// One training iteration; measures when the schedule says so.
    /// Returns false once the run is over (done or diverged).
    pub fn step(&mut self) -> bool {
        crate::linalg::with_lanes(self.lanes, || self.step_here())
    }

    fn step_here(&mut self) -> bool {
        if self.status != Status::Running {
            return false;
        }
        let stream = &mut self.streams[self.sequence.as_ref().map_or(0, Tracker::task)];
        stream.fill(&mut self.batch);
        let decision = stream.task().decision_steps();
        let stats = self.rule.gradients(&self.net, &self.batch, decision, &mut self.grads);
        self.train_loss = stats.loss;
        if !stats.loss.is_finite() {
            self.status = Status::Diverged { iter: self.iter };
            return false;
        }
        self.opt.step(self.net.params_mut(), &self.grads);
        self.iter += 1;
        if let Some(f) = &mut self.flosser {
            if self.iter.is_multiple_of(self.config.floss.every) {
                f.step(&mut self.net);
            }
        }
        if !self.net.params().iter().all(|m| m.all_finite()) {
            self.status = Status::Diverged { iter: self.iter };
            return false;
        }
        let total = self.total;
        let phase_end = match &mut self.sequence {
            Some(s) => {
                s.moved(&self.net);
                s.ends_at(self.iter)
            }
            None => false,
        };
        if self.iter.is_multiple_of(self.config.every) || self.iter == total || phase_end {
            self.record();
        }
        self.next_phase();
        if self.iter >= total && self.status == Status::Running {
            self.status = Status::Done;
        }
        self.status == Status::Running
    }

    /// Closes the sequence's phases that end now (after their measures) and sets the learning rate
    /// of the phase that runs next; nothing without a sequence, or once the run has failed.
    fn next_phase(&mut self) {
        if let (Some(s), Status::Running) = (&mut self.sequence, self.status) {
            self.opt.set_lr(s.close(&self.net, self.iter));
        }
    }

    /// Up to `n` iterations; stops early when the run ends.
    pub fn advance(&mut self, n: usize) {
        for _ in 0..n {
            if !self.step() {
                break;
            }
        }
    }

    pub fn run_to_end(&mut self) {
        while self.step() {}
    }

    /// Measures now and appends to the history, unless a measure is not
    /// finite, which marks the run as diverged (never report NaN as a measure).
    fn record(&mut self) {
        let m = self.baseline.measure(&self.net, &self.probe, self.iter);
        let values =
            [m.loss, m.accuracy, m.weight_change, m.sign_similarity, m.rep_alignment, m.kernel_alignment, m.lyap_max()];
        if values.iter().all(|v| v.is_finite()) {
            if let Some(s) = &mut self.sequence {
                s.measure(&self.net, self.iter, (m.loss, m.accuracy));
            }
            self.history.push(m);
        } else if !m.rep_alignment.is_finite() && values.iter().filter(|v| !v.is_finite()).count() == 1 {
            // Only the representation alignment is undefined: a zero Gram matrix, every unit silent.
            self.status = Status::Silent { iter: self.iter };
        } else {
            self.status = Status::Diverged { iter: self.iter };
        }
    }

    /// The latest measures, unless the run diverged.
    pub fn latest(&self) -> Option<&Measures> {
        if self.status.failed() {
            None
        } else {
            self.history.last()
        }
    }

    /// Singular values and effective ranks of W_rec now.
    pub fn spectrum(&self) -> Spectrum {
        Spectrum::of(&self.net.w_rec)
    }
}
