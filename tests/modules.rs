//! The crate's top-level modules import each other without a circle: each module's non-test code
//! (a file's text before its `#[cfg(test)]`) names the others as `crate::name`; a circle would
//! mean two modules that can only be understood, and changed, together.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Top-level module -> the top-level modules its code names.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in files {
        let rel = f.strip_prefix(&src).unwrap();
        let top = rel.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
        let text = std::fs::read_to_string(&f).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap();
        let deps = graph.entry(top.clone()).or_default();
        for (i, _) in code.match_indices("crate::") {
            let name: String = code[i + 7..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if name != top && !name.is_empty() {
                deps.insert(name);
            }
        }
    }
    graph
}

/// A path from `from` back to `to`, if any.
fn path(graph: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> Option<Vec<String>> {
    let (mut stack, mut seen) = (vec![vec![from.to_string()]], BTreeSet::new());
    while let Some(p) = stack.pop() {
        let last = p.last().unwrap().clone();
        if last == to {
            return Some(p);
        }
        if seen.insert(last.clone()) {
            for next in graph.get(&last).into_iter().flatten() {
                stack.push([p.clone(), vec![next.clone()]].concat());
            }
        }
    }
    None
}

#[test]
fn no_two_modules_import_each_other() {
    let graph = imports();
    assert!(graph["config"].contains("init") && graph["studies"].contains("lab"), "the scan sees imports: {graph:?}");
    for (m, deps) in &graph {
        for d in deps {
            if let Some(p) = path(&graph, d, m) {
                panic!("import circle: {m} -> {}", p.join(" -> "));
            }
        }
    }
}
