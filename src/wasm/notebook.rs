//! The page's "Open as notebook": the engine's notebook (`crate::notebook`) for a view's settings.

use crate::json::obj;
use wasm_bindgen::prelude::*;

/// The `.ipynb` text for `view` at the pairs (its own keys and page keys, as in its link) with the
/// page's finished report (its JSON) or none; `{"error": {"key", "code", "message"}}` for a bad setting
/// (a notebook never has a top-level "error").
#[wasm_bindgen]
pub fn notebook(view: &str, keys: Vec<String>, values: Vec<String>, report_json: Option<String>) -> String {
    let pairs: Vec<(String, String)> = keys.into_iter().zip(values).collect();
    crate::notebook::notebook(view, &pairs, report_json.as_deref())
        .unwrap_or_else(|e| obj([("error", e.json())]).to_string())
}
