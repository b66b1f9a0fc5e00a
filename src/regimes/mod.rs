//! The neighbouring regime studies (SGD noise, grokking), each one module behind [`Study`]:
//! its settings as a table of [`Param`]s (validated here once for the command line, the
//! page's links and its forms) and a run that advances in small deterministic units, so
//! that the page's worker can draw it live and the command line can run it to the end.
//!
//! Adding a study: a module with a `pub const SPEC: Spec`, one line in [`STUDIES`], and
//! on the page one view module (`www/views/`).

pub mod grok;
pub mod perceptron;
pub mod phase;

use crate::config::{clip, compact, number};
use crate::json::{obj, Json};

/// What one key accepts.
#[derive(Clone, Copy, Debug)]
pub enum Kind {
    /// A whole number in lo..=hi.
    Int { lo: u64, hi: u64 },
    /// A real number in lo..=hi.
    Real { lo: f64, hi: f64 },
    /// Comma-separated reals, each in lo..=hi, at most `max` of them.
    Reals { lo: f64, hi: f64, max: usize },
    /// One of the names.
    Choice(&'static [&'static str]),
}

/// One setting of a study: its key (in links and on the command line), default and meaning.
#[derive(Clone, Copy, Debug)]
pub struct Param {
    pub key: &'static str,
    pub default: &'static str,
    pub kind: Kind,
    /// A short label for the page's form and the command line's help.
    pub help: &'static str,
}

impl Param {
    /// The value in its canonical text, or a one-line message naming the key.
    pub fn check(&self, v: &str) -> Result<String, String> {
        let key = self.key;
        let real = |x: f64, lo: f64, hi: f64| {
            if x >= lo && x <= hi {
                Ok(compact(x))
            } else {
                Err(format!("{key}: {} is outside {}..{}", compact(x), compact(lo), compact(hi)))
            }
        };
        match self.kind {
            Kind::Int { lo, hi } => {
                let x = number(key, v)?;
                if x.fract() != 0.0 {
                    return Err(format!("{key}: {} is not a whole number", clip(v.trim())));
                }
                real(x, lo as f64, hi as f64)
            }
            Kind::Real { lo, hi } => real(number(key, v)?, lo, hi),
            Kind::Reals { lo, hi, max } => {
                let items: Vec<&str> = v.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
                if items.is_empty() || items.len() > max {
                    return Err(format!("{key}: give 1 to {max} numbers separated by commas"));
                }
                Ok(items.iter().map(|s| real(number(key, s)?, lo, hi)).collect::<Result<Vec<_>, _>>()?.join(","))
            }
            Kind::Choice(names) => {
                let t = v.trim();
                names
                    .iter()
                    .find(|n| **n == t)
                    .map(|n| n.to_string())
                    .ok_or_else(|| format!("{key}: '{}' is not one of {}", clip(t), names.join(", ")))
            }
        }
    }
}

/// A study's settings: every key of its table with a checked value.
#[derive(Clone, Debug)]
pub struct Values {
    params: &'static [Param],
    values: Vec<String>,
}

/// Equal when they hold the same values for the same table.
impl PartialEq for Values {
    fn eq(&self, other: &Values) -> bool {
        self.params.iter().map(|p| p.key).eq(other.params.iter().map(|p| p.key)) && self.values == other.values
    }
}

impl Values {
    pub fn defaults(params: &'static [Param]) -> Values {
        Values { params, values: params.iter().map(|p| p.default.to_string()).collect() }
    }

    /// Applies pairs in order; a bad or unknown pair changes nothing and is named in the result.
    pub fn apply<'a>(&mut self, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<String> {
        let mut errors = Vec::new();
        for (k, v) in pairs {
            match self.params.iter().position(|p| p.key == k) {
                None => errors.push(format!("{}: not a setting of this study", clip(k))),
                Some(i) => match self.params[i].check(v) {
                    Ok(v) => self.values[i] = v,
                    Err(e) => errors.push(e),
                },
            }
        }
        errors
    }

    fn text(&self, key: &str) -> &str {
        let i = self.params.iter().position(|p| p.key == key).unwrap_or_else(|| panic!("no setting '{key}'"));
        &self.values[i]
    }

    pub fn real(&self, key: &str) -> f64 {
        self.text(key).parse().expect("checked")
    }

    pub fn int(&self, key: &str) -> u64 {
        self.text(key).parse::<f64>().expect("checked") as u64
    }

    pub fn usize(&self, key: &str) -> usize {
        self.int(key) as usize
    }

    pub fn reals(&self, key: &str) -> Vec<f64> {
        self.text(key).split(',').map(|s| s.parse().expect("checked")).collect()
    }

    pub fn choice(&self, key: &str) -> &str {
        self.text(key)
    }

    /// Every setting, in table order (what a result records).
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        self.params.iter().map(|p| p.key).zip(self.values.iter().cloned()).collect()
    }

    /// The settings that differ from the defaults (what a link carries).
    pub fn changed(&self) -> Vec<(&'static str, String)> {
        self.params
            .iter()
            .zip(&self.values)
            .filter(|(p, v)| p.default != v.as_str())
            .map(|(p, v)| (p.key, v.clone()))
            .collect()
    }

    pub fn json(&self) -> Json {
        Json::Obj(self.pairs().into_iter().map(|(k, v)| (k.to_string(), Json::Str(v))).collect())
    }
}

/// A run of a study: advanced in deterministic units of work (so the same settings give the same
/// numbers however the page or the command line slices the work).
pub trait Study {
    /// Does up to `units` units of work (the study says what a unit is: an epoch, a cell, a run);
    /// returns whether work remains.
    fn advance(&mut self, units: usize) -> bool;
    /// What is new since the last call (rows to append to live charts), and how far the run is:
    /// a JSON object with at least `"done"` (units done) and `"total"` (units in all).
    fn progress(&mut self) -> Json;
    /// The whole result so far, with its settings: what the page exports and `--save` writes.
    fn report(&self) -> Json;
    /// The result as a plain-text table for the command line.
    fn table(&self) -> String;
}

/// A study as the registry lists it.
pub struct Spec {
    /// Its name in links (`?view=`), on the command line and in the worker's messages.
    pub name: &'static str,
    pub title: &'static str,
    pub params: &'static [Param],
    pub open: fn(&Values) -> Box<dyn Study>,
    /// Joins the reports of runs that each did part of the work (shards: named texts) into the
    /// report one whole run writes, and its table; `None` where a study's work is never split.
    pub merge: Option<fn(&[(String, String)]) -> Result<(Json, String), String>>,
}

pub const STUDIES: [&Spec; 3] = [&perceptron::SPEC, &phase::SPEC, &grok::SPEC];

pub fn find(name: &str) -> Result<&'static Spec, String> {
    STUDIES.iter().copied().find(|s| s.name == name).ok_or_else(|| {
        format!(
            "no study '{}' (there are: {})",
            clip(name),
            STUDIES.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")
        )
    })
}

impl Spec {
    /// Settings from pairs, bad ones named and left at their defaults.
    pub fn values<'a>(&self, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> (Values, Vec<String>) {
        let mut v = Values::defaults(self.params);
        let errors = v.apply(pairs);
        (v, errors)
    }

    /// The table for the page's form: `{"name", "title", "params": [{"key", "default", "help", "kind", ...}]}`.
    pub fn schema(&self) -> Json {
        let param = |p: &Param| {
            let mut f =
                vec![("key", Json::from(p.key)), ("default", Json::from(p.default)), ("help", Json::from(p.help))];
            match p.kind {
                Kind::Int { lo, hi } => {
                    f.extend([("kind", Json::from("int")), ("lo", Json::from(lo)), ("hi", Json::from(hi))])
                }
                Kind::Real { lo, hi } => {
                    f.extend([("kind", Json::from("real")), ("lo", Json::from(lo)), ("hi", Json::from(hi))])
                }
                Kind::Reals { lo, hi, max } => f.extend([
                    ("kind", Json::from("reals")),
                    ("lo", Json::from(lo)),
                    ("hi", Json::from(hi)),
                    ("max", Json::from(max)),
                ]),
                Kind::Choice(names) => f.extend([
                    ("kind", Json::from("choice")),
                    ("choices", Json::Arr(names.iter().map(|n| Json::from(*n)).collect())),
                ]),
            }
            obj(f)
        };
        obj([
            ("name", Json::from(self.name)),
            ("title", Json::from(self.title)),
            ("params", Json::Arr(self.params.iter().map(param).collect())),
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARAMS: [Param; 4] = [
        Param { key: "n", default: "10", kind: Kind::Int { lo: 1, hi: 100 }, help: "" },
        Param { key: "t", default: "0.5", kind: Kind::Real { lo: 0.0, hi: 1.0 }, help: "" },
        Param { key: "ps", default: "1,2", kind: Kind::Reals { lo: 1.0, hi: 8.0, max: 3 }, help: "" },
        Param { key: "loss", default: "hinge", kind: Kind::Choice(&["hinge", "mse"]), help: "" },
    ];

    #[test]
    fn bad_values_are_named_and_change_nothing() {
        let mut v = Values::defaults(&PARAMS);
        let e = v.apply([
            ("n", "2.5"),
            ("t", "2"),
            ("ps", "1,9"),
            ("loss", "l1"),
            ("x", "1"),
            ("ps", "1,2,3,4"),
            ("t", "nan"),
        ]);
        assert_eq!(
            e,
            [
                "n: 2.5 is not a whole number",
                "t: 2 is outside 0..1",
                "ps: 9 is outside 1..8",
                "loss: 'l1' is not one of hinge, mse",
                "x: not a setting of this study",
                "ps: give 1 to 3 numbers separated by commas",
                "t: 'nan' is not a number"
            ]
        );
        assert_eq!(v, Values::defaults(&PARAMS));
    }

    #[test]
    fn good_values_are_canonical_and_round_trip() {
        let mut v = Values::defaults(&PARAMS);
        assert!(v.apply([("n", " 20 "), ("t", "0.250"), ("ps", "4, 2"), ("loss", "mse")]).is_empty());
        assert_eq!((v.usize("n"), v.real("t"), v.reals("ps"), v.choice("loss")), (20, 0.25, vec![4.0, 2.0], "mse"));
        assert_eq!(
            v.changed(),
            [
                ("n", "20".to_string()),
                ("t", "0.25".to_string()),
                ("ps", "4,2".to_string()),
                ("loss", "mse".to_string())
            ]
        );
        let mut w = Values::defaults(&PARAMS);
        let changed = v.changed();
        assert!(w.apply(changed.iter().map(|(k, v)| (*k, v.as_str()))).is_empty());
        assert_eq!(w, v);
    }

    #[test]
    fn every_study_has_unique_keys_and_valid_defaults() {
        for s in STUDIES {
            for (i, p) in s.params.iter().enumerate() {
                assert_eq!(p.check(p.default).as_deref(), Ok(p.default), "{}: default of {}", s.name, p.key);
                assert!(!s.params[..i].iter().any(|q| q.key == p.key), "{}: {} twice", s.name, p.key);
            }
        }
    }
}
