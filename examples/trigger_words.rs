//! Prints the prefilter's trigger words and message signals, one per line, as the embedded
//! catalog's descriptors derive them: `benches/compare.sh` gives them to ripgrep, to measure
//! what finding the lines worth a look costs with its engine.

fn main() {
    let catalog = errwatch::catalog::Catalog::embedded();
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
