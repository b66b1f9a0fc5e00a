//! The connectivity lab as a study: one training run of the paper's network ([`Experiment`]) behind
//! the same trait, table and schema as the other views. Its settings are [`config::PARAMS`]; the
//! checks that span keys are [`Config::apply`]'s, and the schema adds the initial families.
//!
//! [`config::PARAMS`]: crate::config::PARAMS

use crate::config::{Config, PARAMS};
use crate::experiment::{Experiment, Status};
use crate::json::{obj, Json};
use crate::report::{final_json, measures_json, run_json};
use crate::settings::{SettingError, Values};
use crate::study::{Spec, Study};

pub const SPEC: Spec = Spec {
    page_keys: &["compare", "seeds"],
    extra: Some(|| vec![("families", crate::init::families_json())]),
    ..Spec::new("lab", "Connectivity and learning rules", &PARAMS, open)
};

/// A run of the lab; a unit of work is one training iteration.
struct Lab {
    exp: Experiment,
    /// History rows already handed out by `progress`.
    sent: usize,
}

/// The run the checked settings describe: only those off their defaults are applied, so that the
/// table's placeholders (a rank for a Gaussian start) never reach the configuration.
fn open(v: &Values) -> Result<Box<dyn Study>, SettingError> {
    let changed = v.changed();
    let mut config = Config::default();
    if let Some(e) = config.apply(changed.iter().map(|(k, v)| (*k, v.as_str()))).into_iter().next() {
        return Err(e);
    }
    let exp = Experiment::new(config)?;
    Ok(Box::new(Lab { exp, sent: 0 }))
}

impl Study for Lab {
    fn advance(&mut self, units: usize) -> bool {
        self.exp.advance(units);
        self.exp.status() == Status::Running
    }

    /// `{"done", "total", "status", "train_loss", "rows": [new history rows]}`.
    fn progress(&mut self) -> Json {
        let h = self.exp.history();
        let rows = Json::Arr(h[self.sent..].iter().map(measures_json).collect());
        self.sent = h.len();
        obj([
            ("done", self.exp.iter().into()),
            ("total", self.exp.config().iters.into()),
            ("status", Json::from(self.exp.status().key())),
            ("train_loss", self.exp.train_loss.into()),
            ("rows", rows),
        ])
    }

    /// The command line's `run --json`.
    fn report(&self) -> Json {
        run_json(&self.exp)
    }

    fn table(&self) -> String {
        format!("final: {}\n", final_json(&self.exp))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lab_study_gives_the_command_lines_bits() {
        let pairs = [("hidden", "16"), ("iters", "6"), ("every", "3"), ("seed", "4")];
        let mut study = SPEC.open_strict(pairs).unwrap();
        let mut rows = 0;
        while study.advance(2) {
            if let Some(Json::Arr(r)) = study.progress().get("rows") {
                rows += r.len();
            }
        }
        if let Some(Json::Arr(r)) = study.progress().get("rows") {
            rows += r.len();
        }
        let mut config = Config::default();
        assert!(config.apply(pairs).is_empty());
        let mut exp = Experiment::new(config).unwrap();
        exp.run_to_end();
        assert_eq!(study.report().to_string(), run_json(&exp).to_string());
        assert_eq!(rows, exp.history().len());
        let e = SPEC.open_strict([("hidden", "16"), ("init", "rank"), ("rank", "17")]).err().unwrap();
        assert_eq!((e.key.as_str(), e.code), ("rank", Code::Conflict));
    }
}
