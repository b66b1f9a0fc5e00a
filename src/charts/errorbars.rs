//! Means with +-sd error bars, one marker shape per series.

use super::axes::{axes, frame, range, Frame};
use super::legend::{legend, LEGEND_FONT, LEGEND_SWATCH, SIDE_LEGEND_ABOVE};
use super::{series, DrawResult, Scale, Series};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Means with +-sd error bars against x, one series per name; `log_x`, `log_y`
/// draw log10 axes (a bar's lower end then stops at a twentieth of its mean).
/// `shapes[i]` picks series i's marker (see `Marker`); `joined[i] != 0` joins its points with a line.
pub struct ErrorBars<'a> {
    pub title: &'a str,
    pub x_label: &'a str,
    pub y_label: &'a str,
    pub names: &'a [String],
    pub colours: &'a [String],
    pub xs: &'a [f64],
    pub means: &'a [f64],
    pub sds: &'a [f64],
    pub lens: &'a [u32],
    pub shapes: &'a [u8],
    pub joined: &'a [u8],
    pub log_x: bool,
    pub log_y: bool,
}

impl ErrorBars<'_> {
    /// Draws the chart on `root` at device pixel ratio `dpr`; returns where its data went.
    pub fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, dpr: f64) -> DrawResult<Frame>
    where
        DB::ErrorType: 'static,
    {
        let (log_x, log_y) = (self.log_x, self.log_y);
        let tx = |x: f64| if log_x { x.max(1e-12).log10() } else { x };
        let txs: Vec<f64> = self.xs.iter().map(|&x| tx(x)).collect();
        let means = self.means;
        let data = series(self.names, self.colours, &txs, means, self.lens);
        // The sd of each kept point, in the same order as `data`'s points.
        let mut at = 0;
        let sd_data: Vec<Vec<f64>> = self
            .lens
            .iter()
            .map(|&len| {
                let end = (at + len as usize).min(txs.len()).min(means.len());
                let v = (at..end)
                    .filter(|&j| txs[j].is_finite() && means[j].is_finite())
                    .map(|j| self.sds.get(j).copied().filter(|v| v.is_finite()).unwrap_or(0.0))
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
        let data: Vec<Series> = data
            .into_iter()
            .zip(&bars)
            .map(|((n, c, _), b)| (n, c, b.iter().map(|&(x, _, m, _)| (x, m)).collect()))
            .collect();
        let s = Scale(dpr);
        let bounds = bars.iter().flatten().flat_map(|&(_, lo, _, hi)| [lo, hi]);
        let all = || data.iter().flat_map(|(_, _, p)| p.iter());
        let (x0, x1) = range(all().map(|p| p.0), (f64::NAN, f64::NAN));
        let (y0, y1) = range(bounds, (f64::NAN, f64::NAN));
        let marker_of = |i: usize| Marker::from(self.shapes.get(i).copied().unwrap_or(0));
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
        let labels = (self.x_label, self.y_label);
        let mut chart = axes(&plot, self.title, labels, (x0..x1, y0..y1), (log_x, log_y), &s)?;
        for (i, ((name, colour, pts), bar)) in data.iter().zip(&bars).enumerate() {
            let style = colour.stroke_width(s.px(2.0));
            if self.joined.get(i).is_none_or(|&j| j != 0) {
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
        Ok(frame(&chart, (x0, x1), (y0, y1)))
    }
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
    fn element<DB: DrawingBackend>(self, colour: RGBColor, r: i32, width: u32) -> DynElement<'static, DB, (i32, i32)> {
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
