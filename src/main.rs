//! `richlazy`: the experiments of the page, from a terminal.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Err(e) = richlazy::cli::main(&args) {
        eprintln!("richlazy: {e}");
        std::process::exit(2);
    }
}
