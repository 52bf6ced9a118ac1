//! Provider evidence in a text other than a response's shape: endpoint hosts, an explicit
//! `provider`/`channel` field, SDK module names, model families.
//!
//! The rule when a text names several providers: the strongest kind of evidence wins (explicit
//! field, then host, then SDK or model name); among equals, the first on the line.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::catalog::Provider;

/// How much a piece of evidence says; declared weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Strength {
    /// An SDK module or a model family.
    Name,
    /// The provider's API host.
    Host,
    /// `provider=coze`, `"channel": "zhipu"`.
    Field,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hint {
    pub provider: Provider,
    pub strength: Strength,
}

/// Matched as written (lowercase, as hosts and module names are, plus the capitalized product
/// names loggers print), longest first where one is a prefix of another.
const NEEDLES: &[(&str, Provider, Strength)] = &[
    ("open.bigmodel.cn", Provider::from_static("zhipu"), Strength::Host),
    ("bigmodel.cn", Provider::from_static("zhipu"), Strength::Host),
    ("api.z.ai", Provider::from_static("zhipu"), Strength::Host),
    ("zhipuai", Provider::from_static("zhipu"), Strength::Name),
    ("zhipu", Provider::from_static("zhipu"), Strength::Name),
    ("zai.core", Provider::from_static("zhipu"), Strength::Name),
    ("/zai/", Provider::from_static("zhipu"), Strength::Name),
    ("glm-", Provider::from_static("zhipu"), Strength::Name),
    ("chatglm", Provider::from_static("zhipu"), Strength::Name),
    ("cogview", Provider::from_static("zhipu"), Strength::Name),
    ("cogvideo", Provider::from_static("zhipu"), Strength::Name),
    ("volces.com", Provider::from_static("volcengine"), Strength::Host),
    ("volcengineapi.com", Provider::from_static("volcengine"), Strength::Host),
    ("volcenginesdkarkruntime", Provider::from_static("volcengine"), Strength::Name),
    ("volcengine", Provider::from_static("volcengine"), Strength::Name),
    ("doubao", Provider::from_static("volcengine"), Strength::Name),
    ("api.coze.cn", Provider::from_static("coze"), Strength::Host),
    ("api.coze.com", Provider::from_static("coze"), Strength::Host),
    ("cozepy", Provider::from_static("coze"), Strength::Name),
    ("coze", Provider::from_static("coze"), Strength::Name),
    ("ppinfra.com", Provider::from_static("ppio"), Strength::Host),
    ("ppio.com", Provider::from_static("ppio"), Strength::Host),
    ("ppinfra", Provider::from_static("ppio"), Strength::Name),
    ("ppio", Provider::from_static("ppio"), Strength::Name),
    ("ZhipuAI", Provider::from_static("zhipu"), Strength::Name),
    ("Zhipu", Provider::from_static("zhipu"), Strength::Name),
    ("BigModel", Provider::from_static("zhipu"), Strength::Name),
    ("GLM-", Provider::from_static("zhipu"), Strength::Name),
    ("Volcengine", Provider::from_static("volcengine"), Strength::Name),
    ("Doubao", Provider::from_static("volcengine"), Strength::Name),
    ("Coze", Provider::from_static("coze"), Strength::Name),
    ("PPIO", Provider::from_static("ppio"), Strength::Name),
];

/// Keys whose value names the provider outright.
const FIELD_KEYS: &[&str] = &["provider", "channel", "vendor", "platform"];

fn automaton() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostFirst)
            .build(NEEDLES.iter().map(|n| n.0))
            .expect("hint needles compile")
    })
}

/// The provider a text points to, if any.
pub fn find(text: impl AsRef<[u8]>) -> Option<Hint> {
    let text = text.as_ref();
    automaton().find_iter(text).fold(None, |best, m| better(best, text, m.pattern().as_usize(), m.start()))
}

/// The hints of several lines of `text`, `lines` giving each one's `(start, end)` in order, found
/// by one search over the stretch they span: the context asks for twenty lines at a time, and
/// one search of them costs far less than twenty. No needle spans a line break, so the matches
/// inside a line are the ones a search of that line alone finds.
pub fn find_each(text: &[u8], lines: &[(usize, usize)], mut found: impl FnMut(usize, Option<Hint>)) {
    let (Some(&(from, _)), Some(&(_, to))) = (lines.first(), lines.last()) else {
        return;
    };
    debug_assert!(lines.windows(2).all(|w| w[0].1 <= w[1].0), "lines in order, apart");
    let mut matches =
        automaton().find_iter(&text[from..to]).map(|m| (m.pattern().as_usize(), from + m.start()));
    let mut next = matches.next();
    for (i, &(start, end)) in lines.iter().enumerate() {
        while next.is_some_and(|(_, at)| at < start) {
            next = matches.next();
        }
        let mut best = None;
        while let Some((pattern, at)) = next.filter(|&(_, at)| at < end) {
            best = better(best, &text[start..end], pattern, at - start);
            next = matches.next();
        }
        found(i, best);
    }
}

/// `best` after a match of needle `pattern` at `at` in `line`: the strongest kind of evidence
/// wins, and among equals the first on the line.
fn better(best: Option<Hint>, line: &[u8], pattern: usize, at: usize) -> Option<Hint> {
    let (_, provider, mut strength) = NEEDLES[pattern];
    if strength == Strength::Name && is_field_value(line, at) {
        strength = Strength::Field;
    }
    if best.is_none_or(|b| strength > b.strength) {
        Some(Hint { provider, strength })
    } else {
        best
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

    /// Every fixture log, its lines asked for in runs of every length up to 25 (with lines
    /// left out between runs): each line's hint is the one a search of it alone gives.
    #[test]
    fn hints_of_a_stretch_are_each_lines_own() {
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
                    find_each(text, &asked, |i, hint| {
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
