//! Charts drawn with plotters on the page's canvases (main thread).
//!
//! The page passes plain arrays: series names and colours, and all points
//! flattened with one length per series. Sizes are given in CSS pixels and
//! scaled by the device pixel ratio so that charts are crisp on high-DPI screens.

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

pub(super) type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// "#rrggbb" to a colour (grey if malformed).
pub(super) fn parse_colour(s: &str) -> RGBColor {
    let hex = s.trim_start_matches('#');
    let byte = |i: usize| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()).unwrap_or(128);
    RGBColor(byte(0), byte(2), byte(4))
}

/// The series of a chart: (name, colour, points), non-finite points dropped.
fn series(
    names: &[String],
    colours: &[String],
    xs: &[f64],
    ys: &[f64],
    lens: &[u32],
) -> Vec<(String, RGBColor, Vec<(f64, f64)>)> {
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

/// A padded range covering `values`, or `fixed` bounds where given (non-NaN)
/// and not cutting off a value (nothing is drawn outside the axes).
pub(super) fn range(values: impl Iterator<Item = f64>, fixed: (f64, f64)) -> (f64, f64) {
    let (mut lo, mut hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    let (data_lo, data_hi) = (lo, hi);
    if hi - lo < 1e-12 {
        let pad = if lo.abs() > 1e-12 { lo.abs() * 0.05 } else { 0.5 };
        lo -= pad;
        hi += pad;
    } else {
        let pad = (hi - lo) * 0.05;
        lo -= pad;
        hi += pad;
    }
    let lo = if fixed.0.is_nan() || fixed.0 > data_lo { lo } else { fixed.0 };
    let hi = if fixed.1.is_nan() || fixed.1 < data_hi { hi } else { fixed.1 };
    if hi > lo {
        (lo, hi)
    } else {
        (lo, lo + 1.0)
    }
}

pub(super) fn area(canvas: HtmlCanvasElement) -> Result<DrawingArea<CanvasBackend, Shift>, JsError> {
    let backend =
        CanvasBackend::with_canvas_object(canvas).ok_or_else(|| JsError::new("no 2D context on the chart canvas"))?;
    Ok(backend.into_drawing_area())
}

/// Text and line sizes for a device pixel ratio.
pub(super) struct Scale(pub(super) f64);

impl Scale {
    pub(super) fn px(&self, css: f64) -> u32 {
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
    // A tick at zero computed as a sum of steps can land a rounding error away from it (-8e-17).
    let x = if !log && x.abs() < 1e-12 { 0.0 } else { x };
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
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

pub(super) type Chart<'a> = ChartContext<'a, CanvasBackend, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// White background, caption, labelled axes and a light grid; `log` marks
/// axes whose coordinates are log10 values (their ticks show 10^v).
pub(super) fn axes<'a>(
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

/// Where the legend goes: the corner (or edge middle) of the plotting area
/// that covers the fewest drawn points, sampled along each line in pixels.
fn legend_spot(
    chart: &Chart,
    labels: &[&str],
    data: &[&[(f64, f64)]],
    s: &Scale,
) -> Result<SeriesLabelPosition, Box<dyn std::error::Error>> {
    use SeriesLabelPosition::*;
    let font = s.font(LEGEND_FONT);
    let mut text = MultiLineText::<_, &str>::new((0, 0), &font);
    for l in labels {
        text.push_line(*l);
    }
    let (tw, th) = text.estimate_dimension()?;
    let margin = s.px(LEGEND_MARGIN) as i32;
    let (w, h) = (tw + s.px(LEGEND_SWATCH) as i32 + 2 * margin, th + 2 * margin);
    let area = chart.plotting_area();
    let (aw, ah) = area.dim_in_pixel();
    let (aw, ah) = (aw as i32, ah as i32);
    let base = area.get_base_pixel();
    let pad = s.px(3.0) as i32;
    let step = s.px(2.0) as f64;
    let mut pixels = Vec::new();
    for pts in data {
        let px: Vec<(f64, f64)> = pts
            .iter()
            .map(|p| {
                let (x, y) = chart.backend_coord(p);
                ((x - base.0) as f64, (y - base.1) as f64)
            })
            .collect();
        if px.len() == 1 {
            pixels.push(px[0]);
        }
        for seg in px.windows(2) {
            let (a, b) = (seg[0], seg[1]);
            let n = (((b.0 - a.0).hypot(b.1 - a.1) / step).ceil() as usize).clamp(1, 400);
            pixels.extend((0..=n).map(|i| {
                let t = i as f64 / n as f64;
                (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1))
            }));
        }
    }
    let candidates = [UpperRight, UpperLeft, LowerRight, LowerLeft, MiddleRight, UpperMiddle, LowerMiddle, MiddleLeft];
    let mut best = (usize::MAX, UpperRight);
    for c in candidates {
        let x = match c {
            UpperLeft | MiddleLeft | LowerLeft => 5,
            UpperMiddle | LowerMiddle => (aw - w) / 2,
            _ => aw - w - 5,
        };
        let y = match c {
            UpperLeft | UpperMiddle | UpperRight => 5,
            MiddleLeft | MiddleRight => (ah - h) / 2,
            _ => ah - h - 5,
        };
        let (x0, x1, y0, y1) = ((x - pad) as f64, (x + w + pad) as f64, (y - pad) as f64, (y + h + pad) as f64);
        let hits = pixels.iter().filter(|p| p.0 >= x0 && p.0 <= x1 && p.1 >= y0 && p.1 <= y1).count();
        if hits < best.0 {
            best = (hits, c);
        }
        if hits == 0 {
            break;
        }
    }
    Ok(best.1)
}

const LEGEND_FONT: f64 = 11.0;
/// Charts with more legend entries than this put the legend beside the plot.
const SIDE_LEGEND_ABOVE: usize = 4;
const LEGEND_MARGIN: f64 = 6.0;
pub(super) const LEGEND_SWATCH: f64 = 26.0;

/// The legend box, when several series share a chart; series with an empty name have no entry.
pub(super) fn legend(chart: &mut Chart, data: &[(String, RGBColor, Vec<(f64, f64)>)], s: &Scale) -> DrawResult {
    let labels: Vec<&str> = data.iter().map(|d| d.0.as_str()).filter(|n| !n.is_empty()).collect();
    if labels.len() > 1 {
        let pts: Vec<&[(f64, f64)]> = data.iter().map(|d| d.2.as_slice()).collect();
        let spot = legend_spot(chart, &labels, &pts, s)?;
        chart
            .configure_series_labels()
            .label_font(s.font(LEGEND_FONT))
            .margin(s.px(LEGEND_MARGIN))
            .legend_area_size(s.px(LEGEND_SWATCH))
            .background_style(WHITE.mix(0.9))
            .border_style(RGBColor(200, 200, 200).stroke_width(s.px(1.0)))
            .position(spot)
            .draw()?;
    }
    Ok(())
}

/// Line chart of several series; `log_x`, `log_y` plot log10 of positive values.
/// `styles[i]` draws series i: 0 a line, 1 dashed, 2 dots only (a scatter); a series with an
/// empty name gets no legend entry (and one with no points only a legend entry).
/// `y_min`/`y_max` fix the axis in data units (NaN = automatic); `markers` adds dots at each point.
#[allow(clippy::too_many_arguments)]
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
) -> Result<(), JsError> {
    let mut data = series(&names, &colours, &xs, &ys, &lens);
    let lg = |v: f64| if v > 0.0 { v.log10() } else { f64::NAN };
    for (_, _, pts) in &mut data {
        *pts = pts
            .iter()
            .map(|&(x, y)| (if log_x { lg(x) } else { x }, if log_y { lg(y) } else { y }))
            .filter(|p| p.0.is_finite() && p.1.is_finite())
            .collect();
    }
    let fixed = if log_y { (lg(y_min), lg(y_max)) } else { (y_min, y_max) };
    let root = area(canvas)?;
    draw_lines(&root, (title, x_label, y_label), &data, &styles, (log_x, log_y), fixed, markers, &Scale(dpr))
        .map_err(|e| JsError::new(&e.to_string()))
}

#[allow(clippy::too_many_arguments)]
fn draw_lines(
    root: &DrawingArea<CanvasBackend, Shift>,
    (title, x_label, y_label): (&str, &str, &str),
    data: &[(String, RGBColor, Vec<(f64, f64)>)],
    styles: &[u8],
    log: (bool, bool),
    y_fixed: (f64, f64),
    markers: bool,
    s: &Scale,
) -> DrawResult {
    let all = || data.iter().flat_map(|(_, _, p)| p.iter());
    let (x0, x1) = range(all().map(|p| p.0), (f64::NAN, f64::NAN));
    let (y0, y1) = range(all().map(|p| p.1), y_fixed);
    let mut chart = axes(root, title, (x_label, y_label), (x0..x1, y0..y1), log, s)?;
    let style_of = |i: usize| styles.get(i).copied().unwrap_or(0);
    // Dashed series (references such as a starting state) go underneath.
    let order = (0..data.len()).filter(|&i| style_of(i) == 1).chain((0..data.len()).filter(|&i| style_of(i) != 1));
    let (dash, gap) = (s.px(6.0), s.px(4.0));
    let swatch = s.px(LEGEND_SWATCH - 6.0) as i32;
    for i in order {
        let (name, colour, pts) = &data[i];
        let style = colour.stroke_width(s.px(2.0));
        if style_of(i) == 2 {
            let r = s.px(2.5);
            let a = chart.draw_series(pts.iter().map(|&p| Circle::new(p, r, colour.filled())))?;
            if !name.is_empty() {
                a.label(name.as_str()).legend(move |(x, y)| Circle::new((x + swatch / 2, y), r, colour.filled()));
            }
            continue;
        }
        let anno = if style_of(i) == 1 {
            let a = chart.draw_series(DashedLineSeries::new(pts.iter().copied(), dash, gap, style))?;
            if !name.is_empty() {
                a.label(name.as_str())
                    .legend(move |(x, y)| DashedPathElement::new(vec![(x, y), (x + swatch, y)], dash, gap, style));
            }
            if pts.len() == 1 {
                chart.draw_series(pts.iter().map(|&p| Circle::new(p, s.px(3.0), colour.stroke_width(s.px(1.5)))))?;
            }
            continue;
        } else {
            chart.draw_series(LineSeries::new(pts.iter().copied(), style))?
        };
        if !name.is_empty() {
            anno.label(name.as_str()).legend(move |(x, y)| PathElement::new(vec![(x, y), (x + swatch, y)], style));
        }
        if markers || pts.len() == 1 {
            let r = s.px(3.0);
            chart.draw_series(pts.iter().map(|&p| Circle::new(p, r, colour.filled())))?;
        }
    }
    legend(&mut chart, data, s)?;
    root.present()?;
    Ok(())
}

/// Means with +-sd error bars against x, one series per name; `log_x`, `log_y`
/// draw log10 axes (a bar's lower end then stops at a twentieth of its mean).
/// `shapes[i]` picks series i's marker (see `Marker`); `joined[i] != 0` joins its points with a line.
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
    shapes: Vec<u8>,
    joined: Vec<u8>,
    log_x: bool,
    log_y: bool,
    dpr: f64,
) -> Result<(), JsError> {
    let tx = |x: f64| if log_x { x.max(1e-12).log10() } else { x };
    let txs: Vec<f64> = xs.iter().map(|&x| tx(x)).collect();
    let data = series(&names, &colours, &txs, &means, &lens);
    // The sd of each kept point, in the same order as `data`'s points.
    let mut at = 0;
    let sd_data: Vec<Vec<f64>> = lens
        .iter()
        .map(|&len| {
            let end = (at + len as usize).min(txs.len()).min(means.len());
            let v = (at..end)
                .filter(|&j| txs[j].is_finite() && means[j].is_finite())
                .map(|j| sds.get(j).copied().filter(|v| v.is_finite()).unwrap_or(0.0))
                .collect();
            at = end;
            v
        })
        .collect();
    // Each point as (x, low, mean, high) in axis units.
    let ty = |y: f64| if log_y { y.log10() } else { y };
    let bars: Vec<Vec<(f64, f64, f64, f64)>> = data
        .iter()
        .zip(&sd_data)
        .map(|((_, _, p), sd)| {
            p.iter()
                .zip(sd)
                .map(|(&(x, m), &d)| (x, ty(if log_y { (m - d).max(m / 20.0) } else { m - d }), ty(m), ty(m + d)))
                .filter(|b| b.1.is_finite() && b.2.is_finite() && b.3.is_finite())
                .collect()
        })
        .collect();
    let data: Vec<(String, RGBColor, Vec<(f64, f64)>)> = data
        .into_iter()
        .zip(&bars)
        .map(|((n, c, _), b)| (n, c, b.iter().map(|&(x, _, m, _)| (x, m)).collect()))
        .collect();
    let root = area(canvas)?;
    let s = Scale(dpr);
    (|| -> DrawResult {
        let bounds = bars.iter().flatten().flat_map(|&(_, lo, _, hi)| [lo, hi]);
        let all = || data.iter().flat_map(|(_, _, p)| p.iter());
        let (x0, x1) = range(all().map(|p| p.0), (f64::NAN, f64::NAN));
        let (y0, y1) = range(bounds, (f64::NAN, f64::NAN));
        let marker_of = |i: usize| Marker::from(shapes.get(i).copied().unwrap_or(0));
        let (r, width) = (s.px(4.5) as i32, s.px(1.5));
        // Many entries would cover points inside the plot: they get a column of their own.
        let entries: Vec<(&str, RGBColor, Marker)> = data
            .iter()
            .enumerate()
            .filter(|(_, d)| !d.0.is_empty())
            .map(|(i, d)| (d.0.as_str(), d.1, marker_of(i)))
            .collect();
        let beside = entries.len() > SIDE_LEGEND_ABOVE;
        root.fill(&WHITE)?;
        let (plot, side) =
            root.split_horizontally(if beside { root.dim_in_pixel().0 * 68 / 100 } else { root.dim_in_pixel().0 });
        let mut chart = axes(&plot, title, (x_label, y_label), (x0..x1, y0..y1), (log_x, log_y), &s)?;
        for (i, ((name, colour, pts), bar)) in data.iter().zip(&bars).enumerate() {
            let style = colour.stroke_width(s.px(2.0));
            if joined.get(i).is_none_or(|&j| j != 0) {
                chart.draw_series(LineSeries::new(pts.iter().copied(), colour.mix(0.5).stroke_width(s.px(1.0))))?;
            }
            chart.draw_series(
                bar.iter().map(|&(x, lo, m, hi)| ErrorBar::new_vertical(x, lo, m, hi, style, s.px(8.0))),
            )?;
            let marker = marker_of(i);
            let anno =
                chart.draw_series(pts.iter().map(|&p| EmptyElement::at(p) + marker.element(*colour, r, width)))?;
            if !name.is_empty() && !beside {
                let cx = s.px(LEGEND_SWATCH / 2.0 - 3.0) as i32;
                anno.label(name.as_str())
                    .legend(move |(x, y)| EmptyElement::at((x + cx, y)) + marker.element(*colour, r, width));
            }
        }
        if beside {
            // One entry per line from the top of the plotting area: marker, then name.
            let font = s.font(LEGEND_FONT).pos(Pos::new(HPos::Left, VPos::Center));
            let (step, top, x) = (s.px(LEGEND_FONT * 1.7) as i32, s.px(44.0) as i32, s.px(4.0) as i32 + r);
            for (k, (name, colour, marker)) in entries.iter().enumerate() {
                let y = top + k as i32 * step;
                side.draw(&(EmptyElement::at((x, y)) + marker.element(*colour, r, width)))?;
                side.draw_text(name, &font, (x + 2 * r + s.px(4.0) as i32, y))?;
            }
        } else {
            legend(&mut chart, &data, &s)?;
        }
        root.present()?;
        Ok(())
    })()
    .map_err(|e| JsError::new(&e.to_string()))
}

/// Marker shapes, so that points of different starts can share a colour.
#[derive(Clone, Copy)]
enum Marker {
    Dot,
    Triangle,
    Cross,
    Ring,
    Square,
}

impl From<u8> for Marker {
    fn from(k: u8) -> Self {
        [Marker::Dot, Marker::Triangle, Marker::Cross, Marker::Ring, Marker::Square][k as usize % 5]
    }
}

impl Marker {
    /// The shape around the origin, `r` pixels in radius.
    fn element(self, colour: RGBColor, r: i32, width: u32) -> DynElement<'static, CanvasBackend, (i32, i32)> {
        let line = colour.stroke_width(width);
        match self {
            Marker::Dot => Circle::new((0, 0), r, colour.filled()).into_dyn(),
            Marker::Ring => Circle::new((0, 0), r, line).into_dyn(),
            Marker::Triangle => Polygon::new(vec![(0, -r - 1), (r + 1, r), (-r - 1, r)], colour.filled()).into_dyn(),
            Marker::Square => Rectangle::new([(-r, -r), (r, r)], line).into_dyn(),
            Marker::Cross => Cross::new((0, 0), r, line).into_dyn(),
        }
    }
}

/// Axes for a heat map of an n x n matrix (column index across, row index
/// down, row 0 at the top). Returns the plotting area [x, y, width, height] in
/// canvas pixels, where the page draws the matrix's pixels (a bitmap is far
/// faster than n^2 rectangles).
#[wasm_bindgen]
pub fn heatmap_axes(
    canvas: HtmlCanvasElement,
    title: &str,
    x_label: &str,
    y_label: &str,
    n: u32,
    dpr: f64,
) -> Result<Vec<f64>, JsError> {
    let root = area(canvas)?;
    let s = Scale(dpr);
    let n = n.max(1) as f64;
    (|| -> Result<Vec<f64>, Box<dyn std::error::Error>> {
        let chart = axes(&root, title, (x_label, y_label), (0.0..n, n..0.0), (false, false), &s)?;
        let (x0, y0) = chart.backend_coord(&(0.0, 0.0));
        let (x1, y1) = chart.backend_coord(&(n, n));
        root.present()?;
        Ok(vec![x0 as f64, y0 as f64, (x1 - x0) as f64, (y1 - y0) as f64])
    })()
    .map_err(|e| JsError::new(&e.to_string()))
}

/// The heat map's colours, RGBA row by row: red excitatory, blue inhibitory,
/// white zero, intensity sqrt(|w| / max |w|) so that sparse counts and small
/// weights stay visible.
pub fn heat_rgba(values: &[f32]) -> Vec<u8> {
    let max = values.iter().fold(0f32, |m, v| m.max(v.abs())).max(f32::MIN_POSITIVE);
    values
        .iter()
        .flat_map(|&v| {
            let t = (v.abs() / max).sqrt();
            let fade = (255.0 * (1.0 - t)).round() as u8;
            if v >= 0.0 {
                [255, fade, fade, 255]
            } else {
                [fade, fade, 255, 255]
            }
        })
        .collect()
}

/// A heat map over a grid of settings (cells centred on `xs` x `ys`, log10 axes where asked):
/// `values[j * xs.len() + i]` colours cell (i, j) on a perceptual scale from the smallest to the
/// largest finite value (log10 of them if `log_v`), NaN cells (not computed yet) pale grey;
/// `marks[k] != 0` crosses cell k out (a run stopped by its cap). A colour bar on the right is
/// labelled `value_label`. `line_xs`/`line_ys`, where given, draw a dashed reference line on top.
#[allow(clippy::too_many_arguments)]
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
) -> Result<(), JsError> {
    let t = |v: f64, log: bool| {
        if log {
            if v > 0.0 {
                v.log10()
            } else {
                f64::NAN
            }
        } else {
            v
        }
    };
    let cx: Vec<f64> = xs.iter().map(|&x| t(x, log_x)).collect();
    let cy: Vec<f64> = ys.iter().map(|&y| t(y, log_y)).collect();
    let tv: Vec<f64> = values.iter().map(|&v| t(v, log_v)).collect();
    let (v0, v1) =
        tv.iter().filter(|v| v.is_finite()).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    let root = area(canvas)?;
    let s = Scale(dpr);
    (|| -> DrawResult {
        root.fill(&WHITE)?;
        let w = root.dim_in_pixel().0;
        let (plot, bar) = root.split_horizontally(w - s.px(70.0).min(w / 4));
        let (x0, x1) = cell_edges(&cx);
        let (y0, y1) = cell_edges(&cy);
        let mut chart = axes(&plot, title, (x_label, y_label), (x0..x1, y0..y1), (log_x, log_y), &s)?;
        let half = |c: &[f64], k: usize| {
            let lo = if k > 0 {
                (c[k - 1] + c[k]) / 2.0
            } else {
                c[k] - (if c.len() > 1 { (c[1] - c[0]) / 2.0 } else { 0.5 })
            };
            let hi = if k + 1 < c.len() {
                (c[k] + c[k + 1]) / 2.0
            } else {
                c[k] + (if c.len() > 1 { (c[k] - c[k - 1]) / 2.0 } else { 0.5 })
            };
            (lo, hi)
        };
        for (j, _) in cy.iter().enumerate() {
            for (i, _) in cx.iter().enumerate() {
                let k = j * cx.len() + i;
                let ((a, b), (c, d)) = (half(&cx, i), half(&cy, j));
                let v = tv.get(k).copied().unwrap_or(f64::NAN);
                let fill = if v.is_finite() {
                    scale_colour(if v1 > v0 { (v - v0) / (v1 - v0) } else { 0.5 })
                } else {
                    RGBColor(238, 238, 238)
                };
                chart.draw_series(std::iter::once(Rectangle::new([(a, c), (b, d)], fill.filled())))?;
                if marks.get(k).is_some_and(|&m| m != 0) {
                    let style = RGBColor(255, 255, 255).stroke_width(s.px(1.5));
                    chart.draw_series([
                        PathElement::new(vec![(a, c), (b, d)], style),
                        PathElement::new(vec![(a, d), (b, c)], style),
                    ])?;
                }
            }
        }
        let line: Vec<(f64, f64)> = line_xs
            .iter()
            .zip(&line_ys)
            .map(|(&x, &y)| (t(x, log_x), t(y, log_y)))
            .filter(|&(x, y)| x.is_finite() && y.is_finite() && (x0..=x1).contains(&x) && (y0..=y1).contains(&y))
            .collect();
        if line.len() > 1 {
            chart.draw_series(DashedLineSeries::new(
                line,
                s.px(6.0),
                s.px(4.0),
                RGBColor(20, 20, 20).stroke_width(s.px(2.0)),
            ))?;
        }
        // The colour bar: a strip from the smallest value (bottom) to the largest (top).
        let (bw, bh) = bar.dim_in_pixel();
        let (top, bottom, left, width) =
            (s.px(40.0) as i32, bh as i32 - s.px(46.0) as i32, s.px(8.0) as i32, s.px(14.0) as i32);
        if bottom > top && v1 >= v0 && bw > 0 {
            for y in top..bottom {
                let f = (bottom - y) as f64 / (bottom - top) as f64;
                bar.draw(&Rectangle::new([(left, y), (left + width, y + 1)], scale_colour(f).filled()))?;
            }
            let font = s.font(10.0).pos(Pos::new(HPos::Left, VPos::Center));
            let label = |v: f64| tick(v, log_v);
            bar.draw_text(&label(v1), &font, (left + width + s.px(3.0) as i32, top))?;
            bar.draw_text(&label(v0), &font, (left + width + s.px(3.0) as i32, bottom))?;
            bar.draw_text(
                value_label,
                &s.font(10.0).pos(Pos::new(HPos::Left, VPos::Top)),
                (left / 2, bottom + s.px(8.0) as i32),
            )?;
        }
        root.present()?;
        Ok(())
    })()
    .map_err(|e| JsError::new(&e.to_string()))
}

/// The outer edges of cells centred on `c` (sorted), half a step beyond the first and last centres.
fn cell_edges(c: &[f64]) -> (f64, f64) {
    let f: Vec<f64> = c.iter().copied().filter(|v| v.is_finite()).collect();
    match f.len() {
        0 => (0.0, 1.0),
        1 => (f[0] - 0.5, f[0] + 0.5),
        n => (f[0] - (f[1] - f[0]) / 2.0, f[n - 1] + (f[n - 1] - f[n - 2]) / 2.0),
    }
}

/// A perceptual dark-blue → green → yellow scale (viridis's end points and middle), `f` in 0..1.
fn scale_colour(f: f64) -> RGBColor {
    const STOPS: [(f64, f64, f64); 5] =
        [(68.0, 1.0, 84.0), (59.0, 82.0, 139.0), (33.0, 145.0, 140.0), (94.0, 201.0, 98.0), (253.0, 231.0, 37.0)];
    let x = f.clamp(0.0, 1.0) * 4.0;
    let k = (x.floor() as usize).min(3);
    let u = x - k as f64;
    let (a, b) = (STOPS[k], STOPS[k + 1]);
    let mix = |p: f64, q: f64| (p + (q - p) * u).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}
