//! Every view's study (`crate::study`) for the page: one class for any study, so a new study
//! needs no binding of its own. Settings cross as key and value arrays, results as JSON text,
//! errors as `{"key", "code", "message"}`.

use crate::json::{obj, Json};
use crate::settings::errors_json;
use crate::studies::find;
use crate::study::Study;
use wasm_bindgen::prelude::*;

/// A view's settings table for its form and link (`Spec::schema`), or `{"error": {...}}`.
#[wasm_bindgen]
pub fn schema(name: &str) -> String {
    find(name).map_or_else(|e| obj([("error", e.json())]), |s| s.schema()).to_string()
}

/// The regime views' older name for `schema`.
#[wasm_bindgen]
pub fn study_schema(name: &str) -> String {
    schema(name)
}

/// Validates a study's link or form settings: `{"settings": {key: value}, "changed": {key: value},
/// "errors": [{"key", "code", "message"}], "notices": [...]}`; bad and repeated values keep their
/// defaults and are named; `notices` names the given keys that have no effect (code `unused`:
/// `Spec::unused`), and `changed` leaves them out, so that a link never carries them.
#[wasm_bindgen]
pub fn study_settings(name: &str, keys: Vec<String>, values: Vec<String>) -> Result<String, JsError> {
    let spec = find(name).map_err(|e| JsError::new(&e.message))?;
    let (v, errors) = spec.values(keys.iter().map(String::as_str).zip(values.iter().map(String::as_str)));
    let given: Vec<&str> = keys.iter().map(String::as_str).collect();
    let unused = spec.unused(&v, &given, &errors);
    let changed = v.changed().into_iter().filter(|(k, _)| !unused.iter().any(|e| e.key == *k));
    let changed = Json::Obj(changed.map(|(k, v)| (k.to_string(), Json::Str(v))).collect());
    Ok(obj([
        ("settings", v.json()),
        ("changed", changed),
        ("errors", errors_json(&errors)),
        ("notices", errors_json(&unused)),
    ])
    .to_string())
}

/// One setting or page key of a view checked alone (`Spec::check`): `{"value": canonical text}` or
/// `{"error": {"key", "code", "message"}}` (the lab's `seeds`: `check("lab", "seeds", "3")`).
#[wasm_bindgen]
pub fn check(view: &str, key: &str, value: &str) -> String {
    match find(view).and_then(|s| s.check(key, value)) {
        Ok(v) => obj([("value", Json::from(v.as_str()))]),
        Err(e) => obj([("error", e.json())]),
    }
    .to_string()
}

/// The reports of a run's pool jobs (each one part of the work) as the one report the command line
/// writes for the whole run; `null` where the study has no merge (its jobs' reports stay a list).
#[wasm_bindgen]
pub fn study_merge(name: &str, reports: Vec<String>) -> Result<String, JsError> {
    let spec = find(name).map_err(|e| JsError::new(&e.message))?;
    let Some(merge) = spec.merge else { return Ok("null".into()) };
    let named: Vec<(String, String)> = reports.into_iter().enumerate().map(|(i, r)| (format!("job {i}"), r)).collect();
    merge(&named).map(|(report, _)| report.to_string()).map_err(|e| JsError::new(&e))
}

/// One run of a study, advanced by the worker in small slices.
#[wasm_bindgen]
pub struct StudyRun {
    run: Box<dyn Study>,
}

#[wasm_bindgen]
impl StudyRun {
    /// Bad settings are an error here (the page validates with `study_settings` first).
    #[wasm_bindgen(constructor)]
    pub fn new(name: &str, keys: Vec<String>, values: Vec<String>) -> Result<StudyRun, JsError> {
        let spec = find(name).map_err(|e| JsError::new(&e.message))?;
        let pairs = keys.iter().map(String::as_str).zip(values.iter().map(String::as_str));
        spec.open_strict(pairs).map(|run| StudyRun { run }).map_err(|e| JsError::new(&e.message))
    }

    /// Up to `units` units of work; whether work remains.
    pub fn advance(&mut self, units: usize) -> bool {
        self.run.advance(units)
    }

    /// What is new since the last call, as JSON (`Study::progress`).
    pub fn progress(&mut self) -> String {
        self.run.progress().to_string()
    }

    /// The whole result, as JSON.
    pub fn report(&self) -> String {
        self.run.report().to_string()
    }
}
