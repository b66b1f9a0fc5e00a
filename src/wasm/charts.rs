//! Charts drawn with plotters on the page's canvases (main thread).
//!
//! The page passes plain arrays: series names and colours, and all points
//! flattened with one length per series. Sizes are given in CSS pixels and
//! scaled by the device pixel ratio so that charts are crisp on high-DPI screens.

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// "#rrggbb" to a colour (grey if malformed).
fn parse_colour(s: &str) -> RGBColor {
    let hex = s.trim_start_matches('#');
    let byte = |i: usize| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()).unwrap_or(128);
    RGBColor(byte(0), byte(2), byte(4))
}

/// The series of a chart: (name, colour, points), non-finite points dropped.
fn series(names: &[String], colours: &[String], xs: &[f64], ys: &[f64], lens: &[u32]) -> Vec<(String, RGBColor, Vec<(f64, f64)>)> {
    let mut at = 0;
    names
        .iter()
        .zip(lens)
        .enumerate()
        .map(|(i, (name, &len))| {
            let end = (at + len as usize).min(xs.len()).min(ys.len());
            let pts = (at..end).map(|j| (xs[j], ys[j])).filter(|(x, y)| x.is_finite() && y.is_finite()).collect();
            at = end;
            (name.clone(), parse_colour(colours.get(i).map_or("#808080", String::as_str)), pts)
        })
        .collect()
}

/// A padded range covering `values`, or `fixed` bounds where given (non-NaN).
fn range(values: impl Iterator<Item = f64>, fixed: (f64, f64)) -> (f64, f64) {
    let (mut lo, mut hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    if hi - lo < 1e-12 {
        let pad = if lo.abs() > 1e-12 { lo.abs() * 0.05 } else { 0.5 };
        lo -= pad;
        hi += pad;
    } else {
        let pad = (hi - lo) * 0.05;
        lo -= pad;
        hi += pad;
    }
    (if fixed.0.is_nan() { lo } else { fixed.0 }, if fixed.1.is_nan() { hi } else { fixed.1 })
}

fn area(canvas: HtmlCanvasElement) -> Result<DrawingArea<CanvasBackend, Shift>, JsError> {
    let backend = CanvasBackend::with_canvas_object(canvas).ok_or_else(|| JsError::new("no 2D context on the chart canvas"))?;
    Ok(backend.into_drawing_area())
}

/// Text and line sizes for a device pixel ratio.
struct Scale(f64);

impl Scale {
    fn px(&self, css: f64) -> u32 {
        (css * self.0).round().max(1.0) as u32
    }
    fn font(&self, css: f64) -> TextStyle<'static> {
        ("sans-serif", css * self.0).into_font().color(&RGBColor(40, 40, 40))
    }
}

/// Formats an axis value compactly; on a log axis `v` is log10 of the value
/// and the tick shows two significant digits (10^0.5 reads 3.2).
fn tick(v: f64, log: bool) -> String {
    let x = if log { 10f64.powf(v) } else { v };
    let a = x.abs();
    if a != 0.0 && !(1e-3..1e6).contains(&a) {
        let e = a.log10().floor();
        let m = (x / 10f64.powf(e) * 10.0).round() / 10.0;
        let (m, e) = if m.abs() >= 10.0 { (m / 10.0, e + 1.0) } else { (m, e) };
        return if m.fract() == 0.0 { format!("{m}e{e}") } else { format!("{m:.1}e{e}") };
    }
    let digits = if log && a != 0.0 { (1 - a.log10().floor() as i32).clamp(0, 4) as usize } else { 4 };
    let mut s = format!("{x:.digits$}");
    if s.contains('.') {
        s = s.trim_end_matches('0').trim_end_matches('.').to_string();
    }
    if s == "-0" { "0".into() } else { s }
}

type Chart<'a> = ChartContext<'a, CanvasBackend, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// White background, caption, labelled axes and a light grid; `log` marks
/// axes whose coordinates are log10 values (their ticks show 10^v).
fn axes<'a>(
    root: &'a DrawingArea<CanvasBackend, Shift>,
    title: &str,
    labels: (&str, &str),
    ranges: (std::ops::Range<f64>, std::ops::Range<f64>),
    log: (bool, bool),
    s: &Scale,
) -> Result<Chart<'a>, Box<dyn std::error::Error>> {
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(root)
        .caption(title, s.font(14.0))
        .margin(s.px(8.0))
        .x_label_area_size(s.px(38.0))
        .y_label_area_size(s.px(52.0))
        .build_cartesian_2d(ranges.0, ranges.1)?;
    chart
        .configure_mesh()
        .x_desc(labels.0)
        .y_desc(labels.1)
        .x_labels(6)
        .y_labels(5)
        .x_label_formatter(&|v| tick(*v, log.0))
        .y_label_formatter(&|v| tick(*v, log.1))
        .label_style(s.font(11.0))
        .axis_desc_style(s.font(12.0))
        .bold_line_style(RGBColor(225, 225, 225).stroke_width(s.px(1.0)))
        .light_line_style(TRANSPARENT)
        .axis_style(RGBColor(120, 120, 120).stroke_width(s.px(1.0)))
        .draw()?;
    Ok(chart)
}

/// The legend box, when several series share a chart.
fn legend(chart: &mut Chart, n_series: usize, position: SeriesLabelPosition, s: &Scale) -> DrawResult {
    if n_series > 1 {
        chart
            .configure_series_labels()
            .label_font(s.font(11.0))
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(200, 200, 200))
            .position(position)
            .draw()?;
    }
    Ok(())
}

/// Line chart of several series; `log_y` plots log10 of positive values.
/// `y_min`/`y_max` fix the axis (NaN = automatic); `markers` adds dots at each point.
#[allow(clippy::too_many_arguments)]
#[wasm_bindgen]
pub fn line_chart(
    canvas: HtmlCanvasElement,
    title: &str,
    x_label: &str,
    y_label: &str,
    names: Vec<String>,
    colours: Vec<String>,
    xs: Vec<f64>,
    ys: Vec<f64>,
    lens: Vec<u32>,
    log_y: bool,
    y_min: f64,
    y_max: f64,
    markers: bool,
    dpr: f64,
) -> Result<(), JsError> {
    let mut data = series(&names, &colours, &xs, &ys, &lens);
    if log_y {
        for (_, _, pts) in &mut data {
            *pts = pts.iter().filter(|p| p.1 > 0.0).map(|&(x, y)| (x, y.log10())).collect();
        }
    }
    let root = area(canvas)?;
    draw_lines(&root, title, x_label, y_label, &data, log_y, (y_min, y_max), markers, &Scale(dpr)).map_err(|e| JsError::new(&e.to_string()))
}

#[allow(clippy::too_many_arguments)]
fn draw_lines(
    root: &DrawingArea<CanvasBackend, Shift>,
    title: &str,
    x_label: &str,
    y_label: &str,
    data: &[(String, RGBColor, Vec<(f64, f64)>)],
    log_y: bool,
    y_fixed: (f64, f64),
    markers: bool,
    s: &Scale,
) -> DrawResult {
    let all = || data.iter().flat_map(|(_, _, p)| p.iter());
    let (x0, x1) = range(all().map(|p| p.0), (f64::NAN, f64::NAN));
    let fixed = if log_y { (f64::NAN, f64::NAN) } else { y_fixed };
    let (y0, y1) = range(all().map(|p| p.1), fixed);
    let mut chart = axes(root, title, (x_label, y_label), (x0..x1, y0..y1), (false, log_y), s)?;
    for (name, colour, pts) in data {
        let style = colour.stroke_width(s.px(2.0));
        let legend_style = style;
        // Plotters places legend text a fixed number of device pixels to the right, so the swatch is not scaled.
        let len = 14;
        chart
            .draw_series(LineSeries::new(pts.iter().copied(), style))?
            .label(name.as_str())
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + len, y)], legend_style));
        if markers {
            let r = s.px(3.0);
            chart.draw_series(pts.iter().map(|&p| Circle::new(p, r, colour.filled())))?;
        }
    }
    legend(&mut chart, data.len(), SeriesLabelPosition::UpperRight, s)?;
    root.present()?;
    Ok(())
}

/// Means with +-sd error bars against x (log10 axis when `log_x`), one series per name.
#[allow(clippy::too_many_arguments)]
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
    log_x: bool,
    dpr: f64,
) -> Result<(), JsError> {
    let tx = |x: f64| if log_x { x.max(1e-12).log10() } else { x };
    let txs: Vec<f64> = xs.iter().map(|&x| tx(x)).collect();
    let data = series(&names, &colours, &txs, &means, &lens);
    let sd_of = |x: f64, m: f64| -> f64 {
        txs.iter().zip(&means).position(|(&a, &b)| a == x && b == m).and_then(|i| sds.get(i)).copied().filter(|v| v.is_finite()).unwrap_or(0.0)
    };
    let root = area(canvas)?;
    let s = Scale(dpr);
    (|| -> DrawResult {
        let all = || data.iter().flat_map(|(_, _, p)| p.iter());
        let (x0, x1) = range(all().map(|p| p.0), (f64::NAN, f64::NAN));
        let (y0, y1) = range(all().flat_map(|&(x, m)| [m - sd_of(x, m), m + sd_of(x, m)]), (f64::NAN, f64::NAN));
        let mut chart = axes(&root, title, (x_label, y_label), (x0..x1, y0..y1), (log_x, false), &s)?;
        for (name, colour, pts) in &data {
            let style = colour.stroke_width(s.px(2.0));
            let r = s.px(4.0);
            chart.draw_series(LineSeries::new(pts.iter().copied(), colour.mix(0.5).stroke_width(s.px(1.0))))?;
            chart.draw_series(pts.iter().map(|&(x, m)| {
                let sd = sd_of(x, m);
                ErrorBar::new_vertical(x, m - sd, m, m + sd, style, s.px(8.0))
            }))?;
            chart
                .draw_series(pts.iter().map(|&p| Circle::new(p, r, colour.filled())))?
                .label(name.as_str())
                .legend(move |(x, y)| Circle::new((x + 6, y), r, colour.filled()));
        }
        legend(&mut chart, data.len(), SeriesLabelPosition::LowerRight, &s)?;
        root.present()?;
        Ok(())
    })()
    .map_err(|e| JsError::new(&e.to_string()))
}
