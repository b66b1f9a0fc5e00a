//! The command line: `richlazy run | sweep | bench`, the same engine as the page.

use crate::config::Config;
use crate::experiment::{Experiment, Status};
use crate::json::Json;
use crate::report::run_json;
use crate::settings::{Code, SettingError};
use crate::sweep::Control;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

const USAGE: &str = "usage:
  richlazy run   [--task 2af|dms|cxt|smnist | --sequence 2af,dms (task[:iters[:lr]] each)] [--init FAMILY]
                 [--rank R] [--erank E] [--gain G] [--scale frobenius|spectral] [--signed 0|1] [--dataset D] [--ei F] [--file M.npy|M.csv] [--hidden N] [--iters I] [--lr LR] [--opt sgd|adam] [--seed S] [--every K] [--batch B]
                 [--rule bptt|eprop|rflo] [--dt 100|50|25|20|10] [--alpha A]
                 [--floss none|pre|inter|both] [--floss_k K] [--floss_mode exact|local] [--floss_iters I] [--floss_every K] [--json]
  richlazy sweep [--ranks 1,30,100,300 | --inits paper | --inits gaussian,rank:R,spectrum:E,aligned:R,connectome,...]
                 [--rules bptt,eprop,rflo] [--gains 0.5,1,2] [--flosses none,pre] [--figure paper|local|gain] [--seeds K]
                 [run options] [--threads T] [--json | --save FILE.json (and the table on stdout)]
                 every combination of the lists; an item may also join parts: rank:30+rule:eprop+gain:0.5
  richlazy analyse [run options] [--save_weights DIR] | [--task T --seed S ...] --weights DIR
                 the start against the end: trajectories, fixed points, W_rec - W_rec0 as JSON
  richlazy bench [run options] [--iters I] [--json]
  richlazy theory [--dim D] [--norm N] [--norm_align N] [--kappa K] [--seeds S] [--seed S] [--json]
                 the two-layer linear student-teacher theory: measured vs closed-form kernel and weight change
  richlazy sgd perceptron|grid [--key value ...] [--json | --save FILE.json]
  richlazy grok [--key value ...] [--json | --save FILE.json] [--summary (the report without epoch rows)]
                 the regime studies; --help after any command lists its settings
  richlazy merge part-*.json [--json | --save FILE.json]
                 the shards (--shard K/N) of one sweep, perceptron, grid or grok run as the whole run's report
  richlazy notebook VIEW [--key value ...] [--report FILE.json]
                 a Jupyter notebook (.ipynb on stdout) that reruns the view's settings in Python and checks them
Defaults are the paper's: 2af, gaussian gain 1.25, N 300, 10000 iterations, SGD lr 0.003 momentum 0.9.";

/// The command line used wrong (an unknown command or argument, a flag without its value).
fn usage(key: &str, message: impl Into<String>) -> SettingError {
    SettingError::new(key, Code::Usage, message)
}

/// Runs the command line; `Err`'s message is a line for the user.
pub fn main(args: &[String]) -> Result<(), SettingError> {
    let (cmd, rest) = args.split_first().ok_or_else(|| usage("", USAGE))?;
    let sub = |name: &str| rest.first().is_some_and(|w| w == name);
    if rest.iter().any(|a| a == "--help" || a == "-h") {
        let help = match cmd.as_str() {
            "sgd" if sub("perceptron") => study_help("perceptron")?,
            "sgd" if sub("grid") => study_help("phase")?,
            "sgd" => SGD_HELP.to_string(),
            "run" => format!(
                "richlazy run: one training run of the lab.\n{}  --json           the whole run as JSON\n{}",
                lab_help(),
                families_help()
            ),
            "analyse" => format!("{ANALYSE_HELP}{}", lab_help()),
            "sweep" => format!("{SWEEP_HELP}{}", lab_help()),
            "bench" => format!("richlazy bench: ms per training iteration and per measure.\n  --iters          iterations timed [default 100]\n  --json           the timings as JSON\n{}", lab_help()),
            "theory" => study_help("theory")?,
            "grok" => study_help("grok")?,
            "merge" => MERGE_HELP.to_string(),
            "notebook" => NOTEBOOK_HELP.to_string(),
            _ => USAGE.to_string(),
        };
        print!("{help}");
        return Ok(());
    }
    match cmd.as_str() {
        "run" => run(rest),
        "analyse" => analyse(rest),
        "sweep" => sweep(rest),
        "bench" => bench(rest),
        "theory" => theory(rest),
        "sgd" => match rest.split_first() {
            Some((w, r)) if w == "perceptron" => study("perceptron", r),
            Some((w, r)) if w == "grid" => study("phase", r),
            _ => Err(usage("", "usage: richlazy sgd perceptron|grid [--key value ...] (see richlazy sgd --help)")),
        },
        "grok" => study("grok", rest),
        "merge" => merge(rest),
        "notebook" => notebook(rest),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            print!("{}", families_help());
            println!("Studies (--help after a command lists its settings):");
            for s in crate::studies::STUDIES {
                println!("  {:<11} {}", s.name, s.title);
            }
            Ok(())
        }
        other => Err(usage(
            "",
            format!(
                "unknown command '{other}' (try: run, analyse, sweep, bench, theory, sgd, grok, merge, notebook, help)"
            ),
        )),
    }
}

const ANALYSE_HELP: &str = "richlazy analyse: what learning did to a network, as JSON on stdout (docs/analysis.md):
the probe's condition-averaged trajectories in shared principal components, principal angles and CKA,
fixed and slow points under each constant input, and the structure of W_rec - W_rec0.
  --weights DIR    analyse W_in.npy, W_rec0.npy, W_rec.npy, W_out.npy from DIR (as run --save_weights
                   writes them) on the probe set of these settings, instead of training a run
  --save_weights DIR  also write the trained run's weights
";
const SGD_HELP: &str = "richlazy sgd: the SGD-noise studies.
  richlazy sgd perceptron [--key value ...]   the perceptron (see richlazy sgd perceptron --help)
  richlazy sgd grid [--key value ...]         the (alpha, T) phase diagram (see richlazy sgd grid --help)
";
const MERGE_HELP: &str = "richlazy merge part-*.json [--json | --save FILE.json]: the shards of one sweep, perceptron,
phase grid or grok run (each run with --shard K/N: the items i with i mod N = K) as the report and table of
the whole run, byte for byte what the unsharded run writes. A missing, doubled or foreign shard is refused.
";
const NOTEBOOK_HELP: &str =
    "richlazy notebook VIEW [--key value ...] [--report FILE.json]: the page's \"Open as notebook\"
for a view (lab, theory, perceptron, phase, grok) at these settings (the view's own keys; the lab's also
compare and seeds), byte for byte the file the page downloads. The notebook installs the Python package,
reruns the view through it, checks to_json() against the report of --report (the page's JSON or the
command line's --json for the same settings; without it there is nothing to compare) and draws the view's charts.
";
const SWEEP_HELP: &str = "richlazy sweep: seeds of every start in parallel threads, a table of final measures.
  --inits          starts: gaussian, rank:R, spectrum:E, aligned:R, connectome, ... or paper
  --ranks          bare ranks (1,30,100,300 by default)
  --rules          learning rules to cross with the starts (bptt,eprop,rflo)
  --gains          gains to cross with them
  --flosses        flossing settings to cross with them (none,pre,...)
  --figure         a named figure at its own base settings: paper, local, gain
  --seeds          seeds per item [default 3]
  --threads        threads [default: the machine's cores]
  --json           the report as JSON; --save FILE writes it beside the table
";

/// The lab's settings, one line each (run, sweep and bench take them all).
fn lab_help() -> String {
    let spec = crate::studies::find("lab").expect("the lab is a study");
    format!(
        "settings, each --key value (the file start takes --file M.npy|M.csv):\n{}",
        spec.help().split_once('\n').map_or("", |(_, rest)| rest)
    )
}

/// The initial families (`--init FAMILY`), from the table (`init::FAMILIES`).
fn families_help() -> String {
    format!("Families (--init FAMILY, with the settings each uses):\n{}", crate::init::families::help())
}

fn study_help(name: &str) -> Result<String, SettingError> {
    let spec = crate::studies::find(name)?;
    let summary = if spec.summary.is_some() { SUMMARY_HELP } else { "" };
    Ok(format!("{}{summary}", spec.help()))
}

const SUMMARY_HELP: &str = "  --summary        --save and --json write the report without each run's epoch rows\n";

/// An error about a flag, as the command line names it: `--` before its message.
fn flag(e: SettingError) -> SettingError {
    SettingError { message: format!("--{}", e.message), ..e }
}

/// Command-line flags: `--key value` pairs and bare switches.
struct Flags {
    pairs: Vec<(String, String)>,
    switches: Vec<String>,
}

const SWITCHES: [&str; 1] = ["json"];

impl Flags {
    fn parse(args: &[String]) -> Result<Flags, SettingError> {
        let mut f = Flags { pairs: Vec::new(), switches: Vec::new() };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let key = a.strip_prefix("--").ok_or_else(|| usage("", format!("unexpected argument '{a}'")))?;
            if SWITCHES.contains(&key) {
                f.switches.push(key.to_string());
            } else if key == "file" {
                // The matrix is read and registered now; the configuration carries its hash.
                let path = it.next().ok_or_else(|| usage("file", "--file needs a path to a .npy or .csv matrix"))?;
                let (hash, _) = crate::init::file::load_path(path)
                    .map_err(|e| SettingError { message: format!("--file {}", e.message), ..e })?;
                f.pairs.push(("file".into(), crate::init::file::hex(hash)));
            } else {
                let v = it.next().ok_or_else(|| usage(key, format!("--{key} needs a value")))?;
                f.pairs.push((key.to_string(), v.clone()));
            }
        }
        // A flag given twice is refused like a bad value, never silently resolved.
        let (_, repeats) = crate::settings::without_repeats(f.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        match repeats.into_iter().next() {
            Some(e) => Err(flag(e)),
            None => Ok(f),
        }
    }

    fn has(&self, s: &str) -> bool {
        self.switches.iter().any(|x| x == s)
    }

    /// Removes and returns `--key`'s value.
    fn take(&mut self, key: &str) -> Option<String> {
        let i = self.pairs.iter().position(|(k, _)| k == key)?;
        Some(self.pairs.remove(i).1)
    }

    /// The remaining pairs as a configuration; any bad value is an error.
    fn config(&self) -> Result<Config, SettingError> {
        let mut c = Config::default();
        let errors = c.apply(self.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        errors.into_iter().next().map_or(Ok(c), Err)
    }
}

/// One line on stderr per given setting that has no effect (`sweep::unused`): named, never silent,
/// and the call runs (results keep their bytes; the JSON never carries the key).
fn warn_unused(name: &str, pairs: &[(String, String)]) {
    for e in crate::sweep::unused(name, pairs) {
        eprintln!("warning: {}", e.message);
    }
}

fn progress(exp: &Experiment, label: &str) {
    if let Some(m) = exp.history().last() {
        eprintln!(
            "{label}iter {:>6}  loss {:.4}  acc {:.3}  dW {:.3}  rep {:.4}  ntk {:.4}",
            m.iter, m.loss, m.accuracy, m.weight_change, m.rep_alignment, m.kernel_alignment
        );
    }
}

fn run(args: &[String]) -> Result<(), SettingError> {
    let mut flags = Flags::parse(args)?;
    let weights = flags.take("save_weights");
    let exp = train(&mut flags)?;
    if let Some(dir) = weights {
        crate::report::save_weights(&exp, std::path::Path::new(&dir))?;
    }
    if flags.has("json") {
        println!("{}", run_json(&exp));
    } else if let Some(f) = crate::report::final_json(&exp).to_string().into() {
        println!("final: {f}");
    }
    Ok(())
}

/// `analyse`: the start against the end of a run of these settings, or of the weights in
/// `--weights DIR` on these settings' probe set; the report as JSON on stdout.
fn analyse(args: &[String]) -> Result<(), SettingError> {
    let mut flags = Flags::parse(args)?;
    let (dir, save) = (flags.take("weights"), flags.take("save_weights"));
    let opt = crate::analysis::report::Options::default();
    let report = match dir {
        Some(dir) => {
            if save.is_some() {
                return Err(usage("weights", "--weights reads weights and --save_weights writes a run's: give one"));
            }
            let config = flags.config()?;
            warn_unused("run", &flags.pairs);
            let w = crate::analysis::Weights::read_dir(std::path::Path::new(&dir)).map_err(weights_error)?;
            crate::analysis::report::analyse_weights(&config, &w, &opt).map_err(weights_error)?
        }
        None => {
            let exp = train(&mut flags)?;
            if exp.status().failed() {
                let message = format!("the run {}: nothing to analyse", exp.status().key());
                return Err(SettingError::new("", Code::Diverged, message));
            }
            if let Some(dir) = save {
                crate::report::save_weights(&exp, std::path::Path::new(&dir))?;
            }
            crate::analysis::report::analyse_run(&exp, &opt)
        }
    };
    println!("{report}");
    Ok(())
}

/// An error about `--weights DIR`'s files, as the command line names it.
fn weights_error(e: SettingError) -> SettingError {
    SettingError { message: format!("--weights {}", e.message), ..e }
}

/// One run of the remaining flags to its end, progress on stderr.
fn train(flags: &mut Flags) -> Result<Experiment, SettingError> {
    let threads = threads(flags)?;
    let config = flags.config()?;
    warn_unused("run", &flags.pairs);
    let mut exp = Experiment::new(config)?;
    exp.set_threads(threads);
    progress(&exp, "");
    let every = exp.config().every;
    while exp.status() == Status::Running {
        exp.advance(every);
        progress(&exp, "");
    }
    match exp.status() {
        Status::Diverged { iter } => eprintln!("diverged at iteration {iter}: the loss or the weights stopped being finite"),
        Status::Silent { iter } => eprintln!(
            "silent at iteration {iter}: every unit is 0 at the decision step on every probe trial, so the representation alignment is undefined"
        ),
        _ => {}
    }
    Ok(exp)
}

/// The command line's drive of a long call: the machine's cores (or `--threads`), no cancel (Ctrl-C
/// ends the process), progress lines on stderr.
fn control_progress(name: &str) -> impl Fn(usize, usize, &str) + Sync + '_ {
    let t0 = Instant::now();
    let last = std::sync::Mutex::new(0.0);
    move |done, total, label| {
        if label != name {
            // A sweep's run finished: one line each.
            eprintln!("[{done}/{total}] {label}");
            return;
        }
        // A study's units: a line every 5 seconds.
        let s = t0.elapsed().as_secs_f64();
        let mut last = last.lock().unwrap();
        if s - *last > 5.0 && done < total {
            *last = s;
            eprintln!("{name}: {done} of {total} ({s:.0} s)");
        }
    }
}

/// `--threads T` of run and bench: threads for one run's large products [default 1].
fn threads(flags: &mut Flags) -> Result<usize, SettingError> {
    flags.take("threads").map_or(Ok(1), |t| match t.parse::<usize>() {
        Ok(n) if (1..=1024).contains(&n) => Ok(n),
        _ => Err(SettingError::new(
            "threads",
            Code::Range,
            format!("--threads: '{t}' is not a whole number from 1 to 1024"),
        )),
    })
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Writes the report to `--save FILE` and prints it (`--json`) or the table.
fn emit(flags: &Flags, save: Option<String>, report: &Json, table: &str) -> Result<(), SettingError> {
    if let Some(path) = save {
        std::fs::write(&path, format!("{report}\n"))
            .map_err(|e| SettingError::new("save", Code::Io, format!("--save {path}: {e}")))?;
    }
    if flags.has("json") {
        println!("{report}");
    } else {
        print!("{table}");
    }
    Ok(())
}

fn sweep(args: &[String]) -> Result<(), SettingError> {
    let mut flags = Flags::parse(args)?;
    let save = flags.take("save");
    let cancel = AtomicBool::new(false);
    let progress = control_progress("sweep");
    let ctl = Control { threads: cores(), cancel: &cancel, progress: &progress };
    warn_unused("sweep", &flags.pairs);
    let (report, table) = crate::sweep::sweep(&flags.pairs, &ctl)?;
    emit(&flags, save, &report, &table)
}

fn bench(args: &[String]) -> Result<(), SettingError> {
    let mut flags = Flags::parse(args)?;
    let iters: usize = flags.take("iters").map_or(Ok(100), |s| {
        s.parse().map_err(|_| SettingError::new("iters", Code::Whole, format!("--iters: '{s}' is not a whole number")))
    })?;
    let threads = threads(&mut flags)?;
    let config = flags.config()?;
    warn_unused("run", &flags.pairs);
    let start = Instant::now();
    let t = crate::linalg::with_lanes(threads, || {
        crate::bench::run(&config, iters, true, &|| start.elapsed().as_secs_f64() * 1e3)
    });
    if flags.has("json") {
        println!("{}", t.to_json());
        return Ok(());
    }
    let n = config.hidden;
    println!(
        "bench: task {}, N {n}, batch {}, native {}, {threads} thread{} for products with N >= {}",
        config.task.key(),
        config.batch,
        std::env::consts::ARCH,
        if threads == 1 { "" } else { "s" },
        crate::linalg::MIN_DIM
    );
    println!(
        "training iteration ({} + {}, dt {} ms): {:.3} ms over {iters} iterations (10,000 take {:.1} s)",
        config.rule.key(),
        config.optimizer.key(),
        config.dt,
        t.iteration_ms,
        t.iteration_ms * 10.0
    );
    println!(
        "tangent-kernel alignment ({k}x{k} kernel over {} weights): {:.1} ms",
        n * n,
        t.kernel_alignment_ms,
        k = t.kernel_size
    );
    println!("singular values of W_rec ({n}x{n}): {:.1} ms", t.svd_ms);
    println!("lambda_max over the Lyapunov probe (500 steps after its burn-in of 100): {:.1} ms", t.lyap_ms);
    if let Some(a) = &t.analysis {
        println!(
            "state-space frame (the page's live trajectories): {:.1} ms, {:.1}% of the {} iterations between measures",
            a.frame_ms,
            100.0 * a.frame_share,
            config.every
        );
        println!("fixed-point search (default: 24 starts, one input): {:.0} ms", a.fixed_point_search_ms);
        println!("whole analysis (richlazy analyse of one network): {:.0} ms", a.analysis_ms);
    }
    Ok(())
}

/// `richlazy theory`: the page's theory panel as tables (or its JSON).
fn theory(args: &[String]) -> Result<(), SettingError> {
    let flags = Flags::parse(args)?;
    let mut s = crate::theory::Settings::default();
    if let Some(e) = s.apply(flags.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).into_iter().next() {
        return Err(e);
    }
    let report = crate::theory::run(&s);
    if flags.has("json") {
        println!("{}", report.to_json());
    } else {
        print!("{}", report.table());
    }
    Ok(())
}

/// A regime study (`regimes::STUDIES`) run to the end: its table on stdout, or its report as JSON
/// (`--json`), or both (`--save FILE`); `--summary` makes that report the study's summary (checked
/// before the run). Progress goes to stderr.
fn study(name: &str, args: &[String]) -> Result<(), SettingError> {
    let spec = crate::studies::find(name)?;
    let summary = match (args.iter().any(|a| a == "--summary"), spec.summary) {
        (false, _) => None,
        (true, Some(f)) => Some(f),
        (true, None) => {
            let with: Vec<&str> =
                crate::studies::STUDIES.iter().filter(|s| s.summary.is_some()).map(|s| s.name).collect();
            let message = format!("--summary: the {name} study has none (studies with one: {})", with.join(", "));
            return Err(usage("summary", message));
        }
    };
    let mut flags = Flags::parse(&args.iter().filter(|a| *a != "--summary").cloned().collect::<Vec<_>>())?;
    let save = flags.take("save");
    let t0 = Instant::now();
    let cancel = AtomicBool::new(false);
    let progress = control_progress(name);
    let ctl = Control { threads: cores(), cancel: &cancel, progress: &progress };
    warn_unused(name, &flags.pairs);
    let (report, table) = crate::sweep::study(name, &flags.pairs, &ctl)?;
    let report = match summary {
        Some(f) => f(&report),
        None => report,
    };
    emit(&flags, save, &report, &table)?;
    eprintln!("{name}: {:.1} s", t0.elapsed().as_secs_f64());
    Ok(())
}

/// `richlazy merge FILES [--save F] [--json]`: the shards of any sharded sweep or study as one report.
fn merge(args: &[String]) -> Result<(), SettingError> {
    let (mut files, mut save, mut json, mut it) = (Vec::new(), None, false, args.iter());
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => json = true,
            "--save" => save = Some(it.next().ok_or_else(|| usage("save", "--save needs a path"))?.clone()),
            f if f.starts_with("--") => return Err(usage("", format!("merge: unexpected argument '{f}'"))),
            f => files.push(f),
        }
    }
    let texts = files
        .iter()
        .map(|f| {
            std::fs::read_to_string(f)
                .map(|t| (f.to_string(), t))
                .map_err(|e| SettingError::new("", Code::Io, format!("{f}: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let (report, table) = crate::sweep::merge(&texts)?;
    let flags = Flags { pairs: Vec::new(), switches: if json { vec!["json".into()] } else { Vec::new() } };
    emit(&flags, save, &report, &table)
}

/// `richlazy notebook VIEW [--key value ...] [--report FILE]`: the page's notebook export on stdout.
fn notebook(args: &[String]) -> Result<(), SettingError> {
    let (view, rest) = args
        .split_first()
        .ok_or_else(|| usage("", "usage: richlazy notebook VIEW [--key value ...] [--report FILE.json]"))?;
    let mut flags = Flags::parse(rest)?;
    let report = match flags.take("report") {
        Some(path) => Some(
            std::fs::read_to_string(&path)
                .map_err(|e| SettingError::new("report", Code::Io, format!("--report {path}: {e}")))?,
        ),
        None => None,
    };
    if flags.has("json") {
        return Err(usage("json", "notebook: unexpected argument '--json' (the notebook is JSON already)"));
    }
    print!("{}", crate::notebook::notebook(view, &flags.pairs, report.as_deref())?);
    Ok(())
}
