//! One input layer for several tasks (a sequence's, docs/sequences.md): each task's channels in a
//! block of their own, in the order the tasks first appear, then a one-hot task cue, on for the
//! whole trial (Yang et al. 2019 give their rule input the same way). A trial of one task writes its
//! own block and its cue; every other channel is 0. Outputs are shared: fixate or one of two answers.

use super::{Condition, Task, TaskKind};
use crate::rng::Rng;
use crate::settings::SettingError;
use std::sync::{Mutex, OnceLock};

pub struct Cued {
    inner: Box<dyn Task>,
    /// The first channel of this task's block.
    offset: usize,
    /// The cue's channel.
    cue: usize,
    names: Names,
}

type Names = &'static [&'static str];
/// The layers' names made so far, by their list of tasks.
type Known = Vec<(Vec<TaskKind>, Names)>;

/// The channels of the layer for `tasks` (at least two distinct tasks): `(offset, width)` of each
/// task's block, then the cue's first channel; the layer is `cue + tasks.len()` wide.
pub fn blocks(tasks: &[TaskKind]) -> (Vec<(usize, usize)>, usize) {
    let mut at = 0;
    let blocks = tasks
        .iter()
        .map(|t| {
            let n = t.build().n_in();
            at += n;
            (at - n, n)
        })
        .collect();
    (blocks, at)
}

/// The layer's channel names: the first task's own (its channel 0 is fixation, as the aligned start
/// expects), the others' after their task's key, then `cue 2af`, ... Kept once per list of tasks
/// (at most 12 lists of 2 or 3 of the three tasks), as `Task::input_names` lends them for good.
fn names(tasks: &[TaskKind]) -> Names {
    static NAMES: OnceLock<Mutex<Known>> = OnceLock::new();
    let mut known = NAMES.get_or_init(|| Mutex::new(Vec::new())).lock().expect("not poisoned");
    if let Some((_, n)) = known.iter().find(|(t, _)| t == tasks) {
        return n;
    }
    let mut out: Vec<String> = Vec::new();
    for (i, t) in tasks.iter().enumerate() {
        let own = t.build().input_names();
        out.extend(own.iter().map(|n| if i == 0 { n.to_string() } else { format!("{} {n}", t.key()) }));
    }
    out.extend(tasks.iter().map(|t| format!("cue {}", t.key())));
    let leaked: Names =
        Box::leak(out.into_iter().map(|s| &*Box::leak(s.into_boxed_str())).collect::<Vec<_>>().into_boxed_slice());
    known.push((tasks.to_vec(), leaked));
    leaked
}

impl Cued {
    /// Task `tasks[j]` (built by `inner`) in the layer of `tasks`.
    pub fn new(tasks: &[TaskKind], j: usize, inner: Box<dyn Task>) -> Cued {
        let (blocks, cue) = blocks(tasks);
        Cued { inner, offset: blocks[j].0, cue: cue + j, names: names(tasks) }
    }
}

impl Task for Cued {
    fn key(&self) -> &'static str {
        self.inner.key()
    }
    fn input_names(&self) -> &'static [&'static str] {
        self.names
    }
    fn n_out(&self) -> usize {
        self.inner.n_out()
    }
    fn dt(&self) -> u32 {
        self.inner.dt()
    }
    fn periods_ms(&self) -> &'static [(&'static str, u32)] {
        self.inner.periods_ms()
    }
    fn scored_steps(&self) -> std::ops::Range<usize> {
        self.inner.scored_steps()
    }
    fn kernel_sequences(&self) -> Option<usize> {
        self.inner.kernel_sequences()
    }
    fn ready(&self) -> Result<(), SettingError> {
        self.inner.ready()
    }
    fn condition_names(&self) -> &'static [&'static str] {
        self.inner.condition_names()
    }

    /// The task's own trial (the same draws), written at the front of `x` and then spread out to its
    /// block, last step first so that no step is overwritten before it is moved.
    fn trial(&self, rng: &mut Rng, x: &mut [f32], labels: &mut [usize]) -> Condition {
        let (own, width) = (self.inner.n_in(), self.n_in());
        let condition = self.inner.trial(rng, &mut x[..self.seq_len() * own], labels);
        for t in (0..self.seq_len()).rev() {
            x.copy_within(t * own..(t + 1) * own, t * width + self.offset);
            let row = &mut x[t * width..(t + 1) * width];
            row[..self.offset].fill(0.0);
            row[self.offset + own..].fill(0.0);
            row[self.cue] = 1.0;
        }
        condition
    }
}
