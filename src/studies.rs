//! The registry of every view's study: the page's views, the command line's subcommands and the
//! worker's jobs look a study up here by name. It is the only module that names them all, so that a
//! study's module depends on the trait (`study`) and never on the list.

use crate::settings::{clip, Code, SettingError};
use crate::study::Spec;

pub const STUDIES: [&Spec; 5] = [
    &crate::lab::SPEC,
    &crate::theory::SPEC,
    &crate::regimes::perceptron::SPEC,
    &crate::regimes::phase::SPEC,
    &crate::regimes::grok::SPEC,
];

pub fn find(name: &str) -> Result<&'static Spec, SettingError> {
    STUDIES.iter().copied().find(|s| s.name == name).ok_or_else(|| {
        SettingError::new(
            "view",
            Code::Choice,
            format!(
                "no study '{}' (there are: {})",
                clip(name),
                STUDIES.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_study_has_unique_keys_and_valid_defaults() {
        for s in STUDIES {
            assert!(s.applies.iter().all(|a| s.params.iter().any(|p| p.key == a.key)), "{}", s.name);
            for (i, p) in s.params.iter().enumerate() {
                if !p.default.is_empty() {
                    assert_eq!(p.check(p.default).as_deref(), Ok(p.default), "{}: default of {}", s.name, p.key);
                }
                assert!(!s.params[..i].iter().any(|q| q.key == p.key), "{}: {} twice", s.name, p.key);
                // A key that applies only sometimes depends on a choice of the same table, each value one of its names.
                if let Some(a) = crate::settings::applies(s.applies, p.key) {
                    let when = s.params.iter().find(|q| q.key == a.when).expect("a key of the table");
                    let crate::settings::Kind::Choice { names, .. } = when.kind else {
                        panic!("{}: {} is not a choice", s.name, a.when)
                    };
                    assert!((a.values)().iter().all(|v| names.contains(v)), "{}: {}", s.name, p.key);
                }
                assert!(
                    !s.page_params.iter().any(|q| q.key == p.key) && !["view", "embed"].contains(&p.key),
                    "{}: {}",
                    s.name,
                    p.key
                );
            }
        }
        assert_eq!(
            find("nope").err().unwrap().message,
            "no study 'nope' (there are: lab, theory, perceptron, phase, grok)"
        );
    }
}
