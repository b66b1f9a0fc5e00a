//! The lists in docs/cli.md and the README are the engine's tables: the families and the sweep's
//! items between their markers, every lab key documented, every documented flag a key of some table,
//! every `--inits` list one the sweep reads. Fails when the docs and the tables drift apart.

use richlazy::init::FAMILIES;

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{}/{path}", env!("CARGO_MANIFEST_DIR"))).expect("the doc is there")
}

/// The text between `<!-- name -->` and `<!-- /name -->`, its line breaks as spaces.
fn block(doc: &str, name: &str) -> String {
    let (open, close) = (format!("<!-- {name} -->"), format!("<!-- /{name} -->"));
    let start = doc.find(&open).unwrap_or_else(|| panic!("no {open}")) + open.len();
    let end = doc[start..].find(&close).unwrap_or_else(|| panic!("no {close}")) + start;
    doc[start..end].split_whitespace().collect::<Vec<_>>().join(" ")
}

fn code_list(items: impl Iterator<Item = String>) -> String {
    items.map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}

#[test]
fn the_families_and_items_in_docs_cli_are_the_tables() {
    let cli = read("docs/cli.md");
    assert_eq!(block(&cli, "families"), code_list(FAMILIES.iter().map(|f| f.key.to_string())), "docs/cli.md families");
    assert_eq!(block(&cli, "items"), code_list(FAMILIES.iter().map(|f| f.item())), "docs/cli.md --inits items");
}

/// Every `--word` in a text.
fn flags(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("--") {
        let word: String = text[i + 2..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
        if !word.is_empty() && !text[..i].ends_with('-') {
            out.push(word);
        }
    }
    out
}

#[test]
fn every_flag_in_the_docs_is_a_key_of_a_table_and_every_lab_key_is_documented() {
    let keys: Vec<&str> = richlazy::studies::STUDIES
        .iter()
        .flat_map(|s| s.params.iter().chain(s.page_params))
        .chain(&richlazy::sweep::PARAMS)
        .map(|p| p.key)
        .collect();
    // The command line's switches and arguments that are not settings (grok --summary, notebook --report),
    // cargo's and jupyter's flags.
    let others = ["json", "save", "summary", "report", "help", "key", "release", "trace", "to", "execute"];
    for doc in ["docs/cli.md", "README.md"] {
        for f in flags(&read(doc)) {
            assert!(keys.contains(&f.as_str()) || others.contains(&f.as_str()), "{doc}: --{f} is no table's key");
        }
    }
    let cli = flags(&read("docs/cli.md"));
    for p in richlazy::config::PARAMS.iter().chain(&richlazy::sweep::PARAMS) {
        assert!(cli.iter().any(|f| f == p.key), "docs/cli.md does not document --{}", p.key);
    }
}

#[test]
fn every_inits_list_in_the_docs_is_one_the_sweep_reads() {
    for doc in ["docs/cli.md", "README.md"] {
        let text = read(doc);
        for (i, _) in text.match_indices("--inits ") {
            let list: String = text[i + 8..].chars().take_while(|c| !c.is_whitespace() && *c != '`').collect();
            if list == "paper" || list.chars().all(|c| c.is_ascii_uppercase() || c == '.' || c == ',') {
                continue;
            }
            assert!(richlazy::sweep::parse_variants(&list).is_ok(), "{doc}: --inits {list}");
        }
    }
}
