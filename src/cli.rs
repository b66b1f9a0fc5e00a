//! The command line: `richlazy run | sweep | bench`, the same engine as the page.

use crate::config::Config;
use crate::experiment::{Experiment, Status};
use crate::json::{obj, Json};
use crate::metrics::mean_sd;
use crate::report::{config_json, run_json};
use crate::sweep::{grid, named, parse_variants, prefixed, Variant};
use std::time::Instant;

const USAGE: &str = "usage:
  richlazy run   [--task 2af|dms|cxt|smnist] [--init FAMILY]
                 [--rank R] [--erank E] [--gain G] [--scale frobenius|spectral] [--signed 0|1] [--ei F] [--file M.npy|M.csv] [--hidden N] [--iters I] [--lr LR] [--opt sgd|adam] [--seed S] [--every K] [--batch B]
                 [--rule bptt|eprop|rflo] [--dt 100|50|25|20|10] [--alpha A]
                 [--floss none|pre|inter|both] [--floss_k K] [--floss_mode exact|local] [--floss_iters I] [--floss_every K] [--json]
  richlazy sweep [--ranks 1,30,100,300 | --inits paper | --inits gaussian,rank:R,spectrum:E,aligned:R,connectome,...]
                 [--rules bptt,eprop,rflo] [--gains 0.5,1,2] [--flosses none,pre] [--figure paper|local|gain] [--seeds K]
                 [run options] [--threads T] [--json | --save FILE.json (and the table on stdout)]
                 every combination of the lists; an item may also join parts: rank:30+rule:eprop+gain:0.5
  richlazy bench [run options] [--iters I] [--json]
  richlazy theory [--dim D] [--norm N] [--norm_align N] [--kappa K] [--seeds S] [--seed S] [--json]
                 the two-layer linear student-teacher theory: measured vs closed-form kernel and weight change
  richlazy sgd perceptron|grid [--key value ...] [--json | --save FILE.json]
  richlazy sgd merge part-*.json [--json | --save FILE.json]
                 the shards of one grid (--shard_k K --shard_n N) as the report of the whole grid
  richlazy grok [--key value ...] [--json | --save FILE.json]
                 the regime studies; --help after any command lists its settings
Defaults are the paper's: 2af, gaussian gain 1.25, N 300, 10000 iterations, SGD lr 0.003 momentum 0.9.";

/// Runs the command line; `Err` is a one-line message for the user.
pub fn main(args: &[String]) -> Result<(), String> {
    let (cmd, rest) = args.split_first().ok_or_else(|| USAGE.to_string())?;
    let sub = |name: &str| rest.first().is_some_and(|w| w == name);
    if rest.iter().any(|a| a == "--help" || a == "-h") {
        let help = match cmd.as_str() {
            "sgd" if sub("perceptron") => study_help("perceptron")?,
            "sgd" if sub("grid") => study_help("phase")?,
            "sgd" if sub("merge") => MERGE_HELP.to_string(),
            "sgd" => SGD_HELP.to_string(),
            "run" => format!(
                "richlazy run: one training run of the lab.\n{}  --json           the whole run as JSON\n{}",
                lab_help(),
                families_help()
            ),
            "sweep" => format!("{SWEEP_HELP}{}", lab_help()),
            "bench" => format!("richlazy bench: ms per training iteration and per measure.\n  --iters          iterations timed [default 100]\n  --json           the timings as JSON\n{}", lab_help()),
            "theory" => study_help("theory")?,
            "grok" => study_help("grok")?,
            _ => USAGE.to_string(),
        };
        print!("{help}");
        return Ok(());
    }
    match cmd.as_str() {
        "run" => run(rest),
        "sweep" => sweep(rest),
        "bench" => bench(rest),
        "theory" => theory(rest),
        "sgd" => match rest.split_first() {
            Some((w, r)) if w == "perceptron" => study("perceptron", r),
            Some((w, r)) if w == "grid" => study("phase", r),
            Some((w, r)) if w == "merge" => merge(r),
            _ => Err("usage: richlazy sgd perceptron|grid|merge [--key value ...] (see richlazy sgd --help)".into()),
        },
        "grok" => study("grok", rest),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            print!("{}", families_help());
            println!("Studies (--help after a command lists its settings):");
            for s in crate::studies::STUDIES {
                println!("  {:<11} {}", s.name, s.title);
            }
            Ok(())
        }
        other => Err(format!("unknown command '{other}' (try: run, sweep, bench, theory, sgd, grok, help)")),
    }
}

const SGD_HELP: &str = "richlazy sgd: the SGD-noise studies.
  richlazy sgd perceptron [--key value ...]   the perceptron (see richlazy sgd perceptron --help)
  richlazy sgd grid [--key value ...]         the (alpha, T) phase diagram (see richlazy sgd grid --help)
  richlazy sgd merge FILES [--json | --save F] the shards of one grid as the report of the whole grid
";
const MERGE_HELP: &str = "richlazy sgd merge part-*.json [--json | --save FILE.json]: the shards of one phase diagram
(each run with --shard_k K --shard_n N) as the report of the whole grid, byte for byte.
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

fn study_help(name: &str) -> Result<String, String> {
    Ok(crate::studies::find(name)?.help())
}

/// Command-line flags: `--key value` pairs and bare switches.
struct Flags {
    pairs: Vec<(String, String)>,
    switches: Vec<String>,
}

const SWITCHES: [&str; 1] = ["json"];

impl Flags {
    fn parse(args: &[String]) -> Result<Flags, String> {
        let mut f = Flags { pairs: Vec::new(), switches: Vec::new() };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            let key = a.strip_prefix("--").ok_or_else(|| format!("unexpected argument '{a}'"))?;
            if SWITCHES.contains(&key) {
                f.switches.push(key.to_string());
            } else if key == "file" {
                // The matrix is read and registered now; the configuration carries its hash.
                let path = it.next().ok_or("--file needs a path to a .npy or .csv matrix")?;
                let (hash, _) = crate::init::file::load_path(path).map_err(|e| format!("--file {e}"))?;
                f.pairs.push(("file".into(), crate::init::file::hex(hash)));
            } else {
                let v = it.next().ok_or_else(|| format!("--{key} needs a value"))?;
                f.pairs.push((key.to_string(), v.clone()));
            }
        }
        // A flag given twice is refused like a bad value, never silently resolved.
        let (_, repeats) = crate::settings::without_repeats(f.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        match repeats.into_iter().next() {
            Some(e) => Err(format!("--{}", e.message)),
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
    fn config(&self) -> Result<Config, String> {
        let mut c = Config::default();
        let errors = c.apply(self.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        match errors.first() {
            Some(e) => Err(e.message.clone()),
            None => Ok(c),
        }
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

fn run(args: &[String]) -> Result<(), String> {
    let flags = Flags::parse(args)?;
    let config = flags.config()?;
    let mut exp = Experiment::new(config)?;
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
    if flags.has("json") {
        println!("{}", run_json(&exp));
    } else if let Some(f) = crate::report::final_json(&exp).to_string().into() {
        println!("final: {f}");
    }
    Ok(())
}

const SUMMARY: [&str; 9] = [
    "loss",
    "accuracy",
    "weight_change",
    "weight_change_rel",
    "sign_similarity",
    "rep_alignment",
    "kernel_alignment",
    "erank_entropy",
    "lyap_max",
];

/// The sweep's items: `--figure paper|local` (a named figure, which also
/// sets its base settings under the command line's), or every combination of
/// `--inits rank:30,aligned:1` (`--inits paper`: the paper's starts; `--ranks
/// 1,30`: bare ranks), `--rules`, `--gains` and `--flosses`.
fn variants(flags: &mut Flags) -> Result<Vec<Variant>, String> {
    let figure = match flags.take("figure") {
        Some(name) => Some(named(&name).ok_or_else(|| format!("--figure: '{name}' is not one of paper, local, gain"))?),
        None => None,
    };
    let inits = match (flags.take("inits"), flags.take("ranks")) {
        (Some(l), _) if l == "paper" => named("paper").unwrap().0,
        (Some(l), _) | (None, Some(l)) => l,
        (None, None) => String::new(),
    };
    let lists = [
        inits,
        prefixed("rule", &flags.take("rules").unwrap_or_default()),
        prefixed("gain", &flags.take("gains").unwrap_or_default()),
        prefixed("floss", &flags.take("flosses").unwrap_or_default()),
    ];
    let mut list = grid(&lists.iter().map(String::as_str).collect::<Vec<_>>());
    if let Some((figure_list, base)) = figure {
        // The figure's base goes first, so that the command line's own settings win.
        let mut pairs: Vec<(String, String)> = base
            .iter()
            .filter(|(k, _)| !flags.pairs.iter().any(|(g, _)| g == k))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        pairs.append(&mut flags.pairs);
        flags.pairs = pairs;
        list = if list.is_empty() { figure_list } else { grid(&[&figure_list, &list]) };
    }
    if list.is_empty() {
        list = "1,30,100,300".into();
    }
    parse_variants(&list).map_err(|e| format!("sweep: {e}"))
}

fn sweep(args: &[String]) -> Result<(), String> {
    let mut flags = Flags::parse(args)?;
    let variants = variants(&mut flags)?;
    let save = flags.take("save");
    let seeds = flags
        .take("seeds")
        .map(|s| s.parse::<u64>().map_err(|_| format!("--seeds: '{s}' is not a whole number")))
        .transpose()?
        .unwrap_or(3);
    let threads = match flags.take("threads") {
        Some(t) => t.parse::<usize>().map_err(|_| format!("--threads: '{t}' is not a whole number"))?.max(1),
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let base = flags.config()?;
    let mut jobs = Vec::new();
    for v in &variants {
        for s in 0..seeds {
            let mut c = base.clone();
            let seed = (base.seed + s).to_string();
            let pairs = v.pairs.iter().map(|(k, val)| (*k, val.as_str())).chain([("seed", seed.as_str())]);
            c.apply(pairs).first().map_or(Ok(()), |e| Err(e.message.clone()))?;
            jobs.push(c);
        }
    }
    let results = run_parallel(jobs, threads)?;

    let per_variant = results.chunks(seeds.max(1) as usize);
    let mut rows = Vec::new();
    for (v, chunk) in variants.iter().zip(per_variant) {
        let runs: Vec<&Json> = chunk.iter().map(|(_, j)| j).collect();
        let finals: Vec<&Json> = runs.iter().filter_map(|j| field(j, "final")).filter(|f| **f != Json::Null).collect();
        let initial = |key: &str| -> Vec<f64> {
            runs.iter().filter_map(|j| field(j, "initial").and_then(|i| num(i, key))).collect()
        };
        let mut stats = vec![
            ("init".to_string(), Json::from(v.label.as_str())),
            ("runs".into(), runs.len().into()),
            ("diverged".into(), (runs.len() - finals.len()).into()),
        ];
        stats.push(("initial_erank_entropy".into(), mean_sd(&initial("erank_entropy")).0.into()));
        let (m, sd) = mean_sd(&initial("lyap_max"));
        stats.push(("initial_lyap_max".into(), obj([("mean", m.into()), ("sd", sd.into())])));
        for key in SUMMARY {
            let xs: Vec<f64> = finals.iter().filter_map(|f| num(f, key)).collect();
            let (m, sd) = if xs.is_empty() { (f64::NAN, f64::NAN) } else { mean_sd(&xs) };
            stats.push((key.to_string(), obj([("mean", m.into()), ("sd", sd.into())])));
        }
        rows.push(Json::Obj(stats));
    }
    let report = || {
        let runs = Json::Arr(results.iter().map(|(_, j)| j.clone()).collect());
        obj([
            ("base", config_json(&base)),
            ("seeds", seeds.into()),
            ("summary", Json::Arr(rows.clone())),
            ("runs", runs),
        ])
    };
    if let Some(path) = save {
        std::fs::write(&path, format!("{}\n", report())).map_err(|e| format!("--save {path}: {e}"))?;
    }
    if flags.has("json") {
        println!("{}", report());
    } else {
        print_table(&base, seeds, &rows);
    }
    Ok(())
}

fn field<'a>(j: &'a Json, key: &str) -> Option<&'a Json> {
    match j {
        Json::Obj(pairs) => pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v),
        _ => None,
    }
}

fn num(j: &Json, key: &str) -> Option<f64> {
    match field(j, key)? {
        Json::Num(x) if x.is_finite() => Some(*x),
        _ => None,
    }
}

/// "rank:30 bptt g 1.25", "connectome eprop g 0.5 floss pre local k 1": a run's start, rule, gain and flossing, for progress lines.
fn run_label(c: &Config) -> String {
    let start = match (c.rank(), c.erank()) {
        (Some(r), _) => format!("{}:{r}", c.init.key()),
        (_, Some(e)) => format!("{}:{e}", c.init.key()),
        _ => c.init.key().to_string(),
    };
    let floss = if c.floss.on() {
        format!(" floss {} {} k {}", c.floss.when.key(), c.floss.mode.key(), c.floss.k)
    } else {
        String::new()
    };
    format!("{start} {} g {}{floss}", c.rule.key(), c.init.gain)
}

fn print_table(base: &Config, seeds: u64, rows: &[Json]) {
    println!(
        "sweep: task {}, dt {} ms, N {}, {} iterations, {} lr {}, {} seeds from {} (mean +- sd over non-diverged seeds; lambda per step)",
        base.task.key(),
        base.dt,
        base.hidden,
        base.iters,
        base.optimizer.key(),
        base.optimizer.lr(),
        seeds,
        base.seed
    );
    let w = rows.iter().filter_map(|r| match field(r, "init") {
        Some(Json::Str(s)) => Some(s.len()),
        _ => None,
    });
    let w = w.max().unwrap_or(4).max(4);
    println!(
        "{:>w$} {:>7} {:>4} | {:>15} {:>15} {:>15} {:>15} {:>15} {:>15} {:>15} {:>15} {:>15}",
        "init",
        "erank0",
        "div",
        "loss",
        "accuracy",
        "dW_rec",
        "dW_rec rel",
        "sign sim",
        "rep align",
        "kernel align",
        "lyap_max 0",
        "lyap_max end"
    );
    for r in rows {
        let cell = |k: &str| match field(r, k) {
            Some(s) => format!("{:.4} +- {:.4}", num(s, "mean").unwrap_or(f64::NAN), num(s, "sd").unwrap_or(f64::NAN)),
            None => "-".into(),
        };
        println!(
            "{:>w$} {:>7.1} {:>4} | {:>15} {:>15} {:>15} {:>15} {:>15} {:>15} {:>15} {:>15} {:>15}",
            match field(r, "init") {
                Some(Json::Str(s)) => s.as_str(),
                _ => "?",
            },
            num(r, "initial_erank_entropy").unwrap_or(f64::NAN),
            num(r, "diverged").unwrap_or(0.0),
            cell("loss"),
            cell("accuracy"),
            cell("weight_change"),
            cell("weight_change_rel"),
            cell("sign_similarity"),
            cell("rep_alignment"),
            cell("kernel_alignment"),
            cell("initial_lyap_max"),
            cell("lyap_max")
        );
    }
}

/// Runs every configuration to the end on `threads` threads; results in job order.
fn run_parallel(jobs: Vec<Config>, threads: usize) -> Result<Vec<(Config, Json)>, String> {
    let total = jobs.len();
    let queue = std::sync::Mutex::new(jobs.into_iter().enumerate());
    let done = std::sync::Mutex::new(Vec::with_capacity(total));
    std::thread::scope(|s| {
        for _ in 0..threads.min(total) {
            s.spawn(|| loop {
                let Some((i, c)) = queue.lock().unwrap().next() else { break };
                let t0 = Instant::now();
                let result = Experiment::new(c.clone()).map(|mut exp| {
                    exp.run_to_end();
                    run_json(&exp)
                });
                let mut d = done.lock().unwrap();
                let summary = match &result {
                    Ok(j) => field(j, "final").map_or("-".into(), |f| f.to_string()),
                    Err(e) => e.clone(),
                };
                eprintln!(
                    "[{}/{}] {} seed {} in {:.1}s: {summary}",
                    d.len() + 1,
                    total,
                    run_label(&c),
                    c.seed,
                    t0.elapsed().as_secs_f64()
                );
                d.push((i, c, result));
            });
        }
    });
    let mut done = done.into_inner().unwrap();
    done.sort_by_key(|(i, _, _)| *i);
    done.into_iter().map(|(_, c, r)| r.map(|j| (c, j))).collect()
}

fn bench(args: &[String]) -> Result<(), String> {
    let mut flags = Flags::parse(args)?;
    let iters: usize = flags
        .take("iters")
        .map_or(Ok(100), |s| s.parse().map_err(|_| format!("--iters: '{s}' is not a whole number")))?;
    let config = flags.config()?;
    let start = Instant::now();
    let t = crate::bench::run(&config, iters, &|| start.elapsed().as_secs_f64() * 1e3);
    if flags.has("json") {
        println!("{}", t.to_json());
        return Ok(());
    }
    let n = config.hidden;
    println!("bench: task {}, N {n}, batch {}, native {}", config.task.key(), config.batch, std::env::consts::ARCH);
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
    Ok(())
}

/// `richlazy theory`: the page's theory panel as tables (or its JSON).
fn theory(args: &[String]) -> Result<(), String> {
    let flags = Flags::parse(args)?;
    let mut s = crate::theory::Settings::default();
    if let Some(e) = s.apply(flags.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).into_iter().next() {
        return Err(e.message);
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
/// (`--json`), or both (`--save FILE`). Progress goes to stderr.
fn study(name: &str, args: &[String]) -> Result<(), String> {
    let spec = crate::studies::find(name)?;
    let mut flags = Flags::parse(args)?;
    let save = flags.take("save");
    let (values, errors) = spec.values(flags.pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    if let Some(e) = errors.into_iter().next() {
        return Err(e.message);
    }
    let mut run = (spec.open)(&values)?;
    // Settings valid one by one but not together (a map cell past the map) are refused like a bad flag.
    if let Some(Json::Str(e)) = field(&run.report(), "error") {
        return Err(e.clone());
    }
    let t0 = Instant::now();
    let mut last = 0.0;
    while run.advance(1) {
        let s = t0.elapsed().as_secs_f64();
        if s - last > 5.0 {
            last = s;
            if let Some((done, total)) = done_total(&run.progress()) {
                eprintln!("{name}: {done} of {total} ({s:.0} s)");
            }
        }
    }
    run.progress();
    let report = run.report().to_string();
    if let Some(path) = save {
        std::fs::write(&path, format!("{report}\n")).map_err(|e| format!("--save {path}: {e}"))?;
    }
    if flags.switches.iter().any(|s| s == "json") {
        println!("{report}");
    } else {
        print!("{}", run.table());
    }
    eprintln!("{name}: {:.1} s", t0.elapsed().as_secs_f64());
    Ok(())
}

/// `richlazy sgd merge FILES [--save F] [--json]`: shards of one phase diagram as one report.
fn merge(args: &[String]) -> Result<(), String> {
    let (mut files, mut save, mut json, mut it) = (Vec::new(), None, false, args.iter());
    while let Some(a) = it.next() {
        match a.as_str() {
            "--json" => json = true,
            "--save" => save = Some(it.next().ok_or("--save needs a path")?),
            f if f.starts_with("--") => return Err(format!("merge: unexpected argument '{f}'")),
            f => files.push(f),
        }
    }
    let texts = files
        .iter()
        .map(|f| std::fs::read_to_string(f).map(|t| (f.to_string(), t)).map_err(|e| format!("{f}: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    let merge = crate::studies::find("phase")?.merge.ok_or("merge: the phase diagram has no merge")?;
    let (report, table) = merge(&texts)?;
    if let Some(path) = save {
        std::fs::write(path, format!("{report}\n")).map_err(|e| format!("--save {path}: {e}"))?;
    }
    if json {
        println!("{report}");
    } else {
        print!("{table}");
    }
    Ok(())
}

fn done_total(p: &Json) -> Option<(f64, f64)> {
    match (field(p, "done")?, field(p, "total")?) {
        (Json::Num(d), Json::Num(t)) => Some((*d, *t)),
        _ => None,
    }
}
