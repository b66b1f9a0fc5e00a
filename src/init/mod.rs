//! Initial recurrent weights: the knob of the paper.
//!
//! Each family is a module that turns a spec into an N x N matrix (in f64, cast to the training
//! precision by the caller) and a row of one table, `FAMILIES` below (its key, title, parameters,
//! data, hint and build function: `families::FamilyDef`); every list of families in the crate comes
//! from the table. Every family draws its base Gaussian from the same stream first, so for one seed
//! the rank-r starts are truncations of the very Gaussian the full-rank run starts from, and every
//! family is scaled to that Gaussian's norm (`Scale`).

mod aligned;
pub mod connectome;
pub mod dale;
pub mod families;
pub mod file;
pub mod fly;
mod gaussian;
mod orthogonal;
mod rank;
pub(crate) mod spectrum;
pub mod v1;
mod wiring;

pub use aligned::{io_covariance, max_rank as aligned_max_rank};
pub use dale::DEFAULT_EI;
pub use families::{families_json, family, Data, FamilyDef, Start};

use crate::linalg::{singular_values, Mat};
use crate::rng::Rng;
use crate::settings::{clip, compact, param, Code, Kind, Param, SettingError};

/// Every initial family, in the menu's order (`families`: what a row holds and what is made from
/// the table). A new family is a module above and a row here.
pub const FAMILIES: &[FamilyDef] = &[
    FamilyDef::new("gaussian", "Gaussian g·Z/√N", &[], gaussian::HINT, gaussian::start),
    FamilyDef::new("rank", "rank r truncation", &["rank"], rank::HINT, rank::start),
    FamilyDef::new("spectrum", "power-law spectrum, effective rank", &["erank"], spectrum::HINT, spectrum::start),
    FamilyDef::new("orthogonal", "random orthogonal: flat spectrum", &[], orthogonal::HINT, orthogonal::start),
    FamilyDef::new("aligned", "rank r aligned with the task", &["rank"], aligned::HINT, aligned::start)
        .ranks(aligned::rank_limit),
    FamilyDef::new("connectome", "C. elegans connectome", &["signed", "dataset"], connectome::HINT, connectome::start)
        .on(connectome::SOURCE),
    FamilyDef::new(
        "connectome_shuffled",
        "connectome, entries shuffled",
        &["signed", "dataset"],
        connectome::HINT,
        connectome::start_shuffled,
    )
    .on(connectome::SOURCE),
    FamilyDef::new(
        "connectome_spectrum",
        "connectome's spectrum, random directions",
        &["signed", "dataset"],
        connectome::HINT,
        connectome::start_spectrum,
    )
    .on(connectome::SOURCE),
    FamilyDef::new("v1", "mouse V1 (Allen cell types)", &[], v1::HINT, v1::start),
    FamilyDef::new("v1_shuffled", "mouse V1, entries shuffled", &[], v1::HINT, v1::start_shuffled),
    FamilyDef::new("v1_spectrum", "mouse V1's spectrum, random directions", &[], v1::HINT, v1::start_spectrum),
    FamilyDef::new("fly", "fly visual system (flyvis, 443 neurons)", &[], fly::HINT, fly::start).on(fly::SOURCE),
    FamilyDef::new("fly_shuffled", "fly, entries shuffled", &[], fly::HINT, fly::start_shuffled).on(fly::SOURCE),
    FamilyDef::new("fly_spectrum", "fly's spectrum, random directions", &[], fly::HINT, fly::start_spectrum)
        .on(fly::SOURCE),
    FamilyDef::new("dale", "Dale's law: excitatory and inhibitory units", &["ei"], dale::HINT, dale::start),
    FamilyDef::new("dale_rank", "Dale's law, rank r truncation", &["rank", "ei"], dale::HINT, dale::start_rank),
    FamilyDef::new("file", "your own matrix (.npy or .csv)", &["file"], file::HINT, file::start).on(file::SOURCE),
    FamilyDef::new("file_shuffled", "your matrix, entries shuffled", &["file"], file::HINT, file::start_shuffled)
        .on(file::SOURCE),
    FamilyDef::new(
        "file_spectrum",
        "your matrix's spectrum, random directions",
        &["file"],
        file::HINT,
        file::start_spectrum,
    )
    .on(file::SOURCE),
];

/// The largest network (and so the largest rank, and a file's largest matrix).
pub const MAX_HIDDEN: usize = 2000;

/// The start's settings: the lab's table (`config::PARAMS`) takes them in this order.
pub const PARAMS: [Param; 9] = [
    Param::menu("init", "gaussian", &InitSpec::KEYS, &[], "initial family of W_rec"),
    Param::int("rank", "1", 1, MAX_HIDDEN as u64, "rank r"),
    Param::real("erank", "30", 1.0, MAX_HIDDEN as f64, "effective rank"),
    Param::real("gain", "1.25", 1e-6, 100.0, "gain g"),
    Param::menu(
        "scale",
        "frobenius",
        &["frobenius", "spectral"],
        &["Frobenius norm", "largest singular value"],
        "scale to the Gaussian's",
    ),
    Param::menu("signed", "0", &["0", "1"], &["all excitatory (counts)", "negative (GABA)"], "GABAergic neurons"),
    Param::menu("dataset", "varshney", &connectome::KEYS, &connectome::LABELS, "worm dataset"),
    Param::real("ei", "0.8", 0.0, 1.0, "excitatory fraction (strictly between 0 and 1)"),
    Param { key: "file", default: "", kind: Kind::Text, help: "your matrix's hash (16 hex digits)" },
];

/// Default gain of the paper's Gaussian start.
pub const DEFAULT_GAIN: f64 = 1.25;
/// Default target effective rank of the spectrum family.
pub const DEFAULT_ERANK: f64 = 30.0;
/// Default rank of the rank families (`PARAMS`' `rank`).
pub const DEFAULT_RANK: usize = 1;

/// What "the same size as the Gaussian" means.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scale {
    /// The same Frobenius norm (the paper's choice; about g sqrt(N)).
    Frobenius,
    /// The same largest singular value (about 2 g): a rank-r start is then the
    /// plain truncation, with a smaller overall norm.
    Spectral,
}

impl Scale {
    pub fn key(self) -> &'static str {
        match self {
            Scale::Frobenius => "frobenius",
            Scale::Spectral => "spectral",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "frobenius" => Some(Scale::Frobenius),
            "spectral" => Some(Scale::Spectral),
            _ => None,
        }
    }
    /// The size of `w` in this sense.
    pub fn of(self, w: &Mat<f64>) -> f64 {
        match self {
            Scale::Frobenius => w.frob_norm(),
            Scale::Spectral => singular_values(w).first().copied().unwrap_or(0.0),
        }
    }
}

/// The start: a family of the table (`FAMILIES`) and its parameters. A family that does not
/// use `rank` or `erank` holds their defaults (so that two specs of one family compare by what it uses);
/// `signed`, `dataset`, `ei` and `file` are kept whatever the family.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InitSpec {
    pub family: &'static FamilyDef,
    /// The rank r (the families that list `rank`).
    pub rank: usize,
    /// The target effective rank (the families that list `erank`).
    pub erank: f64,
    pub gain: f64,
    pub scale: Scale,
    /// Connectome families: GABAergic presynaptic neurons inhibit (negative weights).
    pub signed: bool,
    /// Connectome families: which worm wiring diagram (an index into `connectome::DATASETS`).
    pub dataset: usize,
    /// Dale families: the fraction of excitatory units, in (0, 1).
    pub ei: f64,
    /// File families: the content hash of the matrix (`file::hash`), which must be registered.
    pub file: Option<u64>,
}

/// The directions the task uses, which the aligned family is built from.
pub struct TaskAxes<'a> {
    /// N x n_in: where each input channel enters the hidden layer.
    pub w_in: &'a Mat<f64>,
    /// n_out x N: what each output reads.
    pub w_out: &'a Mat<f64>,
    /// n_out x n_in: the task's input-answer cross-covariance (`io_covariance`).
    pub io_cov: &'a Mat<f64>,
    /// Whether input and output channel 0 are fixation (the neurogym tasks; not sMNIST, whose
    /// inputs are pixel columns and outputs digits).
    pub fixation: bool,
}

/// The paper's start: a Gaussian of gain 1.25.
impl Default for InitSpec {
    fn default() -> Self {
        InitSpec::new("gaussian")
    }
}

impl InitSpec {
    /// The family with this key (of the table: panics otherwise) at the default parameters.
    pub fn new(key: &str) -> Self {
        let family = family(key).unwrap_or_else(|| panic!("'{key}' is not a family of the table"));
        InitSpec {
            family,
            rank: DEFAULT_RANK,
            erank: DEFAULT_ERANK,
            gain: DEFAULT_GAIN,
            scale: Scale::Frobenius,
            signed: false,
            dataset: 0,
            ei: DEFAULT_EI,
            file: None,
        }
    }

    pub fn key(&self) -> &'static str {
        self.family.key
    }

    /// Every `init` value, for messages and menus (the table's keys).
    pub const KEYS: [&'static str; families::COUNT] = families::keys();

    /// Whether the family uses this parameter (its row lists it).
    pub fn uses(&self, param: &str) -> bool {
        self.family.uses(param)
    }

    pub fn is_connectome(&self) -> bool {
        self.family.data == Some(connectome::SOURCE)
    }

    pub fn is_file(&self) -> bool {
        self.family.data == Some(file::SOURCE)
    }

    /// A file family's matrix, when its hash is registered.
    pub fn file_matrix(&self) -> Option<std::sync::Arc<Mat<f64>>> {
        self.file.and_then(file::lookup).filter(|_| self.is_file())
    }

    /// The rank, for the families that use one.
    pub fn rank(&self) -> Option<usize> {
        self.uses("rank").then_some(self.rank)
    }

    /// The target effective rank, for the families that use one.
    pub fn erank(&self) -> Option<f64> {
        self.uses("erank").then_some(self.erank)
    }

    /// The hidden size this family needs, if it fixes one.
    pub fn fixed_hidden(&self) -> Option<usize> {
        self.family.data.and_then(|d| d.hidden(self))
    }

    /// A family's shape parameters that it does not use go back to their defaults (`families::OWNED`).
    fn forget_unused(&mut self) {
        if !self.uses("rank") {
            self.rank = DEFAULT_RANK;
        }
        if !self.uses("erank") {
            self.erank = DEFAULT_ERANK;
        }
    }

    /// Sets one of the start's keys (`init`, its parameters, `gain`, `scale`) from text; on error
    /// nothing changes. The ranges are `PARAMS`'. A shape parameter (`rank`, `erank`) that the family
    /// does not use selects the family it belongs to (`families::home`: `rank` the rank family,
    /// `erank` the spectrum family); the lab sets `init` last, so that an explicit family wins.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), SettingError> {
        let checked = |v: &str| param(&PARAMS, key).expect("a key of the table").number(v);
        match key {
            "init" => {
                self.family = family(&value.to_ascii_lowercase()).ok_or_else(|| {
                    SettingError::new(
                        key,
                        Code::Choice,
                        format!("init: '{}' is not one of {}", clip(value), InitSpec::KEYS.join(", ")),
                    )
                })?;
            }
            "rank" | "erank" => {
                let x = checked(value)?;
                if !self.uses(key) {
                    self.family = families::home(key).expect("a family of its own");
                }
                match key {
                    "rank" => self.rank = x as usize,
                    _ => self.erank = x,
                }
            }
            "gain" => self.gain = checked(value)?,
            "scale" => {
                self.scale = Scale::parse(value).ok_or_else(|| {
                    SettingError::new(
                        key,
                        Code::Choice,
                        format!("scale: '{}' is not one of frobenius, spectral", clip(value)),
                    )
                })?
            }
            "signed" => self.signed = crate::settings::whole(key, value, 0, 1)? == 1,
            "dataset" => {
                self.dataset = connectome::KEYS.iter().position(|k| k.eq_ignore_ascii_case(value)).ok_or_else(|| {
                    SettingError::new(
                        key,
                        Code::Choice,
                        format!("dataset: '{}' is not one of {}", clip(value), connectome::KEYS.join(", ")),
                    )
                })?
            }
            "ei" => {
                let x = crate::settings::number(key, value)?;
                self.ei = if x > 0.0 && x < 1.0 {
                    x
                } else {
                    return Err(SettingError::new(
                        key,
                        Code::Range,
                        format!("ei: {} is not strictly between 0 and 1", compact(x)),
                    ));
                };
            }
            "file" => {
                self.file = Some(file::parse_hex(value).ok_or_else(|| {
                    SettingError::new(
                        key,
                        Code::Format,
                        format!("file: '{}' is not a matrix's hash (16 hex digits)", clip(value)),
                    )
                })?)
            }
            _ => return Err(SettingError::new(key, Code::Unknown, format!("unknown setting '{}'", clip(key)))),
        }
        self.forget_unused();
        Ok(())
    }

    /// One of the start's keys as a run records it; `None` for a parameter this family does not use
    /// (its row does not list it), for a file family without a file, and for the default `dataset`
    /// (so that the connectome's results from before the setting keep their bytes).
    pub fn value(&self, key: &str) -> Option<String> {
        Some(match key {
            "init" => self.key().to_string(),
            "gain" => self.gain.to_string(),
            "scale" => self.scale.key().to_string(),
            _ if !self.uses(key) => return None,
            "rank" => self.rank.to_string(),
            "erank" => self.erank.to_string(),
            "signed" => (self.signed as u8).to_string(),
            "dataset" => (self.dataset != 0).then(|| connectome::KEYS[self.dataset].to_string())?,
            "ei" => self.ei.to_string(),
            "file" => self.file.map(file::hex)?,
            _ => return None,
        })
    }

    /// The checks that need the hidden size and the task (`validate`); a parameter past its limit
    /// is brought to it, and the message says so.
    pub fn settle(&mut self, n: usize, n_in: usize, n_out: usize) -> Option<SettingError> {
        let e = self.validate(n, n_in, n_out).err()?;
        if self.uses("rank") {
            self.rank = self.rank.min((self.family.max_rank)(n, n_in, n_out).0);
        }
        if self.uses("erank") {
            self.erank = self.erank.min(n as f64);
        }
        Some(e)
    }

    /// Checks the parameters against the hidden size and the task's input and
    /// output counts (each parameter the family uses, in `PARAMS`' order, then the hidden size its
    /// data fixes); the message is for a reader.
    pub fn validate(&self, n: usize, n_in: usize, n_out: usize) -> Result<(), SettingError> {
        let conflict = |key: &str, m: String| Err(SettingError::new(key, Code::Conflict, m));
        let gain = self.gain;
        if !(gain.is_finite() && gain > 0.0 && gain <= 100.0) {
            return Err(SettingError::new("gain", Code::Range, format!("gain must be in (0, 100], got {gain}")));
        }
        for p in PARAMS.iter().map(|p| p.key).filter(|k| self.uses(k)) {
            match p {
                "rank" => {
                    let (max, why) = (self.family.max_rank)(n, n_in, n_out);
                    if self.rank < 1 || self.rank > max {
                        return conflict("rank", format!("{why}, got {}", self.rank));
                    }
                }
                "erank" if !(self.erank >= 1.0 && self.erank <= n as f64) => {
                    return conflict("erank", format!("erank must be between 1 and the hidden size {n}, got {}", self.erank))
                }
                "ei" if !(self.ei > 0.0 && self.ei < 1.0 && (1..n).contains(&((self.ei * n as f64).round() as usize))) => {
                    return conflict(
                        "ei",
                        format!(
                            "ei must leave at least one excitatory and one inhibitory unit of {n} (round(ei N) between 1 and {}), got {}",
                            n - 1,
                            self.ei
                        ),
                    )
                }
                "file" if self.file_matrix().is_none() => {
                    return Err(SettingError::new("file", Code::MissingFile, file::missing(self.file)))
                }
                _ => {}
            }
        }
        match self.family.data.and_then(|d| Some((d, d.hidden(self)?))) {
            Some((d, m)) if m != n => conflict("hidden", d.mismatch(m, n)),
            _ => Ok(()),
        }
    }

    /// Builds W_rec for `n` units from `rng` (the caller's dedicated stream): the base Gaussian first,
    /// then the family's matrix (`FamilyDef::build`), scaled to the Gaussian's size.
    pub fn build(&self, n: usize, rng: &mut Rng, axes: &TaskAxes) -> Mat<f64> {
        let base = gaussian::build(n, self.gain, rng);
        let (mut w, size) = match (self.family.build)(self, &base, rng, axes) {
            Start::Base => return base,
            Start::Shaped(w) => {
                let size = self.scale.of(&w);
                (w, size)
            }
            Start::Sized(w, size) => (w, size),
        };
        w.scale(self.scale.of(&base) / size);
        w
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::truncate_rank;
    use crate::metrics::erank_entropy;

    fn axes_for(n: usize, rng: &mut Rng) -> (Mat<f64>, Mat<f64>, Mat<f64>) {
        let w_in = Mat::from_fn(n, 3, |_, _| rng.normal());
        let w_out = Mat::from_fn(3, n, |_, _| rng.normal());
        let io_cov = Mat::from_vec(3, 3, vec![0.0, 0.0, 0.0, 0.0, 1.0, -1.0, 0.0, -1.0, 1.0]);
        (w_in, w_out, io_cov)
    }

    /// A family of the table at rank `r`.
    fn ranked(key: &str, r: usize) -> InitSpec {
        InitSpec { rank: r, ..InitSpec::new(key) }
    }

    fn build(spec: InitSpec, n: usize) -> (Mat<f64>, Mat<f64>) {
        let (w_in, w_out, io_cov) = axes_for(n, &mut Rng::new(9, 9));
        let axes = TaskAxes { w_in: &w_in, w_out: &w_out, io_cov: &io_cov, fixation: true };
        let gaussian = InitSpec { family: family("gaussian").unwrap(), ..spec }.build(n, &mut Rng::new(4, 1), &axes);
        (spec.build(n, &mut Rng::new(4, 1), &axes), gaussian)
    }

    const RTOL: f64 = 1e-9;

    #[test]
    fn every_family_has_the_gaussians_size_and_its_own_rank() {
        let n = 80;
        let families = [
            (ranked("rank", 5), Some(5)),
            (InitSpec { erank: 12.0, ..InitSpec::new("spectrum") }, None),
            (ranked("aligned", 2), Some(2)),
            (InitSpec::new("gaussian"), Some(n)),
        ];
        for (spec, rank) in families {
            let family = spec.family;
            for scale in [Scale::Frobenius, Scale::Spectral] {
                let (w, g) = build(InitSpec { scale, ..spec }, n);
                let (want, got) = (scale.of(&g), scale.of(&w));
                assert!((got - want).abs() < RTOL * want, "{family:?} {scale:?}: {got} vs {want}");
                let s = singular_values(&w);
                if let Some(r) = rank {
                    // Exactly r non-zero singular values (zeros resolve to about sqrt(eps) s_1 via W^T W).
                    assert!(
                        s[r - 1] > 1e-3 * s[0] && s.get(r).is_none_or(|&x| x < 1e-6 * s[0]),
                        "{family:?}: {:?}",
                        &s[..(r + 1).min(n)]
                    );
                }
                if let Some(e) = spec.erank() {
                    assert!((erank_entropy(&s) - e).abs() < 1e-4 * e, "erank {}", erank_entropy(&s));
                }
            }
        }
    }

    #[test]
    fn aligned_and_rank_starts_share_their_singular_values() {
        let (a, _) = build(ranked("aligned", 3), 60);
        let (r, _) = build(ranked("rank", 3), 60);
        let (sa, sr) = (singular_values(&a), singular_values(&r));
        assert!(
            sa[..3].iter().zip(&sr[..3]).all(|(x, y)| (x - y).abs() < 1e-9 * sr[0]),
            "{:?} {:?}",
            &sa[..3],
            &sr[..3]
        );
        assert!(a.sub(&r).frob_norm() > 0.5 * r.frob_norm(), "different singular vectors");
    }

    #[test]
    fn connectome_controls_keep_its_weights_or_its_spectrum() {
        let n = connectome::celegans().n();
        let (c, g) = build(InitSpec::new("connectome"), n);
        assert!((c.frob_norm() - g.frob_norm()).abs() < RTOL * g.frob_norm());
        let sorted = |m: &Mat<f64>| {
            let mut d = m.data.clone();
            d.sort_by(f64::total_cmp);
            d
        };
        let (shuffled, _) = build(InitSpec::new("connectome_shuffled"), n);
        assert_eq!(sorted(&shuffled), sorted(&c), "the shuffle holds exactly the scaled connectome's entries");
        assert_ne!(shuffled, c);
        let (same, _) = build(InitSpec::new("connectome_spectrum"), n);
        let (sc, ss) = (singular_values(&c), singular_values(&same));
        assert!(sc.iter().zip(&ss).all(|(x, y)| (x - y).abs() < 1e-6 * sc[0]));
        assert!((erank_entropy(&sc) - 124.652).abs() < 0.01, "{}", erank_entropy(&sc));
        assert!(erank_entropy(&singular_values(&shuffled)) > 150.0, "the shuffle destroys the low-rank structure");
        // Signing flips whole columns: the same singular values (so the same effective rank).
        let (signed, _) = build(InitSpec { signed: true, ..InitSpec::new("connectome") }, n);
        assert!(signed.data.iter().any(|&x| x < 0.0));
        assert!(signed.data.iter().zip(&c.data).all(|(a, b)| a.abs() == b.abs()));
    }

    #[test]
    fn the_controls_take_the_chosen_dataset() {
        for dataset in [8, 9] {
            let spec = |key| InitSpec { dataset, signed: true, ..InitSpec::new(key) };
            let n = spec("connectome").fixed_hidden().unwrap();
            assert_eq!(n, connectome::load(dataset).n());
            let (c, _) = build(spec("connectome"), n);
            let (sh, _) = build(spec("connectome_shuffled"), n);
            let (sp, _) = build(spec("connectome_spectrum"), n);
            let sorted = |m: &Mat<f64>| {
                let mut d = m.data.clone();
                d.sort_by(f64::total_cmp);
                d
            };
            assert_eq!(sorted(&sh), sorted(&c), "dataset {dataset}: the shuffle holds its entries");
            let (a, b) = (singular_values(&c), singular_values(&sp));
            assert!(a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-6 * a[0]), "dataset {dataset}");
            // Not the default worm's matrix.
            let raw = connectome::load(dataset).matrix(true);
            let k = c.frob_norm() / raw.frob_norm();
            assert!(c.data.iter().zip(&raw.data).all(|(x, y)| (x - k * y).abs() < 1e-12 * c.frob_norm()));
        }
    }

    #[test]
    fn v1_starts_are_seeded_draws_and_their_controls() {
        let n = 120;
        let (w, g) = build(InitSpec::new("v1"), n);
        assert!((w.frob_norm() - g.frob_norm()).abs() < RTOL * g.frob_norm());
        assert_eq!(w, build(InitSpec::new("v1"), n).0, "one seed, one matrix");
        let sorted = |m: &Mat<f64>| {
            let mut d = m.data.clone();
            d.sort_by(f64::total_cmp);
            d
        };
        let (sh, _) = build(InitSpec::new("v1_shuffled"), n);
        assert_eq!(sorted(&sh), sorted(&w), "the shuffle of the very draw the v1 start makes");
        assert_ne!(sh, w);
        let (sp, _) = build(InitSpec::new("v1_spectrum"), n);
        let (a, b) = (singular_values(&w), singular_values(&sp));
        assert!(a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-6 * a[0]));
        // Columns keep one sign each (Dale's law), and the draw is sparse.
        for c in 0..n {
            let col: Vec<f64> = (0..n).map(|r| w.at(r, c)).filter(|&x| x != 0.0).collect();
            assert!(col.iter().all(|&x| x > 0.0) || col.iter().all(|&x| x < 0.0), "column {c}");
        }
        assert!(w.data.iter().filter(|&&x| x != 0.0).count() < n * n / 5);
    }

    #[test]
    fn fly_starts_fix_n_and_keep_the_patchs_weights_or_spectrum() {
        let spec = InitSpec::new("fly");
        assert_eq!(spec.fixed_hidden(), Some(443));
        assert!(spec.validate(300, 3, 3).unwrap_err().message.contains("443"));
        let (w, g) = build(spec, 443);
        assert!((w.frob_norm() - g.frob_norm()).abs() < RTOL * g.frob_norm());
        let raw = fly::types().patch(fly::RADIUS).w;
        let k = w.frob_norm() / raw.frob_norm();
        assert!(w.data.iter().zip(&raw.data).all(|(x, y)| (x - k * y).abs() < 1e-12 * w.frob_norm()));
        let sorted = |m: &Mat<f64>| {
            let mut d = m.data.clone();
            d.sort_by(f64::total_cmp);
            d
        };
        let (sh, _) = build(InitSpec::new("fly_shuffled"), 443);
        assert_eq!(sorted(&sh), sorted(&w));
        let (sp, _) = build(InitSpec::new("fly_spectrum"), 443);
        let (a, b) = (singular_values(&w), singular_values(&sp));
        assert!(a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-6 * a[0]));
        eprintln!("fly: entropy erank {}, PR {}", erank_entropy(&a), crate::metrics::erank_pr(&a));
    }

    #[test]
    fn a_files_matrix_round_trips_exactly_into_w_rec() {
        use file::tests::{csv_text, npy_bytes};
        let n = 12;
        let mut rng = Rng::new(8, 8);
        let m = Mat::from_fn(n, n, |_, _| if rng.uniform() < 0.3 { rng.normal() * 3.0 } else { 0.0 });
        let m32 = m.map(|x| x as f32 as f64);
        for (bytes, name, want) in [
            (npy_bytes(&m, true), "m.npy", &m32),
            (npy_bytes(&m, false), "m.npy", &m),
            (csv_text(&m).into_bytes(), "m.csv", &m),
        ] {
            let (hash, rows) = file::load(&bytes, name).unwrap();
            assert_eq!((hash, rows), (file::hash(want), n));
            for scale in [Scale::Frobenius, Scale::Spectral] {
                let spec = InitSpec { scale, file: Some(hash), ..InitSpec::new("file") };
                assert_eq!(spec.fixed_hidden(), Some(n));
                let (w, g) = build(spec, n);
                // W_rec(0) = s M, s the family's scale factor: exactly, entry by entry.
                let s = scale.of(&g) / scale.of(want);
                assert!(w.data.iter().zip(&want.data).all(|(x, y)| *x == y * s), "{name} {scale:?}");
            }
            // The controls, as the connectome's: the same entries, or the same singular values.
            let spec = |key| InitSpec { file: Some(hash), ..InitSpec::new(key) };
            let (w, _) = build(spec("file"), n);
            let (sh, _) = build(spec("file_shuffled"), n);
            let sorted = |m: &Mat<f64>| {
                let mut d = m.data.clone();
                d.sort_by(f64::total_cmp);
                d
            };
            assert_eq!(sorted(&sh), sorted(&w));
            assert_ne!(sh, w);
            let (sp, _) = build(spec("file_spectrum"), n);
            let (a, b) = (singular_values(&w), singular_values(&sp));
            assert!(a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-6 * a[0]));
        }
        // An unknown hash (or none) is refused with a message, by the engine too.
        let other = file::hex(file::hash(&m) ^ 0xff);
        assert!(InitSpec { file: Some(file::hash(&m) ^ 0xff), ..InitSpec::new("file") }
            .validate(n, 3, 3)
            .unwrap_err()
            .message
            .contains(&other));
    }

    #[test]
    fn dale_starts_keep_their_signs_balance_and_the_gaussians_size() {
        let n = 80;
        for ei in [0.8, 0.5, 0.3] {
            let n_e = dale::n_excitatory(n, ei);
            for scale in [Scale::Frobenius, Scale::Spectral] {
                let spec = InitSpec { scale, ei, ..InitSpec::new("dale") };
                let (w, g) = build(spec, n);
                let (want, got) = (scale.of(&g), scale.of(&w));
                assert!((got - want).abs() < RTOL * want, "dale {ei} {scale:?}: {got} vs {want}");
                // The first round(ei N) columns excitatory, the rest inhibitory, no zeros.
                for c in 0..n {
                    assert!(
                        (0..n).all(|r| if c < n_e { w.at(r, c) > 0.0 } else { w.at(r, c) < 0.0 }),
                        "ei {ei}, column {c}"
                    );
                }
                assert_eq!(dale::sign_violations(&w, n_e), 0.0);
                // Balance: the mean row sum is small next to the mean row sum of |W| (|W| has no cancellation);
                // without the inhibitory factor n_E / n_I it would be |n_E - n_I| / N of it (0.6 at ei 0.8).
                let rows = |f: &dyn Fn(f64) -> f64| {
                    (0..n).map(|r| w.row(r).iter().map(|&x| f(x)).sum::<f64>()).sum::<f64>() / n as f64
                };
                let (mean, abs) = (rows(&|x| x), rows(&|x| x.abs()));
                assert!(mean.abs() < 0.05 * abs, "ei {ei}: mean row sum {mean} vs {abs}");
                // The expected matrix mu 1 d^T has zero row sums: n_E * 1 - n_I * (n_E / n_I) = 0.
                let d: Vec<f64> =
                    (0..n).map(|c| if c < n_e { 1.0 } else { -(n_e as f64) / (n - n_e) as f64 }).collect();
                assert!(d.iter().sum::<f64>().abs() < 1e-12);
                assert!(
                    (0..n)
                        .all(|c| (w.at(0, c) / g.at(0, c)).abs() / d[c].abs() - (w.at(0, 0) / g.at(0, 0)).abs() < 1e-9),
                    "|W| = k |d_j| |G|"
                );
            }
        }
    }

    #[test]
    fn dale_rank_truncates_the_dale_start_and_breaks_some_signs() {
        let n = 80;
        let n_e = dale::n_excitatory(n, DEFAULT_EI);
        let (full, _) = build(InitSpec::new("dale"), n);
        let mut violations = vec![];
        for r in [1, 5, 40, n] {
            for scale in [Scale::Frobenius, Scale::Spectral] {
                let (w, g) = build(InitSpec { scale, ..ranked("dale_rank", r) }, n);
                let (want, got) = (scale.of(&g), scale.of(&w));
                assert!((got - want).abs() < RTOL * want, "dale_rank {r} {scale:?}: {got} vs {want}");
                let s = singular_values(&w);
                // (The full Dale matrix's smallest singular value is small but not zero: 2.5e-5 s_1 here.)
                assert!(
                    s[r - 1] > 1e-5 * s[0] && s.get(r).is_none_or(|&x| x < 1e-6 * s[0]),
                    "rank {r}: {:?}",
                    &s[..(r + 1).min(n)]
                );
            }
            let (w, _) = build(ranked("dale_rank", r), n);
            // The same matrix up to scale as the truncation of the Dale start.
            let t = truncate_rank(&full, r);
            let k = w.frob_norm() / t.frob_norm();
            assert!(w.data.iter().zip(&t.data).all(|(a, b)| (a - k * b).abs() < 1e-9 * w.frob_norm()));
            violations.push(dale::sign_violations(&w, n_e));
        }
        // The top singular mode is close to the sign-correct mean mu 1 d^T, so low ranks break few signs,
        // middle ranks more (about 2 % at N 300), rank N none.
        let v = &violations;
        assert!(
            v[0] < 1e-3 && v[1] < v[2] && v[2] > 5e-3 && v[2] < 0.1 && v[3] == 0.0,
            "fractions of entries with the wrong sign at ranks 1, 5, 40, 80: {v:?}"
        );
    }
}
