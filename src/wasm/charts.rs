//! The page's charts (main thread): each binding draws `crate::charts` on a canvas.

use crate::charts::{DrawResult, ErrorBars, Frame, GridHeatmap, HeatmapAxes, Lines};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

pub(super) use crate::charts::heat_rgba;

/// Draws with `draw` on the canvas, errors as JavaScript ones.
pub(super) fn on_canvas<T>(
    canvas: HtmlCanvasElement,
    draw: impl FnOnce(&DrawingArea<CanvasBackend, Shift>) -> DrawResult<T>,
) -> Result<T, JsError> {
    let backend =
        CanvasBackend::with_canvas_object(canvas).ok_or_else(|| JsError::new("no 2D context on the chart canvas"))?;
    draw(&backend.into_drawing_area()).map_err(|e| JsError::new(&e.to_string()))
}

/// See `Lines`; returns its `Frame` (where the data went, for the page's clicks).
#[allow(clippy::too_many_arguments)] // the page passes flat arrays
#[wasm_bindgen]
pub fn line_chart(
    canvas: HtmlCanvasElement,
    title: &str,
    x_label: &str,
    y_label: &str,
    names: Vec<String>,
    colours: Vec<String>,
    styles: Vec<u8>,
    xs: Vec<f64>,
    ys: Vec<f64>,
    lens: Vec<u32>,
    log_x: bool,
    log_y: bool,
    y_min: f64,
    y_max: f64,
    markers: bool,
    dpr: f64,
) -> Result<Frame, JsError> {
    let (names, colours, styles, xs, ys, lens) = (&names, &colours, &styles, &xs, &ys, &lens);
    let chart =
        Lines { title, x_label, y_label, names, colours, styles, xs, ys, lens, log_x, log_y, y_min, y_max, markers };
    on_canvas(canvas, |root| chart.draw(root, dpr))
}

/// See `ErrorBars`; returns its `Frame`.
#[allow(clippy::too_many_arguments)] // the page passes flat arrays
#[wasm_bindgen]
pub fn errorbar_chart(
    canvas: HtmlCanvasElement,
    title: &str,
    x_label: &str,
    y_label: &str,
    names: Vec<String>,
    colours: Vec<String>,
    xs: Vec<f64>,
    means: Vec<f64>,
    sds: Vec<f64>,
    lens: Vec<u32>,
    shapes: Vec<u8>,
    joined: Vec<u8>,
    log_x: bool,
    log_y: bool,
    dpr: f64,
) -> Result<Frame, JsError> {
    let (names, colours, xs, means, sds, lens, shapes, joined) =
        (&names, &colours, &xs, &means, &sds, &lens, &shapes, &joined);
    let chart =
        ErrorBars { title, x_label, y_label, names, colours, xs, means, sds, lens, shapes, joined, log_x, log_y };
    on_canvas(canvas, |root| chart.draw(root, dpr))
}

/// See `HeatmapAxes`: the plotting area [x, y, width, height] in canvas pixels.
#[wasm_bindgen]
pub fn heatmap_axes(
    canvas: HtmlCanvasElement,
    title: &str,
    x_label: &str,
    y_label: &str,
    n: u32,
    dpr: f64,
) -> Result<Vec<f64>, JsError> {
    on_canvas(canvas, |root| HeatmapAxes { title, x_label, y_label, n }.draw(root, dpr))
}

/// See `GridHeatmap`; returns its `Frame`.
#[allow(clippy::too_many_arguments)] // the page passes flat arrays
#[wasm_bindgen]
pub fn grid_heatmap(
    canvas: HtmlCanvasElement,
    title: &str,
    x_label: &str,
    y_label: &str,
    xs: Vec<f64>,
    ys: Vec<f64>,
    values: Vec<f64>,
    marks: Vec<u8>,
    log_x: bool,
    log_y: bool,
    value_label: &str,
    log_v: bool,
    line_xs: Vec<f64>,
    line_ys: Vec<f64>,
    dpr: f64,
) -> Result<Frame, JsError> {
    let chart = GridHeatmap {
        title,
        x_label,
        y_label,
        xs: &xs,
        ys: &ys,
        values: &values,
        marks: &marks,
        log_x,
        log_y,
        value_label,
        log_v,
        line_xs: &line_xs,
        line_ys: &line_ys,
    };
    on_canvas(canvas, |root| chart.draw(root, dpr))
}
