//! The closed vocabularies every entry is written in: providers, categories, severities and
//! actions. Their serialized names are contracts (metric labels, JSON fields, catalog files).

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

vocabulary! {
    /// Provider ids. Zhipu covers BigModel (open.bigmodel.cn) and Z.ai (api.z.ai): one code family.
    Provider { Zhipu = "zhipu", Ppio = "ppio", Coze = "coze", Volcengine = "volcengine" }
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
    /// Categories that stop all traffic until a person acts.
    pub fn stops_traffic(self) -> bool {
        matches!(self, Category::Billing | Category::Auth | Category::Account)
    }
}
