//! "Open as notebook": a Jupyter notebook (nbformat 4.5) out of any view, written here once so that
//! the page (the wasm `notebook` export) and the command line (`richlazy notebook VIEW`) give the same
//! bytes. It installs the Python package, reproduces the view's run or study with the same settings
//! (those off their defaults, as keyword arguments), checks `to_json()` against the page's result when
//! one is embedded, and draws the view's charts with matplotlib (the `notebook/*.py` cells).
//!
//! The text is what `nbformat.write` writes for the same notebook (keys sorted, indent 1, a final
//! newline), so that saving it from Jupyter unchanged changes no byte.

use crate::json::{obj, Json};
use crate::settings::{param, without_repeats, Code, Kind, Param, SettingError, Values};
use crate::study::Spec;
use crate::sweep::parse_variants;

/// Each view's figure cell, run after the cell that makes `result` (the lab's also reads `runs`).
const FIGURES: [(&str, &str); 5] = [
    ("lab", include_str!("notebook/lab.py")),
    ("theory", include_str!("notebook/theory.py")),
    ("perceptron", include_str!("notebook/perceptron.py")),
    ("phase", include_str!("notebook/phase.py")),
    ("grok", include_str!("notebook/grok.py")),
];

/// The characters of the page's JSON per line of the cell that embeds it.
const CHUNK: usize = 100;

/// Settings as key and value.
type Pairs<'a> = Vec<(&'a str, &'a str)>;

/// The notebook for `study`'s view at `pairs` (a link's or a command line's, the view's page keys
/// included), with the page's finished result `page_json` (any JSON text: it is embedded as the engine
/// writes it) or none. A bad setting is refused with its table's error; bad JSON under the key `report`.
pub fn notebook(study: &str, pairs: &[(String, String)], page_json: Option<&str>) -> Result<String, SettingError> {
    let spec = crate::studies::find(study)?;
    let (page, own): (Pairs, Pairs) = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .partition(|(k, _)| spec.page_params.iter().any(|p| p.key == *k));
    let (values, errors) = spec.values(own);
    if let Some(e) = errors.into_iter().next() {
        return Err(e);
    }
    let comparison = comparison(&page)?;
    let page_json = page_json
        .map(|t| Json::parse(t).map(|j| j.to_string()))
        .transpose()
        .map_err(|e| SettingError::new("report", Code::Format, format!("report: {e}")))?;
    let figures = FIGURES.iter().find(|(name, _)| *name == spec.name).map_or("", |(_, code)| code);

    let mut cells = vec![
        markdown(&intro(spec)),
        code(INSTALL),
        markdown(&format!(
            "## The run\n\nThe view's settings that differ from their defaults, as keyword arguments \
             (`richlazy.schema(\"{}\")` lists every setting with its default).{}",
            spec.name,
            if comparison.is_some() {
                " The page's comparison is `richlazy.sweep` over its items and seeds: the same runs in the same order."
            } else {
                ""
            }
        )),
        code(&call(spec, &values, comparison.as_ref())),
        markdown(if page_json.is_some() {
            "## The check\n\nThe page's result, embedded when the notebook was written, against this run's `to_json()`."
        } else {
            "## The check\n\nThe page had no finished result when it wrote this notebook: there is nothing to compare."
        }),
        code(&embedded(page_json.as_deref())),
        code(if comparison.is_some() { CHECK_RUNS } else { CHECK }),
        markdown("## Figures\n\nThe view's charts, drawn from `result` with matplotlib."),
    ];
    let runs = if comparison.is_some() {
        "seeds = result.report[\"seeds\"]\nruns = [(result.summary[i // seeds][\"init\"], run.history) for i, run in enumerate(result.runs)]\n"
    } else if spec.name == "lab" {
        "runs = [(\"this run\", result.history)]\n"
    } else {
        ""
    };
    cells.push(code(&format!("{runs}{figures}")));
    for (i, c) in cells.iter_mut().enumerate() {
        if let Json::Obj(fields) = c {
            fields.push(("id".into(), Json::from(format!("cell-{i}"))));
        }
    }
    let kernel = obj([
        ("display_name", Json::from("Python 3")),
        ("language", Json::from("python")),
        ("name", Json::from("python3")),
    ]);
    let view = obj([("engine", Json::from(env!("CARGO_PKG_VERSION"))), ("view", Json::from(spec.name))]);
    let meta =
        obj([("kernelspec", kernel), ("language_info", obj([("name", Json::from("python"))])), ("richlazy", view)]);
    let nb = obj([
        ("cells", Json::Arr(cells)),
        ("metadata", meta),
        ("nbformat", Json::from(4usize)),
        ("nbformat_minor", Json::from(5usize)),
    ]);
    let mut out = String::new();
    pretty(&nb, 0, &mut out);
    out.push('\n');
    Ok(out)
}

/// The lab's comparison (its page keys `compare` and `seeds`) as the sweep's items and seeds: the
/// items as the engine's list reads them, the seeds checked by the sweep's row. A link's comparison
/// without seeds runs one seed, as the page reads it.
fn comparison(page: &[(&str, &str)]) -> Result<Option<(Vec<String>, u64)>, SettingError> {
    let (page, repeats) = without_repeats(page.iter().copied());
    if let Some(e) = repeats.into_iter().next() {
        return Err(e);
    }
    let get = |key: &str| page.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
    let seeds = get("seeds").map(|s| param(&crate::sweep::PARAMS, "seeds").expect("a sweep setting").number(s));
    let seeds = seeds.transpose()?.map_or(1, |s| s as u64);
    let Some(list) = get("compare") else {
        return match get("seeds") {
            Some(_) => Err(SettingError::new("seeds", Code::Conflict, "seeds: only with a comparison (compare)")),
            None => Ok(None),
        };
    };
    let items = parse_variants(list).map_err(|e| SettingError::new("compare", Code::List, format!("compare: {e}")))?;
    Ok(Some((items.into_iter().map(|v| v.label).collect(), seeds)))
}

fn intro(spec: &Spec) -> String {
    format!(
        "# richlazy: {title}\n\n\
         The page's view `?view={name}` as a notebook: the same run with the same settings through the Python \
         package `richlazy`, its result checked against the page's (byte for byte, where the page had a finished \
         result), and the view's charts drawn with matplotlib. Written by richlazy {version}; \
         `richlazy notebook {name} --key value ...` on the command line writes the same file.\n\n\
         **Installing.** `richlazy` is not on PyPI: it is built from a checkout of its repository \
         (`pip install ./python` there compiles the engine with Rust's cargo, a few minutes). The first cell \
         imports it where it is installed already; where it is not, set `CHECKOUT` to the checkout's folder and \
         the cell runs that install in this kernel's environment (and installs matplotlib from PyPI if missing).",
        title = spec.title,
        name = spec.name,
        version = env!("CARGO_PKG_VERSION"),
    )
}

const INSTALL: &str = r#"# richlazy is built from a checkout of its repository (it is not on PyPI); matplotlib comes from PyPI.
# Where both are installed already, this cell only imports them.
import importlib.util
import json
import subprocess
import sys

CHECKOUT = "."  # the repository's folder, the one that holds python/ (read only if richlazy is missing)
if importlib.util.find_spec("richlazy") is None:
    subprocess.check_call([sys.executable, "-m", "pip", "install", f"{CHECKOUT}/python"])
if importlib.util.find_spec("matplotlib") is None:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "matplotlib"])

import richlazy
"#;

const CHECK: &str = r#"if page_json is None:
    print("Nothing to compare: the page had no finished result when it wrote this notebook.")
else:
    ours = result.to_json()
    at = next((i for i, (a, b) in enumerate(zip(ours, page_json)) if a != b), min(len(ours), len(page_json)))
    assert ours == page_json, f"to_json() differs from the page's result from character {at} on"
    print(f"Check passed: to_json() is the page's result, byte for byte ({len(ours)} bytes).")
"#;

/// A comparison's check: the page exports its runs as a list, the sweep reports them under "runs";
/// both are read and written back by Python's json, which keeps every value, text and order.
const CHECK_RUNS: &str = r#"if page_json is None:
    print("Nothing to compare: the page had no finished result when it wrote this notebook.")
else:
    ours = json.dumps(json.loads(result.to_json())["runs"])
    theirs = json.dumps(json.loads(page_json))
    at = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), min(len(ours), len(theirs)))
    assert ours == theirs, f"the sweep's runs differ from the page's from character {at} of their JSON on"
    print(f"Check passed: the sweep's {len(result.runs)} runs are the page's, value for value and in order.")
"#;

/// `result = richlazy.run(...)`, `.sweep(...)` (a comparison) or `.study("name", ...)`: one keyword
/// argument a line, each with its setting's help.
fn call(spec: &Spec, values: &Values, comparison: Option<&(Vec<String>, u64)>) -> String {
    let mut args = Vec::new();
    if let Some((items, seeds)) = comparison {
        let list: Vec<String> = items.iter().map(|i| Json::from(i.as_str()).to_string()).collect();
        args.push(format!("inits=[{}],  # the page's comparison", list.join(", ")));
        args.push(format!("seeds={seeds},  # seeds per item"));
    }
    for (key, value) in values.changed() {
        let p = param(spec.params, key).expect("a key of the table");
        args.push(match key {
            // Python's `file` is the matrix's path (as the command line's); the page knows its hash only.
            "file" => format!("file=\"matrix.npy\",  # the path of your matrix file (the page's has hash {value})"),
            _ => format!("{key}={},  # {}", literal(p, &value), p.help),
        });
    }
    let (head, first) = match (spec.name, comparison) {
        ("lab", None) => ("richlazy.run(".to_string(), ""),
        ("lab", Some(_)) => ("richlazy.sweep(".to_string(), ""),
        (name, _) => (format!("richlazy.study({}", Json::from(name)), ", "),
    };
    let body = if args.is_empty() {
        ")".to_string()
    } else {
        format!(
            "{}\n{})",
            if first.is_empty() { "" } else { "," },
            args.iter().map(|a| format!("    {a}\n")).collect::<String>()
        )
    };
    format!("result = {head}{body}\nresult\n")
}

/// A checked value as a Python literal that the package spells back as the same text: whole numbers
/// in digits, reals as the table writes them, lists of reals as lists, names as strings (numbers
/// where a name is one, such as dt's).
fn literal(p: &Param, v: &str) -> String {
    let digits = !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) && (v == "0" || !v.starts_with('0'));
    match p.kind {
        Kind::Int { .. } => (v.parse::<f64>().expect("checked") as u64).to_string(),
        Kind::Real { .. } => v.to_string(),
        Kind::Reals { .. } => format!("[{}]", v.split(',').collect::<Vec<_>>().join(", ")),
        Kind::Choice { .. } if digits => v.to_string(),
        _ => Json::from(v).to_string(),
    }
}

/// The cell that holds the page's result: its JSON text as Python string literals, `CHUNK`
/// characters a line, joined by Python; `None` without one.
fn embedded(page_json: Option<&str>) -> String {
    let Some(text) = page_json else {
        return "page_json = None  # the page had no finished result when it wrote this notebook\n".into();
    };
    let chars: Vec<char> = text.chars().collect();
    let lines: String = chars.chunks(CHUNK).map(|c| format!("    '{}'\n", py_quoted(c))).collect();
    format!("# The page's result as the engine writes it ({} bytes).\npage_json = (\n{lines})\n", text.len())
}

/// Characters for a single-quoted Python literal: backslash, quote and anything that would break the
/// cell's line (controls, the Unicode line separators) escaped.
fn py_quoted(chars: &[char]) -> String {
    let mut s = String::new();
    for &c in chars {
        match c {
            '\\' => s.push_str("\\\\"),
            '\'' => s.push_str("\\'"),
            c if c.is_control() || c == '\u{2028}' || c == '\u{2029}' => s.push_str(&format!("\\u{:04x}", c as u32)),
            c => s.push(c),
        }
    }
    s
}

fn markdown(text: &str) -> Json {
    obj([("cell_type", Json::from("markdown")), ("metadata", obj::<&str>([])), ("source", lines(text))])
}

fn code(text: &str) -> Json {
    obj([
        ("cell_type", Json::from("code")),
        ("execution_count", Json::Null),
        ("metadata", obj::<&str>([])),
        ("outputs", Json::Arr(Vec::new())),
        ("source", lines(text.strip_suffix('\n').unwrap_or(text))),
    ])
}

/// A cell's source as nbformat stores it: its lines, each with its newline but the last.
fn lines(text: &str) -> Json {
    Json::Arr(text.split_inclusive('\n').map(Json::from).collect())
}

/// JSON as Python's `json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False)` writes it (nbformat's
/// own form); scalars as the engine writes them.
fn pretty(j: &Json, depth: usize, out: &mut String) {
    let pad = |out: &mut String, d: usize| {
        out.push('\n');
        out.push_str(&" ".repeat(d));
    };
    match j {
        Json::Arr(items) if !items.is_empty() => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                pad(out, depth + 1);
                pretty(v, depth + 1, out);
            }
            pad(out, depth);
            out.push(']');
        }
        Json::Obj(fields) if !fields.is_empty() => {
            let mut sorted: Vec<&(String, Json)> = fields.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            out.push('{');
            for (i, (k, v)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                pad(out, depth + 1);
                out.push_str(&format!("{}: ", Json::from(k.as_str())));
                pretty(v, depth + 1, out);
            }
            pad(out, depth);
            out.push('}');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    /// Every code cell's source, joined.
    fn sources(nb: &str) -> Vec<String> {
        let j = Json::parse(nb).expect("valid JSON");
        let Some(Json::Arr(cells)) = j.get("cells") else { panic!("no cells") };
        cells
            .iter()
            .map(|c| match c.get("source") {
                Some(Json::Arr(lines)) => {
                    lines.iter().map(|l| if let Json::Str(s) = l { s.as_str() } else { "" }).collect()
                }
                _ => String::new(),
            })
            .collect()
    }

    #[test]
    fn a_notebook_carries_the_settings_as_keyword_arguments() {
        let nb = notebook("grok", &pairs(&[("epochs", "50"), ("alphas", "0.5, 2"), ("mode", "alpha")]), None).unwrap();
        let j = Json::parse(&nb).unwrap();
        assert_eq!((j.get("nbformat"), j.get("nbformat_minor")), (Some(&Json::Num(4.0)), Some(&Json::Num(5.0))));
        let cells = sources(&nb);
        let run = cells.iter().find(|c| c.starts_with("result = ")).unwrap();
        assert!(run.starts_with("result = richlazy.study(\"grok\",\n"), "{run}");
        for arg in ["mode=\"alpha\",", "epochs=50,", "alphas=[0.5, 2],"] {
            assert!(run.contains(&format!("    {arg}  # ")), "{arg} in {run}");
        }
        assert!(!run.contains("seed="), "defaults stay out: {run}");
        assert!(cells.iter().any(|c| c.starts_with("page_json = None")));
        assert!(nb.ends_with("}\n") && nb.starts_with("{\n \"cells\": [\n  {\n"));
        // The ids are nbformat 4.5's, one a cell.
        assert_eq!(nb.matches("\"id\": \"cell-").count(), cells.len());
    }

    #[test]
    fn the_lab_runs_or_sweeps_and_embeds_the_pages_result_as_the_engine_writes_it() {
        let report = "{\"final\": {\"loss\": 2.6240903583545304e-17, \"text\": \"it's \\\\ \\n\"}}";
        let nb = notebook("lab", &pairs(&[("hidden", "16"), ("dt", "50"), ("init", "rank")]), Some(report)).unwrap();
        let cells = sources(&nb);
        let run = cells.iter().find(|c| c.starts_with("result = ")).unwrap();
        assert!(run.starts_with("result = richlazy.run(\n    init=\"rank\",  # "), "{run}");
        assert!(run.contains("    hidden=16,  # hidden units N\n") && run.contains("    dt=50,  # "), "{run}");
        let page = cells.iter().find(|c| c.contains("page_json = (")).unwrap();
        assert!(
            page.contains(r#"    '{"final":{"loss":0.000000000000000026240903583545304,"text":"it\'s \\\\ \\n"}}'"#),
            "{page}"
        );

        let compare = pairs(&[("hidden", "16"), ("compare", "rank:1, gaussian"), ("seeds", "2")]);
        let cells = sources(&notebook("lab", &compare, None).unwrap());
        let run = cells.iter().find(|c| c.starts_with("result = ")).unwrap();
        assert!(run.starts_with("result = richlazy.sweep(\n    inits=[\"rank:1\", \"gaussian\"],  # the page's comparison\n    seeds=2,"), "{run}");
        assert!(cells.iter().any(|c| c.contains("json.loads(result.to_json())[\"runs\"]")));
    }

    #[test]
    fn a_bad_setting_is_refused_with_its_tables_error() {
        let e = notebook("perceptron", &pairs(&[("ps", "16,x")]), None).unwrap_err();
        assert_eq!((e.key.as_str(), e.code, e.message.as_str()), ("ps", Code::Number, "ps: 'x' is not a number"));
        let e = notebook("theory", &pairs(&[("nope", "1")]), None).unwrap_err();
        assert_eq!((e.key.as_str(), e.code), ("nope", Code::Unknown));
        let e = notebook("lab", &pairs(&[("compare", "rank:1,,wat")]), None).unwrap_err();
        assert_eq!(e.key, "compare");
        let e = notebook("lab", &pairs(&[("seeds", "2")]), None).unwrap_err();
        assert_eq!((e.key.as_str(), e.code), ("seeds", Code::Conflict));
        let e = notebook("grok", &[], Some("{\"runs\": [1,")).unwrap_err();
        assert_eq!((e.key.as_str(), e.code), ("report", Code::Format));
        assert_eq!(notebook("nope", &[], None).unwrap_err().key, "view");
    }
}
