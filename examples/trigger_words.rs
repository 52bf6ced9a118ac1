//! Prints the prefilter's trigger words and message signals, one per line, as the embedded
//! catalog's descriptors derive them: `benches/compare.sh` gives them to ripgrep, to measure
//! what finding the lines worth a look costs with its engine. Catalog files given as arguments
//! are loaded over the embedded one, as `--catalog` loads them.

fn main() {
    let files: Vec<String> = std::env::args().skip(1).collect();
    let catalog = match errwatch::catalog::Catalog::with_overrides(&files) {
        Ok(catalog) => catalog,
        Err(e) => {
            eprintln!("trigger_words: {e}");
            std::process::exit(1);
        }
    };
    let lexicon = catalog.lexicon();
    for word in lexicon
        .trigger_words()
        .iter()
        .map(String::as_str)
        .chain(errwatch::extract::lexicon::MESSAGE_SIGNALS.iter().copied())
    {
        println!("{word}");
    }
}
