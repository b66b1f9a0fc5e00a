//! The page's charts, drawn with plotters on any `DrawingBackend`: the browser's canvas (through
//! the `wasm` bindings) and, in tests, a pixel buffer.
//!
//! Inputs are plain arrays as the page passes them: series names and colours, and all points
//! flattened with one length per series. Sizes are given in CSS pixels and scaled by the device
//! pixel ratio so that charts are crisp on high-DPI screens.

pub mod axes;
pub mod errorbars;
pub mod heatmap;
mod legend;
pub mod lines;
pub mod theory;

pub use axes::Frame;
pub use errorbars::ErrorBars;
pub use heatmap::{heat_rgba, GridHeatmap, HeatmapAxes};
pub use lines::Lines;
pub use theory::TheoryChart;

use plotters::prelude::*;

pub type DrawResult<T = ()> = Result<T, Box<dyn std::error::Error>>;

/// A series as drawn: (name, colour, points).
type Series = (String, RGBColor, Vec<(f64, f64)>);

/// "#rrggbb" to a colour (grey if malformed).
fn parse_colour(s: &str) -> RGBColor {
    let hex = s.trim_start_matches('#');
    let byte = |i: usize| hex.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()).unwrap_or(128);
    RGBColor(byte(0), byte(2), byte(4))
}

/// The colour of series `i` (grey where the page gave none).
fn colour_of(colours: &[String], i: usize) -> RGBColor {
    parse_colour(colours.get(i).map_or("#808080", String::as_str))
}

/// The series of a chart, non-finite points dropped.
fn series(names: &[String], colours: &[String], xs: &[f64], ys: &[f64], lens: &[u32]) -> Vec<Series> {
    let mut at = 0;
    names
        .iter()
        .zip(lens)
        .enumerate()
        .map(|(i, (name, &len))| {
            let end = (at + len as usize).min(xs.len()).min(ys.len());
            let pts = (at..end).map(|j| (xs[j], ys[j])).filter(|(x, y)| x.is_finite() && y.is_finite()).collect();
            at = end;
            (name.clone(), colour_of(colours, i), pts)
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_parse_with_grey_for_bad_hex() {
        assert_eq!(parse_colour("#1f77b4"), RGBColor(0x1f, 0x77, 0xb4));
        assert_eq!(parse_colour("#12zz"), RGBColor(0x12, 128, 128));
        assert_eq!(colour_of(&[], 3), RGBColor(128, 128, 128));
    }

    #[test]
    fn series_split_by_length_and_drop_non_finite_points() {
        let names = ["a".to_string(), "b".to_string()];
        let s = series(&names, &[], &[0.0, 1.0, 2.0, 3.0], &[5.0, f64::NAN, 7.0, 8.0], &[2, 9]);
        assert_eq!(s[0].2, vec![(0.0, 5.0)]);
        assert_eq!(s[1].2, vec![(2.0, 7.0), (3.0, 8.0)]);
    }
}
