//! Line charts: several series as lines, dashed references or dots.

use super::axes::{axes, frame, range, Chart, Frame};
use super::legend::{legend, legend_fits, LEGEND_FONT, LEGEND_SWATCH};
use super::{series, DrawResult, Scale, Series};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

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
    /// Draws the chart on `root` at device pixel ratio `dpr`; returns where its data went. The
    /// legend goes inside the plot where a spot covers no point, else in a column beside it.
    pub fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, dpr: f64) -> DrawResult<Frame>
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
        let x = range(all().map(|p| p.0), (f64::NAN, f64::NAN));
        let y = range(all().map(|p| p.1), y_fixed);
        let chart = self.plot(root, &data, x, y, s)?;
        if legend_fits(&chart, &data, s)? {
            let mut chart = chart;
            legend(&mut chart, &data, s)?;
            root.present()?;
            return Ok(frame(&chart, x, y));
        }
        // Every spot inside covers a point: draw again beside a legend column.
        let (plot, side) = root.split_horizontally(root.dim_in_pixel().0 * 72 / 100);
        let chart = self.plot(&plot, &data, x, y, s)?;
        side.fill(&WHITE)?;
        let font = s.font(LEGEND_FONT).pos(Pos::new(HPos::Left, VPos::Center));
        let (step, top, left) = (s.px(LEGEND_FONT * 1.7) as i32, s.px(44.0) as i32, s.px(4.0) as i32);
        let swatch = s.px(LEGEND_SWATCH - 10.0) as i32;
        let named = (0..data.len()).filter(|&i| !data[i].0.is_empty());
        for (k, i) in named.enumerate() {
            let (name, colour, _) = &data[i];
            let y = top + k as i32 * step;
            let style = colour.stroke_width(s.px(2.0));
            match self.style_of(i) {
                2 => side.draw(&Circle::new((left + swatch / 2, y), s.px(2.5), colour.filled()))?,
                1 => side.draw(&DashedPathElement::new(
                    vec![(left, y), (left + swatch, y)],
                    s.px(6.0),
                    s.px(4.0),
                    style,
                ))?,
                _ => side.draw(&PathElement::new(vec![(left, y), (left + swatch, y)], style))?,
            }
            side.draw_text(name, &font, (left + swatch + s.px(5.0) as i32, y))?;
        }
        root.present()?;
        Ok(frame(&chart, x, y))
    }

    fn style_of(&self, i: usize) -> u8 {
        self.styles.get(i).copied().unwrap_or(0)
    }

    /// The axes and every series on `area` (no legend), in axis units `x` by `y`.
    fn plot<'b, DB: DrawingBackend + 'b>(
        &self,
        area: &'b DrawingArea<DB, Shift>,
        data: &[Series],
        x: (f64, f64),
        y: (f64, f64),
        s: &Scale,
    ) -> DrawResult<Chart<'b, DB>>
    where
        DB::ErrorType: 'static,
    {
        let mut chart =
            axes(area, self.title, (self.x_label, self.y_label), (x.0..x.1, y.0..y.1), (self.log_x, self.log_y), s)?;
        // Dashed series (references such as a starting state) go underneath.
        let order = (0..data.len())
            .filter(|&i| self.style_of(i) == 1)
            .chain((0..data.len()).filter(|&i| self.style_of(i) != 1));
        let (dash, gap) = (s.px(6.0), s.px(4.0));
        let swatch = s.px(LEGEND_SWATCH - 6.0) as i32;
        for i in order {
            let (name, colour, pts) = &data[i];
            let colour = *colour; // the legend's closures outlive `data`
            let style = colour.stroke_width(s.px(2.0));
            if self.style_of(i) == 2 {
                let r = s.px(2.5);
                let a = chart.draw_series(pts.iter().map(|&p| Circle::new(p, r, colour.filled())))?;
                if !name.is_empty() {
                    a.label(name.as_str()).legend(move |(x, y)| Circle::new((x + swatch / 2, y), r, colour.filled()));
                }
                continue;
            }
            if self.style_of(i) == 1 {
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
        Ok(chart)
    }
}
