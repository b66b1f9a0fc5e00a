//! The theory panel's binding: both sweeps as JSON, and its chart (measured
//! points with error bars over dashed closed-form curves, optional log x).

use super::charts::on_canvas;
use crate::charts::TheoryChart;
use crate::json::obj;
use crate::theory::{run, Settings};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Runs both sweeps: `{"settings", "errors": [{"key", "code", "message"}], "report": {...}}`.
/// Bad pairs keep their default and are listed in `errors`.
#[wasm_bindgen]
pub fn theory(keys: Vec<String>, values: Vec<String>) -> String {
    let mut s = Settings::default();
    let (pairs, mut errors) =
        crate::settings::without_repeats(keys.iter().map(String::as_str).zip(values.iter().map(String::as_str)));
    errors.extend(s.apply(pairs));
    obj([("settings", s.to_json()), ("errors", crate::settings::errors_json(&errors)), ("report", run(&s).to_json())])
        .to_string()
}

/// See `TheoryChart`.
#[allow(clippy::too_many_arguments)] // the page passes flat arrays
#[wasm_bindgen]
pub fn theory_chart(
    canvas: HtmlCanvasElement,
    title: &str,
    x_label: &str,
    y_label: &str,
    names: Vec<String>,
    colours: Vec<String>,
    kinds: Vec<u8>,
    xs: Vec<f64>,
    ys: Vec<f64>,
    sds: Vec<f64>,
    lens: Vec<u32>,
    log_x: bool,
    y_min: f64,
    y_max: f64,
    dpr: f64,
) -> Result<(), JsError> {
    let (names, colours, kinds, xs, ys, sds, lens) = (&names, &colours, &kinds, &xs, &ys, &sds, &lens);
    let chart = TheoryChart { title, x_label, y_label, names, colours, kinds, xs, ys, sds, lens, log_x, y_min, y_max };
    on_canvas(canvas, |root| chart.draw(root, dpr))
}
