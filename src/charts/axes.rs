//! Axis ranges, tick labels and the framed, gridded plotting area every chart starts from.

use super::{DrawResult, Scale};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;

pub(super) type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

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

/// Formats an axis value compactly; on a log axis `v` is log10 of the value
/// and the tick shows two significant digits (10^0.5 reads 3.2).
pub(super) fn tick(v: f64, log: bool) -> String {
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

/// White background, caption, labelled axes and a light grid; `log` marks
/// axes whose coordinates are log10 values (their ticks show 10^v).
pub(super) fn axes<'a, DB: DrawingBackend + 'a>(
    root: &'a DrawingArea<DB, Shift>,
    title: &str,
    labels: (&str, &str),
    ranges: (std::ops::Range<f64>, std::ops::Range<f64>),
    log: (bool, bool),
    s: &Scale,
) -> DrawResult<Chart<'a, DB>>
where
    DB::ErrorType: 'static,
{
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

/// Where a chart's data went, for the page to find a clicked point: the plotting area
/// `[left, top, width, height]` in canvas pixels, then its axis ranges `[x0, x1, y0, y1]` in axis
/// units (log10 of the value on a log axis). A value v sits at `left + (v - x0) / (x1 - x0) * width`,
/// `top + (y1 - v) / (y1 - y0) * height`.
pub type Frame = Vec<f64>;

pub(super) fn frame<DB: DrawingBackend>(chart: &Chart<DB>, x: (f64, f64), y: (f64, f64)) -> Frame {
    let area = chart.plotting_area();
    let (base, (w, h)) = (area.get_base_pixel(), area.dim_in_pixel());
    vec![base.0 as f64, base.1 as f64, w as f64, h as f64, x.0, x.1, y.0, y.1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_pad_and_respect_fixed_bounds_that_cut_nothing() {
        assert_eq!(range([0.0, 10.0].into_iter(), (f64::NAN, f64::NAN)), (-0.5, 10.5));
        assert_eq!(range([0.0, 10.0].into_iter(), (-2.0, 5.0)), (-2.0, 10.5));
        assert_eq!(range(std::iter::empty(), (f64::NAN, f64::NAN)), (-0.05, 1.05));
        assert_eq!(range([2.0].into_iter(), (f64::NAN, f64::NAN)), (1.9, 2.1));
    }

    #[test]
    fn ticks_are_compact() {
        assert_eq!(tick(-8e-17, false), "0");
        assert_eq!(tick(0.25, false), "0.25");
        assert_eq!(tick(2.5e7, false), "2.5e7");
        assert_eq!(tick(0.5, true), "3.2");
        assert_eq!(tick(-4.0, true), "1e-4");
    }
}
