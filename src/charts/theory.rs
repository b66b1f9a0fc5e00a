//! The theory panel's chart: measured points with error bars over dashed closed-form curves.

use super::axes::{axes, range};
use super::legend::{legend, LEGEND_SWATCH};
use super::{colour_of, DrawResult, Scale, Series};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

/// A measured or closed-form point: (x, y, sd).
type Point = (f64, f64, f64);

/// Theory chart: series `i` has `lens[i]` points; `kinds[i]` 0 draws a
/// dashed line (a closed form), 1 dots with +-sd bars joined by a faint
/// line (measured means). A series with an empty name has no legend entry;
/// one with no points only a legend entry. `log_x` plots log10 of x; `y_min`,
/// `y_max` fix the y axis where not NaN (and not cutting off data).
pub struct TheoryChart<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub names: &'a [String],
    pub colours: &'a [String],
    pub kinds: &'a [u8],
    pub xs: &'a [f64],
    pub ys: &'a [f64],
    pub sds: &'a [f64],
    pub lens: &'a [u32],
    pub log_x: bool,
    pub y_min: f64,
    pub y_max: f64,
}

impl TheoryChart<'_> {
    /// Draws the chart on `root` at device pixel ratio `dpr`.
    pub fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, dpr: f64) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let (xs, ys, log_x) = (self.xs, self.ys, self.log_x);
        // (name, colour, kind, points (x, y, sd)), non-finite points dropped.
        let mut at = 0;
        let data: Vec<(String, RGBColor, u8, Vec<Point>)> = self
            .names
            .iter()
            .zip(self.lens)
            .enumerate()
            .map(|(i, (name, &len))| {
                let end = (at + len as usize).min(xs.len()).min(ys.len());
                let pts = (at..end)
                    .map(|j| {
                        (
                            if log_x { xs[j].max(1e-300).log10() } else { xs[j] },
                            ys[j],
                            self.sds.get(j).copied().filter(|v| v.is_finite()).unwrap_or(0.0),
                        )
                    })
                    .filter(|(x, y, _)| x.is_finite() && y.is_finite())
                    .collect();
                at = end;
                (name.clone(), colour_of(self.colours, i), self.kinds.get(i).copied().unwrap_or(1), pts)
            })
            .collect();
        let s = Scale(dpr);
        let all = || data.iter().flat_map(|d| d.3.iter());
        let (x0, x1) = range(all().map(|p| p.0), (f64::NAN, f64::NAN));
        let (y0, y1) = range(all().flat_map(|p| [p.1 - p.2, p.1 + p.2]), (self.y_min, self.y_max));
        let mut chart = axes(root, self.title, (self.x_label, self.y_label), (x0..x1, y0..y1), (log_x, false), &s)?;
        let (dash, gap) = (s.px(6.0), s.px(4.0));
        let swatch = s.px(LEGEND_SWATCH - 6.0) as i32;
        // Closed forms underneath, measured points on top.
        for (name, colour, _, pts) in data.iter().filter(|d| d.2 == 0) {
            let style = colour.stroke_width(s.px(2.0));
            let a = chart.draw_series(DashedLineSeries::new(pts.iter().map(|p| (p.0, p.1)), dash, gap, style))?;
            if !name.is_empty() {
                a.label(name.as_str())
                    .legend(move |(x, y)| DashedPathElement::new(vec![(x, y), (x + swatch, y)], dash, gap, style));
            }
        }
        for (name, colour, _, pts) in data.iter().filter(|d| d.2 != 0) {
            let style = colour.stroke_width(s.px(1.5));
            let r = s.px(3.5);
            chart.draw_series(LineSeries::new(
                pts.iter().map(|p| (p.0, p.1)),
                colour.mix(0.35).stroke_width(s.px(1.0)),
            ))?;
            chart.draw_series(
                pts.iter()
                    .filter(|p| p.2 > 0.0)
                    .map(|&(x, m, d)| ErrorBar::new_vertical(x, m - d, m, m + d, style, s.px(6.0))),
            )?;
            let a = chart.draw_series(pts.iter().map(|&(x, y, _)| Circle::new((x, y), r, colour.filled())))?;
            if !name.is_empty() {
                let cx = s.px(LEGEND_SWATCH / 2.0 - 3.0) as i32;
                a.label(name.as_str()).legend(move |(x, y)| Circle::new((x + cx, y), r, colour.filled()));
            }
        }
        let for_legend: Vec<Series> =
            data.iter().map(|(n, c, _, p)| (n.clone(), *c, p.iter().map(|q| (q.0, q.1)).collect())).collect();
        legend(&mut chart, &for_legend, &s)?;
        root.present()?;
        Ok(())
    }
}
