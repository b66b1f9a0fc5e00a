//! The state-space picture of a run as it trains: one frame (`report::frame`) per measure point, so
//! that the page redraws the probe's trajectories over its start's at every point.

use super::report::{frame_run, Options};
use crate::experiment::Experiment;
use crate::json::Json;

/// Frames a run's measure points as it steps.
pub struct Live {
    opt: Options,
    /// History rows already framed.
    framed: usize,
}

impl Live {
    /// The live picture of `exp`, and the frame of its iteration 0 (measured on construction).
    pub fn new(exp: &Experiment) -> (Live, Option<Json>) {
        let mut live = Live { opt: Options::default(), framed: 0 };
        let first = live.catch_up(exp);
        (live, first)
    }

    /// One training iteration; whether the run goes on, and the frame of the measure point it made.
    pub fn step(&mut self, exp: &mut Experiment) -> (bool, Option<Json>) {
        let going = exp.step();
        (going, self.catch_up(exp))
    }

    /// The frame of the latest measure point, if it is new (a run that failed there has none).
    fn catch_up(&mut self, exp: &Experiment) -> Option<Json> {
        let rows = exp.history().len();
        let new = rows > self.framed && !exp.status().failed();
        self.framed = rows;
        new.then(|| frame_run(exp, &self.opt))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::report::analyse_run;
    use crate::config::Config;

    #[test]
    fn a_frame_per_measure_point_and_the_last_is_the_reports_picture() {
        let mut config = Config::default();
        assert!(config.apply([("hidden", "12"), ("iters", "6"), ("every", "3"), ("seed", "2")]).is_empty());
        let mut exp = Experiment::new(config).unwrap();
        let (mut live, first) = Live::new(&exp);
        let mut frames = vec![first.unwrap()];
        loop {
            let (going, f) = live.step(&mut exp);
            frames.extend(f);
            if !going {
                break;
            }
        }
        let iters: Vec<String> = frames.iter().map(|f| f.get("iter").unwrap().to_string()).collect();
        assert_eq!(iters, ["0", "3", "6"]);
        // Iteration 0 is its own start: nothing moved, ΔW is zero.
        let change = frames[0].get("change").unwrap();
        assert_eq!(change.number("trajectory_shift"), Some(0.0));
        assert!(frames[0].get("delta_w").unwrap().number("erank_pr").is_some());
        assert!(frames[2].get("change").unwrap().number("trajectory_shift").unwrap() > 0.0);
        // The last frame draws what the report of the finished run draws, in the same axes.
        let report = analyse_run(&exp, &Options::default());
        for key in ["conditions", "components", "trajectories"] {
            assert_eq!(frames[2].get(key), report.get(key), "{key}");
        }
        assert_eq!(frames[2].get("change").unwrap().get("cka"), report.get("change").unwrap().get("cka"));
        // Trajectories move between measure points.
        assert_ne!(frames[1].get("trajectories"), frames[2].get("trajectories"));
    }
}
