//! Initial recurrent weights: the knob of the paper.
//!
//! Each family is a module that turns a spec into an N x N matrix (in f64,
//! cast to the training precision by the caller). Every family draws its
//! base Gaussian from the same stream first, so for one seed the rank-r
//! starts are truncations of the very Gaussian the full-rank run starts from,
//! and every family is scaled to that Gaussian's norm (`Scale`).

mod aligned;
pub mod connectome;
pub mod dale;
pub mod file;
mod gaussian;
pub(crate) mod spectrum;
mod wiring;

pub use aligned::{io_covariance, max_rank as aligned_max_rank};
pub use dale::DEFAULT_EI;

use crate::json::{obj, Json};
use crate::linalg::{singular_values, truncate_rank, Mat};
use crate::rng::Rng;
use crate::settings::{clip, compact, param, Code, Kind, Param, SettingError};

/// The largest network (and so the largest rank, and a file's largest matrix).
pub const MAX_HIDDEN: usize = 1000;

/// The start's settings: the lab's table (`config::PARAMS`) takes them in this order.
pub const PARAMS: [Param; 8] = [
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
    Param::real("ei", "0.8", 0.0, 1.0, "excitatory fraction (strictly between 0 and 1)"),
    Param { key: "file", default: "", kind: Kind::Text, help: "your matrix's hash (16 hex digits)" },
];

/// Default gain of the paper's Gaussian start.
pub const DEFAULT_GAIN: f64 = 1.25;
/// Default target effective rank of the spectrum family.
pub const DEFAULT_ERANK: f64 = 30.0;

/// The structure of the start.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Family {
    /// g Z / sqrt(N), Z standard normal.
    Gaussian,
    /// The Gaussian's best rank-r approximation (random singular vectors: not aligned with the task).
    Rank(usize),
    /// Power-law singular values with this entropy effective rank, random singular vectors.
    Spectrum(f64),
    /// The rank-r start's singular values on singular vectors taken from the
    /// task: it reads the input pattern that predicts the answer and writes
    /// where the readout separates the answers.
    Aligned(usize),
    /// The bundled C. elegans chemical-synapse wiring (hidden size = its neuron count).
    Connectome,
    /// The connectome's entries in random places: same weights, structure destroyed.
    ConnectomeShuffled,
    /// The connectome's singular values on random singular vectors.
    ConnectomeSpectrum,
    /// Dale's law: the first round(ei N) columns excitatory, the rest inhibitory, balanced (`dale`).
    Dale,
    /// The Dale start's best rank-r approximation (some entries break the signs: `dale::sign_violations`).
    DaleRank(usize),
    /// The reader's own matrix (`file`), registered under `InitSpec::file`'s hash; N follows it.
    File,
    /// Its entries in random places (as `ConnectomeShuffled`).
    FileShuffled,
    /// Its singular values on random singular vectors (as `ConnectomeSpectrum`).
    FileSpectrum,
}

/// The initial families for the page's menu: `[{"key", "title", "params", "data", "hint"}]`.
// A stand-in until the families are one table that also builds them.
pub fn families_json() -> Json {
    let rows: [(&str, &str, &[&str], Option<&str>); 12] = [
        ("gaussian", "Gaussian g·Z/√N", &[], None),
        ("rank", "rank r truncation", &["rank"], None),
        ("spectrum", "power-law spectrum, effective rank", &["erank"], None),
        ("aligned", "rank r aligned with the task", &["rank"], None),
        ("connectome", "C. elegans connectome", &["signed"], Some("connectome")),
        ("connectome_shuffled", "connectome, entries shuffled", &["signed"], Some("connectome")),
        ("connectome_spectrum", "connectome's spectrum, random directions", &["signed"], Some("connectome")),
        ("dale", "Dale's law: excitatory and inhibitory units", &["ei"], None),
        ("dale_rank", "Dale's law, rank r truncation", &["rank", "ei"], None),
        ("file", "your own matrix (.npy or .csv)", &["file"], Some("file")),
        ("file_shuffled", "your matrix, entries shuffled", &["file"], Some("file")),
        ("file_spectrum", "your matrix's spectrum, random directions", &["file"], Some("file")),
    ];
    Json::Arr(
        rows.iter()
            .map(|(key, title, params, data)| {
                obj([
                    ("key", Json::from(*key)),
                    ("title", Json::from(*title)),
                    ("params", Json::Arr(params.iter().map(|p| Json::from(*p)).collect())),
                    ("data", data.map_or(Json::Null, Json::from)),
                    ("hint", Json::from("")),
                ])
            })
            .collect(),
    )
}

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
    fn of(self, w: &Mat<f64>) -> f64 {
        match self {
            Scale::Frobenius => w.frob_norm(),
            Scale::Spectral => singular_values(w).first().copied().unwrap_or(0.0),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InitSpec {
    pub family: Family,
    pub gain: f64,
    pub scale: Scale,
    /// Connectome families: GABAergic presynaptic neurons inhibit (negative weights).
    pub signed: bool,
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
}

/// The paper's start: a Gaussian of gain 1.25.
impl Default for InitSpec {
    fn default() -> Self {
        InitSpec::new(Family::Gaussian)
    }
}

impl InitSpec {
    pub fn new(family: Family) -> Self {
        InitSpec { family, gain: DEFAULT_GAIN, scale: Scale::Frobenius, signed: false, ei: DEFAULT_EI, file: None }
    }

    pub fn key(&self) -> &'static str {
        match self.family {
            Family::Gaussian => "gaussian",
            Family::Rank(_) => "rank",
            Family::Spectrum(_) => "spectrum",
            Family::Aligned(_) => "aligned",
            Family::Connectome => "connectome",
            Family::ConnectomeShuffled => "connectome_shuffled",
            Family::ConnectomeSpectrum => "connectome_spectrum",
            Family::Dale => "dale",
            Family::DaleRank(_) => "dale_rank",
            Family::File => "file",
            Family::FileShuffled => "file_shuffled",
            Family::FileSpectrum => "file_spectrum",
        }
    }

    /// Every `init` value, for messages and menus.
    pub const KEYS: [&'static str; 12] = [
        "gaussian",
        "rank",
        "spectrum",
        "aligned",
        "connectome",
        "connectome_shuffled",
        "connectome_spectrum",
        "dale",
        "dale_rank",
        "file",
        "file_shuffled",
        "file_spectrum",
    ];

    pub fn is_connectome(&self) -> bool {
        matches!(self.family, Family::Connectome | Family::ConnectomeShuffled | Family::ConnectomeSpectrum)
    }

    pub fn is_file(&self) -> bool {
        matches!(self.family, Family::File | Family::FileShuffled | Family::FileSpectrum)
    }

    /// A file family's matrix, when its hash is registered.
    pub fn file_matrix(&self) -> Option<std::sync::Arc<Mat<f64>>> {
        self.file.and_then(file::lookup).filter(|_| self.is_file())
    }

    pub fn is_dale(&self) -> bool {
        matches!(self.family, Family::Dale | Family::DaleRank(_))
    }

    /// The rank, for the rank, aligned and dale_rank families.
    pub fn rank(&self) -> Option<usize> {
        match self.family {
            Family::Rank(r) | Family::Aligned(r) | Family::DaleRank(r) => Some(r),
            _ => None,
        }
    }

    /// The target effective rank, for the spectrum family.
    pub fn erank(&self) -> Option<f64> {
        match self.family {
            Family::Spectrum(erank) => Some(erank),
            _ => None,
        }
    }

    /// The hidden size this family needs, if it fixes one.
    pub fn fixed_hidden(&self) -> Option<usize> {
        if self.is_file() {
            return self.file_matrix().map(|m| m.rows);
        }
        self.is_connectome().then(|| connectome::celegans().n())
    }

    /// Sets one of the start's keys (`init`, its parameters, `gain`, `scale`) from text; on error
    /// nothing changes. The ranges are `PARAMS`'.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), SettingError> {
        let checked = |v: &str| -> Result<f64, SettingError> {
            let p = param(&PARAMS, key).expect("a key of the table");
            Ok(p.check(v)?.parse().expect("checked"))
        };
        match key {
            "init" => {
                let rank = self.rank().unwrap_or(1);
                self.family = match value.to_ascii_lowercase().as_str() {
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
                    _ => {
                        return Err(SettingError::new(
                            key,
                            Code::Choice,
                            format!("init: '{}' is not one of {}", clip(value), InitSpec::KEYS.join(", ")),
                        ))
                    }
                }
            }
            "rank" => {
                let r = checked(value)? as usize;
                self.family = match self.family {
                    Family::Aligned(_) => Family::Aligned(r),
                    Family::DaleRank(_) => Family::DaleRank(r),
                    _ => Family::Rank(r),
                };
            }
            "erank" => self.family = Family::Spectrum(checked(value)?),
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
        Ok(())
    }

    /// One of the start's keys as a run records it; `None` for a parameter this family does not use.
    pub fn value(&self, key: &str) -> Option<String> {
        Some(match key {
            "init" => self.key().to_string(),
            "rank" => self.rank()?.to_string(),
            "erank" => self.erank()?.to_string(),
            "gain" => self.gain.to_string(),
            "scale" => self.scale.key().to_string(),
            "signed" => self.is_connectome().then(|| (self.signed as u8).to_string())?,
            "ei" => self.is_dale().then(|| self.ei.to_string())?,
            "file" => self.file.filter(|_| self.is_file()).map(file::hex)?,
            _ => return None,
        })
    }

    /// The checks that need the hidden size and the task (`validate`); a parameter past its limit
    /// is brought to it, and the message says so.
    pub fn settle(&mut self, n: usize, n_in: usize, n_out: usize) -> Option<SettingError> {
        let e = self.validate(n, n_in, n_out).err()?;
        self.family = match self.family {
            Family::Rank(rank) => Family::Rank(rank.min(n)),
            Family::DaleRank(rank) => Family::DaleRank(rank.min(n)),
            Family::Aligned(rank) => Family::Aligned(rank.min(aligned::max_rank(n, n_in, n_out))),
            Family::Spectrum(erank) => Family::Spectrum(erank.min(n as f64)),
            other => other,
        };
        Some(e)
    }

    /// Checks the parameters against the hidden size and the task's input and
    /// output counts; the message is for a reader.
    pub fn validate(&self, n: usize, n_in: usize, n_out: usize) -> Result<(), SettingError> {
        let conflict = |key: &str, m: String| Err(SettingError::new(key, Code::Conflict, m));
        let gain = self.gain;
        if !(gain.is_finite() && gain > 0.0 && gain <= 100.0) {
            return Err(SettingError::new("gain", Code::Range, format!("gain must be in (0, 100], got {gain}")));
        }
        let max_aligned = aligned::max_rank(n, n_in, n_out);
        match self.family {
            Family::Rank(rank) | Family::DaleRank(rank) if rank < 1 || rank > n => {
                conflict("rank", format!("rank must be between 1 and the hidden size {n}, got {rank}"))
            }
            Family::Aligned(rank) if rank < 1 || rank > max_aligned => conflict(
                "rank",
                format!(
                    "an aligned start has rank at most {max_aligned} (the task's {n_in} input and {n_out} readout directions), got {rank}"
                ),
            ),
            Family::Spectrum(erank) if !(erank >= 1.0 && erank <= n as f64) => {
                conflict("erank", format!("erank must be between 1 and the hidden size {n}, got {erank}"))
            }
            _ if self.is_dale()
                && !(self.ei > 0.0 && self.ei < 1.0 && (1..n).contains(&((self.ei * n as f64).round() as usize))) =>
            {
                conflict(
                    "ei",
                    format!(
                        "ei must leave at least one excitatory and one inhibitory unit of {n} (round(ei N) between 1 and {}), got {}",
                        n - 1,
                        self.ei
                    ),
                )
            }
            _ if self.is_file() && self.file_matrix().is_none() => {
                Err(SettingError::new("file", Code::MissingFile, file::missing(self.file)))
            }
            _ => match self.fixed_hidden() {
                Some(m) if m != n && self.is_file() => {
                    conflict("hidden", format!("the file's matrix is {m} x {m}, so the hidden size must be {m}, got {n}"))
                }
                Some(m) if m != n => {
                    conflict("hidden", format!("the connectome has {m} neurons, so the hidden size must be {m}, got {n}"))
                }
                _ => Ok(()),
            },
        }
    }

    /// Builds W_rec for `n` units from `rng` (the caller's dedicated stream).
    pub fn build(&self, n: usize, rng: &mut Rng, axes: &TaskAxes) -> Mat<f64> {
        let base = gaussian::build(n, self.gain, rng);
        let (mut w, size) = match self.family {
            Family::Gaussian => return base,
            Family::Rank(rank) => {
                let w = truncate_rank(&base, rank);
                let size = self.scale.of(&w);
                (w, size)
            }
            Family::Spectrum(erank) => {
                let w = spectrum::build(n, erank, rng);
                let size = self.scale.of(&w);
                (w, size)
            }
            Family::Aligned(rank) => {
                let w = aligned::build(&singular_values(&base)[..rank], axes);
                let size = self.scale.of(&w);
                (w, size)
            }
            Family::Dale | Family::DaleRank(_) => {
                let d = dale::build(&base, dale::n_excitatory(n, self.ei));
                let w = match self.family {
                    Family::DaleRank(rank) => truncate_rank(&d, rank),
                    _ => d,
                };
                let size = self.scale.of(&w);
                (w, size)
            }
            Family::Connectome => self.measured(connectome::celegans().matrix(self.signed), None, rng),
            Family::ConnectomeShuffled => {
                self.measured(connectome::celegans().matrix(self.signed), Some(Control::Shuffled), rng)
            }
            Family::ConnectomeSpectrum => {
                self.measured(connectome::celegans().matrix(self.signed), Some(Control::Spectrum), rng)
            }
            Family::File | Family::FileShuffled | Family::FileSpectrum => {
                let m = self.file_matrix().unwrap_or_else(|| panic!("{}", file::missing(self.file)));
                let control = match self.family {
                    Family::FileShuffled => Some(Control::Shuffled),
                    Family::FileSpectrum => Some(Control::Spectrum),
                    _ => None,
                };
                self.measured((*m).clone(), control, rng)
            }
        };
        w.scale(self.scale.of(&base) / size);
        w
    }

    /// A measured wiring (the connectome, a reader's file) or one of its two controls, with the
    /// wiring's own size: the controls keep its scale factor, so that the shuffle holds exactly its
    /// weights and the spectrum control exactly its singular values.
    fn measured(&self, c: Mat<f64>, control: Option<Control>, rng: &mut Rng) -> (Mat<f64>, f64) {
        let size = self.scale.of(&c);
        let w = match control {
            Some(Control::Shuffled) => wiring::shuffled(&c, rng),
            Some(Control::Spectrum) => wiring::same_spectrum(&c, rng),
            None => c,
        };
        (w, size)
    }
}

/// The two controls of a measured wiring (`wiring`).
#[derive(Clone, Copy)]
enum Control {
    Shuffled,
    Spectrum,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::erank_entropy;

    fn axes_for(n: usize, rng: &mut Rng) -> (Mat<f64>, Mat<f64>, Mat<f64>) {
        let w_in = Mat::from_fn(n, 3, |_, _| rng.normal());
        let w_out = Mat::from_fn(3, n, |_, _| rng.normal());
        let io_cov = Mat::from_vec(3, 3, vec![0.0, 0.0, 0.0, 0.0, 1.0, -1.0, 0.0, -1.0, 1.0]);
        (w_in, w_out, io_cov)
    }

    fn build(spec: InitSpec, n: usize) -> (Mat<f64>, Mat<f64>) {
        let (w_in, w_out, io_cov) = axes_for(n, &mut Rng::new(9, 9));
        let axes = TaskAxes { w_in: &w_in, w_out: &w_out, io_cov: &io_cov };
        let gaussian = InitSpec { family: Family::Gaussian, ..spec }.build(n, &mut Rng::new(4, 1), &axes);
        (spec.build(n, &mut Rng::new(4, 1), &axes), gaussian)
    }

    const RTOL: f64 = 1e-9;

    #[test]
    fn every_family_has_the_gaussians_size_and_its_own_rank() {
        let n = 80;
        let families = [
            (Family::Rank(5), Some(5)),
            (Family::Spectrum(12.0), None),
            (Family::Aligned(2), Some(2)),
            (Family::Gaussian, Some(n)),
        ];
        for (family, rank) in families {
            for scale in [Scale::Frobenius, Scale::Spectral] {
                let (w, g) = build(InitSpec { family, scale, ..InitSpec::new(family) }, n);
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
                if let Family::Spectrum(e) = family {
                    assert!((erank_entropy(&s) - e).abs() < 1e-4 * e, "erank {}", erank_entropy(&s));
                }
            }
        }
    }

    #[test]
    fn aligned_and_rank_starts_share_their_singular_values() {
        let (a, _) = build(InitSpec::new(Family::Aligned(3)), 60);
        let (r, _) = build(InitSpec::new(Family::Rank(3)), 60);
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
        let (c, g) = build(InitSpec::new(Family::Connectome), n);
        assert!((c.frob_norm() - g.frob_norm()).abs() < RTOL * g.frob_norm());
        let sorted = |m: &Mat<f64>| {
            let mut d = m.data.clone();
            d.sort_by(f64::total_cmp);
            d
        };
        let (shuffled, _) = build(InitSpec::new(Family::ConnectomeShuffled), n);
        assert_eq!(sorted(&shuffled), sorted(&c), "the shuffle holds exactly the scaled connectome's entries");
        assert_ne!(shuffled, c);
        let (same, _) = build(InitSpec::new(Family::ConnectomeSpectrum), n);
        let (sc, ss) = (singular_values(&c), singular_values(&same));
        assert!(sc.iter().zip(&ss).all(|(x, y)| (x - y).abs() < 1e-6 * sc[0]));
        assert!((erank_entropy(&sc) - 124.652).abs() < 0.01, "{}", erank_entropy(&sc));
        assert!(erank_entropy(&singular_values(&shuffled)) > 150.0, "the shuffle destroys the low-rank structure");
        // Signing flips whole columns: the same singular values (so the same effective rank).
        let (signed, _) = build(InitSpec { signed: true, ..InitSpec::new(Family::Connectome) }, n);
        assert!(signed.data.iter().any(|&x| x < 0.0));
        assert!(signed.data.iter().zip(&c.data).all(|(a, b)| a.abs() == b.abs()));
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
                let spec = InitSpec { scale, file: Some(hash), ..InitSpec::new(Family::File) };
                assert_eq!(spec.fixed_hidden(), Some(n));
                let (w, g) = build(spec, n);
                // W_rec(0) = s M, s the family's scale factor: exactly, entry by entry.
                let s = scale.of(&g) / scale.of(want);
                assert!(w.data.iter().zip(&want.data).all(|(x, y)| *x == y * s), "{name} {scale:?}");
                // ... and so in the engine's f32 network.
                let mut c = crate::config::Config::default();
                let hex = file::hex(hash);
                let errs = c.apply([
                    ("init", "file"),
                    ("file", hex.as_str()),
                    ("seed", "4"),
                    ("scale", scale.key()),
                    ("hidden", "50"),
                ]);
                assert!(errs.is_empty(), "{errs:?}");
                assert_eq!(c.hidden, n, "N follows the file");
                let net = crate::experiment::initial_network(&c);
                let s = scale.of(&net_gaussian(&c)) / scale.of(want);
                assert_eq!(net.w_rec, want.map(|y| y * s).cast::<f32>(), "{name} {scale:?}");
                assert_eq!(c.pairs().iter().find(|(k, _)| *k == "file").map(|(_, v)| v.clone()), Some(hex.clone()));
            }
            // The controls, as the connectome's: the same entries, or the same singular values.
            let spec = |family| InitSpec { file: Some(hash), ..InitSpec::new(family) };
            let (w, _) = build(spec(Family::File), n);
            let (sh, _) = build(spec(Family::FileShuffled), n);
            let sorted = |m: &Mat<f64>| {
                let mut d = m.data.clone();
                d.sort_by(f64::total_cmp);
                d
            };
            assert_eq!(sorted(&sh), sorted(&w));
            assert_ne!(sh, w);
            let (sp, _) = build(spec(Family::FileSpectrum), n);
            let (a, b) = (singular_values(&w), singular_values(&sp));
            assert!(a.iter().zip(&b).all(|(x, y)| (x - y).abs() < 1e-6 * a[0]));
        }
        // An unknown hash (or none) is refused with a message, by the engine too.
        let other = file::hex(file::hash(&m) ^ 0xff);
        assert!(InitSpec { file: Some(file::hash(&m) ^ 0xff), ..InitSpec::new(Family::File) }
            .validate(n, 3, 3)
            .unwrap_err()
            .message
            .contains(&other));
        let mut c = crate::config::Config::default();
        let errs = c.apply([("init", "file"), ("file", other.as_str())]);
        assert!(
            errs.len() == 1 && errs[0].message.contains("no matrix with hash") && errs[0].message.contains(&other),
            "{errs:?}"
        );
        let e = crate::experiment::Experiment::new(c).err().unwrap();
        assert!(e.contains("no matrix with hash"), "{e}");
        assert!(crate::config::Config::default().apply([("init", "file")])[0].message.contains("needs a matrix"));
        assert!(crate::config::Config::default().apply([("file", "nothex")])[0]
            .message
            .starts_with("file: 'nothex' is not a matrix's hash"));
    }

    /// The Gaussian the configuration's start is scaled to (its seed's W_rec stream).
    fn net_gaussian(c: &crate::config::Config) -> Mat<f64> {
        gaussian::build(c.hidden, c.init.gain, &mut Rng::new(c.seed, 1))
    }

    #[test]
    fn dale_starts_keep_their_signs_balance_and_the_gaussians_size() {
        let n = 80;
        for ei in [0.8, 0.5, 0.3] {
            let n_e = dale::n_excitatory(n, ei);
            for scale in [Scale::Frobenius, Scale::Spectral] {
                let spec = InitSpec { scale, ei, ..InitSpec::new(Family::Dale) };
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
        let (full, _) = build(InitSpec::new(Family::Dale), n);
        let mut violations = vec![];
        for r in [1, 5, 40, n] {
            for scale in [Scale::Frobenius, Scale::Spectral] {
                let (w, g) = build(InitSpec { scale, ..InitSpec::new(Family::DaleRank(r)) }, n);
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
            let (w, _) = build(InitSpec::new(Family::DaleRank(r)), n);
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
