//! A run's settings, parsed and written as `key=value` pairs: one format for
//! the command line, the page's links and the JSON the engine prints.

use crate::init::{Family, InitSpec, Scale, DEFAULT_ERANK};
use crate::lyap::{FlossMode, FlossSpec, FlossWhen};
use crate::optim::OptimizerKind;
use crate::rules::RuleKind;
use crate::tasks::{Task, TaskKind, DT_CHOICES, DT_DEFAULT, TAU_MS};

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
}

/// The paper's settings.
impl Default for Config {
    fn default() -> Self {
        Config {
            task: TaskKind::Perceptual,
            init: InitSpec::new(Family::Gaussian),
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
        }
    }
}

pub const MAX_HIDDEN: usize = 1000;
pub const MAX_ITERS: usize = 200_000;
pub const MAX_BATCH: usize = 512;
/// Seeds stay below 2^32 so that they survive a trip through JavaScript and URLs.
pub const MAX_SEED: u64 = u32::MAX as u64;

pub const MAX_FLOSS_K: usize = 64;
pub const MAX_FLOSS_ITERS: usize = 10_000;

/// The keys `set` accepts, in the order `pairs` writes them.
pub const KEYS: [&str; 24] = [
    "task",
    "init",
    "rank",
    "erank",
    "gain",
    "scale",
    "signed",
    "ei",
    "file",
    "hidden",
    "iters",
    "lr",
    "opt",
    "rule",
    "seed",
    "every",
    "batch",
    "dt",
    "alpha",
    "floss",
    "floss_k",
    "floss_mode",
    "floss_iters",
    "floss_every",
];

pub(crate) fn number(key: &str, v: &str) -> Result<f64, String> {
    v.trim().parse::<f64>().ok().filter(|x| !x.is_nan()).ok_or_else(|| format!("{key}: '{}' is not a number", clip(v)))
}

pub(crate) fn in_range(key: &str, x: f64, lo: f64, hi: f64) -> Result<f64, String> {
    if x >= lo && x <= hi {
        Ok(x)
    } else {
        Err(format!("{key}: {} is outside {}..{}", compact(x), compact(lo), compact(hi)))
    }
}

/// A number for a message, short whatever the reader typed, and exact (the shortest text that reads
/// back as the same number, so a rejected value never prints as an accepted one): positional unless
/// the exponent form is more than 3 characters shorter (1e308 -> "1e308", 0.000001 -> "1e-6",
/// 1.25 -> "1.25", 4294967295 -> "4294967295"); at most 25 characters.
pub fn compact(x: f64) -> String {
    let x = if x == 0.0 { 0.0 } else { x }; // no "-0"
    let (plain, sci) = (format!("{x}"), format!("{x:e}"));
    if plain.len() <= sci.len() + 3 {
        plain
    } else {
        sci
    }
}

/// A whole number in lo..=hi.
pub(crate) fn whole(key: &str, v: &str, lo: u64, hi: u64) -> Result<u64, String> {
    let x = number(key, v)?;
    if x.fract() != 0.0 {
        return Err(format!("{key}: {} is not a whole number", clip(v.trim())));
    }
    in_range(key, x, lo as f64, hi as f64).map(|x| x as u64)
}

/// Keeps error messages short when a link carries junk.
pub(crate) fn clip(v: &str) -> String {
    let s: String = v.chars().take(24).collect();
    if s.len() < v.len() {
        format!("{s}...")
    } else {
        s
    }
}

impl Config {
    /// Sets one field from text; on error the field is left as it was.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        match key {
            "task" => {
                self.task = TaskKind::parse(value).ok_or_else(|| {
                    format!("task: '{}' is not one of {}", clip(value), TaskKind::ALL.map(TaskKind::key).join(", "))
                })?
            }
            "init" => {
                let rank = self.init.rank().unwrap_or(1);
                self.init.family = match value.to_ascii_lowercase().as_str() {
                    "gaussian" => Family::Gaussian,
                    "rank" => Family::Rank(rank),
                    "spectrum" => Family::Spectrum(self.erank().unwrap_or(DEFAULT_ERANK)),
                    "aligned" => Family::Aligned(rank),
                    "connectome" => Family::Connectome,
                    "connectome_shuffled" => Family::ConnectomeShuffled,
                    "connectome_spectrum" => Family::ConnectomeSpectrum,
                    "dale" => Family::Dale,
                    "dale_rank" => Family::DaleRank(rank),
                    "file" => Family::File,
                    "file_shuffled" => Family::FileShuffled,
                    "file_spectrum" => Family::FileSpectrum,
                    _ => return Err(format!("init: '{}' is not one of {}", clip(value), InitSpec::KEYS.join(", "))),
                }
            }
            "rank" => {
                let r = whole(key, value, 1, MAX_HIDDEN as u64)? as usize;
                self.init.family = match self.init.family {
                    Family::Aligned(_) => Family::Aligned(r),
                    Family::DaleRank(_) => Family::DaleRank(r),
                    _ => Family::Rank(r),
                };
            }
            "erank" => self.init.family = Family::Spectrum(in_range(key, number(key, value)?, 1.0, MAX_HIDDEN as f64)?),
            "gain" => self.init.gain = in_range(key, number(key, value)?, 1e-6, 100.0)?,
            "scale" => {
                self.init.scale = Scale::parse(value)
                    .ok_or_else(|| format!("scale: '{}' is not one of frobenius, spectral", clip(value)))?
            }
            "signed" => self.init.signed = whole(key, value, 0, 1)? == 1,
            "ei" => {
                let x = number(key, value)?;
                self.init.ei = if x > 0.0 && x < 1.0 {
                    x
                } else {
                    return Err(format!("ei: {} is not strictly between 0 and 1", compact(x)));
                };
            }
            "file" => {
                self.init.file = Some(
                    crate::init::file::parse_hex(value)
                        .ok_or_else(|| format!("file: '{}' is not a matrix's hash (16 hex digits)", clip(value)))?,
                )
            }
            "hidden" => self.hidden = whole(key, value, 2, MAX_HIDDEN as u64)? as usize,
            "iters" => self.iters = whole(key, value, 1, MAX_ITERS as u64)? as usize,
            "lr" => {
                let lr = in_range(key, number(key, value)?, 1e-9, 10.0)?;
                self.optimizer = OptimizerKind::parse(self.optimizer.key(), lr).expect("known optimiser");
            }
            "opt" => {
                self.optimizer = OptimizerKind::parse(value, self.optimizer.lr())
                    .ok_or_else(|| format!("opt: '{}' is not one of sgd, adam", clip(value)))?
            }
            "rule" => {
                self.rule = RuleKind::parse(value)
                    .ok_or_else(|| format!("rule: '{}' is not one of {}", clip(value), RuleKind::KEYS.join(", ")))?
            }
            "seed" => self.seed = whole(key, value, 0, MAX_SEED)?,
            "every" => self.every = whole(key, value, 1, MAX_ITERS as u64)? as usize,
            "batch" => self.batch = whole(key, value, 1, MAX_BATCH as u64)? as usize,
            "dt" => {
                let dt = number(key, value)?;
                self.dt = DT_CHOICES.iter().copied().find(|&c| c as f64 == dt).ok_or_else(|| {
                    format!("dt: {} is not one of {} (ms)", compact(dt), DT_CHOICES.map(|c| c.to_string()).join(", "))
                })?;
                self.alpha = self.dt as f64 / TAU_MS;
            }
            "alpha" => self.alpha = in_range(key, number(key, value)?, 1e-3, 1.0)?,
            "floss" => {
                self.floss.when = FlossWhen::parse(value)
                    .ok_or_else(|| format!("floss: '{}' is not one of {}", clip(value), FlossWhen::KEYS.join(", ")))?
            }
            "floss_k" => self.floss.k = whole(key, value, 1, MAX_FLOSS_K as u64)? as usize,
            "floss_mode" => {
                self.floss.mode = FlossMode::parse(value).ok_or_else(|| {
                    format!("floss_mode: '{}' is not one of {}", clip(value), FlossMode::KEYS.join(", "))
                })?
            }
            "floss_iters" => self.floss.iters = whole(key, value, 1, MAX_FLOSS_ITERS as u64)? as usize,
            "floss_every" => self.floss.every = whole(key, value, 1, MAX_ITERS as u64)? as usize,
            _ => return Err(format!("unknown setting '{}'", clip(key))),
        }
        Ok(())
    }

    /// The task at this configuration's time step.
    pub fn task(&self) -> Box<dyn Task> {
        self.task.build_at(self.dt)
    }

    /// The task the probe set is drawn from (`TaskKind::build_probe_at`).
    pub fn probe_task(&self) -> Box<dyn Task> {
        self.task.build_probe_at(self.dt)
    }

    /// The rank, for the rank and aligned families.
    pub fn rank(&self) -> Option<usize> {
        self.init.rank()
    }

    /// The target effective rank, for the spectrum family.
    pub fn erank(&self) -> Option<f64> {
        match self.init.family {
            Family::Spectrum(erank) => Some(erank),
            _ => None,
        }
    }

    /// Applies every pair; a bad pair leaves its field at its previous value
    /// and adds a message. Cross-field checks run last (e.g. rank <= hidden);
    /// a connectome or a file's matrix sets the hidden size to its N.
    pub fn apply<'a>(&mut self, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<String> {
        // `init` goes last so that `rank` never turns a Gaussian into the rank family;
        // `alpha` after `dt`, which sets it to dt / tau, so that an explicit leak wins.
        let mut pairs: Vec<(&str, &str)> = pairs.into_iter().collect();
        pairs.sort_by_key(|(k, _)| (*k == "init", *k == "alpha"));
        let alpha_given = pairs.iter().any(|(k, _)| *k == "alpha");
        let mut errors: Vec<String> = pairs.into_iter().filter_map(|(k, v)| self.set(k, v).err()).collect();
        if !self.task.has_dt() && self.dt != DT_DEFAULT {
            errors.push(format!("dt: {} has one step per pixel row, so dt stays {DT_DEFAULT} ms", self.task.key()));
            self.dt = DT_DEFAULT;
            if !alpha_given {
                self.alpha = DT_DEFAULT as f64 / TAU_MS;
            }
        }
        if let Some(n) = self.init.fixed_hidden() {
            self.hidden = n;
        }
        let task = self.task();
        let (n, n_in, n_out) = (self.hidden, task.n_in(), task.n_out());
        if let Err(e) = self.init.validate(n, n_in, n_out) {
            errors.push(e);
            self.init.family = match self.init.family {
                Family::Rank(rank) => Family::Rank(rank.min(n)),
                Family::DaleRank(rank) => Family::DaleRank(rank.min(n)),
                Family::Aligned(rank) => Family::Aligned(rank.min(crate::init::aligned_max_rank(n, n_in, n_out))),
                Family::Spectrum(erank) => Family::Spectrum(erank.min(n as f64)),
                other => other,
            };
        }
        errors
    }

    /// Every setting as `key=value` pairs (`rank`, `erank`, `signed` and `ei` only
    /// for the families that use them; `dt` only off its default and the
    /// flossing keys only when flossing is on, so that older results keep their bytes).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        KEYS.iter()
            .filter_map(|&k| {
                let v = match k {
                    "task" => self.task.key().to_string(),
                    "init" => self.init.key().to_string(),
                    "rank" => self.rank()?.to_string(),
                    "erank" => self.erank()?.to_string(),
                    "gain" => self.init.gain.to_string(),
                    "scale" => self.init.scale.key().to_string(),
                    "signed" => self.init.is_connectome().then(|| (self.init.signed as u8).to_string())?,
                    "ei" => self.init.is_dale().then(|| self.init.ei.to_string())?,
                    "file" => self.init.file.filter(|_| self.init.is_file()).map(crate::init::file::hex)?,
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
                    _ => unreachable!("every key in KEYS is written"),
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
        assert_eq!(d.init, InitSpec { family: Family::Rank(30), gain: 1.5, ..InitSpec::new(Family::Gaussian) });
        assert_eq!(d.optimizer, OptimizerKind::Adam { lr: 0.01 });
    }

    #[test]
    fn bad_fields_keep_defaults_and_are_named() {
        let mut c = Config::default();
        let errs = c.apply([("task", "<script>"), ("hidden", "-3"), ("lr", "NaN"), ("seed", "7"), ("bogus", "1")]);
        assert_eq!(errs.len(), 4, "{errs:?}");
        assert!(errs[0].starts_with("task:"));
        assert_eq!(c.task, TaskKind::Perceptual);
        assert_eq!(c.hidden, 300);
        assert_eq!(c.optimizer.lr(), 0.003);
        assert_eq!(c.seed, 7);
    }

    #[test]
    fn init_family_wins_whatever_the_order() {
        let mut c = Config::default();
        assert!(c.apply([("init", "gaussian"), ("rank", "30")]).is_empty());
        assert_eq!(c.init, InitSpec::new(Family::Gaussian));
        let mut c = Config::default();
        assert!(c.apply([("init", "rank"), ("rank", "30")]).is_empty());
        assert_eq!(c.rank(), Some(30));
    }

    #[test]
    fn smnist_keeps_dt_100_and_tasks_are_listed() {
        let mut c = Config::default();
        let errs = c.apply([("task", "smnist"), ("dt", "20")]);
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].starts_with("dt: smnist has one step per pixel row"), "{errs:?}");
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
        assert!(c.apply([("dt", "30")])[0].starts_with("dt:"));
        assert_eq!(c.dt, 20);
        // dt and flossing keys appear only when used, so dt = 100 configurations keep their bytes.
        let keys = |c: &Config| c.pairs().into_iter().map(|(k, _)| k).collect::<Vec<_>>();
        assert!(!keys(&Config::default()).contains(&"dt"));
        assert!(!keys(&Config::default()).iter().any(|k| k.starts_with("floss")));
        assert!(keys(&c).contains(&"dt"));
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
            assert!(Config::default().apply([(k, v)])[0].starts_with(k), "{k}={v}");
        }
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
        for (x, s) in [
            (1e308, "1e308"),
            (0.000001, "1e-6"),
            (1.25, "1.25"),
            (0.0, "0"),
            (-0.0, "0"),
            (-5.0, "-5"),
            (100.0, "100"),
            (4294967295.0, "4294967295"),
            (1e6, "1e6"),
            (200000.0, "200000"),
            (0.001, "0.001"),
            (0.0001, "0.0001"),
            (100.0000001, "100.0000001"),
            (1.0 / 3.0, "0.3333333333333333"),
            (-2.5e-300, "-2.5e-300"),
            (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
        ] {
            assert_eq!(compact(x), s, "{x:e}");
        }
        for i in -320..=308 {
            for x in [1.2345678901234567 * 10f64.powi(i), -1.2345678901234567 * 10f64.powi(i), 10f64.powi(i)] {
                let s = compact(x);
                assert!(s.len() <= 25 && s.parse::<f64>() == Ok(x), "{x:e}: {s}");
            }
        }
        // Every number a message prints, the range's bounds included.
        let e = Config::default().apply([
            ("gain", "1e308"),
            ("lr", "0.0000000001"),
            ("dt", "1e300"),
            ("iters", "2.000000000001"),
            ("gain", "100.0000001"),
        ]);
        assert_eq!(
            e,
            [
                "gain: 1e308 is outside 1e-6..100",
                "lr: 1e-10 is outside 1e-9..10",
                "dt: 1e300 is not one of 100, 50, 25, 20, 10 (ms)",
                "iters: 2.000000000001 is not a whole number",
                "gain: 100.0000001 is outside 1e-6..100",
            ]
        );
        assert!(e.iter().all(|m| m.len() < 60), "{e:?}");
    }
}
