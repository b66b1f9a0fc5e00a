//! The command line: JSON shape, one-line errors with exit code 2, no panics.

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
fn run_prints_the_documented_json() {
    let (code, out, _) =
        richlazy(&["run", "--task", "dms", "--hidden", "24", "--iters", "40", "--every", "20", "--json"]);
    assert_eq!(code, 0);
    for key in [
        "\"config\":{",
        "\"history\":[",
        "\"final\":{",
        "\"iter\":40",
        "\"weight_change_rel\"",
        "\"kernel_alignment\"",
        "\"erank_entropy\"",
        "\"erank_pr\"",
        "\"sign_similarity\"",
    ] {
        assert!(out.contains(key), "missing {key} in {out}");
    }
    assert_eq!(out.matches("\"iter\":").count(), 4, "history at 0, 20, 40 plus final: {out}");
}

#[test]
fn bad_arguments_give_one_line_and_exit_2() {
    for args in [
        vec!["run", "--task", "nope"],
        vec!["run", "--hidden"],
        vec!["run", "--rank", "500", "--init", "rank"],
        vec!["run", "--lr", "-1"],
        vec!["sweep", "--ranks", "1,x"],
        vec!["frobnicate"],
        vec!["run", "stray"],
        vec!["grok", "--mode", "map", "--cell", "30"],
        vec!["sgd", "perceptron", "--summary"],
    ] {
        let (code, out, err) = richlazy(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?} printed {out}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("richlazy: ") && !err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn sweep_prints_a_row_per_rank() {
    let (code, out, _) = richlazy(&[
        "sweep",
        "--ranks",
        "1,4",
        "--seeds",
        "2",
        "--hidden",
        "16",
        "--iters",
        "20",
        "--every",
        "10",
        "--threads",
        "2",
    ]);
    assert_eq!(code, 0);
    let rows: Vec<&str> = out.lines().filter(|l| l.trim_start().starts_with("rank:")).collect();
    assert_eq!(rows.len(), 2, "{out}");
    assert!(rows[0].trim_start().starts_with("rank:1 ") && rows[1].trim_start().starts_with("rank:4 "), "{out}");
}

#[test]
fn sweep_over_init_families() {
    let (code, out, err) = richlazy(&[
        "sweep",
        "--inits",
        "gaussian,rank:2,spectrum:5,aligned:2",
        "--seeds",
        "1",
        "--hidden",
        "16",
        "--iters",
        "10",
        "--every",
        "10",
        "--threads",
        "2",
    ]);
    assert_eq!(code, 0, "{err}");
    for label in ["gaussian", "rank:2", "spectrum:5", "aligned:2"] {
        assert!(out.lines().any(|l| l.trim_start().starts_with(label)), "{label} missing: {out}");
    }
    let (code, _, err) = richlazy(&["sweep", "--inits", "wishful:3"]);
    assert_eq!(code, 2);
    assert!(err.contains("sweep: 'wishful:3' is not one of"), "{err}");
}

#[test]
fn sweep_over_rules_and_gains_reports_lyapunov_before_and_after() {
    let (code, out, err) = richlazy(&[
        "sweep",
        "--rules",
        "bptt,eprop,rflo",
        "--gains",
        "0.5,2",
        "--dt",
        "20",
        "--seeds",
        "1",
        "--hidden",
        "12",
        "--iters",
        "10",
        "--every",
        "10",
        "--threads",
        "2",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("lyap_max 0") && out.contains("lyap_max end") && out.contains("dt 20 ms"), "{out}");
    for rule in ["bptt", "eprop", "rflo"] {
        for gain in ["0.5", "2"] {
            let label = format!("rule:{rule}+gain:{gain}");
            assert!(out.lines().any(|l| l.trim_start().starts_with(&format!("{label} "))), "{label} missing: {out}");
        }
    }
    // The named figure: 36 items at its own base settings, which the command line's override.
    let (code, out, err) = richlazy(&[
        "sweep",
        "--figure",
        "local",
        "--gains",
        "1",
        "--rules",
        "eprop",
        "--hidden",
        "8",
        "--iters",
        "4",
        "--every",
        "4",
        "--seeds",
        "1",
        "--floss_iters",
        "2",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"dt\":20") && out.contains("\"hidden\":8"), "{}", &out[..300.min(out.len())]);
    assert_eq!(out.matches("\"init\":\"rule:").count(), 36, "one summary row per figure item");
    for bad in [
        vec!["sweep", "--rules", "hebb"],
        vec!["sweep", "--gains", "x"],
        vec!["sweep", "--figure", "mine"],
        vec!["run", "--dt", "30"],
        vec!["run", "--floss", "always"],
    ] {
        let (code, _, err) = richlazy(&bad);
        assert_eq!(code, 2, "{bad:?}: {err}");
    }
}

#[test]
fn run_starts_from_a_files_matrix() {
    let dir = std::env::temp_dir().join(format!("richlazy-cli-file-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = dir.join("m.csv");
    let n = 9;
    let text: String = (0..n)
        .map(|r| (0..n).map(|c| format!("{}", ((r * 7 + c * 3) % 5) as f64 - 1.5)).collect::<Vec<_>>().join(",") + "\n")
        .collect();
    std::fs::write(&csv, text).unwrap();
    let path = csv.to_str().unwrap();
    for init in ["file", "file_shuffled", "file_spectrum"] {
        let (code, out, err) = richlazy(&[
            "run", "--init", init, "--file", path, "--hidden", "50", "--iters", "20", "--every", "10", "--json",
        ]);
        assert_eq!(code, 0, "{init}: {err}");
        assert!(out.contains(&format!("\"init\":\"{init}\"")) && out.contains("\"hidden\":9,"), "{out}");
        let hash = out.split("\"file\":\"").nth(1).map(|s| &s[..16]).unwrap_or_else(|| panic!("no file hash in {out}"));
        assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()), "{hash}");
        assert!(out.contains("\"final\":{"), "{out}");
    }
    // A missing file, a malformed one, or a start without one: a one-line error and exit code 2.
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "1,2\n3,x\n").unwrap();
    let missing = dir.join("nope.npy");
    for (args, want) in [
        (vec!["run", "--init", "file", "--file", missing.to_str().unwrap()], "nope.npy"),
        (vec!["run", "--init", "file", "--file", bad.to_str().unwrap()], "row 2, column 2: 'x' is not a number"),
        (vec!["run", "--init", "file"], "needs a matrix"),
        (vec!["run", "--init", "file", "--file"], "--file needs a path"),
        (vec!["run", "--init", "file", "--file_hash_typo", "1"], "unknown setting"),
    ] {
        let (code, out, err) = richlazy(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?} printed {out}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
        assert!(err.starts_with("richlazy: ") && err.contains(want), "{args:?}: {err}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn sgd_grid_shards_merge_into_the_unsharded_file() {
    let dir = std::env::temp_dir().join(format!("richlazy-merge-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let grid = [
        "sgd",
        "grid",
        "--L",
        "2",
        "--h",
        "6",
        "--P",
        "96",
        "--B",
        "8",
        "--log2_alpha",
        "-2,2",
        "--log2_T",
        "-6,-3",
        "--cap",
        "2000",
    ];
    let run = |extra: &[&str]| {
        let args: Vec<&str> = grid.iter().chain(extra).copied().collect();
        let (code, _, err) = richlazy(&args);
        assert_eq!(code, 0, "{err}");
    };
    let (whole, p0, p1, merged) = (path("whole.json"), path("part-0.json"), path("part-1.json"), path("grid.json"));
    run(&["--save", &whole]);
    run(&["--shard", "1/2", "--save", &p1]);
    run(&["--shard", "0/2", "--save", &p0]);
    let (code, table, err) = richlazy(&["merge", &p1, &p0, "--save", &merged]);
    assert_eq!(code, 0, "{err}");
    assert!(table.contains("4 of 4 cells") && table.contains("best T per alpha"), "{table}");
    let read = |p: &str| std::fs::read_to_string(p).unwrap();
    assert_eq!(read(&merged), read(&whole));
    assert!(read(&p0).contains("\"shard\":\"0/2\"") && read(&whole).contains("\"shard\":\"0/1\""));
    // One shard alone is not the grid.
    let (code, _, err) = richlazy(&["merge", &p0]);
    assert_eq!(code, 2);
    assert!(err.contains("shard 1/2 is missing"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn grok_summary_is_the_report_without_rows_and_its_shards_merge_into_it() {
    let dir = std::env::temp_dir().join(format!("richlazy-grok-summary-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let map = ["grok", "--mode", "map", "--d", "6", "--p", "20", "--n", "8", "--test", "20", "--epochs", "150"];
    let run = |extra: &[&str]| {
        let args: Vec<&str> = map.iter().chain(extra).copied().collect();
        let (code, table, err) = richlazy(&args);
        assert_eq!(code, 0, "{err}");
        table
    };
    let (full, short, p0, p1, merged) =
        (path("full.json"), path("short.json"), path("p0.json"), path("p1.json"), path("merged.json"));
    let table = run(&["--save", &full]);
    assert_eq!(run(&["--summary", "--save", &short]), table, "the same table");
    run(&["--summary", "--shard", "0/2", "--save", &p0]);
    run(&["--summary", "--shard", "1/2", "--save", &p1]);
    let (code, merged_table, err) = richlazy(&["merge", &p1, &p0, "--save", &merged]);
    assert_eq!((code, merged_table), (0, table), "{err}");
    let read = |p: &str| std::fs::read_to_string(p).unwrap();
    assert!(read(&full).contains("\"rows\":[{") && !read(&short).contains("\"rows\""));
    assert_eq!(read(&merged), read(&short));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn help_after_any_command_lists_its_keys_and_exits_0() {
    let cases: [(&[&str], &[&str]); 10] = [
        (&["run", "--help"], &["--task", "--init", "--floss_every", "--json"]),
        (&["sweep", "-h"], &["--inits", "--figure", "--rank"]),
        (&["bench", "--help"], &["--iters", "--hidden"]),
        (&["theory", "--help"], &["--dim", "--norm_align", "--seeds"]),
        (&["sgd", "--help"], &["perceptron", "grid"]),
        (&["merge", "--help"], &["--shard K/N", "byte for byte"]),
        (&["sgd", "perceptron", "--help"], &["--chi", "--ats"]),
        (&["sgd", "grid", "--help"], &["--log2_alpha"]),
        (&["grok", "--help"], &["--mode", "--epochs", "--shard", "--summary"]),
        (&["help"], &["lab", "theory", "perceptron", "phase", "grok"]),
    ];
    for (args, keys) in cases {
        let (code, out, err) = richlazy(args);
        assert_eq!(code, 0, "{args:?}: {err}");
        for k in keys {
            assert!(out.contains(k), "{args:?} lacks {k}: {out}");
        }
    }
}

#[test]
fn a_flag_given_twice_is_refused_naming_both_values() {
    for args in [vec!["run", "--seed", "abc", "--seed", "16"], vec!["theory", "--dim", "10", "--dim", "12"]] {
        let (code, out, err) = richlazy(&args);
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}");
        assert!(err.contains("given 2 times") && err.contains(&format!("'{}'", args[2])), "{args:?}: {err}");
    }
}

/// The `warning:` lines of a run's stderr.
fn warnings(err: &str) -> Vec<&str> {
    err.lines().filter(|l| l.starts_with("warning: ")).collect()
}

#[test]
fn a_setting_that_does_not_apply_is_named_on_stderr_and_the_run_goes_on_without_it() {
    let small = ["--hidden", "12", "--iters", "2", "--every", "2", "--json"];
    let plain = {
        let (code, out, err) = richlazy(&[&["run"], &small[..]].concat());
        assert_eq!((code, warnings(&err).len()), (0, 0), "{err}");
        out
    };
    for (extra, lines) in [
        (
            vec!["--init", "gaussian", "--rank", "5"],
            vec!["warning: rank: has no effect with init gaussian (it applies with init rank, aligned, dale_rank)"],
        ),
        (
            vec!["--init", "v1", "--dataset", "witvliet_3"],
            vec!["warning: dataset: has no effect with init v1 (it applies with init connectome, connectome_shuffled, connectome_spectrum)"],
        ),
        (
            vec!["--floss_k", "3", "--floss_every", "4"],
            vec![
                "warning: floss_k: has no effect with floss none (it applies with floss pre, inter, both)",
                "warning: floss_every: has no effect with floss none (it applies with floss inter, both)",
            ],
        ),
    ] {
        let args = [&["run"], &extra[..], &small[..]].concat();
        let (code, out, err) = richlazy(&args);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert_eq!(warnings(&err), lines, "{args:?}");
        let config = out.split("\"status\"").next().unwrap();
        for k in extra.iter().filter_map(|a| a.strip_prefix("--")).filter(|k| *k != "init") {
            assert!(!config.contains(&format!("\"{k}\"")), "{k} written: {config}");
        }
        if extra[0] == "--floss_k" {
            assert_eq!(out, plain, "the same run as without the keys");
        }
    }
}

#[test]
fn sweeps_and_studies_name_their_unused_keys_and_an_empty_item_is_an_error() {
    let (code, _, err) = richlazy(&[
        "sweep",
        "--inits",
        "rank:1,gaussian+dataset:cook_herm",
        "--dataset",
        "witvliet_2",
        "--hidden",
        "8",
        "--iters",
        "1",
        "--every",
        "1",
        "--seeds",
        "1",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        warnings(&err),
        [
            "warning: dataset: has no effect with init rank (it applies with init connectome, connectome_shuffled, connectome_spectrum), in every run of the sweep",
            "warning: gaussian+dataset:cook_herm: dataset: has no effect with init gaussian (it applies with init connectome, connectome_shuffled, connectome_spectrum)",
        ]
    );
    let (code, _, err) = richlazy(&["sweep", "--inits", "connectome,rank:1", "--dataset", "witvliet_2", "--help"]);
    assert_eq!((code, warnings(&err).len()), (0, 0), "applies in one of the runs (and --help runs nothing)");
    let (code, _, err) =
        richlazy(&["grok", "--mode", "run", "--alphas", "1,2", "--epochs", "1", "--n", "4", "--p", "4"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(warnings(&err), ["warning: alphas: has no effect with mode run (it applies with mode alpha, map)"]);
    for (args, what) in [
        (vec!["sweep", "--inits", "rank:1,,connectome"], "inits: item 2 of 'rank:1,,connectome' is empty"),
        (vec!["sweep", "--rules", "bptt,"], "rules: item 2 of 'bptt,' is empty"),
        (vec!["grok", "--alphas", "1,,2"], "alphas: item 2 of '1,,2' is empty"),
    ] {
        let (code, _, err) = richlazy(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(err.contains(what), "{args:?}: {err}");
    }
}
