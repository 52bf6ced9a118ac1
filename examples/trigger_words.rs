//! Prints the prefilter's trigger words, one per line, as the embedded catalog's descriptors
//! derive them: `benches/compare.sh` gives them to ripgrep, to measure what finding the lines
//! worth a look costs with its engine.

fn main() {
    let catalog = errwatch::catalog::Catalog::embedded();
    for word in catalog.lexicon().trigger_words() {
        println!("{word}");
    }
}
