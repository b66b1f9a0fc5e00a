//! The theory panel: the paper's two-layer linear student-teacher network,
//! small enough to train to convergence in milliseconds, with closed forms
//! for what training does to its tangent kernel and weights.
//!
//! Setting (Liu et al., ICLR 2024, Sec. 2.3, as we reconstruct it): a student
//! `f(x) = w2 . (W1 x)`, W1 h x d, learns a linear teacher `y = beta . x`
//! (|beta| = 1) from n = 2d exactly whitened inputs by full-batch gradient
//! descent on the mean squared error; the readout starts at zero and W1 at a
//! chosen spectrum of fixed Frobenius norm. The tangent kernel is taken over
//! the training inputs with respect to both layers, and "kernel change" is
//! 1 - its alignment with the start (0 = lazy).
//!
//! What the paper states (our paraphrase; we could not consult the text of its
//! theorem): (1) at a fixed norm, a first layer of higher effective rank
//! changes the tangent kernel less on average over tasks, i.e. learns more
//! lazily; (2) the exception: a low-rank start aligned with the task's
//! statistics learns lazily (Proposition 1, its Fig. 3 with the feature
//! modulation `z = F x` of condition number kappa and aligned, partially
//! aligned and unaligned starts).
//!
//! What is ours: the closed forms in [`closed`] (derivations in their
//! documentation), the choice of the power-law spectra of `init::spectrum` for
//! the effective-rank sweep, and our reading of the kappa experiment in
//! [`sweep::align_runs`]. [`closed::rich_limit`] is exact as |W1(0)| -> 0;
//! [`closed::rank_one`] is exact for a rank-one start as long as the weights
//! stay rank one, which the flow allows exactly.

pub mod closed;
pub mod net;
pub mod sweep;

pub use sweep::{run, Report, Settings};

use crate::json::{obj, Json};
use crate::settings::{SettingError, Values};
use crate::study::{Spec, Study};

pub const SPEC: Spec = Spec {
    settle: Some(settle),
    ..Spec::new("theory", "Linear theory: the two-layer student-teacher network", &sweep::PARAMS, open)
};

/// The dimension's evenness, which its row alone cannot say.
fn settle(v: &Values) -> Vec<SettingError> {
    let pairs = v.pairs();
    Settings::default().apply(pairs.iter().map(|(k, v)| (*k, v.as_str())))
}

/// Both sweeps, done in one unit of work (about 0.4 s at the defaults).
struct Theory {
    settings: Settings,
    report: Option<Report>,
}

fn open(v: &Values) -> Result<Box<dyn Study>, SettingError> {
    let mut settings = Settings::default();
    let pairs = v.pairs();
    match settings.apply(pairs.iter().map(|(k, v)| (*k, v.as_str()))).into_iter().next() {
        Some(e) => Err(e),
        None => Ok(Box::new(Theory { settings, report: None })),
    }
}

impl Study for Theory {
    fn advance(&mut self, _units: usize) -> bool {
        if self.report.is_none() {
            self.report = Some(run(&self.settings));
        }
        false
    }
    fn progress(&mut self) -> Json {
        let done = self.report.is_some() as usize;
        obj([("done", done.into()), ("total", 1usize.into())])
    }
    /// The command line's `theory --json` (null before the run).
    fn report(&self) -> Json {
        self.report.as_ref().map_or(Json::Null, Report::to_json)
    }
    fn table(&self) -> String {
        self.report.as_ref().map_or_else(String::new, Report::table)
    }
}

#[cfg(test)]
mod tests {
    use super::net::*;
    use super::sweep::*;
    use crate::linalg::{alignment, Mat};
    use crate::rng::Rng;

    fn small() -> Settings {
        Settings { dim: 20, seeds: 2, ..Settings::default() }
    }

    #[test]
    fn whitened_inputs_and_the_step_gradient_are_the_sample_gradient() {
        let d = 6;
        let mut rng = Rng::new(3, 0);
        let beta: Vec<f64> = (0..d).map(|_| rng.normal()).collect();
        let p = Problem::new(d, 15, beta.clone(), &mut rng);
        let xx = p.x.matmul_t(&p.x);
        for r in 0..d {
            for c in 0..d {
                assert!((xx.at(r, c) - if r == c { 15.0 } else { 0.0 }).abs() < 1e-10);
            }
        }
        let s = Student { w1: Mat::from_fn(4, d, |_, _| rng.normal()), w2: (0..4).map(|_| rng.normal()).collect() };
        let (g1, g2) = s.sample_gradient(&p);
        // One step of `train` with lr 1e-3 moves by -1e-3 times the sample gradient.
        let t = s.train(&p, 1e-3, 0.0, 1).student;
        for (a, (b, g)) in t.w1.data.iter().zip(s.w1.data.iter().zip(&g1.data)) {
            assert!((a - (b - 1e-3 * g)).abs() < 1e-12);
        }
        for (a, (b, g)) in t.w2.iter().zip(s.w2.iter().zip(&g2)) {
            assert!((a - (b - 1e-3 * g)).abs() < 1e-12);
        }
        // Kernel alignment over the inputs is the alignment of the d x d operators.
        let op = |s: &Student| {
            let mut m = s.w1.t_matmul(&s.w1);
            let a: f64 = s.w2.iter().map(|v| v * v).sum();
            (0..d).for_each(|i| m.data[i * d + i] += a);
            m
        };
        let ka = alignment(&s.tangent_kernel(&p), &t.tangent_kernel(&p));
        assert!((ka - alignment(&op(&s), &op(&t))).abs() < 1e-12);
    }

    #[test]
    fn small_first_layer_matches_the_rich_limit_and_shows_the_trend() {
        // |W1(0)| = 0.1: the closed form's error is O(|W1(0)|^2).
        let s = Settings { norm: 0.1, ..small() };
        let r = rank_sweep(&s);
        for p in &r.points {
            assert!(p.converged, "{p:?}");
            assert!(p.gap() < 0.01, "erank {}: measured {} predicted {}", p.x, p.kernel.0, p.kernel_pred);
            assert!((p.dw1.0 - p.dw1_pred).abs() < 0.02, "erank {}: dW1 {} predicted {}", p.x, p.dw1.0, p.dw1_pred);
            assert!((p.dw2.0 - p.dw2_pred).abs() < 0.01, "erank {}: |w2| {} predicted {}", p.x, p.dw2.0, p.dw2_pred);
        }
        assert!(r.trend_holds() && r.agrees(), "{}", r.verdict(&s));
        // Lower effective rank, larger kernel change, in the closed form too.
        assert!(r.points.windows(2).all(|w| w[1].kernel_pred < w[0].kernel_pred));
    }

    #[test]
    fn default_settings_hold_and_agree() {
        let s = Settings::default();
        let rep = run(&s);
        assert!(rep.rank.trend_holds() && rep.rank.agrees(), "{}", rep.rank.verdict(&s));
        assert!(rep.align.claim_holds() && rep.align.agrees(), "{}", rep.align.verdict(&s));
    }

    #[test]
    fn large_first_layer_leaves_the_rich_limit_and_the_verdict_says_so() {
        let s = Settings { norm: 2.0, ..small() };
        let r = rank_sweep(&s);
        assert!(!r.agrees());
        assert!(r.verdict(&s).contains("misses by up to"), "{}", r.verdict(&s));
    }

    #[test]
    fn rank_one_starts_match_the_exact_closed_form() {
        let s = Settings { norm_align: 2.0, kappa: 50.0, ..small() };
        let a = align_sweep(&s);
        for (c, name) in a.curves.iter().zip(STARTS) {
            for p in c {
                assert!(p.converged);
                let rel = p.gap() / p.kernel_pred;
                assert!(rel < 0.05, "{name} kappa {}: measured {} predicted {}", p.x, p.kernel.0, p.kernel_pred);
                assert!(
                    (p.dw1.0 - p.dw1_pred).abs() < 0.05 * p.dw1_pred.max(0.1),
                    "{name} kappa {}: dW1 {} predicted {}",
                    p.x,
                    p.dw1.0,
                    p.dw1_pred
                );
            }
        }
        assert!(a.claim_holds(), "{}", a.verdict(&s));
        // The aligned start is lazy: its kernel barely changes, at every kappa.
        assert!(a.curves[0].iter().all(|p| p.kernel.0 < 0.1));
        assert!(a.curves[2].iter().all(|p| p.kernel.0 > 0.5));
    }

    #[test]
    fn same_seed_same_bits() {
        let s = small();
        let a = run(&s).to_json().to_string();
        assert_eq!(a, run(&s).to_json().to_string());
        assert_ne!(a, run(&Settings { seed: 1, ..s }).to_json().to_string());
    }

    #[test]
    fn settings_parse_and_refuse_with_a_reason() {
        let mut s = Settings::default();
        let errors = s.apply([
            ("dim", "30"),
            ("norm", "0.5"),
            ("kappa", "1e9"),
            ("seeds", "2.5"),
            ("dim", "31"),
            ("bogus", "1"),
        ]);
        assert_eq!((s.dim, s.norm, s.kappa, s.seeds), (30, 0.5, 100.0, 3));
        let codes: Vec<_> = errors.iter().map(|e| (e.key.as_str(), e.code)).collect();
        use crate::settings::Code;
        assert_eq!(
            codes,
            [("kappa", Code::Range), ("seeds", Code::Whole), ("dim", Code::Conflict), ("bogus", Code::Unknown)]
        );
        assert!(errors[2].message.contains("odd") && errors[3].message.contains("unknown"));
        // A link's check names the odd dimension too, and keeps the default.
        let (v, errors) = super::SPEC.values([("dim", "31"), ("norm", "0.5")]);
        assert_eq!((v.usize("dim"), v.real("norm")), (50, 0.5));
        assert_eq!(errors, ["dim: 31 is odd (kappa scales half of the 31 features)"]);
    }
}
