//! Tasks in sequence from the command line (docs/sequences.md): the documented report, a sequence of
//! one phase is the plain run's bytes, the measures agree with each other, bad sequences exit 2.

use richlazy::json::Json;
use std::process::Command;

fn richlazy(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_richlazy")).args(args).output().expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

const SMALL: [&str; 6] = ["--hidden", "16", "--every", "3", "--seed", "2"];

fn run(extra: &[&str]) -> String {
    let (code, out, err) = richlazy(&[&["run", "--json"], &SMALL[..], extra].concat());
    assert_eq!(code, 0, "{err}");
    out
}

fn keys(j: &Json) -> Vec<&str> {
    match j {
        Json::Obj(pairs) => pairs.iter().map(|(k, _)| k.as_str()).collect(),
        _ => panic!("an object: {j}"),
    }
}

fn num(j: &Json, path: &[&str]) -> f64 {
    let mut at = j;
    for k in path {
        at = at.get(k).unwrap_or_else(|| panic!("no {k} in {at}"));
    }
    match at {
        Json::Num(x) => *x,
        other => panic!("{path:?} is {other}"),
    }
}

#[test]
fn a_sequence_of_one_phase_prints_the_plain_runs_bytes() {
    let plain = run(&["--task", "cxt", "--iters", "7"]);
    assert_eq!(run(&["--sequence", "cxt:7"]), plain);
    assert_eq!(run(&["--sequence", "cxt", "--iters", "7"]), plain);
}

#[test]
fn a_sequence_prints_the_documented_section_and_its_measures_agree() {
    let out = run(&["--sequence", "2af:6,dms:6,2af:3", "--iters", "5"]);
    let j = Json::parse(&out).unwrap();
    assert_eq!(keys(&j), ["config", "status", "diverged_at", "initial", "history", "final", "sequence"]);
    assert!(out.starts_with(r#"{"config":{"task":"2af","sequence":"2af:6,dms:6,2af:3","#), "{out}");
    let s = j.get("sequence").unwrap();
    assert_eq!(keys(s), ["tasks", "inputs", "learned_accuracy", "phases", "history", "total"]);
    assert_eq!(
        s.get("inputs").unwrap().to_string(),
        r#"[{"task":"2af","channels":[0,3],"cue":6},{"task":"dms","channels":[3,6],"cue":7}]"#
    );
    let Some(Json::Arr(phases)) = s.get("phases") else { panic!("phases") };
    let Some(Json::Arr(points)) = s.get("history") else { panic!("history") };
    assert_eq!(phases.len(), 3);
    let ranges: Vec<(f64, f64)> = phases.iter().map(|p| (num(p, &["start"]), num(p, &["end"]))).collect();
    assert_eq!(ranges, [(0.0, 6.0), (6.0, 12.0), (12.0, 15.0)]);
    // Measure points: every 3 iterations, each phase's end among them; the first task's are the run's own.
    let iters: Vec<f64> = points.iter().map(|q| num(q, &["iter"])).collect();
    assert_eq!(iters, [0.0, 3.0, 6.0, 9.0, 12.0, 15.0]);
    let Some(Json::Arr(history)) = j.get("history") else { panic!("history") };
    for (q, h) in points.iter().zip(history) {
        assert_eq!(num(q, &["accuracy", "2af"]), num(h, &["accuracy"]));
        assert_eq!(num(q, &["loss", "2af"]), num(h, &["loss"]));
    }
    assert_eq!(
        keys(&phases[1]),
        [
            "task",
            "start",
            "end",
            "lr",
            "probe",
            "iters_to_learn",
            "forgetting",
            "change_w_rec",
            "change_all",
            "path_w_rec",
            "path_all",
            "path_sq_w_rec",
            "path_sq_all"
        ]
    );
    // DMS's phase forgets 2AF by its accuracy at the end of phase 0 against at its own end.
    let forgot = phases[1].get("forgetting").unwrap();
    let f = match forgot {
        Json::Arr(f) if f.len() == 1 => &f[0],
        other => panic!("one task forgotten: {other}"),
    };
    assert_eq!(f.get("since_phase"), Some(&Json::Num(0.0)));
    let then = num(&phases[0], &["probe", "2af", "accuracy"]);
    assert_eq!(num(f, &["accuracy"]), then - num(&phases[1], &["probe", "2af", "accuracy"]));
    // The return to 2AF forgets DMS, learned in phase 1; the total path is the phases'.
    let back = phases[2].get("forgetting").unwrap().to_string();
    assert!(back.starts_with(r#"[{"task":"dms","since_phase":1,"#), "{back}");
    for key in ["path_w_rec", "path_all", "path_sq_w_rec", "path_sq_all"] {
        let sum: f64 = phases.iter().map(|p| num(p, &[key])).sum();
        let total = num(s, &["total", key]);
        assert!((total - sum).abs() <= 1e-12 * total && total > 0.0, "{key}");
    }
    for w in ["w_rec", "all"] {
        assert!(num(s, &["total", &format!("path_{w}")]) >= num(s, &["total", &format!("change_{w}")]), "{w}");
    }
    assert_eq!(num(s, &["total", "change_w_rec"]), num(&j, &["final", "weight_change"]));
}

#[test]
fn bad_sequences_give_one_line_and_exit_2() {
    for (args, line) in [
        (vec!["--sequence", "2af,smnist"], "richlazy: sequence: item 2 'smnist': smnist cannot be in a sequence"),
        (vec!["--sequence", "2af,,dms"], "richlazy: sequence: item 2 of '2af,,dms' is empty"),
        (vec!["--sequence", "2af,bogus"], "richlazy: sequence: item 2 'bogus': 'bogus' is not one of 2af, dms, cxt"),
        (vec!["--sequence", "2af,dms", "--task", "cxt"], "richlazy: task: cxt is not the sequence's first task, 2af"),
    ] {
        let (code, out, err) = richlazy(&[&["run"], &args[..]].concat());
        assert_eq!((code, out.as_str()), (2, ""), "{args:?}");
        assert!(err.starts_with(line) && err.lines().count() == 1, "{args:?}: {err}");
    }
}

#[test]
fn a_sweep_of_sequences_summarises_each_phase_from_its_runs() {
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let ctl = richlazy::sweep::Control { threads: 2, cancel: &cancel, progress: &|_, _, _| {} };
    let pairs: Vec<(String, String)> =
        [("sequence", "2af,dms"), ("iters", "6"), ("hidden", "12"), ("every", "3"), ("ranks", "1,12"), ("seeds", "1")]
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
    let (report, table) = richlazy::sweep::sweep(&pairs, &ctl).unwrap();
    let (Some(Json::Arr(rows)), Some(Json::Arr(runs))) = (report.get("summary"), report.get("runs")) else {
        panic!("summary and runs")
    };
    for (row, run) in rows.iter().zip(runs) {
        let (summary, seq) = (row.get("sequence").unwrap(), run.get("sequence").unwrap());
        let Some(Json::Arr(phases)) = seq.get("phases") else { panic!("phases") };
        let Some(Json::Arr(summed)) = summary.get("phases") else { panic!("summary phases") };
        assert_eq!(summed.len(), 2);
        // One seed: each mean is the run's own number, its sd 0.
        for (s, p) in summed.iter().zip(phases) {
            for key in ["path_w_rec", "path_sq_all", "change_all"] {
                assert_eq!((num(s, &[key, "mean"]), num(s, &[key, "sd"])), (num(p, &[key]), 0.0), "{key}");
            }
        }
        let forgetting = match phases[1].get("forgetting") {
            Some(Json::Arr(f)) => num(&f[0], &["accuracy"]),
            _ => panic!("forgetting"),
        };
        assert_eq!(num(&summed[1], &["forgetting", "2af", "accuracy", "mean"]), forgetting);
        assert_eq!(num(summary, &["total", "path_all", "mean"]), num(seq, &["total", "path_all"]));
    }
    assert!(
        table.starts_with(
            "sweep: sequence 2af,dms (the first task's measures at the end), dt 100 ms, N 12, 6 iterations a phase,"
        ),
        "{table}"
    );
    assert!(table.contains("\nrank:12 phase 1 dms: forgot 2af "), "{table}");
    // A sweep of one task keeps its report: no sequence anywhere.
    let plain: Vec<(String, String)> = pairs[1..].to_vec();
    assert!(!richlazy::sweep::sweep(&plain, &ctl).unwrap().0.to_string().contains("sequence"));
}
