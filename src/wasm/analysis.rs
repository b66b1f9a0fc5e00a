//! The state-space analysis on the page: `richlazy analyse --weights DIR` on four weight files (as a
//! run's measure point or `run --save_weights` gives them), the same report to the bit.

use super::lenient;
use crate::analysis::report::{analyse_weights, Options};
use crate::analysis::Weights;
use crate::json::obj;
use crate::settings::SettingError;
use wasm_bindgen::prelude::*;

/// The report of the weights on the settings' probe set (their task, seed, batch and leak), or
/// `{"error": {"key", "code", "message"}}` for a bad setting, an unreadable file or shapes that
/// do not fit the task.
#[wasm_bindgen]
pub fn analyse_npy(
    keys: Vec<String>,
    values: Vec<String>,
    w_in: &[u8],
    w_rec0: &[u8],
    w_rec: &[u8],
    w_out: &[u8],
) -> String {
    let (config, errors) = lenient(&keys, &values);
    let report = match errors.into_iter().next() {
        Some(e) => Err(e),
        None => {
            let files = [("W_in.npy", w_in), ("W_rec0.npy", w_rec0), ("W_rec.npy", w_rec), ("W_out.npy", w_out)];
            Weights::from_npy(files).and_then(|w| analyse_weights(&config, &w, &Options::default()))
        }
    };
    report.unwrap_or_else(|e: SettingError| obj([("error", e.json())])).to_string()
}
