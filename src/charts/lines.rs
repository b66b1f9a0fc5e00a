//! Line charts: several series as lines, dashed references or dots.

use super::axes::{axes, range};
use super::legend::{legend, LEGEND_SWATCH};
use super::{series, DrawResult, Scale};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

/// Line chart of several series; `log_x`, `log_y` plot log10 of positive values.
/// `styles[i]` draws series i: 0 a line, 1 dashed, 2 dots only (a scatter); a series with an
/// empty name gets no legend entry (and one with no points only a legend entry).
/// `y_min`/`y_max` fix the axis in data units (NaN = automatic); `markers` adds dots at each point.
pub struct Lines<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub names: &'a [String],
    pub colours: &'a [String],
    pub styles: &'a [u8],
    pub xs: &'a [f64],
    pub ys: &'a [f64],
    pub lens: &'a [u32],
    pub log_x: bool,
    pub log_y: bool,
    pub y_min: f64,
    pub y_max: f64,
    pub markers: bool,
}

impl Lines<'_> {
    /// Draws the chart on `root` at device pixel ratio `dpr`.
    pub fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, dpr: f64) -> DrawResult
    where
        DB::ErrorType: 'static,
    {
        let (log_x, log_y) = (self.log_x, self.log_y);
        let mut data = series(self.names, self.colours, self.xs, self.ys, self.lens);
        let lg = |v: f64| if v > 0.0 { v.log10() } else { f64::NAN };
        for (_, _, pts) in &mut data {
            *pts = pts
                .iter()
                .map(|&(x, y)| (if log_x { lg(x) } else { x }, if log_y { lg(y) } else { y }))
                .filter(|p| p.0.is_finite() && p.1.is_finite())
                .collect();
        }
        let y_fixed = if log_y { (lg(self.y_min), lg(self.y_max)) } else { (self.y_min, self.y_max) };
        let s = &Scale(dpr);
        let all = || data.iter().flat_map(|(_, _, p)| p.iter());
        let (x0, x1) = range(all().map(|p| p.0), (f64::NAN, f64::NAN));
        let (y0, y1) = range(all().map(|p| p.1), y_fixed);
        let mut chart = axes(root, self.title, (self.x_label, self.y_label), (x0..x1, y0..y1), (log_x, log_y), s)?;
        let style_of = |i: usize| self.styles.get(i).copied().unwrap_or(0);
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
            if style_of(i) == 1 {
                let a = chart.draw_series(DashedLineSeries::new(pts.iter().copied(), dash, gap, style))?;
                if !name.is_empty() {
                    a.label(name.as_str())
                        .legend(move |(x, y)| DashedPathElement::new(vec![(x, y), (x + swatch, y)], dash, gap, style));
                }
                if pts.len() == 1 {
                    chart
                        .draw_series(pts.iter().map(|&p| Circle::new(p, s.px(3.0), colour.stroke_width(s.px(1.5)))))?;
                }
                continue;
            }
            let anno = chart.draw_series(LineSeries::new(pts.iter().copied(), style))?;
            if !name.is_empty() {
                anno.label(name.as_str()).legend(move |(x, y)| PathElement::new(vec![(x, y), (x + swatch, y)], style));
            }
            if self.markers || pts.len() == 1 {
                let r = s.px(3.0);
                chart.draw_series(pts.iter().map(|&p| Circle::new(p, r, colour.filled())))?;
            }
        }
        legend(&mut chart, &data, s)?;
        root.present()?;
        Ok(())
    }
}
