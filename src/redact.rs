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

/// A UUID-shaped value after `key`-like words is redacted by the pattern above; a bare UUID is
/// not, because request ids are UUIDs too and are what support asks for.
pub fn secrets(text: &str) -> Cow<'_, str> {
    patterns().replace_all(text, |caps: &regex::Captures<'_>| {
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
    })
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
}
