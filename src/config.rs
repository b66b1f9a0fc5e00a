//! A run's settings, parsed and written as `key=value` pairs: one format for
//! the command line, the page's links and the JSON the engine prints.

use crate::init::families;
use crate::init::{InitSpec, MAX_HIDDEN};
use crate::lyap::{FlossMode, FlossSpec, FlossWhen};
use crate::optim::OptimizerKind;
use crate::rules::RuleKind;
use crate::sequence::{Plan, Sequence};
use crate::settings::{clip, compact, concat, param, Applies, Code, Param, SettingError};
use crate::tasks::{in_layer, Task, TaskKind, DT_CHOICES, DT_DEFAULT, TAU_MS};

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub task: TaskKind,
    pub init: InitSpec,
    pub hidden: usize,
    pub iters: usize,
    pub optimizer: OptimizerKind,
    pub rule: RuleKind,
    pub seed: u64,
    /// Measure every this many iterations.
    pub every: usize,
    pub batch: usize,
    /// The time step in ms (100: the paper's 8 steps a trial).
    pub dt: u32,
    /// Leak a = dt / tau unless set on its own.
    pub alpha: f64,
    /// Gradient flossing (none by default).
    pub floss: FlossSpec,
    /// Tasks in sequence (`crate::sequence`): empty for a run of `task` alone; else `task` is its
    /// first phase's and `iters` the iterations of a phase without its own.
    pub sequence: Sequence,
}

/// The paper's settings.
impl Default for Config {
    fn default() -> Self {
        Config {
            task: TaskKind::Perceptual,
            init: InitSpec::default(),
            hidden: 300,
            iters: 10_000,
            optimizer: OptimizerKind::Sgd { lr: 0.003, momentum: 0.9 },
            rule: RuleKind::Bptt,
            seed: 0,
            every: 500,
            batch: 32,
            dt: DT_DEFAULT,
            alpha: 1.0,
            floss: FlossSpec::default(),
            sequence: Sequence::default(),
        }
    }
}

pub const MAX_ITERS: usize = 200_000;
pub const MAX_BATCH: usize = 512;
/// Seeds stay below 2^32 so that they survive a trip through JavaScript and URLs.
pub const MAX_SEED: u64 = u32::MAX as u64;

pub const MAX_FLOSS_K: usize = 64;
pub const MAX_FLOSS_ITERS: usize = 10_000;

/// The lab's settings, in the order `pairs` writes them: the page's form, its links and the
/// command line's flags all come from this table. The ranges here are the ones `set` enforces;
/// the checks that span keys (a rank above N, dt with sMNIST) run in `apply`.
pub const PARAMS: [Param; 26] = concat(&[&TASK, &crate::init::PARAMS, &TRAINING]);

const TASK: [Param; 2] = [
    Param::menu(
        "task",
        "2af",
        &["2af", "dms", "cxt", "smnist"],
        &[
            "2AF: perceptual decision",
            "DMS: delayed match to sample",
            "CXT: context-dependent decision",
            "sMNIST: sequential MNIST (loads 11 MB of images)",
        ],
        "task",
    ),
    Param {
        key: "sequence",
        default: "",
        kind: crate::settings::Kind::Text,
        help: "tasks in sequence, task[:iters[:lr]] each: 2af,dms or 2af:3000,dms:5000 (iters per phase otherwise)",
    },
];

const TRAINING: [Param; 15] = [
    Param::int("hidden", "300", 2, MAX_HIDDEN as u64, "hidden units N"),
    Param::int("iters", "10000", 1, MAX_ITERS as u64, "iterations"),
    Param::real("lr", "0.003", 1e-9, 10.0, "learning rate"),
    Param::menu("opt", "sgd", &["sgd", "adam"], &["SGD, momentum 0.9", "Adam"], "optimiser"),
    Param::menu(
        "rule",
        "bptt",
        &RuleKind::KEYS,
        &["BPTT (exact gradient)", "e-prop (local, W_outᵀ)", "random feedback (local)"],
        "learning rule",
    ),
    Param::int("seed", "0", 0, MAX_SEED, "seed"),
    Param::int("every", "500", 1, MAX_ITERS as u64, "measure every"),
    Param::int("batch", "32", 1, MAX_BATCH as u64, "batch size"),
    Param::menu(
        "dt",
        "100",
        &["100", "50", "25", "20", "10"],
        &["100 ms (8 steps a trial)", "50 ms (16 steps)", "25 ms (32 steps)", "20 ms (40 steps)", "10 ms (80 steps)"],
        "time step dt",
    ),
    Param::real("alpha", "1", 1e-3, 1.0, "leak alpha (dt / 100 ms unless given)"),
    Param::menu(
        "floss",
        "none",
        &FlossWhen::KEYS,
        &["off", "before training", "interleaved with training", "before and interleaved"],
        "gradient flossing",
    ),
    Param::int("floss_k", "1", 1, MAX_FLOSS_K as u64, "exponents flossed k"),
    Param::menu(
        "floss_mode",
        "exact",
        &FlossMode::KEYS,
        &["exact (through the QR recursion)", "local three-factor (ours)"],
        "flossing gradient",
    ),
    Param::int("floss_iters", "100", 1, MAX_FLOSS_ITERS as u64, "flossing steps before training"),
    Param::int("floss_every", "10", 1, MAX_ITERS as u64, "one flossing step every"),
];

/// When the lab's settings have an effect (a key not listed always has one): a family's own keys
/// with the families whose rows list them (`init::FAMILIES`), the flossing keys with the flossing
/// settings that use them (`FlossSpec`), `dt` with the tasks that have a time step. `Config::pairs`
/// writes a key exactly when its row holds, and `Config::unused` names a given key where it does not.
pub const APPLIES: [Applies; 11] = [
    family_key("rank", || families::using("rank")),
    family_key("erank", || families::using("erank")),
    family_key("signed", || families::using("signed")),
    family_key("dataset", || families::using("dataset")),
    family_key("ei", || families::using("ei")),
    family_key("file", || families::using("file")),
    Applies {
        key: "dt",
        when: "task",
        values: || TaskKind::ALL.iter().filter(|t| t.has_dt()).map(|t| t.key()).collect(),
    },
    Applies { key: "floss_k", when: "floss", values: || flossing(FlossSpec::on) },
    Applies { key: "floss_mode", when: "floss", values: || flossing(FlossSpec::on) },
    Applies { key: "floss_iters", when: "floss", values: || flossing(FlossSpec::pre) },
    Applies { key: "floss_every", when: "floss", values: || flossing(FlossSpec::interleaved) },
];

const fn family_key(key: &'static str, values: fn() -> Vec<&'static str>) -> Applies {
    Applies { key, when: "init", values }
}

/// The `floss` values for which `uses` holds.
fn flossing(uses: fn(&FlossSpec) -> bool) -> Vec<&'static str> {
    let spec = |k: &str| FlossSpec { when: FlossWhen::parse(k).expect("a key"), ..FlossSpec::default() };
    FlossWhen::KEYS.into_iter().filter(|k| uses(&spec(k))).collect()
}

/// A number or whole number in the table's range for `key`.
fn checked(key: &str, value: &str) -> Result<f64, SettingError> {
    param(&PARAMS, key).expect("a key of the table").number(value)
}

fn choice_error(key: &str, value: &str, names: &[&str]) -> SettingError {
    SettingError::new(key, Code::Choice, format!("{key}: '{}' is not one of {}", clip(value), names.join(", ")))
}

impl Config {
    /// Sets one field from text; on error the field is left as it was.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), SettingError> {
        match key {
            "task" => {
                self.task =
                    TaskKind::parse(value).ok_or_else(|| choice_error(key, value, &TaskKind::ALL.map(TaskKind::key)))?
            }
            "sequence" => self.sequence = Sequence::parse(value, MAX_ITERS)?,
            k if crate::init::PARAMS.iter().any(|p| p.key == k) => self.init.set(key, value)?,
            "hidden" => self.hidden = checked(key, value)? as usize,
            "iters" => self.iters = checked(key, value)? as usize,
            "lr" => {
                let lr = checked(key, value)?;
                self.optimizer = OptimizerKind::parse(self.optimizer.key(), lr).expect("known optimiser");
            }
            "opt" => {
                self.optimizer = OptimizerKind::parse(value, self.optimizer.lr())
                    .ok_or_else(|| choice_error(key, value, &["sgd", "adam"]))?
            }
            "rule" => self.rule = RuleKind::parse(value).ok_or_else(|| choice_error(key, value, &RuleKind::KEYS))?,
            "seed" => self.seed = checked(key, value)? as u64,
            "every" => self.every = checked(key, value)? as usize,
            "batch" => self.batch = checked(key, value)? as usize,
            "dt" => {
                let dt = crate::settings::number(key, value)?;
                self.dt = DT_CHOICES.iter().copied().find(|&c| c as f64 == dt).ok_or_else(|| {
                    SettingError::new(
                        key,
                        Code::Choice,
                        format!(
                            "dt: {} is not one of {} (ms)",
                            compact(dt),
                            DT_CHOICES.map(|c| c.to_string()).join(", ")
                        ),
                    )
                })?;
                self.alpha = self.dt as f64 / TAU_MS;
            }
            "alpha" => self.alpha = checked(key, value)?,
            "floss" => {
                self.floss.when = FlossWhen::parse(value).ok_or_else(|| choice_error(key, value, &FlossWhen::KEYS))?
            }
            "floss_k" => self.floss.k = checked(key, value)? as usize,
            "floss_mode" => {
                self.floss.mode = FlossMode::parse(value).ok_or_else(|| choice_error(key, value, &FlossMode::KEYS))?
            }
            "floss_iters" => self.floss.iters = checked(key, value)? as usize,
            "floss_every" => self.floss.every = checked(key, value)? as usize,
            _ => return Err(SettingError::new(key, Code::Unknown, format!("unknown setting '{}'", clip(key)))),
        }
        Ok(())
    }

    /// The task at this configuration's time step (a sequence's first, in its input layer).
    pub fn task(&self) -> Box<dyn Task> {
        self.task_at(0)
    }

    /// The task the probe set is drawn from (sMNIST's test images; the task itself otherwise).
    pub fn probe_task(&self) -> Box<dyn Task> {
        self.probe_task_at(0)
    }

    /// The run's distinct tasks, in the order they first appear: `task` alone without a sequence.
    pub fn tasks(&self) -> Vec<TaskKind> {
        if self.sequence.is_empty() {
            vec![self.task]
        } else {
            self.sequence.tasks()
        }
    }

    /// Task `j` of `tasks` in the run's input layer (`tasks::in_layer`).
    pub fn task_at(&self, j: usize) -> Box<dyn Task> {
        in_layer(&self.tasks(), j, self.dt, false)
    }

    /// ... and its probe task.
    pub fn probe_task_at(&self, j: usize) -> Box<dyn Task> {
        in_layer(&self.tasks(), j, self.dt, true)
    }

    /// The phases: one of `iters` iterations of `task` without a sequence.
    pub fn plan(&self) -> Vec<Plan> {
        let lr = self.optimizer.lr();
        if self.sequence.is_empty() {
            vec![Plan { task: 0, start: 0, end: self.iters, lr }]
        } else {
            self.sequence.plan(self.iters, lr)
        }
    }

    /// The iterations of the whole run (every phase's).
    pub fn total_iters(&self) -> usize {
        self.plan().last().map_or(0, |p| p.end)
    }

    /// The rank, for the rank and aligned families.
    pub fn rank(&self) -> Option<usize> {
        self.init.rank()
    }

    /// The target effective rank, for the spectrum family.
    pub fn erank(&self) -> Option<f64> {
        self.init.erank()
    }

    /// Applies every pair (a later pair wins over an earlier one of the same key: callers overlay
    /// settings; links and command lines refuse repeats before, `settings::without_repeats`);
    /// a bad pair leaves its field at its previous value
    /// and adds a message. Cross-field checks run last (e.g. rank <= hidden);
    /// a connectome or a file's matrix sets the hidden size to its N.
    pub fn apply<'a>(&mut self, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<SettingError> {
        // `init` goes last so that `rank` never turns a Gaussian into the rank family;
        // `alpha` after `dt`, which sets it to dt / tau, so that an explicit leak wins.
        let mut pairs: Vec<(&str, &str)> = pairs.into_iter().collect();
        pairs.sort_by_key(|(k, _)| (*k == "init", *k == "alpha"));
        let alpha_given = pairs.iter().any(|(k, _)| *k == "alpha");
        let task_given = pairs.iter().any(|(k, _)| *k == "task");
        let mut errors: Vec<SettingError> = pairs.into_iter().filter_map(|(k, v)| self.set(k, v).err()).collect();
        errors.extend(self.settle_sequence(task_given));
        if !self.task.has_dt() && self.dt != DT_DEFAULT {
            errors.push(SettingError::new(
                "dt",
                Code::Conflict,
                format!("dt: {} has one step per pixel row, so dt stays {DT_DEFAULT} ms", self.task.key()),
            ));
            self.dt = DT_DEFAULT;
            if !alpha_given {
                self.alpha = DT_DEFAULT as f64 / TAU_MS;
            }
        }
        if let Some(n) = self.init.fixed_hidden() {
            self.hidden = n;
        }
        let task = self.task();
        errors.extend(self.init.settle(self.hidden, task.n_in(), task.n_out()));
        if self.floss.on() && self.floss.k > self.hidden {
            errors.push(SettingError::new(
                "floss_k",
                Code::Conflict,
                format!(
                    "floss_k: {} is more exponents than the {} units; flossing all {}",
                    self.floss.k, self.hidden, self.hidden
                ),
            ));
            self.floss.k = self.hidden;
        }
        errors
    }

    /// A sequence sets `task` to its first phase's (a given `task` that differs is refused) and its
    /// total stays within `MAX_ITERS`; a sequence of one phase is the plain run of its task: its
    /// iterations and rate become `iters` and `lr`, and nothing of the sequence is kept, so that
    /// it has the plain run's bits and report.
    fn settle_sequence(&mut self, task_given: bool) -> Vec<SettingError> {
        let Some(first) = self.sequence.phases.first().cloned() else { return Vec::new() };
        let mut errors = Vec::new();
        if task_given && self.task != first.task {
            errors.push(SettingError::new(
                "task",
                Code::Conflict,
                format!(
                    "task: {} is not the sequence's first task, {} (a sequence sets the task)",
                    self.task.key(),
                    first.task.key()
                ),
            ));
        }
        self.task = first.task;
        let total = self.total_iters();
        if total == 0 || total > MAX_ITERS {
            errors.push(SettingError::new(
                "sequence",
                Code::Range,
                format!("sequence: its phases add up to {total} iterations, outside 1..{MAX_ITERS}"),
            ));
            self.sequence = Sequence::default();
            return errors;
        }
        if let [one] = self.sequence.phases.as_slice() {
            self.iters = one.iters.unwrap_or(self.iters);
            if let Some(lr) = one.lr {
                match checked("lr", &lr.to_string()) {
                    Ok(lr) => self.optimizer = OptimizerKind::parse(self.optimizer.key(), lr).expect("known optimiser"),
                    Err(e) => errors.push(SettingError::new(
                        "sequence",
                        e.code,
                        format!("sequence: a run of one phase takes the lr setting's range: {}", e.message),
                    )),
                }
            }
            self.sequence = Sequence::default();
        }
        errors
    }

    /// Cautions about settings that are kept (not errors: the command line runs them): flossing
    /// `floss_k` near or above N/2 exponents. In a ReLU network about half the units are off at a
    /// step, so the exponents past the active ones lie far below 0, and pushing them to 0 pulls hard
    /// on W_rec. Where the caution starts, 0.4 N, is our choice.
    pub fn notices(&self) -> Vec<SettingError> {
        let (k, n) = (self.floss.k, self.hidden);
        let mut out = Vec::new();
        if self.floss.on() && k >= 2 && 5 * k >= 2 * n {
            out.push(SettingError::new(
                "floss_k",
                Code::Notice,
                format!(
                    "floss_k: {k} of {n} units is near N/2 or above; about half of a ReLU network's units are off at a step, \
                     so the exponents past the active ones are far below 0 and flossing them to 0 pulls hard on W_rec \
                     (kept; the flossing runs in results/ use k = 1)"
                ),
            ));
        }
        out
    }

    /// The given keys that have no effect with these settings (`APPLIES`), one warning each
    /// (code `unused`): the command line prints them, Python warns, the page names them. A key
    /// refused already (an error of `apply`) is not named again. `iters` has no effect in a sequence
    /// whose every phase has its own count (no row of `APPLIES`: that depends on the sequence's text).
    pub fn unused<'k>(&self, given: impl IntoIterator<Item = &'k str>, errors: &[SettingError]) -> Vec<SettingError> {
        let given: Vec<&str> = given.into_iter().filter(|k| !errors.iter().any(|e| e.key == *k)).collect();
        let mut out = crate::settings::unused(&APPLIES, given.iter().copied(), |when| self.text(when));
        let counted = self.sequence.phases.iter().all(|p| p.iters.is_some());
        if given.contains(&"iters") && !self.sequence.is_empty() && counted {
            let message = format!(
                "iters: has no effect with sequence {} (every phase has its own iterations)",
                clip(&self.sequence.text())
            );
            out.push(SettingError::new("iters", Code::Unused, message));
        }
        out
    }

    /// The settings a link carries: those `pairs` writes that differ from the table's defaults,
    /// without an `alpha` that `dt` implies (dt / 100 ms), so that a link sets the fewest keys.
    pub fn link(&self) -> Vec<(&'static str, String)> {
        let implied = self.dt as f64 / TAU_MS;
        self.pairs()
            .into_iter()
            .filter(|(k, v)| param(&PARAMS, k).is_none_or(|p| p.default != v.as_str()))
            .filter(|(k, _)| !(*k == "alpha" && self.alpha == implied))
            .collect()
    }

    /// A choice setting's value as text (the keys `APPLIES` rows depend on).
    fn text(&self, key: &str) -> String {
        match key {
            "task" => self.task.key(),
            "init" => self.init.key(),
            "floss" => self.floss.when.key(),
            _ => unreachable!("no row of APPLIES depends on {key}"),
        }
        .to_string()
    }

    /// Every setting as `key=value` pairs (`rank`, `erank`, `signed`, `dataset` and `ei` only
    /// for the families that use them, `dataset` off its default; `dt` only off its default and the
    /// flossing keys only when flossing is on, so that older results keep their bytes).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        PARAMS
            .iter()
            .filter_map(|p| {
                let k = p.key;
                let v = match k {
                    "task" => self.task.key().to_string(),
                    "sequence" => (!self.sequence.is_empty()).then(|| self.sequence.text())?,
                    _ if crate::init::PARAMS.iter().any(|p| p.key == k) => self.init.value(k)?,
                    "hidden" => self.hidden.to_string(),
                    "iters" => self.iters.to_string(),
                    "lr" => self.optimizer.lr().to_string(),
                    "opt" => self.optimizer.key().to_string(),
                    "rule" => self.rule.key().to_string(),
                    "seed" => self.seed.to_string(),
                    "every" => self.every.to_string(),
                    "batch" => self.batch.to_string(),
                    "dt" => (self.dt != DT_DEFAULT).then(|| self.dt.to_string())?,
                    "alpha" => self.alpha.to_string(),
                    "floss" => self.floss.on().then(|| self.floss.when.key().to_string())?,
                    "floss_k" => self.floss.on().then(|| self.floss.k.to_string())?,
                    "floss_mode" => self.floss.on().then(|| self.floss.mode.key().to_string())?,
                    "floss_iters" => self.floss.pre().then(|| self.floss.iters.to_string())?,
                    "floss_every" => self.floss.interleaved().then(|| self.floss.every.to_string())?,
                    _ => unreachable!("every key of the table is written"),
                };
                Some((k, v))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_that_do_not_apply_are_named_and_never_written() {
        let unused = |pairs: &[(&str, &str)]| {
            let mut c = Config::default();
            let errors = c.apply(pairs.iter().copied());
            let u = c.unused(pairs.iter().map(|(k, _)| *k), &errors);
            (u.iter().map(|e| (e.key.clone(), e.code)).collect::<Vec<_>>(), c)
        };
        let (u, c) = unused(&[("init", "gaussian"), ("rank", "5")]);
        assert_eq!(u, [("rank".to_string(), Code::Unused)]);
        assert!(!c.pairs().iter().any(|(k, _)| *k == "rank"));
        let mut c = Config::default();
        c.apply([("init", "gaussian"), ("rank", "5")]);
        assert_eq!(
            c.unused(["rank"], &[])[0].message,
            "rank: has no effect with init gaussian (it applies with init rank, aligned, dale_rank)"
        );
        let (u, c) = unused(&[("init", "v1"), ("dataset", "witvliet_3")]);
        assert_eq!(u, [("dataset".to_string(), Code::Unused)]);
        assert!(!c.pairs().iter().any(|(k, _)| *k == "dataset"));
        let (u, _) = unused(&[("floss_k", "3"), ("floss_iters", "5")]);
        assert_eq!(u.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["floss_k", "floss_iters"]);
        let (u, c) = unused(&[("floss", "inter"), ("floss_iters", "5"), ("floss_every", "3")]);
        assert_eq!(u, [("floss_iters".to_string(), Code::Unused)]);
        assert!(c.pairs().contains(&("floss_every", "3".to_string())));
        // A rank alone selects its family, so it applies; dt with sMNIST is a conflict, named once.
        assert!(unused(&[("rank", "5")]).0.is_empty());
        assert!(unused(&[("task", "smnist"), ("dt", "20")]).0.is_empty());
        assert_eq!(unused(&[("task", "smnist"), ("dt", "100")]).0, [("dt".to_string(), Code::Unused)]);
        assert!(unused(&[("init", "connectome"), ("dataset", "cook_herm"), ("signed", "1")]).0.is_empty());
    }

    #[test]
    fn pairs_write_a_key_exactly_where_its_applies_row_holds() {
        // Every family, task and flossing setting: each APPLIES key is written iff it applies
        // (dt and dataset also only off their defaults).
        let mut cases = Vec::new();
        for f in crate::init::FAMILIES {
            cases.push(vec![("init", f.key), ("dataset", "witvliet_2"), ("file", "0123456789abcdef")]);
        }
        for w in FlossWhen::KEYS {
            for t in TaskKind::ALL {
                cases.push(vec![("floss", w), ("task", t.key()), ("dt", if t.has_dt() { "20" } else { "100" })]);
            }
        }
        for pairs in cases {
            let mut c = Config::default();
            c.apply(pairs.iter().copied());
            let written: Vec<&str> = c.pairs().into_iter().map(|(k, _)| k).collect();
            for a in &APPLIES {
                let holds = a.holds(&c.text(a.when));
                assert!(!written.contains(&a.key) || holds, "{} written with {pairs:?}", a.key);
                let at_default = a.key == "dt" && c.dt == DT_DEFAULT;
                assert!(written.contains(&a.key) || !holds || at_default, "{} left out with {pairs:?}", a.key);
            }
        }
    }

    #[test]
    fn a_link_carries_what_differs_from_the_defaults_without_the_implied_alpha() {
        let link = |pairs: &[(&str, &str)]| {
            let mut c = Config::default();
            assert!(c.apply(pairs.iter().copied()).is_empty());
            c.link().into_iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
        };
        assert_eq!(link(&[]), "");
        assert_eq!(link(&[("dt", "20")]), "dt=20");
        assert_eq!(link(&[("dt", "20"), ("alpha", "0.5")]), "dt=20&alpha=0.5");
        assert_eq!(link(&[("init", "rank"), ("rank", "30"), ("floss_k", "4")]), "init=rank&rank=30");
        assert_eq!(link(&[("init", "fly")]), "init=fly&hidden=443");
    }

    #[test]
    fn pairs_round_trip() {
        let mut c = Config::default();
        let errs = c.apply([
            ("task", "cxt"),
            ("init", "rank"),
            ("rank", "30"),
            ("gain", "1.5"),
            ("lr", "0.01"),
            ("opt", "adam"),
            ("seed", "42"),
            ("hidden", "64"),
        ]);
        assert!(errs.is_empty(), "{errs:?}");
        let pairs = c.pairs();
        let mut d = Config::default();
        assert!(d.apply(pairs.iter().map(|(k, v)| (*k, v.as_str()))).is_empty());
        assert_eq!(c, d);
        assert_eq!(d.init, InitSpec { rank: 30, gain: 1.5, ..InitSpec::new("rank") });
        assert_eq!(d.optimizer, OptimizerKind::Adam { lr: 0.01 });
    }

    #[test]
    fn bad_fields_keep_defaults_and_are_named() {
        let mut c = Config::default();
        let errs = c.apply([("task", "<script>"), ("hidden", "-3"), ("lr", "NaN"), ("seed", "7"), ("bogus", "1")]);
        assert_eq!(errs.len(), 4, "{errs:?}");
        assert!(errs[0].message.starts_with("task:"));
        assert_eq!(c.task, TaskKind::Perceptual);
        assert_eq!(c.hidden, 300);
        assert_eq!(c.optimizer.lr(), 0.003);
        assert_eq!(c.seed, 7);
    }

    #[test]
    fn init_family_wins_whatever_the_order() {
        let mut c = Config::default();
        assert!(c.apply([("init", "gaussian"), ("rank", "30")]).is_empty());
        assert_eq!(c.init, InitSpec::new("gaussian"));
        let mut c = Config::default();
        assert!(c.apply([("init", "rank"), ("rank", "30")]).is_empty());
        assert_eq!(c.rank(), Some(30));
    }

    #[test]
    fn smnist_keeps_dt_100_and_tasks_are_listed() {
        let mut c = Config::default();
        let errs = c.apply([("task", "smnist"), ("dt", "20")]);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].message.starts_with("dt: smnist has one step per pixel row"), "{errs:?}");
        assert_eq!((c.task, c.dt, c.alpha), (TaskKind::SeqMnist, 100, 1.0));
        let mut c = Config::default();
        assert_eq!(c.apply([("dt", "20"), ("alpha", "0.5"), ("task", "SMNIST")]).len(), 1);
        assert_eq!((c.dt, c.alpha), (100, 0.5));
        assert!(!c.pairs().iter().any(|(k, _)| *k == "dt"));
        let errs = Config::default().apply([("task", "mnist")]);
        assert_eq!(errs, ["task: 'mnist' is not one of 2af, dms, cxt, smnist"]);
    }

    #[test]
    fn dt_sets_the_leak_unless_alpha_is_given() {
        let mut c = Config::default();
        assert!(c.apply([("alpha", "0.5"), ("dt", "20")]).is_empty());
        assert_eq!((c.dt, c.alpha), (20, 0.5));
        let mut c = Config::default();
        assert!(c.apply([("dt", "20")]).is_empty());
        assert_eq!((c.dt, c.alpha), (20, 0.2));
        assert!(c.apply([("dt", "30")])[0].message.starts_with("dt:"));
        assert_eq!(c.dt, 20);
        // dt and flossing keys appear only when used, so dt = 100 configurations keep their bytes.
        let keys = |c: &Config| c.pairs().into_iter().map(|(k, _)| k).collect::<Vec<_>>();
        assert!(!keys(&Config::default()).contains(&"dt"));
        assert!(!keys(&Config::default()).iter().any(|k| k.starts_with("floss")));
        assert!(keys(&c).contains(&"dt"));
    }

    #[test]
    fn floss_k_near_half_of_n_is_a_notice_and_above_n_a_conflict() {
        let notices = |pairs: &[(&str, &str)]| {
            let mut c = Config::default();
            assert!(c.apply(pairs.iter().copied()).is_empty(), "{pairs:?}");
            c.notices().iter().map(|e| (e.key.clone(), e.code)).collect::<Vec<_>>()
        };
        let near = [("hidden", "100"), ("floss", "pre"), ("floss_k", "40")];
        assert_eq!(notices(&near), vec![("floss_k".to_string(), Code::Notice)]);
        assert!(notices(&[("hidden", "100"), ("floss", "pre"), ("floss_k", "39")]).is_empty());
        // Flossing off: floss_k is not used, so nothing to say.
        assert!(notices(&[("hidden", "100"), ("floss_k", "60")]).is_empty());
        let mut c = Config::default();
        let errs = c.apply([("hidden", "20"), ("floss", "pre"), ("floss_k", "30")]);
        assert_eq!((errs[0].key.as_str(), errs[0].code), ("floss_k", Code::Conflict));
        assert_eq!(c.floss.k, 20);
        assert!(c.notices()[0].message.starts_with("floss_k: 20 of 20 units is near N/2"));
    }

    #[test]
    fn floss_settings_round_trip() {
        let mut c = Config::default();
        let errs = c.apply([
            ("rule", "eprop"),
            ("dt", "20"),
            ("floss", "both"),
            ("floss_k", "8"),
            ("floss_mode", "local"),
            ("floss_iters", "50"),
            ("floss_every", "20"),
        ]);
        assert!(errs.is_empty(), "{errs:?}");
        let mut d = Config::default();
        assert!(d.apply(c.pairs().iter().map(|(k, v)| (*k, v.as_str()))).is_empty());
        assert_eq!(c, d);
        for (k, v) in [
            ("floss", "sometimes"),
            ("floss_k", "0"),
            ("floss_mode", "magic"),
            ("floss_iters", "1e9"),
            ("rule", "hebb"),
        ] {
            assert!(Config::default().apply([(k, v)])[0].message.starts_with(k), "{k}={v}");
        }
    }

    #[test]
    fn a_worm_dataset_sets_n_and_is_written_only_off_its_default() {
        let mut c = Config::default();
        assert!(c.apply([("init", "connectome"), ("dataset", "WITVLIET_5")]).is_empty());
        assert_eq!((c.hidden, c.init.dataset), (173, 5));
        assert!(c.pairs().contains(&("dataset", "witvliet_5".to_string())));
        let mut d = Config::default();
        assert!(d.apply([("init", "connectome")]).is_empty());
        assert_eq!(d.hidden, 279);
        assert!(d.pairs().iter().all(|(k, _)| *k != "dataset"), "old links and results keep their bytes");
        let errs = d.apply([("dataset", "l5")]);
        assert_eq!((errs.len(), errs[0].key.as_str(), d.init.dataset), (1, "dataset", 0), "{errs:?}");
    }

    #[test]
    fn rank_above_hidden_is_clamped_with_a_message() {
        let mut c = Config::default();
        let errs = c.apply([("hidden", "50"), ("rank", "100")]);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(c.rank(), Some(50));
    }

    #[test]
    fn numbers_in_messages_are_compact() {
        // Every number a message prints, the range's bounds included.
        let e = Config::default().apply([
            ("gain", "1e308"),
            ("lr", "0.0000000001"),
            ("dt", "1e300"),
            ("iters", "2.000000000001"),
            ("alpha", "1.0000000001"),
        ]);
        assert_eq!(
            e,
            [
                "gain: 1e308 is outside 1e-6..100",
                "lr: 1e-10 is outside 1e-9..10",
                "dt: 1e300 is not one of 100, 50, 25, 20, 10 (ms)",
                "iters: 2.000000000001 is not a whole number",
                "alpha: 1.0000000001 is outside 0.001..1",
            ]
        );
        assert!(e.iter().all(|m| m.message.len() < 60), "{e:?}");
    }

    #[test]
    fn the_table_lists_every_key_pairs_writes_and_its_defaults_are_the_configs() {
        let mut c = Config::default();
        let all =
            [("init", "dale_rank"), ("signed", "1"), ("file", "0123456789abcdef"), ("floss", "both"), ("dt", "20")];
        c.apply(all);
        let written: Vec<&str> = c.pairs().into_iter().map(|(k, _)| k).collect();
        let table: Vec<&str> = PARAMS.iter().map(|p| p.key).filter(|k| written.contains(k)).collect();
        assert_eq!(written, table, "pairs follow the table's order");
        let defaults = PARAMS.iter().filter(|p| !p.default.is_empty()).map(|p| (p.key, p.default));
        assert_eq!(Config::default().apply(defaults), Vec::<SettingError>::new());
    }
}
