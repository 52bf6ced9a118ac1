//! The vocabularies every entry is written in: provider ids, and the closed lists of
//! categories, severities and actions. Their serialized names are contracts (metric labels, JSON fields, catalog files).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!(
                        "unknown {} {:?} (expected one of: {})",
                        stringify!($name).to_lowercase(),
                        s,
                        [$($text),+].join(", ")
                    )),
                }
            }
        }
    };
}

/// A provider's id: `zhipu` (BigModel and Z.ai, one code family), `ppio`, `coze`,
/// `volcengine`, or one a user's catalog file declares (`deepseek`). Which ids exist is the
/// catalog's to say (its provider descriptors); this is only the name, interned so that it is
/// `Copy` and cheap to compare wherever an error goes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Provider(&'static str);

impl Provider {
    /// A provider id known at compile time (tests, and the embedded descriptors' own names).
    pub const fn from_static(id: &'static str) -> Provider {
        Provider(id)
    }

    /// The id for `id`, which must be a well-formed id ([`Provider::check_id`]). Ids are
    /// interned: each distinct id is allocated once per process, however often catalogs are
    /// reloaded, so the memory they hold is bounded by the ids ever declared.
    pub fn intern(id: &str) -> Provider {
        static INTERNED: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
        let mut interned = INTERNED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(known) = interned.iter().find(|k| **k == id) {
            return Provider(known);
        }
        let leaked: &'static str = Box::leak(id.to_string().into_boxed_str());
        interned.push(leaked);
        Provider(leaked)
    }

    /// Ids are metric label values, file names and CLI values: lowercase ASCII letters, digits
    /// and `_`, starting with a letter, at most 32 bytes.
    pub fn check_id(id: &str) -> Result<(), String> {
        let ok = id.len() <= 32
            && id.as_bytes().first().is_some_and(u8::is_ascii_lowercase)
            && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if ok {
            Ok(())
        } else {
            Err(format!("provider id {id:?} must be lowercase letters, digits and _, starting with a letter"))
        }
    }

    pub fn as_str(self) -> &'static str {
        self.0
    }
}

impl fmt::Debug for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for Provider {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for Provider {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Provider, D::Error> {
        let id = String::deserialize(d)?;
        Provider::check_id(&id).map_err(serde::de::Error::custom)?;
        Ok(Provider::intern(&id))
    }
}

vocabulary! {
    /// What kind of failure an entry is. `Unknown` is for provider-shaped responses whose code
    /// the catalog lacks; no entry carries it.
    Category {
        Auth = "auth",
        Permission = "permission",
        Account = "account",
        Billing = "billing",
        RateLimit = "rate_limit",
        ContentPolicy = "content_policy",
        InvalidRequest = "invalid_request",
        NotFound = "not_found",
        ContextLength = "context_length",
        ServerError = "server_error",
        Unavailable = "unavailable",
        Unknown = "unknown",
    }
}

vocabulary! {
    /// How urgently a person must act; declared most urgent first so that sorting puts it first.
    Severity { Critical = "critical", High = "high", Medium = "medium", Low = "low" }
}

vocabulary! {
    /// What a person or an LLM gateway should do about an error.
    Action {
        RetryLater = "retry_later",
        ReduceRate = "reduce_rate",
        FixRequest = "fix_request",
        ShortenInput = "shorten_input",
        ChangeContent = "change_content",
        CheckCredentials = "check_credentials",
        StopUsingKey = "stop_using_key",
        TopUp = "top_up",
        RequestAccess = "request_access",
        CheckResource = "check_resource",
        ContactSupport = "contact_support",
    }
}

impl Category {
    /// What an HTTP error status usually means, for an error known by its status alone.
    pub fn of_status(status: u16) -> Category {
        match status {
            401 => Category::Auth,
            402 => Category::Billing,
            403 => Category::Permission,
            404 | 410 => Category::NotFound,
            413 => Category::ContextLength,
            429 => Category::RateLimit,
            400..=499 => Category::InvalidRequest,
            502..=504 => Category::Unavailable,
            _ => Category::ServerError,
        }
    }

    /// Categories that stop all traffic until a person acts.
    pub fn stops_traffic(self) -> bool {
        matches!(self, Category::Billing | Category::Auth | Category::Account)
    }
}
