//! The neuroscience tasks (neurogym 0.0.2 as the paper's script uses them; see shared/spec/tasks.md)
//! and sequential MNIST (`seq_mnist`).
//!
//! A task only knows how to write one trial. Batching, seeding and the
//! fixed probe set live here, so a new task is one new module.

mod context;
mod cued;
mod delay_match;
mod perceptual;
mod seq_mnist;

pub use context::ContextDecision;
pub use cued::{blocks, Cued};
pub use delay_match::DelayMatchSample;
pub use perceptual::PerceptualDecision;
pub use seq_mnist::{SeqMnist, Split};

use crate::rng::Rng;
use crate::settings::SettingError;
use std::ops::Range;

/// The time steps a task can take, in ms: divisors of 100, so that every period is whole steps.
pub const DT_CHOICES: [u32; 5] = [100, 50, 25, 20, 10];
/// The paper's time step.
pub const DT_DEFAULT: u32 = 100;
/// The units' time constant; the leak is a = dt / tau.
pub const TAU_MS: f64 = 100.0;

/// neurogym's input noise scale: the noise added on a step has SD `SIGMA / sqrt(dt)`.
pub const SIGMA: f64 = 1.0;

/// The SD of the input noise at time step `dt` ms: 0.1 at dt = 100, about 0.2236 at dt = 20.
pub fn input_noise_sd(dt: u32) -> f64 {
    SIGMA / (dt as f64).sqrt()
}

/// Preferred directions of the two stimulus channels (neurogym's theta).
const THETA: [f64; 2] = [0.0, std::f64::consts::PI];

/// A stimulus pair cos(theta_j - angle) * amplitude + 0.5 (neurogym's encoding of a direction).
fn direction_pair(angle: f64, amplitude: f64) -> [f64; 2] {
    THETA.map(|th| libm::cos(th - angle) * amplitude + 0.5)
}

/// Writes one row of `x` (one step) from f64 values plus `noise_sd` noise on the chosen channels.
fn write_step(x: &mut [f32], n_in: usize, t: usize, values: &[f64], noisy: &[usize], noise_sd: f64, rng: &mut Rng) {
    let row = &mut x[t * n_in..(t + 1) * n_in];
    for (i, v) in values.iter().enumerate() {
        let noise = if noisy.contains(&i) { noise_sd * rng.normal() } else { 0.0 };
        row[i] = (v + noise) as f32;
    }
}

/// Labels: fixate (0) before the decision period, the answer on every step of it.
fn answer_labels(labels: &mut [usize], decision: Range<usize>, answer: usize) {
    for (t, l) in labels.iter_mut().enumerate() {
        *l = if decision.contains(&t) { answer } else { 0 };
    }
}

/// What a trial's draws fixed before its noise, the values named by `Task::condition_names` (unused
/// slots 0): the probe's trials are averaged per condition (`analysis::trajectories`).
pub type Condition = [f64; 3];

pub trait Task: Send + Sync {
    /// Short name used on the command line and in links ("2af", "dms", "cxt").
    fn key(&self) -> &'static str;
    /// One short name per input channel, for plots.
    fn input_names(&self) -> &'static [&'static str];
    fn n_in(&self) -> usize {
        self.input_names().len()
    }
    /// Output classes: fixate plus two answers for the neurogym tasks, ten digits for sMNIST.
    fn n_out(&self) -> usize {
        3
    }
    /// The time step in ms (one of `DT_CHOICES`).
    fn dt(&self) -> u32;
    /// The trial's periods in order, name and length in ms (whole multiples of 100); the last is the
    /// decision period.
    fn periods_ms(&self) -> &'static [(&'static str, u32)];
    /// The steps of the period `name`: its length in ms over dt.
    fn period(&self, name: &str) -> Range<usize> {
        let mut start = 0;
        for &(p, ms) in self.periods_ms() {
            let end = start + ms as usize / self.dt() as usize;
            if p == name {
                return start..end;
            }
            start = end;
        }
        panic!("{}: no period {name}", self.key())
    }
    /// Steps per trial: 800 ms over dt for all three tasks (8 at dt = 100 ms, 40 at dt = 20).
    fn seq_len(&self) -> usize {
        self.periods_ms().iter().map(|&(_, ms)| ms as usize).sum::<usize>() / self.dt() as usize
    }
    /// The decision period: the answer is labelled on every one of its steps and scored there.
    fn decision_steps(&self) -> Range<usize> {
        self.period(self.periods_ms().last().expect("a task has periods").0)
    }
    /// The steps whose cross-entropy makes the loss: every step for the neurogym tasks (fixation
    /// included), the last one for sMNIST.
    fn scored_steps(&self) -> Range<usize> {
        0..self.seq_len()
    }
    /// How many probe sequences the tangent kernel is over; `None`: the whole first probe batch.
    fn kernel_sequences(&self) -> Option<usize> {
        None
    }
    /// Whether trials can be drawn; the message says why not (data that is not loaded).
    fn ready(&self) -> Result<(), SettingError> {
        Ok(())
    }
    /// What a trial's `Condition` holds, in order.
    fn condition_names(&self) -> &'static [&'static str];
    /// Writes one trial: `x` is `seq_len x n_in` row-major (overwritten in full),
    /// `labels` is `seq_len` class indices (0 = fixate); returns its condition.
    fn trial(&self, rng: &mut Rng, x: &mut [f32], labels: &mut [usize]) -> Condition;
}

/// Which task: the value the configuration, the command line and links carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskKind {
    Perceptual,
    DelayMatch,
    Context,
    SeqMnist,
}

impl TaskKind {
    pub const ALL: [TaskKind; 4] = [TaskKind::Perceptual, TaskKind::DelayMatch, TaskKind::Context, TaskKind::SeqMnist];
    /// The neurogym tasks: periods in ms, any time step of `DT_CHOICES`.
    pub const NEUROGYM: [TaskKind; 3] = [TaskKind::Perceptual, TaskKind::DelayMatch, TaskKind::Context];

    pub fn key(self) -> &'static str {
        match self {
            TaskKind::Perceptual => "2af",
            TaskKind::DelayMatch => "dms",
            TaskKind::Context => "cxt",
            TaskKind::SeqMnist => "smnist",
        }
    }

    pub fn parse(s: &str) -> Option<TaskKind> {
        Self::ALL.into_iter().find(|k| k.key().eq_ignore_ascii_case(s))
    }

    /// Whether the task takes a time step other than 100 ms (sMNIST has one step per pixel row).
    pub fn has_dt(self) -> bool {
        self != TaskKind::SeqMnist
    }

    /// The task at time step `dt` ms (one of `DT_CHOICES`, so that every period is whole steps;
    /// 100 for sMNIST). Training trials: sMNIST's training images.
    pub fn build_at(self, dt: u32) -> Box<dyn Task> {
        self.build_split(dt, Split::Train)
    }

    /// The task the probe set is drawn from: sMNIST's test images; the same task otherwise.
    pub fn build_probe_at(self, dt: u32) -> Box<dyn Task> {
        self.build_split(dt, Split::Test)
    }

    fn build_split(self, dt: u32, split: Split) -> Box<dyn Task> {
        assert!(DT_CHOICES.contains(&dt), "dt {dt} ms is not one of {DT_CHOICES:?}");
        assert!(self.has_dt() || dt == DT_DEFAULT, "{} has no time step but {DT_DEFAULT} ms", self.key());
        let task: Box<dyn Task> = match self {
            TaskKind::Perceptual => Box::new(PerceptualDecision { dt }),
            TaskKind::DelayMatch => Box::new(DelayMatchSample { dt }),
            TaskKind::Context => Box::new(ContextDecision { dt }),
            TaskKind::SeqMnist => Box::new(SeqMnist::new(crate::mnist::get(), split)),
        };
        debug_assert_eq!(task.key(), self.key());
        task
    }

    /// The task at the paper's time step, 100 ms.
    pub fn build(self) -> Box<dyn Task> {
        self.build_at(DT_DEFAULT)
    }
}

/// Task `tasks[j]` in the input layer of `tasks` (distinct tasks, a sequence's): the task itself when
/// it is the only one, so that a run of one task keeps its bits; otherwise `Cued` (training trials,
/// or the probe's held-out ones with `probe`).
pub fn in_layer(tasks: &[TaskKind], j: usize, dt: u32, probe: bool) -> Box<dyn Task> {
    let task = tasks[j].build_split(dt, if probe { Split::Test } else { Split::Train });
    if tasks.len() < 2 {
        task
    } else {
        Box::new(Cued::new(tasks, j, task))
    }
}

/// A batch laid out time-major: `x[(t * batch + b) * n_in + i]`, `labels[t * batch + b]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Batch {
    /// The time step of its task, in ms.
    pub dt: u32,
    pub seq_len: usize,
    pub batch: usize,
    pub n_in: usize,
    /// The steps the loss scores (`Task::scored_steps`).
    pub scored: Range<usize>,
    pub x: Vec<f32>,
    pub labels: Vec<usize>,
    /// Each sequence's condition (`Task::trial`).
    pub conditions: Vec<Condition>,
}

impl Batch {
    pub fn zeros(dt: u32, seq_len: usize, batch: usize, n_in: usize, scored: Range<usize>) -> Self {
        Batch {
            dt,
            seq_len,
            batch,
            n_in,
            scored,
            x: vec![0.0; seq_len * batch * n_in],
            labels: vec![0; seq_len * batch],
            conditions: vec![[0.0; 3]; batch],
        }
    }

    /// The first `n` sequences (all of them if there are fewer).
    pub fn head(&self, n: usize) -> Batch {
        let n = n.min(self.batch);
        let mut out = Batch::zeros(self.dt, self.seq_len, n, self.n_in, self.scored.clone());
        for t in 0..self.seq_len {
            out.x[t * n * self.n_in..(t + 1) * n * self.n_in].copy_from_slice(&self.x_at(t)[..n * self.n_in]);
            out.labels[t * n..(t + 1) * n].copy_from_slice(&self.labels_at(t)[..n]);
        }
        out.conditions.copy_from_slice(&self.conditions[..n]);
        out
    }

    /// Inputs at step `t`, `batch x n_in` row-major.
    pub fn x_at(&self, t: usize) -> &[f32] {
        let w = self.batch * self.n_in;
        &self.x[t * w..(t + 1) * w]
    }

    pub fn labels_at(&self, t: usize) -> &[usize] {
        &self.labels[t * self.batch..(t + 1) * self.batch]
    }
}

/// An endless stream of batches. Each batch slot draws its trials from its own
/// PCG stream, so the 32 sequences of a batch are independent trials and the
/// whole stream is fixed by `(seed, first_stream)`.
pub struct TaskStream {
    task: Box<dyn Task>,
    slots: Vec<Rng>,
    trial_x: Vec<f32>,
    trial_labels: Vec<usize>,
}

impl TaskStream {
    pub fn new(task: Box<dyn Task>, batch: usize, seed: u64, first_stream: u64) -> Self {
        let slots = (0..batch as u64).map(|s| Rng::new(seed, first_stream + s)).collect();
        let (t, n_in) = (task.seq_len(), task.n_in());
        TaskStream { task, slots, trial_x: vec![0.0; t * n_in], trial_labels: vec![0; t] }
    }

    pub fn task(&self) -> &dyn Task {
        self.task.as_ref()
    }

    pub fn new_batch(&self) -> Batch {
        Batch::zeros(self.task.dt(), self.task.seq_len(), self.slots.len(), self.task.n_in(), self.task.scored_steps())
    }

    /// Overwrites `out` with the next batch (no allocation).
    pub fn fill(&mut self, out: &mut Batch) {
        let (t_len, n_in, batch) = (self.task.seq_len(), self.task.n_in(), self.slots.len());
        for (b, rng) in self.slots.iter_mut().enumerate() {
            out.conditions[b] = self.task.trial(rng, &mut self.trial_x, &mut self.trial_labels);
            for t in 0..t_len {
                let dst = (t * batch + b) * n_in;
                out.x[dst..dst + n_in].copy_from_slice(&self.trial_x[t * n_in..(t + 1) * n_in]);
                out.labels[t * batch + b] = self.trial_labels[t];
            }
        }
    }

    /// The sequences of `b` the tangent kernel is over (`Task::kernel_sequences`).
    pub fn kernel_part(&self, b: &Batch) -> Batch {
        b.head(self.task.kernel_sequences().unwrap_or(b.batch))
    }

    pub fn next_batch(&mut self) -> Batch {
        let mut b = self.new_batch();
        self.fill(&mut b);
        b
    }
}
