//! `richlazy theory`: tables by default, the report as JSON with --json, one-line errors.

use std::process::Command;

fn richlazy(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_richlazy")).args(args).output().expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn theory_prints_both_sweeps_and_their_verdicts() {
    let (code, out, _) = richlazy(&["theory", "--dim", "20", "--seeds", "1", "--kappa", "10"]);
    assert_eq!(code, 0);
    assert!(out.contains("effective-rank sweep") && out.contains("alignment sweep"), "{out}");
    assert!(out.contains("The paper's result holds") && out.contains("The closed form matches every point"), "{out}");
    let (code, json, _) = richlazy(&["theory", "--dim", "20", "--seeds", "1", "--kappa", "10", "--json"]);
    assert_eq!(code, 0);
    for key in [
        "\"settings\":{",
        "\"rank\":{\"points\":[",
        "\"kernel_change_predicted\"",
        "\"align\":{\"starts\":[",
        "\"claim_holds\":true",
        "\"fit\":",
    ] {
        assert!(json.contains(key), "missing {key}");
    }
}

#[test]
fn theory_refuses_bad_settings_in_one_line() {
    for args in [
        vec!["theory", "--dim", "3"],
        vec!["theory", "--norm", "-1"],
        vec!["theory", "--rank", "4"],
        vec!["theory", "--seeds"],
    ] {
        let (code, out, err) = richlazy(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty());
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.starts_with("richlazy: "), "{err}");
    }
}
