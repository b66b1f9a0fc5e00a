//! The connectivity lab as a study: one training run of the paper's network ([`Experiment`]) behind
//! the same trait, table and schema as the other views. Its settings are [`config::PARAMS`]; the
//! checks that span keys are [`Config::apply`]'s, and the schema adds the initial families.
//!
//! [`config::PARAMS`]: crate::config::PARAMS

use crate::config::{Config, APPLIES, PARAMS};
use crate::experiment::{Experiment, Status};
use crate::init::{file, MAX_HIDDEN};
use crate::json::{obj, Json};
use crate::report::{final_json, measures_json, run_json};
use crate::settings::{Kind, Param, SettingError, Values};
use crate::study::{Spec, Study};

pub const SPEC: Spec = Spec {
    applies: &APPLIES,
    page_params: &PAGE_PARAMS,
    unused: Some(unused),
    extra: Some(extra),
    ..Spec::new("lab", "Connectivity and learning rules", &PARAMS, open)
};

/// The most seeds a comparison on the page runs per start (the command line's sweep allows more).
pub const MAX_PAGE_SEEDS: u64 = 10;

/// The keys the lab's link carries besides its settings: a comparison list and its seeds, and the
/// measure point whose fixed points the state-space chart shows (`richlazy analyse` on its weights).
pub const PAGE_PARAMS: [Param; 3] = [
    Param {
        key: "compare",
        default: "",
        kind: Kind::Text,
        help: "starts to compare: gaussian, rank:R, spectrum:E, ... joined parts with + (the engine's `variants`)",
    },
    Param::int("seeds", "1", 1, MAX_PAGE_SEEDS, "seeds per compared start"),
    Param::int(
        "analyse",
        "",
        0,
        crate::config::MAX_ITERS as u64,
        "the measure point (its iteration) whose fixed points the state-space chart shows",
    ),
];

/// The schema's rows beside the settings: the initial families, the presets, the file limits, the
/// history's measures and the learning rules, so that the page restates none of them.
fn extra() -> Vec<(&'static str, Json)> {
    vec![
        ("families", crate::init::families_json()),
        ("presets", crate::presets::presets_json()),
        ("limits", limits()),
        ("measures", crate::report::measures_schema()),
        ("rules", crate::rules::rules_json()),
    ]
}

/// `{"file_bytes", "file_n": [lo, hi], "file_hint", "file_too_large"}` (the last with `{bytes}` for
/// the file's size): the drop zone's limits and texts, which the engine's file reader enforces.
fn limits() -> Json {
    let mb = file::MAX_BYTES / 1_000_000;
    obj([
        ("file_bytes", file::MAX_BYTES.into()),
        ("file_n", Json::Arr(vec![file::MIN_N.into(), MAX_HIDDEN.into()])),
        (
            "file_hint",
            Json::from(
                format!(
                    "Drop a square matrix here (.npy float32/float64 in C order, or .csv: one row per line), \
                     N from {} to {MAX_HIDDEN}, at most {mb} MB.",
                    file::MIN_N
                )
                .as_str(),
            ),
        ),
        ("file_too_large", Json::from(file::too_large_as("{bytes}").as_str())),
    ])
}

/// The given keys that have no effect: the lab's rules are `Config::apply`'s (a rank alone selects
/// its family), so they are read on the configuration the given keys make.
fn unused(v: &Values, given: &[&str]) -> Vec<SettingError> {
    let mut config = Config::default();
    let errors = config.apply(given.iter().map(|k| (*k, v.text(k))));
    config.unused(given.iter().copied(), &errors)
}

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
            ("total", self.exp.config().total_iters().into()),
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
    use crate::settings::Code;

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

    #[test]
    fn the_schema_says_when_keys_apply_and_holds_the_pages_tables() {
        let j = SPEC.schema();
        let Some(Json::Arr(params)) = j.get("params") else { panic!("params") };
        let row = |k: &str| params.iter().find(|p| p.get("key") == Some(&Json::from(k))).unwrap().to_string();
        assert!(row("rank").ends_with(r#""applies":{"init":["rank","aligned","dale_rank"]}}"#), "{}", row("rank"));
        assert!(row("floss_iters").ends_with(r#""applies":{"floss":["pre","both"]}}"#));
        assert!(row("floss_every").ends_with(r#""applies":{"floss":["inter","both"]}}"#));
        assert!(row("dt").ends_with(r#""applies":{"task":["2af","dms","cxt"]}}"#));
        assert!(!row("gain").contains("applies"));
        assert_eq!(j.get("page_keys").unwrap().to_string(), r#"["compare","seeds","analyse"]"#);
        assert!(j.get("page_params").unwrap().to_string().contains(
            r#"{"key":"seeds","default":"1","help":"seeds per compared start","kind":"int","lo":1,"hi":10}"#
        ));
        assert_eq!(
            j.get("limits").unwrap().to_string(),
            r#"{"file_bytes":50000000,"file_n":[2,2000],"file_hint":"Drop a square matrix here (.npy float32/float64 in C order, or .csv: one row per line), N from 2 to 2000, at most 50 MB.","file_too_large":"the file has {bytes} bytes, more than the limit of 50 MB (50000000 bytes)"}"#
        );
        for key in ["families", "presets", "measures", "rules"] {
            assert!(j.get(key).is_some(), "{key}");
        }
        // The measures are the history row's keys, in its order; the rules are the rule menu's.
        let mut exp = Experiment::new({
            let mut c = Config::default();
            c.apply([("hidden", "8"), ("iters", "1")]);
            c
        })
        .unwrap();
        exp.run_to_end();
        let Json::Obj(row) = measures_json(&exp.history()[0]) else { panic!("an object") };
        let keys: Vec<&str> = row.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, crate::report::MEASURES.iter().map(|m| m.key).collect::<Vec<_>>());
        assert_eq!(crate::rules::RULES.map(|r| r.0), crate::rules::RuleKind::KEYS);
        // The page's check of a page key: the engine's message.
        assert_eq!(SPEC.check("seeds", " 3 "), Ok("3".to_string()));
        let e = SPEC.check("seeds", "11").unwrap_err();
        assert_eq!((e.key.as_str(), e.code, e.message.as_str()), ("seeds", Code::Range, "seeds: 11 is outside 1..10"));
        assert_eq!(SPEC.check("bogus", "1").unwrap_err().code, Code::Unknown);
    }

    #[test]
    fn the_lab_study_names_given_keys_that_do_not_apply() {
        let (v, errors) = SPEC.values([("init", "gaussian"), ("rank", "5"), ("gain", "1")]);
        let u = SPEC.unused(&v, &["init", "rank", "gain"], &errors);
        assert_eq!(u.iter().map(|e| (e.key.as_str(), e.code)).collect::<Vec<_>>(), [("rank", Code::Unused)]);
        let (v, errors) = SPEC.values([("rank", "5")]);
        assert!(SPEC.unused(&v, &["rank"], &errors).is_empty(), "a rank alone selects its family");
    }
}
