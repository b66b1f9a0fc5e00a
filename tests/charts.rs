//! Every chart drawn natively on a pixel buffer from fixed inputs: the picture is not blank, each
//! series' colour shows, and the title, axis labels and legend names are drawn.

use plotters::prelude::*;
use plotters_backend::{BackendColor, BackendCoord, BackendTextStyle, DrawingErrorKind};
use richlazy::charts::{heat_rgba, ErrorBars, GridHeatmap, HeatmapAxes, Lines, TheoryChart};
use std::cell::RefCell;
use std::convert::Infallible;
use std::rc::Rc;

const W: u32 = 480;
const H: u32 = 320;

/// What a chart drew: RGB pixels (alpha blended) and the texts, which are recorded, not rendered
/// (natively plotters has no fonts here).
#[derive(Default)]
struct Picture {
    rgb: Vec<[u8; 3]>,
    texts: Vec<String>,
}

impl Picture {
    fn count(&self, c: [u8; 3]) -> usize {
        self.rgb.iter().filter(|&&p| p == c).count()
    }
    fn not_white(&self) -> usize {
        self.rgb.len() - self.count([255, 255, 255])
    }
    fn has_text(&self, t: &str) -> bool {
        self.texts.iter().any(|s| s == t)
    }
}

/// A `DrawingBackend` over a shared `Picture`, so the test can read it after the chart is done.
struct Pixels(Rc<RefCell<Picture>>);

impl DrawingBackend for Pixels {
    type ErrorType = Infallible;

    fn get_size(&self) -> (u32, u32) {
        (W, H)
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<Infallible>> {
        Ok(())
    }
    fn draw_pixel(&mut self, (x, y): BackendCoord, c: BackendColor) -> Result<(), DrawingErrorKind<Infallible>> {
        if (0..W as i32).contains(&x) && (0..H as i32).contains(&y) {
            let p = &mut self.0.borrow_mut().rgb[(y as u32 * W + x as u32) as usize];
            let a = c.alpha.clamp(0.0, 1.0);
            let src = [c.rgb.0, c.rgb.1, c.rgb.2];
            for (d, s) in p.iter_mut().zip(src) {
                *d = (a * s as f64 + (1.0 - a) * *d as f64).round() as u8;
            }
        }
        Ok(())
    }
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        _: &S,
        _: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Infallible>> {
        self.0.borrow_mut().texts.push(text.to_string());
        Ok(())
    }
}

/// Draws with `draw` on a fresh black canvas (so the chart's own white fill counts as drawing).
fn picture<T>(draw: impl FnOnce(&DrawingArea<Pixels, plotters::coord::Shift>) -> T) -> (T, Picture) {
    let pic = Rc::new(RefCell::new(Picture { rgb: vec![[0, 0, 0]; (W * H) as usize], texts: vec![] }));
    let out = draw(&Pixels(pic.clone()).into_drawing_area());
    let pic = Rc::try_unwrap(pic).ok().expect("the drawing area is gone").into_inner();
    (out, pic)
}

const RED: [u8; 3] = [0xd6, 0x27, 0x28];
const BLUE: [u8; 3] = [0x1f, 0x77, 0xb4];
const GREEN: [u8; 3] = [0x2c, 0xa0, 0x2c];

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Checks what every chart shares: a white background over most of the canvas, something drawn on
/// it, and the title and axis labels.
fn assert_framed(pic: &Picture, title: &str, x_label: &str, y_label: &str) {
    let (n, white) = (pic.rgb.len(), pic.count([255, 255, 255]));
    assert_eq!(pic.count([0, 0, 0]), 0, "the background is filled");
    assert!(white > n / 3, "a white background: {white} of {n}");
    assert!(pic.not_white() > n / 50, "drawn on: {} of {n} pixels", pic.not_white());
    for t in [title, x_label, y_label] {
        assert!(pic.has_text(t), "{t:?} not in {:?}", pic.texts);
    }
}

#[test]
fn line_chart_draws_lines_dashes_dots_and_legend() {
    let (names, colours) = (strings(&["train", "start", "probe"]), strings(&["#d62728", "#1f77b4", "#2ca02c"]));
    let xs: Vec<f64> = (0..20).map(f64::from).chain([0.0, 19.0]).chain((0..5).map(|i| f64::from(i) * 4.0)).collect();
    let ys: Vec<f64> = (0..20).map(|i| (f64::from(i) / 3.0).sin()).chain([0.0, 0.0]).chain([0.5; 5]).collect();
    let chart = Lines {
        title: "Loss",
        x_label: "step",
        y_label: "loss",
        names: &names,
        colours: &colours,
        styles: &[0, 1, 2],
        xs: &xs,
        ys: &ys,
        lens: &[20, 2, 5],
        log_x: false,
        log_y: false,
        y_min: f64::NAN,
        y_max: f64::NAN,
        markers: false,
    };
    let (r, pic) = picture(|root| chart.draw(root, 1.0));
    r.unwrap();
    assert_framed(&pic, "Loss", "step", "loss");
    assert!(pic.count(RED) > 300, "the line: {}", pic.count(RED));
    assert!(pic.count(BLUE) > 300, "the dashes: {}", pic.count(BLUE));
    assert!(pic.count(GREEN) > 100, "the dots: {}", pic.count(GREEN));
    for name in ["train", "start", "probe"] {
        assert!(pic.has_text(name), "legend entry {name}");
    }
}

#[test]
fn line_chart_on_log_axes_drops_non_positive_values() {
    let (names, colours) = (strings(&["a"]), strings(&["#d62728"]));
    let chart = Lines {
        title: "log",
        x_label: "x",
        y_label: "y",
        names: &names,
        colours: &colours,
        styles: &[],
        xs: &[1.0, 10.0, 100.0, -1.0],
        ys: &[1e-3, 1e-1, 1.0, 5.0],
        lens: &[4],
        log_x: true,
        log_y: true,
        y_min: f64::NAN,
        y_max: f64::NAN,
        markers: true,
    };
    let (r, pic) = picture(|root| chart.draw(root, 2.0));
    r.unwrap();
    assert_framed(&pic, "log", "x", "y");
    assert!(pic.count(RED) > 300);
    // Ticks show 10^v; a single named series has no legend.
    assert!(pic.has_text("10") && pic.has_text("0.01"), "{:?}", pic.texts);
    assert!(!pic.has_text("a"));
}

#[test]
fn errorbar_chart_draws_bars_and_a_side_legend_for_many_series() {
    let names = strings(&["s0", "s1", "s2", "s3", "s4"]);
    let colours = strings(&["#d62728", "#1f77b4", "#2ca02c", "#d62728", "#1f77b4"]);
    let xs: Vec<f64> = (0..5).flat_map(|_| [1.0, 2.0, 3.0]).collect();
    let means: Vec<f64> = (0..5).flat_map(|k| [1.0 + k as f64, 2.0 + k as f64, 1.5 + k as f64]).collect();
    let sds = vec![0.3; 15];
    let chart = ErrorBars {
        title: "Final loss",
        x_label: "g",
        y_label: "loss",
        names: &names,
        colours: &colours,
        xs: &xs,
        means: &means,
        sds: &sds,
        lens: &[3; 5],
        shapes: &[0, 1, 2, 3, 4],
        joined: &[1, 0, 1, 0, 1],
        log_x: false,
        log_y: false,
    };
    let (r, pic) = picture(|root| chart.draw(root, 1.0));
    r.unwrap();
    assert_framed(&pic, "Final loss", "g", "loss");
    for (c, name) in [(RED, "red"), (BLUE, "blue"), (GREEN, "green")] {
        assert!(pic.count(c) > 300, "{name}: {}", pic.count(c));
    }
    for name in &names {
        assert!(pic.has_text(name), "side legend entry {name}");
    }
}

#[test]
fn heatmap_axes_return_the_plotting_area() {
    let chart = HeatmapAxes { title: "W_rec", x_label: "from", y_label: "to", n: 64 };
    let (area, pic) = picture(|root| chart.draw(root, 1.0));
    let [x, y, w, h] = area.unwrap()[..] else { panic!("four numbers") };
    assert!(x > 0.0 && y > 0.0 && w > W as f64 / 2.0 && h > H as f64 / 2.0, "{x} {y} {w} {h}");
    assert!(x + w <= W as f64 && y + h <= H as f64);
    assert_framed(&pic, "W_rec", "from", "to");
}

#[test]
fn heat_colours_are_red_for_positive_and_blue_for_negative() {
    assert_eq!(heat_rgba(&[1.0, -0.25, 0.0]), [255, 0, 0, 255, 128, 128, 255, 255, 255, 255, 255, 255]);
}

#[test]
fn grid_heatmap_paints_cells_marks_and_a_colour_bar() {
    let values = [1.0, 10.0, 100.0, f64::NAN, 1000.0, 3.0];
    let chart = GridHeatmap {
        title: "Phase",
        x_label: "g",
        y_label: "lr",
        xs: &[0.5, 1.0, 1.5],
        ys: &[1e-3, 1e-2],
        values: &values,
        marks: &[0, 0, 0, 0, 1, 0],
        log_x: false,
        log_y: true,
        value_label: "steps",
        log_v: true,
        line_xs: &[0.5, 1.5],
        line_ys: &[1e-3, 1e-2],
    };
    let (r, pic) = picture(|root| chart.draw(root, 1.0));
    r.unwrap();
    assert_framed(&pic, "Phase", "g", "lr");
    // The smallest and largest values take the scale's ends (and label the colour bar); the NaN
    // cell is pale grey.
    let (dark, yellow, grey) = (pic.count([68, 1, 84]), pic.count([253, 231, 37]), pic.count([238, 238, 238]));
    assert!(dark > 5000 && yellow > 5000 && grey > 5000, "{dark} {yellow} {grey}");
    assert!(pic.count([20, 20, 20]) > 200, "the dashed line");
    assert!(["steps", "1000", "1"].iter().all(|t| pic.has_text(t)), "{:?}", pic.texts);
}

#[test]
fn theory_chart_draws_closed_forms_under_measured_points() {
    let (names, colours) = (strings(&["theory", "measured"]), strings(&["#1f77b4", "#d62728"]));
    let xs: Vec<f64> = (1..=30).map(|i| f64::from(i) / 10.0).chain([0.5, 1.5, 2.5]).collect();
    let ys: Vec<f64> = xs[..30].iter().map(|x| x * x).chain([0.3, 2.1, 6.0]).collect();
    let sds: Vec<f64> = [0.0; 30].into_iter().chain([0.2, 0.4, 0.6]).collect();
    let chart = TheoryChart {
        title: "Alignment",
        x_label: "g",
        y_label: "cos",
        names: &names,
        colours: &colours,
        kinds: &[0, 1],
        xs: &xs,
        ys: &ys,
        sds: &sds,
        lens: &[30, 3],
        log_x: false,
        y_min: 0.0,
        y_max: f64::NAN,
    };
    let (r, pic) = picture(|root| chart.draw(root, 1.0));
    r.unwrap();
    assert_framed(&pic, "Alignment", "g", "cos");
    assert!(pic.count(BLUE) > 300, "the dashed curve: {}", pic.count(BLUE));
    assert!(pic.count(RED) > 150, "points and bars: {}", pic.count(RED));
    assert!(pic.has_text("theory") && pic.has_text("measured"));
}

#[test]
fn line_chart_puts_its_legend_beside_the_plot_when_every_spot_inside_covers_a_point() {
    // Lines along the top, the middle and the bottom across the whole width (the perceptron's
    // |dw| against alpha*T fills its chart so): every corner and edge middle covers a point.
    let (names, colours) = (strings(&["P 256", "P 1024", "P 4096"]), strings(&["#d62728", "#1f77b4", "#2ca02c"]));
    let xs: Vec<f64> = (0..3).flat_map(|_| (0..12).map(|i| 10f64.powf(f64::from(i) / 3.0 - 1.5))).collect();
    let ys: Vec<f64> =
        [1e-2, 1.0, 1e2].iter().flat_map(|&y| (0..12).map(move |i| y * (1.0 + f64::from(i) / 100.0))).collect();
    let chart = |names: &[String]| -> (Vec<f64>, Picture) {
        let c = Lines {
            title: "|dw| against αT",
            x_label: "αT",
            y_label: "|dw|",
            names,
            colours: &colours,
            styles: &[0, 0, 0],
            xs: &xs,
            ys: &ys,
            lens: &[12, 12, 12],
            log_x: true,
            log_y: true,
            y_min: f64::NAN,
            y_max: f64::NAN,
            markers: true,
        };
        let (r, pic) = picture(|root| c.draw(root, 1.0));
        (r.unwrap(), pic)
    };
    let (frame, pic) = chart(&names);
    assert_framed(&pic, "|dw| against αT", "αT", "|dw|");
    for name in &names {
        assert!(pic.has_text(name), "legend entry {name}");
    }
    // The plotting area ends before the legend's column: at most 72% of the width.
    let right = frame[0] + frame[2];
    assert!(right <= f64::from(W) * 0.72, "the plot reaches {right} of {W} px");
    for c in [RED, BLUE, GREEN] {
        assert!(pic.count(c) > 150, "{c:?}: {}", pic.count(c));
    }
    // A sparse chart keeps its legend inside: the plot takes nearly the whole width.
    let sparse = Lines {
        xs: &[1.0, 2.0, 1.0, 2.0],
        ys: &[1.0, 1.1, 2.0, 2.1],
        lens: &[2, 2],
        names: &names[..2],
        ..chart_of(&colours)
    };
    let (r, _) = picture(|root| sparse.draw(root, 1.0));
    let f = r.unwrap();
    assert!(f[0] + f[2] > f64::from(W) * 0.9, "the sparse plot reaches {} of {W} px", f[0] + f[2]);
}

/// A line chart with defaults, for struct-update syntax.
fn chart_of(colours: &[String]) -> Lines<'_> {
    Lines {
        title: "t",
        x_label: "x",
        y_label: "y",
        names: &[],
        colours,
        styles: &[],
        xs: &[],
        ys: &[],
        lens: &[],
        log_x: false,
        log_y: false,
        y_min: f64::NAN,
        y_max: f64::NAN,
        markers: false,
    }
}
