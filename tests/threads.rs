//! A run whose products are split over threads (N past `linalg::MIN_DIM`) writes the same JSON,
//! byte for byte, as the single-threaded run.

use richlazy::config::Config;
use richlazy::experiment::Experiment;
use richlazy::report::run_json;

#[test]
fn a_threaded_run_is_the_single_threaded_run() {
    let mut c = Config::default();
    let n = (richlazy::linalg::MIN_DIM + 8).to_string();
    let pairs = [("task", "dms"), ("hidden", n.as_str()), ("iters", "2"), ("every", "2"), ("batch", "8")];
    assert!(c.apply(pairs).is_empty());
    let run = |threads| {
        let mut exp = Experiment::new(c.clone()).unwrap();
        exp.set_threads(threads);
        exp.run_to_end();
        run_json(&exp).to_string()
    };
    let one = run(1);
    assert!(one.contains("\"status\":\"done\""));
    assert_eq!(run(2), one);
}
