//! `richlazy analyse`: the analysis of the weights a run saves equals the analysis computed inside that
//! run, byte for byte; a folder that does not fit the task is refused by name.

use std::process::Command;

fn richlazy(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_richlazy")).args(args).output().expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

fn dir(name: &str) -> String {
    let d = std::env::temp_dir().join(format!("richlazy-analysis-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d.to_string_lossy().into_owned()
}

#[test]
fn the_analysis_of_saved_weights_is_the_analysis_inside_the_run() {
    let d = dir("saved");
    for task in ["2af", "dms"] {
        let settings =
            ["--task", task, "--hidden", "20", "--iters", "60", "--init", "rank", "--rank", "2", "--seed", "3"];
        let (code, inside, err) = richlazy(&[&["analyse"][..], &settings, &["--save_weights", &d]].concat());
        assert_eq!(code, 0, "{err}");
        let (code, from_files, err) = richlazy(&[&["analyse"][..], &settings, &["--weights", &d]].concat());
        assert_eq!(code, 0, "{err}");
        assert_eq!(inside, from_files, "{task}");
        for key in
            ["\"trajectories\":{\"start\":[", "\"fixed_points\":[", "\"delta_w\":{", "\"cka\":", "\"explained\":["]
        {
            assert!(inside.contains(key), "{task}: no {key} in {inside}");
        }
    }
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn weights_that_do_not_fit_or_are_missing_are_refused_by_name() {
    let d = dir("misfit");
    let (code, _, err) = richlazy(&["run", "--task", "2af", "--hidden", "12", "--iters", "2", "--save_weights", &d]);
    assert_eq!(code, 0, "{err}");
    // CXT has 7 inputs: the 2AF W_in (12 x 3) does not fit.
    let (code, out, err) = richlazy(&["analyse", "--task", "cxt", "--weights", &d]);
    assert_eq!((code, out.as_str()), (2, ""), "{err}");
    assert!(err.contains("W_in is 12 x 3: the task and W_rec need 12 x 7"), "{err}");
    std::fs::remove_file(format!("{d}/W_out.npy")).unwrap();
    let (code, _, err) = richlazy(&["analyse", "--weights", &d]);
    assert!(code == 2 && err.contains("W_out.npy"), "{err}");
    let _ = std::fs::remove_dir_all(&d);
}
