//! Provider descriptors: what tells a provider's errors apart in a log, declared as data beside
//! its entries (the `[identify]`, `[[api]]` and `[[shape]]` tables of its catalog file; the
//! schema is in `README.md` here).
//!
//! Everything that recognizes a provider is derived from these: the prefilter's trigger words,
//! the provider hints, the body-shape recognizers and the CLI's `--provider` values. This
//! module only reads and checks them; `crate::extract::lexicon` compiles them into matchers.

use std::collections::BTreeMap;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::Provider;

/// One provider, as a catalog file declares it.
#[derive(Debug, Clone, Serialize)]
pub struct Descriptor {
    pub id: Provider,
    /// How people call it, for reports and `catalog --providers`.
    pub name: String,
    /// Counted as errors of its own (the four embedded providers, a user's provider), or only
    /// recognized so that its errors are set aside ("not ours": OpenAI, DashScope, ...).
    pub counted: bool,
    pub identify: Identify,
    pub apis: Vec<Api>,
    pub shapes: Vec<Shape>,
}

/// The words that name a provider in a log line, by kind. Kinds differ in how much they say
/// (see [`ClueKind`]); each word must name one provider only.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Identify {
    /// API hosts; `*.example.com` also matches every subdomain of `example.com`.
    #[serde(default)]
    pub hosts: Vec<String>,
    /// Values of a `provider=`, `channel=`, `vendor=` or `platform=` field.
    #[serde(default)]
    pub fields: Vec<String>,
    /// Exception and error class names its SDKs raise.
    #[serde(default)]
    pub classes: Vec<String>,
    /// SDK packages and modules (as stack frames and imports print them) and logger names.
    #[serde(default)]
    pub packages: Vec<String>,
    /// Model-name prefixes that only this provider serves.
    #[serde(default)]
    pub models: Vec<String>,
}

/// Kinds of clue, weakest first: the strongest clue on a line decides, and a clue on the line
/// or in its record always beats one from the lines before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClueKind {
    /// A model name: `glm-4-plus`, `doubao-pro`.
    Model,
    /// An SDK package or module in a stack frame or import, or a logger's name.
    Package,
    /// An exception class: `VolcengineException`, `CozeAPIError`.
    Class,
    /// The provider's API host.
    Host,
    /// `provider=coze`, `"channel": "zhipu"`.
    Field,
}

/// A documented API family: its entries are keyed by business code, or by HTTP status (as
/// BigModel's HTTP table and DeepSeek's are).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Api {
    pub id: String,
    #[serde(default)]
    pub keyed_by: KeyedBy,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyedBy {
    #[default]
    Code,
    HttpStatus,
}

/// Where a response body's parts sit, and how much the shape alone says.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Shape {
    /// The key wrapping the body (`error` in `{"error":{"code":..}}`), a dotted path for
    /// deeper wrappers (`Response.Error`), or none: the body is the object itself.
    #[serde(default)]
    pub envelope: Option<String>,
    /// Keys that may hold the code; the first present is read.
    #[serde(deserialize_with = "one_or_many")]
    pub code: Vec<String>,
    /// What a code looks like; a value of another form is not this shape's.
    pub code_form: CodeForm,
    #[serde(default, deserialize_with = "one_or_many")]
    pub message: Vec<String>,
    /// Keys whose value is the HTTP status (400..599).
    #[serde(default, deserialize_with = "one_or_many")]
    pub status: Vec<String>,
    /// Keys holding an error type that names the status ([`Shape::type_status`]).
    #[serde(default, rename = "type", deserialize_with = "one_or_many")]
    pub type_keys: Vec<String>,
    #[serde(default)]
    pub type_status: BTreeMap<String, u16>,
    /// Keys holding the request or log id.
    #[serde(default, deserialize_with = "one_or_many")]
    pub request_id: Vec<String>,
    /// Keys (or dotted paths) that must also be present.
    #[serde(default)]
    pub requires: Vec<String>,
    /// Codes that mean success (Coze's `0`): such a body is no error.
    #[serde(default)]
    pub ok_codes: Vec<String>,
    /// Whether the shape alone says whose body it is.
    #[serde(default)]
    pub alone: Alone,
    /// The weakest provider clue that makes a body of this shape the provider's when the shape
    /// alone does not: `recent` (the lines before, such as the HTTP client's request line) or
    /// `close` (the line itself or its record).
    #[serde(default)]
    pub context: Context,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum CodeForm {
    /// A number, or a string of 1 to 12 digits.
    Digits,
    /// `RateLimitExceeded.EndpointRPMExceeded`, `InvalidParameter.model`.
    Camel,
    /// `RATE_LIMIT_EXCEEDED`, or one upper-case word (PPIO's `UNKNOWN`).
    UpperSnake,
    /// `invalid_request_error`, `insufficient_quota`.
    LowerSnake,
    /// Any string or number.
    Any,
    /// A regular expression the whole code must match.
    Pattern(String),
}

impl<'de> Deserialize<'de> for CodeForm {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<CodeForm, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Name(String),
            Pattern { pattern: String },
        }
        match Written::deserialize(d)? {
            Written::Name(name) => match name.as_str() {
                "digits" => Ok(CodeForm::Digits),
                "camel" => Ok(CodeForm::Camel),
                "upper_snake" => Ok(CodeForm::UpperSnake),
                "lower_snake" => Ok(CodeForm::LowerSnake),
                "any" => Ok(CodeForm::Any),
                other => Err(serde::de::Error::custom(format!(
                    "code_form {other:?}: expected digits, camel, upper_snake, lower_snake, any, or {{ pattern = \"...\" }}"
                ))),
            },
            Written::Pattern { pattern } => Ok(CodeForm::Pattern(pattern)),
        }
    }
}

/// When a shape alone says whose body it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub enum Alone {
    #[default]
    Never,
    Always,
    /// The code is a number in this range (Zhipu's business codes, 1000..=1399).
    CodeRange(u64, u64),
    /// One of these keys or dotted paths is present (Coze's `detail.logid`).
    Has(Vec<String>),
    /// The type names a status ([`Shape::type_status`]): Ark's `BadRequest`, `TooManyRequests`.
    TypeKnown,
}

impl<'de> Deserialize<'de> for Alone {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Alone, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Flag(bool),
            Rule(Rule),
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Rule {
            code_range: Option<[u64; 2]>,
            has: Option<Vec<String>>,
            type_known: Option<bool>,
        }
        Ok(match Written::deserialize(d)? {
            Written::Flag(true) => Alone::Always,
            Written::Flag(false) => Alone::Never,
            Written::Rule(Rule { code_range: Some([lo, hi]), has: None, type_known: None }) => {
                Alone::CodeRange(lo, hi)
            }
            Written::Rule(Rule { code_range: None, has: Some(keys), type_known: None }) => Alone::Has(keys),
            Written::Rule(Rule { code_range: None, has: None, type_known: Some(true) }) => Alone::TypeKnown,
            Written::Rule(_) => {
                return Err(serde::de::Error::custom(
                    "alone: expected true, false, { code_range = [lo, hi] }, { has = [...] } or { type_known = true }",
                ))
            }
        })
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Context {
    Recent,
    #[default]
    Close,
}

fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Written {
        One(String),
        Many(Vec<String>),
    }
    Ok(match Written::deserialize(d)? {
        Written::One(s) => vec![s],
        Written::Many(v) => v,
    })
}

impl Descriptor {
    /// The API family a row belongs to.
    pub fn api(&self, id: &str) -> Option<&Api> {
        self.apis.iter().find(|a| a.id == id)
    }

    /// The API family whose codes are HTTP statuses (BigModel's HTTP table, DeepSeek's), if any:
    /// an error known only by its status is looked up there.
    pub fn status_api(&self) -> Option<&str> {
        self.apis.iter().find(|a| a.keyed_by == KeyedBy::HttpStatus).map(|a| a.id.as_str())
    }

    /// Are all of its entries keyed by HTTP status (DeepSeek)?
    pub fn keyed_by_status(&self) -> bool {
        !self.apis.is_empty() && self.apis.iter().all(|a| a.keyed_by == KeyedBy::HttpStatus)
    }

    /// Every clue word with its kind; hosts as written (wildcards included).
    pub fn clues(&self) -> impl Iterator<Item = (&str, ClueKind)> {
        let i = &self.identify;
        let kinds = [
            (&i.hosts, ClueKind::Host),
            (&i.fields, ClueKind::Field),
            (&i.classes, ClueKind::Class),
            (&i.packages, ClueKind::Package),
            (&i.models, ClueKind::Model),
        ];
        kinds.into_iter().flat_map(|(words, kind)| words.iter().map(move |w| (w.as_str(), kind)))
    }

    /// Takes in what a later file declares for the same provider (a user's `--catalog` file
    /// over an embedded one): its clues, API families and shapes are added to these, and the
    /// `name` and `counted` it states replace these, so that a user's file can make a provider
    /// only recognized (DeepSeek) one whose errors are counted, or the other way round.
    pub(super) fn extend(&mut self, more: Descriptor, said: super::load::Said) {
        let (i, m) = (&mut self.identify, more.identify);
        for (mine, theirs) in [
            (&mut i.hosts, m.hosts),
            (&mut i.fields, m.fields),
            (&mut i.classes, m.classes),
            (&mut i.packages, m.packages),
            (&mut i.models, m.models),
        ] {
            for word in theirs {
                if !mine.contains(&word) {
                    mine.push(word);
                }
            }
        }
        for api in more.apis {
            if self.api(&api.id).is_none() {
                self.apis.push(api);
            }
        }
        self.shapes.extend(more.shapes);
        if said.name {
            self.name = more.name;
        }
        if said.counted {
            self.counted = more.counted;
        }
    }

    /// The checks a single descriptor must pass; the problem in words.
    pub(super) fn check(&self) -> Result<(), String> {
        for (word, kind) in self.clues() {
            let bare = word.strip_prefix("*.").unwrap_or(word);
            if bare.len() < 3 {
                return Err(format!("{kind:?} clue {word:?} is too short to name a provider"));
            }
            if word.contains(char::is_whitespace) {
                return Err(format!("{kind:?} clue {word:?} holds white space"));
            }
            if kind == ClueKind::Host && !bare.contains('.') {
                return Err(format!("host {word:?} is not a host name"));
            }
        }
        let mut seen = Vec::new();
        for api in &self.apis {
            if seen.contains(&api.id.as_str()) {
                return Err(format!("api {:?} is declared twice", api.id));
            }
            seen.push(api.id.as_str());
        }
        for (n, shape) in self.shapes.iter().enumerate() {
            shape.check().map_err(|e| format!("shape {}: {e}", n + 1))?;
        }
        Ok(())
    }
}

impl Shape {
    fn check(&self) -> Result<(), String> {
        if self.code.is_empty() {
            return Err("code names no key".into());
        }
        if let CodeForm::Pattern(p) = &self.code_form {
            Regex::new(&format!("^(?:{p})$")).map_err(|e| format!("code_form pattern {p:?}: {e}"))?;
        }
        if self.alone == Alone::TypeKnown && self.type_status.is_empty() {
            return Err("alone = { type_known = true } needs a type_status table".into());
        }
        if let Some((t, s)) = self.type_status.iter().find(|(_, s)| !(400..600).contains(*s)) {
            return Err(format!("type_status {t:?} = {s} is not an HTTP error status"));
        }
        let keys = self.keys().collect::<Vec<_>>();
        if let Some(k) = keys.iter().find(|k| k.is_empty() || k.split('.').any(str::is_empty)) {
            return Err(format!("key {k:?} is empty or has an empty part"));
        }
        Ok(())
    }

    /// Every key and path the shape reads.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        let has = match &self.alone {
            Alone::Has(keys) => keys.as_slice(),
            _ => &[],
        };
        self.envelope
            .iter()
            .chain(&self.code)
            .chain(&self.message)
            .chain(&self.status)
            .chain(&self.type_keys)
            .chain(&self.request_id)
            .chain(&self.requires)
            .chain(has)
            .map(String::as_str)
    }
}
