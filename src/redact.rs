//! Secrets never leave errwatch: API keys, bearer tokens, Coze PATs, Ark and Volcengine keys in
//! any text errwatch prints or serves are replaced by `[REDACTED]`.

use std::borrow::Cow;
use std::sync::OnceLock;

use regex::Regex;

pub const MARK: &str = "[REDACTED]";

fn patterns() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?i:bearer)\s+[A-Za-z0-9._~+/=-]{8,}",
            r"|(?-u:\b)eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*", // JWT (Zhipu's signed tokens)
            r"|(?-u:\b)[0-9a-f]{32}\.[A-Za-z0-9]{16}(?-u:\b)",                   // Zhipu API key id.secret
            r"|(?-u:\b)(?:sk|pat|sat|pk)_?-?[A-Za-z0-9]{20,}",                   // sk-..., Coze pat_...
            r"|(?-u:\b)AKLT[A-Za-z0-9+/=_-]{16,}",                               // Volcengine access key
            r"|(?i:api[_-]?key|access[_-]?token|secret[_-]?key|x-api-key|authorization|token)",
            r#"(?:["']?\s*[:=]\s*["']?)[A-Za-z0-9._~+/=-]{8,}"#,
        ))
        .expect("redaction patterns compile")
    })
}

/// A value: this many bytes of [`KEY_BYTES`] after `bearer` or a key's name.
const VALUE_BYTES: usize = 8;
/// The shortest key with a literal of its own: `AKLT` and 16 more bytes.
const KEY_RUN: usize = 20;
/// The Zhipu key, `[0-9a-f]{32}\.[A-Za-z0-9]{16}`, has no literal, only its length.
const ZHIPU_KEY_BYTES: usize = 49;
/// What the names in the last alternative end with.
const NAME_ENDS: [&str; 3] = ["key", "token", "authorization"];

/// Could [`patterns`] match in `text`? Each alternative is looked for by what it cannot match
/// without, found with memchr or a scan that skips most bytes: most messages need no regex.
fn may_hold_secret(text: &str) -> bool {
    names_a_value(text) || follows_bearer(text) || long_runs(text.as_bytes()).any(may_be_key)
}

/// Bytes of `[A-Za-z0-9._~+/=-]`.
const KEY_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        table[b] =
            byte.is_ascii_alphanumeric() || matches!(byte, b'.' | b'_' | b'~' | b'+' | b'/' | b'=' | b'-');
        b += 1;
    }
    table
};

fn is_key_byte(b: &u8) -> bool {
    KEY_BYTES[usize::from(*b)]
}

fn starts_with_value(text: &str) -> bool {
    text.as_bytes().get(..VALUE_BYTES).is_some_and(|head| head.iter().all(is_key_byte))
}

/// `api_key: …` and its kin: a name, `["']?\s*[:=]\s*["']?`, a value. Each `\s*` lies between
/// things that are not white space, so it takes the whole run: each side has one reading.
fn names_a_value(text: &str) -> bool {
    memchr::memchr2_iter(b':', b'=', text.as_bytes()).any(|i| {
        let name = text[..i].trim_end();
        let name = name.strip_suffix(['"', '\'']).unwrap_or(name);
        let value = text[i + 1..].trim_start();
        let value = value.strip_prefix(['"', '\'']).unwrap_or(value);
        NAME_ENDS.iter().any(|end| ends_with_ignoring_case(name, end)) && starts_with_value(value)
    })
}

/// As `(?i)` compares: ASCII case, and the Kelvin sign for `k`, the one form of these letters
/// beyond ASCII.
fn ends_with_ignoring_case(text: &str, lower: &str) -> bool {
    let mut chars = text.chars().rev();
    lower.chars().rev().all(|want| {
        chars.next().is_some_and(|c| c.to_ascii_lowercase() == want || (want == 'k' && c == '\u{212a}'))
    })
}

/// `(?i:bearer)\s+`, then a value. `bearer` has no case forms beyond ASCII.
fn follows_bearer(text: &str) -> bool {
    memchr::memchr2_iter(b'b', b'B', text.as_bytes()).any(|i| {
        let Some(after) =
            text[i..].get(..6).filter(|w| w.eq_ignore_ascii_case("bearer")).map(|_| &text[i + 6..])
        else {
            return false;
        };
        let value = after.trim_start();
        value.len() < after.len() && starts_with_value(value)
    })
}

/// Maximal runs of at least [`KEY_RUN`] key bytes. A window is read from its end: a byte
/// outside the class rules out every window that holds it, so prose is mostly skipped.
fn long_runs(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut start = 0;
    std::iter::from_fn(move || {
        while start + KEY_RUN <= bytes.len() {
            match bytes[start..start + KEY_RUN].iter().rposition(|b| !is_key_byte(b)) {
                Some(i) => start += i + 1,
                None => {
                    let end = bytes[start..]
                        .iter()
                        .position(|b| !is_key_byte(b))
                        .map_or(bytes.len(), |n| start + n);
                    let run = &bytes[start..end];
                    start = end;
                    return Some(run);
                }
            }
        }
        None
    })
}

/// Could a run of key bytes hold a key? The Zhipu key by its length; the others start with
/// `eyJ`, `sk`, `pat`, `sat`, `pk` or `AKLT`, looked for by their first two bytes.
fn may_be_key(run: &[u8]) -> bool {
    run.len() >= ZHIPU_KEY_BYTES
        || run.windows(2).any(|w| matches!(w, b"ey" | b"sk" | b"pa" | b"sa" | b"pk" | b"AK"))
}

/// A UUID-shaped value after `key`-like words is redacted by the pattern above; a bare UUID is
/// not, because request ids are UUIDs too and are what support asks for.
pub fn secrets(text: &str) -> Cow<'_, str> {
    if !may_hold_secret(text) {
        return Cow::Borrowed(text);
    }
    patterns().replace_all(text, replacement)
}

fn replacement(caps: &regex::Captures<'_>) -> String {
    let m = &caps[0];
    // Keep the key name so a reader knows what was there.
    match m.find([':', '=']) {
        Some(i) if !m.starts_with(|c: char| c.eq_ignore_ascii_case(&'b')) => {
            let (key, _) = m.split_at(i + 1);
            format!("{key}{MARK}")
        }
        _ if m.len() > 6 && m[..6].eq_ignore_ascii_case("bearer") => format!("Bearer {MARK}"),
        _ => MARK.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_tokens_are_redacted() {
        let cases = [
            ("Authorization: Bearer abcdefgh12345678", "Authorization: Bearer [REDACTED]"),
            ("use Bearer abcdefgh12345678 now", "use Bearer [REDACTED] now"),
            ("key 0123456789abcdef0123456789abcdef.AbCdEfGhIjKlMnOp end", "key [REDACTED] end"),
            ("token pat_OYDacMzM3WyOWV3Dtj2bHRMymzxP6NNi7E1y2HFsTYVCDF done", "token [REDACTED] done"),
            ("api_key=sk-abcdefghijklmnopqrstuvwx", "api_key=[REDACTED]"),
            ("ak AKLTYzA4ZGRkMDU5NmQ1NGJkNjk1 x", "ak [REDACTED] x"),
        ];
        for (input, want) in cases {
            assert_eq!(secrets(input), want, "{input}");
        }
    }

    #[test]
    fn ordinary_text_is_untouched() {
        let text = "Your account is in arrears. Request ID: 021730000000000abcdef0123456789";
        assert_eq!(secrets(text), text);
        assert!(matches!(secrets("余额不足"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_kelvin_sign_is_the_only_case_form_beyond_ascii() {
        let beyond_ascii: String = (0x80..=char::MAX as u32).filter_map(char::from_u32).collect();
        // The letters of `bearer` and of the names' ends.
        let letters = Regex::new("(?i)[abehiknortuyz]").unwrap();
        let found: Vec<&str> = letters.find_iter(&beyond_ascii).map(|m| m.as_str()).collect();
        assert_eq!(found, ["\u{212a}"]);
    }

    #[test]
    fn white_space_is_what_the_regex_calls_white_space() {
        let all: String = (0..=char::MAX as u32).filter_map(char::from_u32).collect();
        let want: Vec<&str> = Regex::new(r"\s").unwrap().find_iter(&all).map(|m| m.as_str()).collect();
        let got: Vec<String> = all.chars().filter(|c| c.is_whitespace()).map(String::from).collect();
        assert_eq!(got, want);
    }

    /// Texts made of pieces of secrets and of ordinary messages.
    fn generated_texts() -> Vec<String> {
        // Split on `|`, which no piece holds.
        let pieces: Vec<&str> = concat!(
            "Bearer |bearer\t|BEARER|bearer\u{3000}|eyJ|sk-|sk_|sk|pat_|sat_|pk|AKLT|",
            "api_key|ACCESS-TOKEN|Authorization|x-api-key|secret_key|token|to\u{212a}en|\u{212a}ey|",
            ": |:|=| = |\"|'|\u{3000}|.| |/|-|_|余额不足|Request ID: |x|1|abcdef0123|",
            "0123456789abcdef0123456789abcdef|AbCdEfGhIjKlMnOp|abcdefg|ABCDEFGH|abcdefghijklmnopqrs",
        )
        .split('|')
        .collect();
        let mut seed: u64 = 7;
        let mut next = move |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        (0..20_000).map(|_| (0..1 + next(12)).map(|_| pieces[next(pieces.len())]).collect()).collect()
    }

    #[test]
    fn the_precheck_skips_only_texts_the_regex_leaves_alone() {
        let catalog = crate::catalog::Catalog::embedded();
        let documented = catalog.entries().iter().flat_map(|e| std::iter::once(&e.message).chain(&e.aliases));
        // Each alternative at its shortest, where the precheck is tightest.
        let edges = [
            "Bearer abcdefgh",
            "bearer\u{3000}abcdefgh",
            "api key: abcdefgh",
            "API_KEY\u{3000}=\u{3000}'abcdefgh'",
            "token \" : \"abcdefgh",
            "token ' : abcdefgh",
            "to\u{212a}en=abcdefgh",
            "token==abcdefg",
            "(eyJabcdefgh.abcdefgh.)",
            "x 0123456789abcdef0123456789abcdef.AbCdEfGhIjKlMnOp y",
            "path/sk-abcdefghijklmnopqrst",
            "AKLTabcdefghijklmnop",
        ];
        let texts: Vec<String> =
            generated_texts().into_iter().chain(documented.cloned()).chain(edges.map(String::from)).collect();
        let (mut redacted, mut skipped) = (0, 0);
        for text in &texts {
            let want = patterns().replace_all(text, replacement);
            assert_eq!(secrets(text), want, "{text:?}");
            redacted += usize::from(want != text.as_str());
            skipped += usize::from(!may_hold_secret(text));
        }
        assert!(redacted > texts.len() / 10 && skipped > texts.len() / 10, "{redacted} {skipped}");
    }
}
