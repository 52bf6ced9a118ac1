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
    ("open.bigmodel.cn", Provider::Zhipu, Strength::Host),
    ("bigmodel.cn", Provider::Zhipu, Strength::Host),
    ("api.z.ai", Provider::Zhipu, Strength::Host),
    ("zhipuai", Provider::Zhipu, Strength::Name),
    ("zhipu", Provider::Zhipu, Strength::Name),
    ("zai.core", Provider::Zhipu, Strength::Name),
    ("/zai/", Provider::Zhipu, Strength::Name),
    ("glm-", Provider::Zhipu, Strength::Name),
    ("chatglm", Provider::Zhipu, Strength::Name),
    ("cogview", Provider::Zhipu, Strength::Name),
    ("cogvideo", Provider::Zhipu, Strength::Name),
    ("volces.com", Provider::Volcengine, Strength::Host),
    ("volcengineapi.com", Provider::Volcengine, Strength::Host),
    ("volcenginesdkarkruntime", Provider::Volcengine, Strength::Name),
    ("volcengine", Provider::Volcengine, Strength::Name),
    ("doubao", Provider::Volcengine, Strength::Name),
    ("api.coze.cn", Provider::Coze, Strength::Host),
    ("api.coze.com", Provider::Coze, Strength::Host),
    ("cozepy", Provider::Coze, Strength::Name),
    ("coze", Provider::Coze, Strength::Name),
    ("ppinfra.com", Provider::Ppio, Strength::Host),
    ("ppio.com", Provider::Ppio, Strength::Host),
    ("ppinfra", Provider::Ppio, Strength::Name),
    ("ppio", Provider::Ppio, Strength::Name),
    ("ZhipuAI", Provider::Zhipu, Strength::Name),
    ("Zhipu", Provider::Zhipu, Strength::Name),
    ("BigModel", Provider::Zhipu, Strength::Name),
    ("GLM-", Provider::Zhipu, Strength::Name),
    ("Volcengine", Provider::Volcengine, Strength::Name),
    ("Doubao", Provider::Volcengine, Strength::Name),
    ("Coze", Provider::Coze, Strength::Name),
    ("PPIO", Provider::Ppio, Strength::Name),
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
    let mut best: Option<Hint> = None;
    for m in automaton().find_iter(text) {
        let (_, provider, mut strength) = NEEDLES[m.pattern().as_usize()];
        if strength == Strength::Name && is_field_value(text, m.start()) {
            strength = Strength::Field;
        }
        if best.is_none_or(|b| strength > b.strength) {
            best = Some(Hint { provider, strength });
        }
    }
    best
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
        assert_eq!((h.provider, h.strength), (Provider::Zhipu, Strength::Host));
        let h = find(r#"{"provider": "coze", "model": "doubao-pro"}"#).unwrap();
        assert_eq!((h.provider, h.strength), (Provider::Coze, Strength::Field));
        let h = find("provider=ppio url=https://ark.cn-beijing.volces.com").unwrap();
        assert_eq!(h.provider, Provider::Ppio);
        assert_eq!(find("GET /healthz 200"), None);
        let h = find("模型代码 provider=zhipu code=1211").unwrap();
        assert_eq!((h.provider, h.strength), (Provider::Zhipu, Strength::Field));
        assert_eq!(find("代码码码 provider码=x"), None);
    }
}
