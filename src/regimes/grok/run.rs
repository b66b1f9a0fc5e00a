//! One training run at one (alpha, eps): an epoch at a time, with readouts at log-spaced epochs,
//! the two threshold crossings, and divergence.

use super::kernel::{min_norm_solve, tangent, target_alignment};
use super::net::{mse, Net, Problem};
use crate::json::{obj, Json};
use crate::linalg::{alignment, Mat};
use crate::settings::{Code, SettingError};

/// Readout rows per decade of epochs.
const ROWS_PER_DECADE: f64 = 16.0;
/// A training loss this many times its start (or not finite) counts as diverged.
const DIVERGED: f64 = 1e6;

/// Epochs 0, 1, 2, ... at about `ROWS_PER_DECADE` per decade, and the last one.
pub(super) fn row_epochs(epochs: usize) -> Vec<usize> {
    let mut at = vec![0];
    for k in 0.. {
        let e = libm::round(libm::pow(10.0, k as f64 / ROWS_PER_DECADE)) as usize;
        if e >= epochs {
            break;
        }
        if e > *at.last().unwrap() {
            at.push(e);
        }
    }
    if epochs > 0 {
        at.push(epochs);
    }
    at
}

/// The readouts at one epoch.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub epoch: usize,
    pub train: f64,
    /// On the sampled test set.
    pub test: f64,
    /// The exact test loss's parts: `(tr A / D)^2`, `2 |A|_F^2 / D^2`, `|b|^2 / D`.
    pub parts: [f64; 3],
    /// `|W| / |W0|`.
    pub norm: f64,
    /// Kernel-target alignment of the current tangent kernel on the training set.
    pub kta: f64,
    /// `cos(M - M0, beta beta^T)` (Frobenius); not a number at epoch 0, where `M = M0`.
    pub cos: f64,
}

impl Row {
    pub fn exact(&self) -> f64 {
        self.parts.iter().sum()
    }

    pub fn json(&self, run: usize) -> Json {
        obj([
            ("run", Json::from(run)),
            ("epoch", Json::from(self.epoch)),
            ("train", Json::from(self.train)),
            ("test", Json::from(self.test)),
            ("exact", Json::from(self.exact())),
            ("part_tr", Json::from(self.parts[0])),
            ("part_frob", Json::from(self.parts[1])),
            ("part_lin", Json::from(self.parts[2])),
            ("norm", Json::from(self.norm)),
            ("kta", Json::from(self.kta)),
            ("cos", Json::from(self.cos)),
        ])
    }
}

pub struct Run {
    pub alpha: f64,
    pub eps: f64,
    net: Net,
    c: f64,
    epochs: usize,
    /// Steps taken so far.
    pub epoch: usize,
    threshold: f64,
    /// Stop once both losses have crossed (the map needs only the crossing epochs).
    stop_at_crossings: bool,
    row_at: Vec<usize>,
    pub rows: Vec<Row>,
    /// Test loss of kernel regression with the initial tangent kernel.
    pub kernel_test: f64,
    /// The largest stable c of the kernel phase for this draw: `alpha^2 P / (N lambda_max(K0))`.
    pub c_limit: f64,
    pub train0: f64,
    /// The exact (population) test loss at the start, `E y^2`.
    pub test0: f64,
    pub t_train: Option<usize>,
    pub t_test: Option<usize>,
    pub diverged_at: Option<usize>,
    pub finished: bool,
}

impl Run {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        prob: &Problem,
        w0: &Mat<f64>,
        alpha: f64,
        eps: f64,
        c: f64,
        epochs: usize,
        threshold: f64,
        stop_at_crossings: bool,
    ) -> Run {
        let net = Net::new(w0.clone(), alpha, eps);
        let n = w0.rows;
        let (form, wbar, m) = net.form(&prob.target);
        let k0 = tangent(&prob.x, &prob.x, &wbar, &m, alpha, eps, n);
        let (a, top) = min_norm_solve(&k0, &prob.y);
        let kt = tangent(&prob.xt, &prob.x, &wbar, &m, alpha, eps, n);
        let pred: Vec<f64> = (0..kt.rows).map(|i| kt.row(i).iter().zip(&a).map(|(k, a)| k * a).sum()).collect();
        let kernel_test = mse(&pred.iter().zip(&prob.yt).map(|(p, y)| p - y).collect::<Vec<f64>>());
        Run {
            alpha,
            eps,
            c,
            epochs,
            epoch: 0,
            threshold,
            stop_at_crossings,
            row_at: row_epochs(epochs),
            rows: Vec::new(),
            kernel_test,
            c_limit: alpha * alpha * prob.x.rows as f64 / (n as f64 * top),
            train0: mse(&prob.y),
            test0: form.exact_loss_parts().iter().sum(),
            t_train: None,
            t_test: None,
            diverged_at: None,
            finished: false,
            net,
        }
    }

    /// Looks at the current weights (losses, crossings, a row when one is due), then takes one
    /// step unless the run is over. Sets `finished` at the end.
    pub fn epoch(&mut self, prob: &Problem) {
        let (form, wbar, m) = self.net.form(&prob.target);
        let r = form.residuals(&prob.x);
        let train = mse(&r);
        let parts = form.exact_loss_parts();
        let exact: f64 = parts.iter().sum();
        if self.t_train.is_none() && train < self.threshold * self.train0 {
            self.t_train = Some(self.epoch);
        }
        if self.t_test.is_none() && exact < self.threshold * self.test0 {
            self.t_test = Some(self.epoch);
        }
        if train.is_nan() || train >= DIVERGED * self.train0 {
            self.diverged_at = Some(self.epoch);
        }
        let crossed = self.stop_at_crossings && self.t_train.is_some() && self.t_test.is_some();
        let last = self.epoch == self.epochs || self.diverged_at.is_some() || crossed;
        if self.row_at.binary_search(&self.epoch).is_ok() || last {
            let k = tangent(&prob.x, &prob.x, &wbar, &m, self.alpha, self.eps, self.net.w.rows);
            self.rows.push(Row {
                epoch: self.epoch,
                train,
                test: mse(&form.residuals(&prob.xt)),
                parts,
                norm: self.net.norm_ratio(&m),
                kta: target_alignment(&k, &prob.y),
                cos: alignment(&m.sub(self.net.m0()), &prob.beta_beta()),
            });
        }
        if last {
            self.finished = true;
        } else {
            self.net.step(&prob.x, &r, self.c);
            self.epoch += 1;
        }
    }

    /// `max(0, t_test - t_train)` once both have crossed.
    pub fn grokking(&self) -> Option<usize> {
        Some(self.t_test?.saturating_sub(self.t_train?))
    }

    /// A lower bound when the train loss fell but the test loss had not by the end: `epochs - t_train`.
    pub fn grokking_at_least(&self) -> Option<usize> {
        match (self.t_train, self.t_test, self.diverged_at) {
            (Some(t), None, None) if self.finished => Some(self.epoch - t),
            _ => None,
        }
    }

    /// Why the run says nothing about grokking, if it does not.
    pub fn note(&self, d: usize, p: usize) -> Option<String> {
        if let Some(e) = self.diverged_at {
            let mp = d as f64 / (1.0 + (d as f64 / p as f64).sqrt()).powi(2);
            return Some(format!(
                "diverged at epoch {e}: c = {} is too large (the kernel phase is stable below c = {:.3} for this draw; D/(1+sqrt(D/P))^2 = {mp:.3})",
                self.c, self.c_limit
            ));
        }
        let above = if self.c > self.c_limit {
            format!(
                " (c = {} is above this draw's kernel-phase limit {:.3}: the loss may first grow, then settle)",
                self.c, self.c_limit
            )
        } else {
            String::new()
        };
        match (self.t_train, self.t_test) {
            (None, _) => Some(format!(
                "the train loss never fell below {} x its start in {} epochs{above}",
                self.threshold, self.epochs
            )),
            (Some(_), None) => Some(format!(
                "the test loss never fell below {} x its start in {} epochs{above}",
                self.threshold, self.epochs
            )),
            _ if self.c > self.c_limit => Some(above.trim_start().to_string()),
            _ => None,
        }
    }

    /// What the reader should be told of as the run finishes (the page's notice, keyed on the code):
    /// it diverged, or its c is above the kernel phase's limit; with the note as the message.
    pub fn caution(&self, d: usize, p: usize) -> Option<SettingError> {
        let code = if self.diverged_at.is_some() {
            Code::Diverged
        } else if self.c > self.c_limit {
            Code::Notice
        } else {
            return None;
        };
        Some(SettingError::new("c", code, self.note(d, p)?))
    }

    /// What a finished run reports (no rows): its constants, crossings and note.
    pub fn summary(&self, index: usize, d: usize, p: usize) -> Json {
        let last = self.rows.last();
        obj([
            ("run", Json::from(index)),
            ("alpha", Json::from(self.alpha)),
            ("eps", Json::from(self.eps)),
            ("kernel_test", Json::from(self.kernel_test)),
            ("c_limit", Json::from(self.c_limit)),
            ("train0", Json::from(self.train0)),
            ("test0", Json::from(self.test0)),
            ("t_train", Json::from(self.t_train)),
            ("t_test", Json::from(self.t_test)),
            ("grokking", Json::from(self.grokking())),
            ("grokking_at_least", Json::from(self.grokking_at_least())),
            ("diverged_at", Json::from(self.diverged_at)),
            ("epochs_run", Json::from(self.epoch)),
            ("final_train", Json::from(last.map(|r| r.train))),
            ("final_test", Json::from(last.map(|r| r.test))),
            ("note", Json::from(self.note(d, p))),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regimes::grok::net::initial_weights;

    #[test]
    fn rows_are_log_spaced_and_end_at_the_last_epoch() {
        let at = row_epochs(1000);
        assert_eq!(&at[..6], &[0, 1, 2, 3, 4, 5]);
        assert_eq!(*at.last().unwrap(), 1000);
        assert!(at.windows(2).all(|w| w[0] < w[1]));
        assert!((40..=46).contains(&at.len()), "{}", at.len());
        assert_eq!(row_epochs(0), [0]);
    }

    #[test]
    fn too_large_a_step_is_reported_as_diverged() {
        let prob = Problem::draw(10, 40, 50, 1);
        let w0 = initial_weights(20, 10, 1);
        let mut run = Run::new(&prob, &w0, 1.0, 0.05, 0.0, 500, 0.1, false);
        let limit = run.c_limit;
        let mp = 10.0 / (1.0f64 + (10.0f64 / 40.0).sqrt()).powi(2);
        assert!((limit / mp - 1.0).abs() < 0.5, "this draw's limit {limit} should be near the Marchenko-Pastur {mp}");
        // Just above the limit the loss may grow and come back (a catapult); twice it, it blows up.
        for (c, diverges) in [(0.8 * limit, false), (2.0 * limit, true)] {
            run = Run::new(&prob, &w0, 1.0, 0.05, c, 500, 0.1, false);
            while !run.finished {
                run.epoch(&prob);
            }
            assert_eq!(run.diverged_at.is_some(), diverges, "c = {c}, limit {limit}");
            if diverges {
                let note = run.note(10, 40).unwrap();
                assert!(note.starts_with("diverged at epoch") && note.contains("too large"), "{note}");
                let last = run.rows.last().unwrap().train;
                assert!(last.is_nan() || last >= DIVERGED * run.train0);
            } else {
                assert!(
                    run.t_train.is_some() && !run.note(10, 40).is_some_and(|n| n.contains("above")),
                    "{:?}",
                    run.note(10, 40)
                );
            }
        }
    }
}
