//! Tasks in sequence (docs/sequences.md): one network trains on task A, then B (then C, or A
//! again), a number of iterations each, and the run measures what each phase costs and what it
//! makes the network forget. `Sequence` is the `sequence` setting as parsed; `Tracker` follows a
//! run through its phases: every task's probe loss and accuracy at each measure point, and each
//! phase's weight change and path length (the cost of plasticity).

use crate::linalg::Mat;
use crate::metrics::Probe;
use crate::model::Rnn;
use crate::settings::{clip, compact, empty_item, in_range, number, whole, Code, SettingError};
use crate::tasks::TaskKind;

/// The most phases a sequence has: A, B, C and back to A, and two more for A, B, A, B, A, B.
pub const MAX_PHASES: usize = 6;
/// The highest learning rate a phase may take (the `lr` setting's); 0 freezes the phase's weights.
pub const MAX_PHASE_LR: f64 = 10.0;
/// The probe accuracy at which a task counts as learned, for a phase's iterations to learn it: our
/// choice, 0.8, which each of the three tasks reaches (2AF's best is about 0.9, as a fifth of its
/// trials have coherence 0 and are guesses).
pub const LEARNED_ACCURACY: f64 = 0.8;

/// One item of a sequence: `task[:iters[:lr]]`; without its own, a phase takes `iters` and `lr`.
#[derive(Clone, Debug, PartialEq)]
pub struct Phase {
    pub task: TaskKind,
    pub iters: Option<usize>,
    pub lr: Option<f64>,
}

/// The `sequence` setting: empty for a run of one task.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Sequence {
    pub phases: Vec<Phase>,
}

fn refused(code: Code, message: String) -> SettingError {
    SettingError::new("sequence", code, format!("sequence: {message}"))
}

impl Sequence {
    /// `2af,dms` or `2af:3000,dms:5000:0.001`: up to `MAX_PHASES` of the neurogym tasks, each of
    /// at most `max_iters` iterations (the caller checks their sum).
    pub fn parse(value: &str, max_iters: usize) -> Result<Sequence, SettingError> {
        let text = value.trim();
        if text.is_empty() {
            return Ok(Sequence::default());
        }
        let items: Vec<&str> = text.split(',').map(str::trim).collect();
        if items.iter().any(|s| s.is_empty()) {
            return Err(SettingError::new("sequence", Code::List, empty_item("sequence", value)));
        }
        if items.len() > MAX_PHASES {
            return Err(refused(Code::List, format!("{} phases are more than {MAX_PHASES}", items.len())));
        }
        let neurogym = TaskKind::NEUROGYM.map(TaskKind::key).join(", ");
        let phases = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let at = |e: SettingError| {
                    let why = e.message.trim_start_matches("sequence: ");
                    refused(e.code, format!("item {} '{}': {why}", i + 1, clip(item)))
                };
                let parts: Vec<&str> = item.split(':').map(str::trim).collect();
                if parts.len() > 3 {
                    return Err(at(refused(Code::Format, "give task, task:iters or task:iters:lr".into())));
                }
                let task = match TaskKind::parse(parts[0]) {
                    Some(TaskKind::SeqMnist) => {
                        let why = "smnist cannot be in a sequence (its 28 inputs and 10 outputs share no layer with the neurogym tasks)";
                        return Err(at(refused(Code::Conflict, why.into())));
                    }
                    Some(t) => t,
                    None => {
                        let why = format!("'{}' is not one of {neurogym}", clip(parts[0]));
                        return Err(at(refused(Code::Choice, why)));
                    }
                };
                let iters = parts.get(1).map(|s| whole("sequence", s, 0, max_iters as u64)).transpose().map_err(at)?;
                let lr = parts
                    .get(2)
                    .map(|s| number("sequence", s).and_then(|x| in_range("sequence", x, 0.0, MAX_PHASE_LR)))
                    .transpose()
                    .map_err(at)?;
                Ok(Phase { task, iters: iters.map(|n| n as usize), lr })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Sequence { phases })
    }

    pub fn is_empty(&self) -> bool {
        self.phases.is_empty()
    }

    /// The canonical text, as `pairs` writes it.
    pub fn text(&self) -> String {
        let item = |p: &Phase| {
            let mut s = p.task.key().to_string();
            if let Some(n) = p.iters {
                s += &format!(":{n}");
            }
            if let Some(lr) = p.lr {
                s += &format!(":{}", compact(lr));
            }
            s
        };
        self.phases.iter().map(item).collect::<Vec<_>>().join(",")
    }

    /// The distinct tasks, in the order they first appear: the input layer's blocks.
    pub fn tasks(&self) -> Vec<TaskKind> {
        let mut out = Vec::new();
        for p in &self.phases {
            if !out.contains(&p.task) {
                out.push(p.task);
            }
        }
        out
    }

    /// Each phase's task (its index in `tasks`), iterations [start, end) and learning rate.
    pub fn plan(&self, iters: usize, lr: f64) -> Vec<Plan> {
        let tasks = self.tasks();
        let mut start = 0;
        self.phases
            .iter()
            .map(|p| {
                let end = start + p.iters.unwrap_or(iters);
                let plan = Plan {
                    task: tasks.iter().position(|t| *t == p.task).expect("a task of the sequence"),
                    start,
                    end,
                    lr: p.lr.unwrap_or(lr),
                };
                start = end;
                plan
            })
            .collect()
    }
}

/// One phase of a run: the task it trains (index into the run's tasks), its iterations and rate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Plan {
    pub task: usize,
    pub start: usize,
    pub end: usize,
    pub lr: f64,
}

/// Every task's probe loss and accuracy at one measure point.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    pub iter: usize,
    /// The phase the run was in (a phase's last point is its end).
    pub phase: usize,
    /// (loss, accuracy) per task, in the run's order of tasks.
    pub tasks: Vec<(f64, f64)>,
}

/// What moving the weights cost: the Frobenius norm of the change, summed over iterations (the path
/// length) and squared and summed, for W_rec alone and for W_in, W_rec and W_out together.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Cost {
    pub path_w_rec: f64,
    pub path_all: f64,
    pub path_sq_w_rec: f64,
    pub path_sq_all: f64,
}

impl Cost {
    fn add(&mut self, rec2: f64, all2: f64) {
        self.path_w_rec += rec2.sqrt();
        self.path_all += all2.sqrt();
        self.path_sq_w_rec += rec2;
        self.path_sq_all += all2;
    }
}

/// A phase that ended: its cost, its net weight change (W_rec, and all weights) and its last point.
#[derive(Clone, Debug, PartialEq)]
pub struct Closed {
    pub cost: Cost,
    pub change_w_rec: f64,
    pub change_all: f64,
    /// Index into `Tracker::points` of the phase's end.
    pub end: usize,
}

/// The squared Frobenius distance of W_in, W_rec and W_out (each, in f64, in order).
fn dist2(a: [&Mat<f32>; 3], b: &[Mat<f32>; 3]) -> [f64; 3] {
    std::array::from_fn(|i| {
        a[i].data.iter().zip(&b[i].data).map(|(x, y)| (*x as f64 - *y as f64) * (*x as f64 - *y as f64)).sum()
    })
}

fn snapshot(net: &Rnn<f32>) -> [Mat<f32>; 3] {
    net.params().map(Mat::clone)
}

/// A run through its phases, beside the experiment's own measures.
pub struct Tracker {
    pub tasks: Vec<TaskKind>,
    pub plan: Vec<Plan>,
    /// The probe sets of tasks 1, 2, ... (task 0's is the run's own).
    probes: Vec<Probe>,
    pub points: Vec<Point>,
    pub closed: Vec<Closed>,
    /// The weights at the start, at the current phase's start and after the latest iteration.
    first: [Mat<f32>; 3],
    start: [Mat<f32>; 3],
    last: [Mat<f32>; 3],
    cost: Cost,
}

impl Tracker {
    pub fn new(tasks: Vec<TaskKind>, plan: Vec<Plan>, probes: Vec<Probe>, net: &Rnn<f32>) -> Tracker {
        let w = snapshot(net);
        Tracker {
            tasks,
            plan,
            probes,
            points: Vec::new(),
            closed: Vec::new(),
            first: w.clone(),
            start: w.clone(),
            last: w,
            cost: Cost::default(),
        }
    }

    /// The phase running now (the last one once the run is over).
    pub fn phase(&self) -> usize {
        self.closed.len().min(self.plan.len() - 1)
    }

    /// The task the current phase trains (index into `tasks`).
    pub fn task(&self) -> usize {
        self.plan[self.phase()].task
    }

    /// Whether a phase ends after `iter` iterations (and not yet closed).
    pub fn ends_at(&self, iter: usize) -> bool {
        self.plan.get(self.closed.len()).is_some_and(|p| p.end == iter)
    }

    /// After each iteration: adds the step from the previous weights to the phase's cost.
    pub fn moved(&mut self, net: &Rnn<f32>) {
        let [d_in, d_rec, d_out] = dist2(net.params(), &self.last);
        self.cost.add(d_rec, d_in + d_rec + d_out);
        for (l, w) in self.last.iter_mut().zip(net.params()) {
            l.data.copy_from_slice(&w.data);
        }
    }

    /// At a measure point: every task's probe loss and accuracy; task 0's are the run's own measures.
    pub fn measure(&mut self, net: &Rnn<f32>, iter: usize, own: (f64, f64)) {
        let mut tasks = vec![own];
        tasks.extend(self.probes.iter().map(|p| p.loss_accuracy(net)));
        self.points.push(Point { iter, phase: self.phase(), tasks });
    }

    /// Closes every phase that ends at `iter` (a phase of 0 iterations ends where it starts), after
    /// the measure there; returns the learning rate of the phase that runs next.
    pub fn close(&mut self, net: &Rnn<f32>, iter: usize) -> f64 {
        while self.ends_at(iter) {
            let [d_in, d_rec, d_out] = dist2(net.params(), &self.start);
            self.closed.push(Closed {
                cost: std::mem::take(&mut self.cost),
                change_w_rec: d_rec.sqrt(),
                change_all: (d_in + d_rec + d_out).sqrt(),
                end: self.points.len() - 1,
            });
            self.start = snapshot(net);
        }
        self.plan[self.phase()].lr
    }

    /// The whole run so far: the closed phases' costs summed, and the change from the start.
    pub fn total(&self, net: &Rnn<f32>) -> Closed {
        let mut cost = Cost::default();
        for c in &self.closed {
            cost.path_w_rec += c.cost.path_w_rec;
            cost.path_all += c.cost.path_all;
            cost.path_sq_w_rec += c.cost.path_sq_w_rec;
            cost.path_sq_all += c.cost.path_sq_all;
        }
        let [d_in, d_rec, d_out] = dist2(net.params(), &self.first);
        Closed {
            cost,
            change_w_rec: d_rec.sqrt(),
            change_all: (d_in + d_rec + d_out).sqrt(),
            end: self.points.len() - 1,
        }
    }

    /// The points of phase `p`, its start's (the previous phase's end, or the run's first) included.
    pub fn points_of(&self, p: usize) -> &[Point] {
        let from = if p == 0 { 0 } else { self.closed[p - 1].end };
        &self.points[from..=self.closed[p].end]
    }

    /// Iterations from phase `p`'s start to the first point where its task's probe accuracy reaches
    /// `LEARNED_ACCURACY` (0 if it starts there); `None` if it never does within the phase.
    pub fn iters_to_learn(&self, p: usize) -> Option<usize> {
        let (task, start) = (self.plan[p].task, self.plan[p].start);
        self.points_of(p).iter().find(|q| q.tasks[task].1 >= LEARNED_ACCURACY).map(|q| q.iter - start)
    }

    /// What phase `p` made the network forget of each task trained before it (not its own): for each,
    /// the phase that last trained it, the accuracy then minus now and the loss now minus then.
    pub fn forgetting(&self, p: usize) -> Vec<(usize, usize, f64, f64)> {
        let now = &self.points[self.closed[p].end].tasks;
        let mut out = Vec::new();
        for t in 0..self.tasks.len() {
            let last = (0..p).rev().find(|&q| self.plan[q].task == t && self.plan[q].end > self.plan[q].start);
            if let (Some(q), true) = (last, t != self.plan[p].task) {
                let then = self.points[self.closed[q].end].tasks[t];
                out.push((t, q, then.1 - now[t].1, now[t].0 - then.0));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::experiment::Experiment;
    use crate::report::run_json;
    use crate::rng::Rng;
    use crate::tasks::in_layer;

    fn config(pairs: &[(&str, &str)]) -> Config {
        let mut c = Config::default();
        let errors = c.apply(pairs.iter().copied());
        assert!(errors.is_empty(), "{errors:?}");
        c
    }

    fn run(pairs: &[(&str, &str)]) -> Experiment {
        let base = [("hidden", "12"), ("every", "3"), ("seed", "5")];
        let mut exp = Experiment::new(config(&[&base[..], pairs].concat())).unwrap();
        exp.run_to_end();
        exp
    }

    #[test]
    fn a_sequence_of_one_phase_is_the_plain_run_bit_for_bit() {
        let plain = run_json(&run(&[("task", "dms"), ("iters", "7")])).to_string();
        for one in
            [vec![("sequence", "dms:7")], vec![("sequence", "dms"), ("iters", "7")], vec![("sequence", "DMS :7")]]
        {
            assert_eq!(run_json(&run(&one)).to_string(), plain, "{one:?}");
        }
        let plain = run_json(&run(&[("task", "cxt"), ("iters", "4"), ("lr", "0.01"), ("opt", "adam")])).to_string();
        assert_eq!(run_json(&run(&[("sequence", "cxt:4:0.01"), ("opt", "adam")])).to_string(), plain);
        // Two phases of one task: the same input layer, streams and bits as the plain run, a section added.
        let plain = run(&[("iters", "6")]);
        let twice = run(&[("sequence", "2af:3,2af:3")]);
        assert_eq!(twice.weights().w_rec, plain.weights().w_rec);
        assert_eq!(twice.history(), plain.history());
        assert_eq!(twice.config().total_iters(), 6);
        assert!(run_json(&twice).get("sequence").is_some() && run_json(&plain).get("sequence").is_none());
    }

    #[test]
    fn a_phase_at_learning_rate_0_leaves_every_weight_and_what_the_first_task_knows() {
        let exp = run(&[("sequence", "2af:6,dms:6:0")]);
        let s = exp.sequence().unwrap();
        assert_eq!((s.closed.len(), s.plan[1].lr), (2, 0.0));
        let end_of_a = &s.points[s.closed[0].end];
        assert_eq!(end_of_a.iter, 6);
        for q in s.points_of(1) {
            assert_eq!(q.tasks, end_of_a.tasks, "iteration {}", q.iter);
        }
        let b = &s.closed[1];
        assert_eq!((b.change_all, b.cost.path_all, b.cost.path_sq_all), (0.0, 0.0, 0.0));
        assert_eq!(s.forgetting(1), [(0, 0, 0.0, 0.0)]);
        // Phase A did move the weights: the 0 is the rate's.
        assert!(s.closed[0].change_w_rec > 0.0 && s.points[0].tasks != end_of_a.tasks);
    }

    #[test]
    fn the_path_of_one_iteration_is_its_weight_change_and_the_total_adds_the_phases() {
        let exp = run(&[("sequence", "2af:1,dms:1,2af:1")]);
        let s = exp.sequence().unwrap();
        for c in &s.closed {
            assert_eq!(c.cost.path_w_rec, c.change_w_rec);
            assert_eq!(c.cost.path_all, c.change_all);
            assert_eq!((c.cost.path_sq_w_rec.sqrt(), c.cost.path_sq_all.sqrt()), (c.change_w_rec, c.change_all));
            assert!(c.change_all > c.change_w_rec && c.change_w_rec > 0.0);
        }
        let total = s.total(exp.net());
        let sum: f64 = s.closed.iter().map(|c| c.cost.path_w_rec).sum();
        assert!((total.cost.path_w_rec - sum).abs() < 1e-12 * sum);
        // Three steps are at least as long as the straight line from the start, which is the history's change.
        assert!(total.cost.path_w_rec >= total.change_w_rec);
        assert_eq!(total.change_w_rec, exp.latest().unwrap().weight_change);
    }

    #[test]
    fn a_trial_in_the_layer_is_its_task_in_its_block_with_its_cue() {
        use TaskKind::*;
        for (tasks, j, width) in [
            (vec![Perceptual, DelayMatch], 1, 8),
            (vec![Context, Perceptual], 1, 12),
            (vec![Perceptual, Context, DelayMatch], 1, 16),
        ] {
            let (cued, own) = (in_layer(&tasks, j, 100, false), tasks[j].build());
            let (t_len, n) = (own.seq_len(), own.n_in());
            let (offset, cue) = (crate::tasks::blocks(&tasks).0[j].0, crate::tasks::blocks(&tasks).1 + j);
            assert_eq!(cued.n_in(), width);
            let (mut x, mut labels) = (vec![7.0; t_len * width], vec![9; t_len]);
            let (mut x0, mut labels0) = (vec![0.0; t_len * n], vec![0; t_len]);
            let c = cued.trial(&mut Rng::new(3, 4), &mut x, &mut labels);
            let c0 = own.trial(&mut Rng::new(3, 4), &mut x0, &mut labels0);
            assert_eq!((c, &labels), (c0, &labels0));
            for t in 0..t_len {
                let row = &x[t * width..(t + 1) * width];
                assert_eq!(&row[offset..offset + n], &x0[t * n..(t + 1) * n], "{tasks:?} step {t}");
                for (i, v) in row.iter().enumerate() {
                    let expected = if i == cue {
                        1.0
                    } else if (offset..offset + n).contains(&i) {
                        *v
                    } else {
                        0.0
                    };
                    assert_eq!(*v, expected, "{tasks:?} step {t} channel {i}");
                }
            }
            if tasks[j] == DelayMatch {
                // The spec's DMS (shared/spec/tasks.md): fixation on steps 0-6, off at the decision;
                // the stimulus channels 0 through the delay (steps 1-5) and at the decision (7).
                let at = |t: usize, i: usize| x[t * width + offset + i];
                assert!((0..7).all(|t| at(t, 0) == 1.0) && at(7, 0) == 0.0);
                assert!([1, 2, 3, 4, 5, 7].iter().all(|&t| at(t, 1) == 0.0 && at(t, 2) == 0.0));
                assert!(at(0, 1) != 0.0 && at(6, 1) != 0.0);
            }
        }
        let names = in_layer(&[Perceptual, DelayMatch], 0, 100, false).input_names().to_vec();
        assert_eq!(
            names,
            ["fixation", "stim 1", "stim 2", "dms fixation", "dms stim 1", "dms stim 2", "cue 2af", "cue dms"]
        );
    }

    #[test]
    fn bad_sequences_are_refused_by_key_and_code() {
        let refused = |pairs: &[(&str, &str)]| {
            let errors = Config::default().apply(pairs.iter().copied());
            errors.iter().map(|e| (e.key.clone(), e.code, e.message.clone())).next().expect("an error")
        };
        for (value, code, message) in [
            ("2af,xyz", Code::Choice, "sequence: item 2 'xyz': 'xyz' is not one of 2af, dms, cxt"),
            ("2af,,dms", Code::List, "sequence: item 2 of '2af,,dms' is empty (two commas in a row, or a comma at an end)"),
            ("dms,smnist", Code::Conflict, "sequence: item 2 'smnist': smnist cannot be in a sequence (its 28 inputs and 10 outputs share no layer with the neurogym tasks)"),
            ("2af,dms,2af,dms,2af,dms,2af", Code::List, "sequence: 7 phases are more than 6"),
            ("2af:2.5,dms", Code::Whole, "sequence: item 1 '2af:2.5': 2.5 is not a whole number"),
            ("2af,dms:10:-1", Code::Range, "sequence: item 2 'dms:10:-1': -1 is outside 0..10"),
            ("2af,dms:10:x", Code::Number, "sequence: item 2 'dms:10:x': 'x' is not a number"),
            ("2af:1:1:1", Code::Format, "sequence: item 1 '2af:1:1:1': give task, task:iters or task:iters:lr"),
            ("2af:0,dms:0", Code::Range, "sequence: its phases add up to 0 iterations, outside 1..200000"),
            ("2af:200000,dms", Code::Range, "sequence: its phases add up to 210000 iterations, outside 1..200000"),
            ("2af:5:0", Code::Range, "sequence: a run of one phase takes the lr setting's range: lr: 0 is outside 1e-9..10"),
        ] {
            assert_eq!(refused(&[("sequence", value)]), ("sequence".into(), code, message.into()), "{value}");
        }
        let mut c = Config::default();
        let given = [("sequence", "2af:3,dms:4"), ("iters", "9")];
        assert!(c.apply(given).is_empty());
        let u = c.unused(given.map(|(k, _)| k), &[]);
        assert_eq!(u.iter().map(|e| (e.key.as_str(), e.code)).collect::<Vec<_>>(), [("iters", Code::Unused)]);
        assert!(c.apply([("sequence", "2af:3,dms")]).is_empty() && c.unused(["iters"], &[]).is_empty());
        let e = refused(&[("task", "dms"), ("sequence", "2af,dms")]);
        assert_eq!((e.0.as_str(), e.1), ("task", Code::Conflict), "{}", e.2);
        assert!(Config::default().apply([("task", "2af"), ("sequence", "2af,dms")]).is_empty());
    }

    #[test]
    fn a_sequence_round_trips_and_a_fresh_control_shares_the_start() {
        let c = config(&[("sequence", " 2af , DMS:5:0.001 ,cxt:0"), ("iters", "7")]);
        assert_eq!(c.sequence.text(), "2af,dms:5:0.001,cxt:0");
        let pairs = c.pairs();
        assert_eq!(&pairs[..2], [("task", "2af".to_string()), ("sequence", "2af,dms:5:0.001,cxt:0".to_string())]);
        let mut d = Config::default();
        assert!(d.apply(pairs.iter().map(|(k, v)| (*k, v.as_str()))).is_empty());
        assert_eq!(d, c);
        let plan = |task, start, end, lr| Plan { task, start, end, lr };
        assert_eq!(c.plan(), [plan(0, 0, 7, 0.003), plan(1, 7, 12, 0.001), plan(2, 12, 12, 0.003)]);
        assert_eq!(c.total_iters(), 12);
        // The same sequence with A at 0 iterations: the same start, layer and probes, B from the start.
        let fresh = run(&[("sequence", "2af:0,dms:4")]);
        let after_a = run(&[("sequence", "2af:4,dms:4")]);
        assert_eq!(fresh.weights().w_rec0, after_a.weights().w_rec0);
        let (f, a) = (fresh.sequence().unwrap(), after_a.sequence().unwrap());
        assert_eq!((f.points[0].tasks.clone(), f.closed[0].end, f.plan[1].start), (a.points[0].tasks.clone(), 0, 0));
        assert!(f.forgetting(1).is_empty(), "A was never trained");
    }
}
