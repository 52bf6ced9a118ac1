//! Provider evidence in a text other than a response's shape: endpoint hosts, an explicit
//! `provider`/`channel` field, SDK module names, model families.
//!
//! The clues are every provider's descriptor words (`[identify]` in its catalog file), compiled
//! into the lexicon. The rule when a text names several providers: the strongest kind of
//! evidence wins (explicit field, then host, then exception class, then SDK package or logger,
//! then model name); among equals, the first on the line.

use crate::catalog::{ClueKind, Provider};

use super::lexicon::{Lexicon, FIELD_KEYS};

/// How much a piece of evidence says: the kind of clue it came from.
pub type Strength = ClueKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    pub provider: Provider,
    pub strength: Strength,
    /// `false`: a provider only recognized, whose errors are set aside.
    pub counted: bool,
}

/// The provider a text points to, if any.
pub fn find(text: impl AsRef<[u8]>, lexicon: &Lexicon) -> Option<Hint> {
    let text = text.as_ref();
    let mut best = Best::default();
    lexicon
        .clues()
        .0
        .each(text, |clue, start, end, field| best.offer(text, clue, start, end, field, lexicon));
    best.hint
}

/// The hints of several lines of `text`, `lines` giving each one's `(start, end)` in order, found
/// by one search over the stretch they span: the context asks for twenty lines at a time, and
/// one search of them costs far less than twenty. No clue spans a line break, so the clues
/// inside a line are the ones a search of that line alone finds.
pub fn find_each(
    text: &[u8],
    lines: &[(usize, usize)],
    lexicon: &Lexicon,
    mut found: impl FnMut(usize, Option<Hint>),
) {
    let (Some(&(from, _)), Some(&(_, to))) = (lines.first(), lines.last()) else {
        return;
    };
    debug_assert!(lines.windows(2).all(|w| w[0].1 <= w[1].0), "lines in order, apart");
    let mut clues: Vec<(usize, usize, usize, bool)> = Vec::new();
    lexicon.clues().0.each(&text[from..to], |clue, start, end, field| {
        clues.push((clue, from + start, from + end, field));
    });
    clues.sort_unstable_by_key(|c| c.1);
    let mut next = 0;
    for (i, &(start, end)) in lines.iter().enumerate() {
        while clues.get(next).is_some_and(|c| c.1 < start) {
            next += 1;
        }
        let mut best = Best::default();
        for &(clue, at, stop, field) in clues[next..].iter().take_while(|c| c.1 < end) {
            if stop <= end {
                best.offer(&text[start..end], clue, at - start, stop - start, field, lexicon);
            }
        }
        found(i, best.hint);
    }
}

/// The strongest kind of evidence wins, and among equals the first on the line.
#[derive(Default)]
struct Best {
    hint: Option<Hint>,
    at: usize,
}

impl Best {
    fn offer(&mut self, line: &[u8], clue: usize, at: usize, stop: usize, field: bool, lexicon: &Lexicon) {
        let c = &lexicon.clues().1[clue];
        let strength = if field || is_field_value(line, at) {
            ClueKind::Field
        } else {
            match c.kind {
                Some(kind) if stands_alone(line, at, stop, kind, c.wildcard) => kind,
                _ => return,
            }
        };
        let better = match self.hint {
            None => true,
            Some(b) => strength > b.strength || (strength == b.strength && at < self.at),
        };
        if better {
            self.hint = Some(Hint { provider: c.provider, strength, counted: c.counted });
            self.at = at;
        }
    }
}

fn is_host_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'.'
}

/// Is the word at `at..stop` a word of its own, not part of a longer one? A host must not be
/// part of a longer host (`api.z.ai.example.com`, `xapi.z.ai`; a wildcard's subdomains are
/// fine); another word must not continue a word before it, except that a capitalized one may
/// end a CamelCase name (`ChatZhipuAI`).
fn stands_alone(line: &[u8], at: usize, stop: usize, kind: ClueKind, wildcard: bool) -> bool {
    let before = at.checked_sub(1).map(|i| line[i]);
    if kind == ClueKind::Host {
        let after_ok = match line.get(stop) {
            None => true,
            Some(b'.') => !line.get(stop + 1).is_some_and(|b| b.is_ascii_alphanumeric()),
            Some(&b) => !is_host_byte(b),
        };
        let before_ok = match before {
            None => true,
            Some(b'.') => wildcard,
            Some(b) => !is_host_byte(b),
        };
        return before_ok && after_ok;
    }
    match before {
        None => true,
        // `thudm/glm-4-9b-chat`, `moonshotai/kimi-k2`: a model routed by an aggregator (PPIO,
        // OpenRouter) or hosted open weights, not a call to the vendor's own API.
        Some(b'/') if kind == ClueKind::Model => false,
        Some(b) if !b.is_ascii_alphanumeric() => true,
        Some(b) => line[at].is_ascii_uppercase() && (b.is_ascii_lowercase() || b.is_ascii_digit()),
    }
}

/// Is the match at `at` the value of a `provider`-like key (`provider=coze`, `"provider": "coze"`)?
fn is_field_value(text: &[u8], at: usize) -> bool {
    let before = text[..at].trim_ascii_end();
    let before =
        before.strip_suffix(b"\"").or_else(|| before.strip_suffix(b"'")).unwrap_or(before).trim_ascii_end();
    let Some(before) = before.strip_suffix(b"=").or_else(|| before.strip_suffix(b":")) else { return false };
    let key = before.trim_ascii_end();
    let key = key.strip_suffix(b"\"").or_else(|| key.strip_suffix(b"'")).unwrap_or(key);
    FIELD_KEYS
        .iter()
        .any(|k| key.len() >= k.len() && key[key.len() - k.len()..].eq_ignore_ascii_case(k.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(text: impl AsRef<[u8]>) -> Option<Hint> {
        super::find(text, crate::test_support::lexicon())
    }

    #[test]
    fn hosts_fields_and_names() {
        let h = find("POST https://open.bigmodel.cn/api/paas/v4/chat/completions").unwrap();
        assert_eq!((h.provider, h.strength), (Provider::from_static("zhipu"), Strength::Host));
        let h = find(r#"{"provider": "coze", "model": "doubao-pro"}"#).unwrap();
        assert_eq!((h.provider, h.strength), (Provider::from_static("coze"), Strength::Field));
        let h = find("provider=ppio url=https://ark.cn-beijing.volces.com").unwrap();
        assert_eq!(h.provider, Provider::from_static("ppio"));
        assert_eq!(find("GET /healthz 200"), None);
        let h = find("模型代码 provider=zhipu code=1211").unwrap();
        assert_eq!((h.provider, h.strength), (Provider::from_static("zhipu"), Strength::Field));
        assert_eq!(find("代码码码 provider码=x"), None);
    }

    /// A model name is a clue when it is the vendor's own (`glm-4-plus`), not when an
    /// aggregator routes it under the vendor's name (`thudm/glm-4-9b-chat`).
    #[test]
    fn routed_models_name_no_provider() {
        let h = find(r#"{"model":"glm-4-plus"}"#).unwrap();
        assert_eq!((h.provider, h.strength), (Provider::from_static("zhipu"), Strength::Model));
        for line in [r#"{"model":"thudm/glm-4-9b-chat"}"#, "model=moonshotai/kimi-k2-instruct 429"] {
            assert_eq!(find(line), None, "{line}");
        }
    }

    /// Every fixture log, its lines asked for in runs of every length up to 25 (with lines
    /// left out between runs): each line's hint is the one a search of it alone gives.
    #[test]
    fn hints_of_a_stretch_are_each_lines_own() {
        let catalog = crate::test_support::catalog();
        let find = |text: &[u8]| super::find(text, catalog.lexicon());
        let mut compared = 0;
        let mut named = 0;
        for log in super::super::spans::fixture_logs() {
            let text = log.as_bytes();
            let mut lines = Vec::new();
            let mut start = 0;
            for line in log.split('\n') {
                lines.push((start, start + line.len()));
                start += line.len() + 1;
            }
            for run in 1..=25 {
                // Every third line left out: a stretch holds lines that are not asked about.
                for group in lines.chunks(run * 3 / 2 + 1) {
                    let asked: Vec<(usize, usize)> =
                        group.iter().enumerate().filter(|(i, _)| i % 3 != 2).map(|(_, line)| *line).collect();
                    find_each(text, &asked, catalog.lexicon(), |i, hint| {
                        let (s, e) = asked[i];
                        assert_eq!(hint, find(&text[s..e]), "{:?}", String::from_utf8_lossy(&text[s..e]));
                        compared += 1;
                        named += usize::from(hint.is_some());
                    });
                }
            }
        }
        assert!(compared > 10_000 && named > 1_000, "{compared} lines compared, {named} with a hint");
    }
}
