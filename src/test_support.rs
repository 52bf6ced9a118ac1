//! What tests across modules share.

/// `count` texts, each one to four runs of one pick from every part, in turn: the generated
/// inputs the hand matchers are compared with their regexes on. Deterministic from `seed`.
pub fn combinations(parts: &[&[&str]], mut seed: u64, count: usize) -> Vec<String> {
    let mut next = |n: usize| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n
    };
    (0..count)
        .map(|_| {
            let mut text = String::new();
            for _ in 0..next(4) + 1 {
                for part in parts {
                    text.push_str(part[next(part.len())]);
                }
            }
            text
        })
        .collect()
}

/// The embedded catalog, built once for all the tests of a run.
pub fn catalog() -> &'static crate::catalog::Catalog {
    static CATALOG: std::sync::OnceLock<crate::catalog::Catalog> = std::sync::OnceLock::new();
    CATALOG.get_or_init(crate::catalog::Catalog::embedded)
}

/// The embedded catalog's lexicon.
pub fn lexicon() -> &'static crate::extract::Lexicon {
    catalog().lexicon()
}
