//! The legend box, placed where it hides the fewest drawn points.

use super::axes::Chart;
use super::{DrawResult, Scale, Series};
use plotters::prelude::*;

pub(super) const LEGEND_FONT: f64 = 11.0;
/// Charts with more legend entries than this put the legend beside the plot.
pub(super) const SIDE_LEGEND_ABOVE: usize = 4;
const LEGEND_MARGIN: f64 = 6.0;
pub(super) const LEGEND_SWATCH: f64 = 26.0;

/// Where the legend goes: the corner (or edge middle) of the plotting area
/// that covers the fewest drawn points, sampled along each line in pixels, and how many it covers.
fn legend_spot<DB: DrawingBackend>(
    chart: &Chart<DB>,
    labels: &[&str],
    data: &[&[(f64, f64)]],
    s: &Scale,
) -> DrawResult<(usize, SeriesLabelPosition)> {
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
    Ok(best)
}

/// The entries a legend would have: the named series.
fn labels(data: &[Series]) -> Vec<&str> {
    data.iter().map(|d| d.0.as_str()).filter(|n| !n.is_empty()).collect()
}

/// Whether the legend box has a spot inside the plotting area that covers no drawn point (or
/// needs none: fewer than two entries). Where it has none, a chart puts it beside the plot.
pub(super) fn legend_fits<DB: DrawingBackend>(chart: &Chart<DB>, data: &[Series], s: &Scale) -> DrawResult<bool> {
    let labels = labels(data);
    if labels.len() < 2 {
        return Ok(true);
    }
    let pts: Vec<&[(f64, f64)]> = data.iter().map(|d| d.2.as_slice()).collect();
    Ok(legend_spot(chart, &labels, &pts, s)?.0 == 0)
}

/// The legend box, when several series share a chart; series with an empty name have no entry.
pub(super) fn legend<'a, DB: DrawingBackend + 'a>(chart: &mut Chart<'a, DB>, data: &[Series], s: &Scale) -> DrawResult
where
    DB::ErrorType: 'static,
{
    let labels = labels(data);
    if labels.len() > 1 {
        let pts: Vec<&[(f64, f64)]> = data.iter().map(|d| d.2.as_slice()).collect();
        let (_, spot) = legend_spot(chart, &labels, &pts, s)?;
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
