//! Templated codes such as Ark's `InvalidParameter.{{Parameter}}`: a literal prefix, one
//! placeholder, and a literal suffix. `InvalidParameter.model` matches; `InvalidParameter` does
//! not (that is a row of its own).

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodePattern {
    prefix: String,
    suffix: String,
}

impl CodePattern {
    /// `None` when the code has no placeholder and must match exactly.
    pub fn parse(code: &str) -> Option<CodePattern> {
        let start = code.find("{{")?;
        let end = start + code[start..].find("}}")? + 2;
        Some(CodePattern { prefix: code[..start].to_string(), suffix: code[end..].to_string() })
    }

    /// The code with `value` in the placeholder's place: `InvalidParameter.model`.
    pub fn fill(&self, value: &str) -> String {
        format!("{}{value}{}", self.prefix, self.suffix)
    }

    /// The code without its placeholder and the separator before it: `InvalidParameter`.
    pub fn literal(&self) -> String {
        let prefix = self.prefix.trim_end_matches(['.', '_', '-']);
        let suffix =
            if prefix.is_empty() { self.suffix.trim_start_matches(['.', '_', '-']) } else { &self.suffix };
        format!("{prefix}{suffix}")
    }

    pub fn matches(&self, code: &str) -> bool {
        code.len() > self.prefix.len() + self.suffix.len()
            && code.starts_with(&self.prefix)
            && code.ends_with(&self.suffix)
            && code[self.prefix.len()..code.len() - self.suffix.len()]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholder_matches_a_concrete_name() {
        let p = CodePattern::parse("InvalidParameter.{{Parameter}}").unwrap();
        assert!(p.matches("InvalidParameter.model"));
        assert!(p.matches("InvalidParameter.messages.content"));
        assert!(!p.matches("InvalidParameter."));
        assert!(!p.matches("InvalidParameter"));
        assert!(!p.matches("MissingParameter.model"));
        assert!(!p.matches("InvalidParameter.a b"));
    }

    #[test]
    fn filled_or_bare_a_template_holds_no_placeholder() {
        let p = CodePattern::parse("NotFound.{{Parameter}}").unwrap();
        assert_eq!(p.fill("Endpoint"), "NotFound.Endpoint");
        assert_eq!(p.literal(), "NotFound");
        assert_eq!(CodePattern::parse("{{Parameter}}.Missing").unwrap().literal(), "Missing");
    }

    #[test]
    fn plain_codes_are_not_patterns() {
        assert_eq!(CodePattern::parse("1113"), None);
        assert_eq!(CodePattern::parse("RateLimitExceeded.EndpointRPMExceeded"), None);
    }
}
