//! Heat maps: axes for a matrix the page paints as a bitmap, and a grid of settings with a colour bar.

use super::axes::{axes, frame, tick, Frame};
use super::{DrawResult, Scale};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Axes for a heat map of an n x n matrix (column index across, row index down, row 0 at the top).
pub struct HeatmapAxes<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub n: u32,
}

impl HeatmapAxes<'_> {
    /// Draws the axes on `root` at device pixel ratio `dpr` and returns the plotting area
    /// [x, y, width, height] in backend pixels, where the page draws the matrix's pixels (a bitmap
    /// is far faster than n^2 rectangles).
    pub fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, dpr: f64) -> DrawResult<Vec<f64>>
    where
        DB::ErrorType: 'static,
    {
        let s = Scale(dpr);
        let n = self.n.max(1) as f64;
        let chart = axes(root, self.title, (self.x_label, self.y_label), (0.0..n, n..0.0), (false, false), &s)?;
        let (x0, y0) = chart.backend_coord(&(0.0, 0.0));
        let (x1, y1) = chart.backend_coord(&(n, n));
        root.present()?;
        Ok(vec![x0 as f64, y0 as f64, (x1 - x0) as f64, (y1 - y0) as f64])
    }
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
pub struct GridHeatmap<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub xs: &'a [f64],
    pub ys: &'a [f64],
    pub values: &'a [f64],
    pub marks: &'a [u8],
    pub log_x: bool,
    pub log_y: bool,
    pub value_label: &'a str,
    pub log_v: bool,
    pub line_xs: &'a [f64],
    pub line_ys: &'a [f64],
}

impl GridHeatmap<'_> {
    /// Draws the map and its colour bar on `root` at device pixel ratio `dpr`; returns where its
    /// cells went (cell centres at the settings, on log axes at their log10).
    pub fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, dpr: f64) -> DrawResult<Frame>
    where
        DB::ErrorType: 'static,
    {
        let (log_x, log_y, log_v) = (self.log_x, self.log_y, self.log_v);
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
        let cx: Vec<f64> = self.xs.iter().map(|&x| t(x, log_x)).collect();
        let cy: Vec<f64> = self.ys.iter().map(|&y| t(y, log_y)).collect();
        let tv: Vec<f64> = self.values.iter().map(|&v| t(v, log_v)).collect();
        let (v0, v1) = tv
            .iter()
            .filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
        let s = Scale(dpr);
        root.fill(&WHITE)?;
        let w = root.dim_in_pixel().0;
        let (plot, bar) = root.split_horizontally(w - s.px(70.0).min(w / 4));
        let (x0, x1) = cell_edges(&cx);
        let (y0, y1) = cell_edges(&cy);
        let mut chart = axes(&plot, self.title, (self.x_label, self.y_label), (x0..x1, y0..y1), (log_x, log_y), &s)?;
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
                if self.marks.get(k).is_some_and(|&m| m != 0) {
                    let style = RGBColor(255, 255, 255).stroke_width(s.px(1.5));
                    chart.draw_series([
                        PathElement::new(vec![(a, c), (b, d)], style),
                        PathElement::new(vec![(a, d), (b, c)], style),
                    ])?;
                }
            }
        }
        let line: Vec<(f64, f64)> = self
            .line_xs
            .iter()
            .zip(self.line_ys)
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
                self.value_label,
                &s.font(10.0).pos(Pos::new(HPos::Left, VPos::Top)),
                (left / 2, bottom + s.px(8.0) as i32),
            )?;
        }
        root.present()?;
        Ok(frame(&chart, (x0, x1), (y0, y1)))
    }
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
pub(super) fn scale_colour(f: f64) -> RGBColor {
    const STOPS: [(f64, f64, f64); 5] =
        [(68.0, 1.0, 84.0), (59.0, 82.0, 139.0), (33.0, 145.0, 140.0), (94.0, 201.0, 98.0), (253.0, 231.0, 37.0)];
    let x = f.clamp(0.0, 1.0) * 4.0;
    let k = (x.floor() as usize).min(3);
    let u = x - k as f64;
    let (a, b) = (STOPS[k], STOPS[k + 1]);
    let mix = |p: f64, q: f64| (p + (q - p) * u).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}
