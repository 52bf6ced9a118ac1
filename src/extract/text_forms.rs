//! Error evidence that is not an object: SDK exception strings that kept only a message,
//! cozepy's `code: .., msg: .., logid: ..`, `key=value` pairs, and HTTP status lines.

use memchr::memmem::Finder;

mod cozepy;
mod leads;
mod status_line;

use super::lexicon::Lexicon;
use super::notation::{Object, Tape};
use super::shapes::{self, Fields};
use super::spans::{Candidate, CandidateKind};

pub use leads::may_hold as may_hold_statement;
pub use leads::{lead_ends, status_classes};

/// SDK exception strings in `text`.
/// `body_follows`: a body (searched as an object) comes right after `text`, so a lead on its
/// last line introduces that body, not a message.
pub fn exception_texts(
    text: &str,
    base: usize,
    body_follows: bool,
    lexicon: &Lexicon,
    out: &mut Vec<Candidate>,
) {
    let mut body_status = None;
    for lead in leads::find(text) {
        // A statement (`400 status code (no body)`) is the error itself, whatever follows it.
        let introduces_body = body_follows && !lead.stated && !text[lead.at..].contains('\n');
        if !leads::is_message(&lead) || introduces_body {
            // A body's lead: the body is searched as an object. The status the lead gave
            // (Spring's `NonTransientAiException: 400 - {..}`) is the body's, which may have
            // none of its own: it tells apart rows that share a message.
            if introduces_body {
                body_status = body_status.or(lead.status.map(|s| (lead.at, s)));
            }
            continue;
        }
        out.push(Candidate {
            offset: base + lead.at,
            kind: CandidateKind::Message { message: lead.message.to_string(), http_status: lead.status },
        });
    }
    for (at, code, message, logid) in cozepy::find(text) {
        let fields = [("code", code), ("msg", message), ("logid", logid)];
        if let Some(shape) = as_object(&fields, |obj| shapes::recognize(&Fields::of(obj, lexicon), lexicon)) {
            out.push(Candidate { offset: base + at, kind: CandidateKind::Shape(shape) });
        }
    }
    let statuses_before = out.len();
    for (at, status) in status_line::find(text) {
        out.push(Candidate { offset: base + at, kind: CandidateKind::Status { status } });
    }
    // `console.warn('retrying', err.status, err.error)` prints `retrying 400 { code: .. }`:
    // a status right before a body, alone as a word, is the body's too.
    if body_follows && body_status.is_none() {
        body_status = status_just_before(text);
    }
    if let (true, Some((at, status))) = (out.len() == statuses_before, body_status) {
        out.push(Candidate { offset: base + at, kind: CandidateKind::Status { status } });
    }
}

/// A 4xx or 5xx status ending `text` (before a `-` or `:`, if any), with where it starts.
fn status_just_before(text: &str) -> Option<(usize, u16)> {
    let t = text.trim_end().trim_end_matches(['-', ':']).trim_end();
    let digits = t.get(t.len().checked_sub(3)?..)?;
    let before = t.as_bytes().get(t.len().wrapping_sub(4));
    let status: u16 = digits.parse().ok().filter(|s| (400..600).contains(s))?;
    (t.len() == 3 || before.is_some_and(|b| *b == b' ')).then_some((t.len() - 3, status))
}

/// Shows the fields an SDK's text printed to `see` as the object they stand for, so that whose
/// body it is and what its parts are is the shapes' to say, as for any body.
fn as_object<R>(fields: &[(&str, &str)], see: impl FnOnce(Object<'_>) -> Option<R>) -> Option<R> {
    let mut json = String::with_capacity(64 + fields.iter().map(|(k, v)| k.len() + v.len()).sum::<usize>());
    json.push('{');
    for (i, (key, value)) in fields.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        push_json_string(&mut json, key);
        json.push(':');
        push_json_string(&mut json, value);
    }
    json.push('}');
    let mut tape = Tape::default();
    let obj = tape.parse_object(&json)?.0.as_object()?;
    see(obj)
}

fn push_json_string(json: &mut String, text: &str) {
    json.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                json.push('\\');
                json.push(c);
            }
            // A control character would end the string: it stands for white space here.
            c if (c as u32) < 0x20 => json.push(' '),
            c => json.push(c),
        }
    }
    json.push('"');
}

/// Where `finder`'s needle occurs in `text`, without overlaps. Each search starts from the
/// last: `Finder::find_iter` would copy the searcher for every text, and these run on every
/// error line.
fn occurrences<'t>(finder: &'static Finder<'static>, text: &'t [u8]) -> impl Iterator<Item = usize> + 't {
    let step = finder.needle().len().max(1);
    let mut from = 0;
    std::iter::from_fn(move || {
        let at = from + finder.find(text.get(from..)?)?;
        from = at + step;
        Some(at)
    })
}

/// `code=4011 msg="..."` and the like. Only when a code-like key is present.
pub fn key_values(text: &str, base: usize, out: &mut Vec<Candidate>) {
    // From the `=`s, which are few: two literal searches cost more.
    let names_a_code = memchr::memchr_iter(b'=', text.as_bytes())
        .any(|eq| text[..eq].ends_with("code") || text[..eq].ends_with("reason"));
    if !names_a_code {
        return;
    }
    let (mut code, mut message, mut status, mut at) = (None, None, None, 0);
    for (key_at, value_at, end) in pairs(text) {
        let key = text[key_at..value_at - 1].to_ascii_lowercase();
        let raw = &text[value_at..end];
        let value = raw
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .map_or_else(|| raw.to_string(), |v| v.replace("\\\"", "\""));
        match key.as_str() {
            // A PPIO `reason` names the error better than its numeric `code`.
            "code" | "error_code" | "err_code" | "errcode" | "error.code" | "reason"
                if code.is_none() || key == "reason" =>
            {
                at = value_at;
                code = Some(value);
            }
            "msg" | "message" | "error_msg" | "err_msg" | "error.message" => message = Some(value),
            "status" | "status_code" | "http_status" => status = value.parse::<u16>().ok(),
            _ => {}
        }
    }
    let Some(code) = code.filter(|c| looks_like_code(c)) else {
        return;
    };
    out.push(Candidate {
        offset: base + at,
        kind: CandidateKind::Loose { code, message, http_status: status.filter(|s| *s >= 400) },
    });
}

/// The `key=value` pairs of a text, left to right, as `(key start, value start, value end)`:
/// a key is `[A-Za-z_][A-Za-z0-9_.]*` at a word start; a value is a double-quoted string
/// (backslash escapes) or a run without white space, `,` or `;`. (Scanned by hand: this runs
/// on every line with a `code=`, and a capturing regex cost a tenth of the time there.)
fn pairs(text: &str) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    let is_key = move |b: u8| is_word(b) || b == b'.';
    let mut resume = 0;
    memchr::memchr_iter(b'=', bytes).filter_map(move |eq| {
        if eq < resume {
            return None;
        }
        let mut run = eq;
        while run > resume && is_key(bytes[run - 1]) {
            run -= 1;
        }
        let key_at = (run..eq).find(|&p| {
            (bytes[p].is_ascii_alphabetic() || bytes[p] == b'_') && (p == 0 || !is_word(bytes[p - 1]))
        })?;
        let value_at = eq + 1;
        let end = quoted_end(&bytes[value_at..]).or_else(|| {
            let run = text[value_at..]
                .char_indices()
                .find(|(_, c)| c.is_whitespace() || *c == ',' || *c == ';')
                .map_or(text.len() - value_at, |(i, _)| i);
            (run > 0).then_some(run)
        })? + value_at;
        resume = end;
        Some((key_at, value_at, end))
    })
}

/// The length of a double-quoted string at the start of `bytes`, quotes included.
fn quoted_end(bytes: &[u8]) -> Option<usize> {
    if bytes.first() != Some(&b'"') {
        return None;
    }
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return Some(i + 1),
            // `\.`: any escaped character but a newline.
            b'\\' if bytes.get(i + 1).is_some_and(|b| *b != b'\n') => i += 2,
            b'\\' => return None,
            _ => i += 1,
        }
    }
    None
}

/// A provider code: digits, CamelCase with dots, or UPPER_SNAKE; never free text.
fn looks_like_code(c: &str) -> bool {
    (!c.is_empty() && c.len() <= 12 && c.bytes().all(|b| b.is_ascii_digit()) && c != "0")
        || shapes::is_camel_code(c)
        || shapes::is_upper_snake(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occurrences_are_where_find_iter_finds_them() {
        static AA: std::sync::OnceLock<Finder<'static>> = std::sync::OnceLock::new();
        let finder = AA.get_or_init(|| Finder::new("aa"));
        for text in ["", "a", "aa", "aaa", "aaaaa", "xaaxaax", "baab aa"] {
            let ours: Vec<usize> = occurrences(finder, text.as_bytes()).collect();
            assert_eq!(ours, finder.find_iter(text.as_bytes()).collect::<Vec<_>>(), "{text:?}");
        }
        assert_eq!(occurrences(finder, b"aaaaa").collect::<Vec<_>>(), vec![0, 2]);
    }

    fn kinds(text: &str) -> Vec<CandidateKind> {
        let mut out = Vec::new();
        exception_texts(text, 0, false, crate::test_support::lexicon(), &mut out);
        key_values(text, 0, &mut out);
        out.into_iter().map(|c| c.kind).collect()
    }

    #[test]
    fn openai_message_only_form() {
        let k = kinds("openai.PermissionDeniedError: Error code: 403 - 余额不足");
        assert_eq!(
            k,
            vec![
                CandidateKind::Message { message: "余额不足".into(), http_status: Some(403) },
                CandidateKind::Status { status: 403 },
            ]
        );
        let k = kinds(r#"RateLimitError("Error code: 429 - The limit has been exceeded.Request ID: 0217")"#);
        assert_eq!(
            k[0],
            CandidateKind::Message {
                message: "The limit has been exceeded.Request ID: 0217".into(),
                http_status: Some(429)
            }
        );
    }

    #[test]
    fn logfmt_pairs() {
        let k = kinds(r#"level=error provider=coze code=4011 msg="余额 不足" status=200"#);
        assert_eq!(
            k,
            vec![CandidateKind::Loose {
                code: "4011".into(),
                message: Some("余额 不足".into()),
                http_status: None
            }]
        );
        assert!(kinds("user_id=1113 order_code=abc").is_empty());
        assert!(kinds("exit code=0").is_empty());
    }

    /// The hand-written scanner finds what the regex it replaced found.
    #[test]
    fn pairs_agree_with_the_regex() {
        let re =
            regex::Regex::new(r#"(?-u:\b)([A-Za-z_][A-Za-z0-9_.]*)=("(?:[^"\\]|\\.)*"|[^\s,;]+)"#).unwrap();
        let texts = [
            r#"level=error provider=coze code=4011 msg="余额 不足" status=200"#,
            r#"a=b=c x.y=1 9abc=2 _k=v; k2=v2,k3="q\"x" k4="unterminated k5=5"#,
            "k=\u{3000}v k=值\u{3000}x =v k== .a=1 a.=2 é=3 xé=4 k=\"a\\\nb\" z=1",
            "user_id=1113 order_code=abc exit code=0 error.code=RATE_LIMIT err=\"{\\\"code\\\":1}\"",
            "",
            "=",
            "a=",
            "=b",
            "a=\"",
            "a=\"\\",
            "a=\"\\\"",
        ];
        for text in texts {
            let want: Vec<(usize, usize, usize)> = re
                .captures_iter(text)
                .map(|c| (c.get(1).unwrap().start(), c.get(2).unwrap().start(), c.get(2).unwrap().end()))
                .collect();
            assert_eq!(pairs(text).collect::<Vec<_>>(), want, "{text}");
        }
        // And on every kind of text the alphabet of the syntax can make.
        let alphabet = ['a', 'Z', '_', '9', '.', '=', '"', '\\', ' ', ',', ';', '\n', '\u{3000}', 'é', '值'];
        let mut seed: u64 = 42;
        for _ in 0..20_000 {
            let mut text = String::new();
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            for k in 0..(seed >> 59) {
                text.push(alphabet[((seed >> (k * 3 % 48)) as usize + k as usize) % alphabet.len()]);
            }
            let want: Vec<(usize, usize, usize)> = re
                .captures_iter(&text)
                .map(|c| (c.get(1).unwrap().start(), c.get(2).unwrap().start(), c.get(2).unwrap().end()))
                .collect();
            assert_eq!(pairs(&text).collect::<Vec<_>>(), want, "{text:?}");
        }
    }

    #[test]
    fn status_lines() {
        let k = kinds(r#"HTTP Request: POST https://open.bigmodel.cn/x "HTTP/1.1 429 Too Many Requests""#);
        assert_eq!(k, vec![CandidateKind::Status { status: 429 }]);
        assert!(kinds(r#"GET /x "HTTP/1.1 200 OK""#).is_empty());
    }
}
