//! One tolerant reader for the object notations programs print error bodies in: JSON; Python's
//! repr (single quotes, `None`, tuples, `b'...'` bytes, `Name(k=v)` calls); JavaScript as
//! Node's `util.inspect` prints it (bare keys, `'...'` strings, `undefined`, `[Object]`,
//! `<ref *1>`, `[cause]: {...}`, `Headers {...}`); Java and Kotlin `toString()`s
//! (`Name{k=v, k='v'}`, Lombok's `Name(k=v text, k=v)`); Go's `&{Key:v Key:v}` and
//! `map[k:v k:v]`; Rust's Debug (`Name { k: "v" }`).
//!
//! Keys are quoted with `"` or `'`, bare, or in brackets; `:`, `=` or `=>` separate a key
//! from its value; fields are separated by commas or, as Go prints them, by spaces. A value is a
//! container, a quoted string, a number, a bare word (`null`, `None`, `nil`, `undefined`,
//! `True`), or bare text up to what ends it: the container's closing bracket, the end of the
//! line, or a separator followed by the next `key:`/`key=`.
//!
//! It reads one container at the start of its input and says how much it consumed, so the span
//! finder can try it at each opening bracket of a line and skip what it took. The result is a
//! [`Tape`]: a flat list of nodes in document order whose strings and numbers are byte ranges
//! of the input, read (and their escapes decoded) only when a shape recognizer asks. Every line
//! of a dense log holds a body or three, so the tape is reused and a parse allocates nothing
//! once it has grown.
//!
//! Nesting deeper than [`MAX_DEPTH`] fails instead of recursing, and bare text is cut at
//! [`MAX_BARE_BYTES`]: log lines are attacker-influenced.

use std::borrow::Cow;
use std::cmp::Ordering;

/// Provider error bodies nest three or four levels; a log record around one, a few more.
pub const MAX_DEPTH: usize = 48;

/// The nodes of one parsed object, kept between parses for their memory.
#[derive(Default)]
pub struct Tape {
    nodes: Vec<Node>,
}

#[derive(Clone, Copy)]
struct Node {
    kind: Kind,
    /// Where the node's text starts and ends in the parsed input; for a string, its contents
    /// between the quotes, escapes undecoded.
    start: usize,
    end: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `after` is the index past its last descendant. Its fields follow it as key, value, ...
    Object {
        after: usize,
    },
    List {
        after: usize,
    },
    Str {
        escaped: bool,
    },
    Number,
    Null,
    Bool,
}

impl Tape {
    /// Reads one container at the start of `text` (`{`, or the `(` of `Name(k=v)`, or the `[`
    /// of Go's `map[k:v]`): its value and the number of bytes it took.
    pub fn parse_object<'t>(&'t mut self, text: &'t str) -> Option<(Value<'t>, usize)> {
        self.nodes.clear();
        let close = match text.as_bytes().first()? {
            b'{' => b'}',
            b'(' => b')',
            b'[' => b']',
            _ => return None,
        };
        let mut parser = Parser { text, pos: 0, nodes: &mut self.nodes };
        parser.object(0, close)?;
        let used = parser.pos;
        Some((Value { nodes: &self.nodes, text, at: 0 }, used))
    }

    /// Reads a run of fields with no brackets around them, as SDKs print an error's fields in
    /// its text (coze-js's `code: 4100, msg: authentication is invalid, logid: 2025..`, coze-go's
    /// `Code: 5000, Message: ..., LogID: ...`): two `key: value` fields or more, separated by
    /// commas, up to the end of the line or the first text that is not a field.
    pub fn parse_run<'t>(&'t mut self, text: &'t str) -> Option<(Value<'t>, usize)> {
        self.nodes.clear();
        let mut parser = Parser { text, pos: 0, nodes: &mut self.nodes };
        let at = parser.push(Kind::Object { after: 0 }, 0);
        let (mut fields, mut end) = (0, 0);
        loop {
            let (nodes, pos) = (parser.nodes.len(), parser.pos);
            let field = parser.key().is_some() && {
                while parser.peek() == Some(b' ') {
                    parser.pos += 1;
                }
                parser.eat(b':') && parser.value(1, b'\n').is_some()
            };
            if !field {
                parser.nodes.truncate(nodes);
                parser.pos = pos;
                break;
            }
            fields += 1;
            end = parser.pos;
            while parser.peek() == Some(b' ') {
                parser.pos += 1;
            }
            if !parser.eat(b',') {
                break;
            }
            while parser.peek() == Some(b' ') {
                parser.pos += 1;
            }
        }
        if fields < 2 {
            return None;
        }
        parser.pos = end;
        parser.close(at);
        Some((Value { nodes: &self.nodes, text, at: 0 }, end))
    }

    /// The memory its nodes hold.
    pub fn heap_bytes(&self) -> usize {
        self.nodes.capacity() * std::mem::size_of::<Node>()
    }
}

/// The quoted string at the start of `text` (`'..'` or `".."`, a Python `b'..'` with its
/// prefix dropped by the caller), decoded once, and the bytes it took.
pub fn quoted(text: &str, out: &mut String) -> Option<usize> {
    let mut nodes = Vec::new();
    let mut parser = Parser { text, pos: 0, nodes: &mut nodes };
    parser.string()?;
    let used = parser.pos;
    let node = nodes[0];
    let Kind::Str { escaped } = node.kind else { return None };
    Text { raw: &text[node.start..node.end], escaped }.decode_into(out);
    Some(used)
}

/// Bare text longer than this is not a value: a message is shorter, and a line of prose is not
/// read to its end at every bracket in it.
pub const MAX_BARE_BYTES: usize = 8 * 1024;

/// Whether a key's value may follow its `:` after a space.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Spacing {
    Loose,
    Tight,
}

/// Recursive descent over bytes, one method per production; `None` is "not an object here".
struct Parser<'a, 'n> {
    text: &'a str,
    pos: usize,
    nodes: &'n mut Vec<Node>,
}

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | b'-' | b'.' | b'@')
}

impl Parser<'_, '_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn rest(&self) -> &[u8] {
        &self.text.as_bytes()[self.pos..]
    }

    fn eat(&mut self, b: u8) -> bool {
        let found = self.peek() == Some(b);
        self.pos += usize::from(found);
        found
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\r' | b'\n')) {
            self.pos += 1;
        }
    }

    fn push(&mut self, kind: Kind, start: usize) -> usize {
        self.nodes.push(Node { kind, start, end: self.pos });
        self.nodes.len() - 1
    }

    /// Sets where the container opened at node `at` ends, now that its last child is in.
    fn close(&mut self, at: usize) {
        let after = self.nodes.len();
        let node = &mut self.nodes[at];
        node.end = self.pos;
        node.kind = match node.kind {
            Kind::Object { .. } => Kind::Object { after },
            _ => Kind::List { after },
        };
    }

    /// A value inside a container that `close` ends.
    fn value(&mut self, depth: usize, close: u8) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_ws();
        // util.inspect marks an object met again later: `<ref *1> { ... }`.
        if self.rest().starts_with(b"<ref *") {
            self.pos += memchr::memchr(b'>', self.rest())? + 1;
            self.skip_ws();
        }
        match self.peek()? {
            b'{' => self.object(depth, b'}'),
            b'[' => self.list(depth, b']'),
            b'(' => self.list(depth, b')'),
            b'"' | b'\'' | b'`' => self.string(),
            b'<' => self.angled(),
            b'-' | b'+' | b'.' | b'0'..=b'9' => {
                let (start, nodes) = (self.pos, self.nodes.len());
                if self.number().is_some() && self.ends_value(close) {
                    return Some(());
                }
                // `2025-03-14T10:00:00`, `0217abc`: not a number after all.
                self.nodes.truncate(nodes);
                self.pos = start;
                self.bare(close)
            }
            b'&' if self.rest().starts_with(b"&{") => {
                self.pos += 1;
                self.object(depth, b'}')
            }
            b if b.is_ascii_alphabetic() || b == b'_' || b == b'$' => self.word(depth, close),
            _ => self.bare(close),
        }
    }

    /// A value that starts with a letter: a literal, a string's prefix (`b'...'`), a named
    /// container (`Headers {`, `Name(`, `map[`, `Map(2) {`), or bare text.
    fn word(&mut self, depth: usize, close: u8) -> Option<()> {
        let start = self.pos;
        let len = self.rest().iter().take_while(|b| is_key_byte(**b)).count();
        let word = &self.text.as_bytes()[start..start + len];
        let after = self.text.as_bytes().get(start + len).copied();
        if matches!(after, Some(b'\'' | b'"')) && matches!(word, b"b" | b"r" | b"u" | b"br" | b"rb" | b"f") {
            self.pos += len;
            return self.string();
        }
        let literal = match word {
            b"null" | b"None" | b"nil" | b"undefined" | b"NaN" => Some(Kind::Null),
            b"true" | b"True" | b"false" | b"False" => Some(Kind::Bool),
            _ => None,
        };
        if let Some(kind) = literal {
            self.pos += len;
            if self.ends_value(close) {
                self.push(kind, start);
                return Some(());
            }
            self.pos = start;
            return self.bare(close);
        }
        // A name, then (after `Map(2)`'s count or a space) the container it names.
        self.pos += len;
        // Rust's `Some("1002")`, Java's `Optional[1002]`: the value they wrap.
        if matches!(word, b"Some" | b"Ok" | b"Err" | b"Optional") && matches!(self.peek(), Some(b'(' | b'['))
        {
            let inner_close = if self.peek() == Some(b'(') { b')' } else { b']' };
            let nodes = self.nodes.len();
            self.pos += 1;
            if self.value(depth + 1, inner_close).is_some() {
                self.skip_ws();
                if self.eat(inner_close) {
                    return Some(());
                }
            }
            self.nodes.truncate(nodes);
            self.pos = start + len;
        }
        if word == b"map" && self.eat(b'[') {
            self.pos -= 1;
            return self.object(depth, b']');
        }
        let named = self.pos;
        if self.peek() == Some(b'(') {
            let counted = self.rest()[1..].iter().take_while(|b| b.is_ascii_digit()).count();
            if counted > 0 && self.rest().get(counted + 1) == Some(&b')') {
                self.pos += counted + 2;
            } else {
                let nodes = self.nodes.len();
                if self.object(depth, b')').is_some() {
                    return Some(());
                }
                self.nodes.truncate(nodes);
                self.pos = named;
                if self.list(depth, b')').is_some() {
                    return Some(());
                }
                self.nodes.truncate(nodes);
                self.pos = start;
                return self.bare(close);
            }
        }
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
        if self.peek() == Some(b'{') {
            let nodes = self.nodes.len();
            if self.object(depth, b'}').is_some() {
                return Some(());
            }
            self.nodes.truncate(nodes);
        }
        self.pos = start;
        self.bare(close)
    }

    /// Is the value just read over? Whitespace, then a separator or a closing bracket (or the
    /// end), must follow it; else it was the start of bare text (`2025-03-14`, `None of`).
    fn ends_value(&self, close: u8) -> bool {
        let rest = self.rest();
        let next = rest.iter().position(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
        match next.map(|i| rest[i]) {
            None => true,
            Some(b',' | b';') => true,
            Some(b) if b == close => true,
            // Go's fields, separated by spaces: `Code:1113 Message:...`.
            Some(_) => next.is_some_and(|i| i > 0 && self.key_follows(self.pos + i, Spacing::Tight)),
        }
    }

    /// Does a `key:` or `key=` start at `at`? A key is quoted, or a bare name that starts with
    /// a letter (so the `10:00` of a time is not one), and `:` is not the `://` of a URL. Where
    /// fields are separated by spaces only (Go's `Code:1113 Message:..`), a value follows its
    /// key at once: `Request ID: 0217..` in a message is text.
    fn key_follows(&self, at: usize, spacing: Spacing) -> bool {
        let bytes = self.text.as_bytes();
        let mut i = at;
        match bytes.get(i) {
            Some(q @ (b'"' | b'\'')) => {
                let Some(len) = memchr::memchr(*q, &bytes[i + 1..]) else { return false };
                i += len + 2;
            }
            Some(b'[') => {
                let Some(len) = memchr::memchr(b']', &bytes[i..]) else { return false };
                i += len + 1;
            }
            Some(b) if b.is_ascii_alphabetic() || *b == b'_' || *b == b'$' => {
                i += bytes[i..].iter().take_while(|b| is_key_byte(**b)).count();
            }
            _ => return false,
        }
        while bytes.get(i) == Some(&b' ') {
            i += 1;
        }
        // Or an empty value, the next key at once after it (Go's `param: type:BadRequest`).
        let value_at_once = || {
            bytes.get(i + 1).is_some_and(|b| !b.is_ascii_whitespace())
                || (bytes.get(i + 1) == Some(&b' ') && self.tight_key_at(i + 2))
        };
        match bytes.get(i) {
            Some(b'=') => bytes.get(i + 1) != Some(&b'=') && (spacing == Spacing::Loose || value_at_once()),
            Some(b':') => {
                !bytes[i + 1..].starts_with(b"//")
                    && bytes.get(i + 1) != Some(&b':')
                    && (spacing == Spacing::Loose || value_at_once())
            }
            _ => false,
        }
    }

    /// A bare `key:` with its value right after it, at `at`.
    fn tight_key_at(&self, at: usize) -> bool {
        let bytes = self.text.as_bytes();
        if !bytes.get(at).is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_') {
            return false;
        }
        let i = at + bytes[at..].iter().take_while(|b| is_key_byte(**b)).count();
        matches!(bytes.get(i), Some(b':' | b'='))
            && bytes.get(i + 1).is_some_and(|b| !b.is_ascii_whitespace() && *b != b'/')
    }

    /// Bare text, up to the first of: `close` outside brackets of its own, the end of the line,
    /// or a separator (`,` or a space) followed by the next key. Trailing spaces are not its.
    fn bare(&mut self, close: u8) -> Option<()> {
        let start = self.pos;
        let bytes = self.text.as_bytes();
        let limit = (start + MAX_BARE_BYTES).min(bytes.len());
        let mut nested = 0usize;
        let mut i = start;
        while i < limit {
            let b = bytes[i];
            match b {
                b'\n' | b'\r' => break,
                _ if b == close && nested == 0 => break,
                b'(' | b'[' | b'{' => nested += 1,
                b')' | b']' | b'}' if nested > 0 => nested -= 1,
                b')' | b']' | b'}' => return None,
                b',' | b';' if nested == 0 => {
                    let next = i + 1 + bytes[i + 1..].iter().take_while(|b| **b == b' ').count();
                    if next >= bytes.len() || self.key_follows(next, Spacing::Loose) || bytes[next] == close {
                        break;
                    }
                }
                b' ' if nested == 0 && i > start && self.key_follows(i + 1, Spacing::Tight) => break,
                _ => {}
            }
            i += 1;
        }
        if i == limit && limit < bytes.len() {
            return None;
        }
        let end = start + bytes[start..i].trim_ascii_end().len();
        if end == start {
            return None;
        }
        // A character is never split: every byte that ends the text is ASCII.
        self.pos = end;
        self.push(Kind::Str { escaped: false }, start);
        Some(())
    }

    /// `<Response [429 Too Many Requests]>`: Python's repr of what has no literal form, as
    /// bare text.
    fn angled(&mut self) -> Option<()> {
        let start = self.pos;
        let len = memchr::memchr2(b'>', b'\n', self.rest())?;
        if self.rest()[len] != b'>' {
            return None;
        }
        self.pos += len + 1;
        self.nodes.push(Node { kind: Kind::Str { escaped: false }, start, end: self.pos });
        Some(())
    }

    /// A key: quoted, in brackets (util.inspect's `[cause]`, `[Symbol(x)]`), or bare.
    fn key(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' | b'\'' => self.string(),
            b'[' => {
                let len = memchr::memchr2(b']', b'\n', self.rest())?;
                if self.rest()[len] != b']' {
                    return None;
                }
                let start = self.pos + 1;
                self.pos += len + 1;
                self.nodes.push(Node { kind: Kind::Str { escaped: false }, start, end: self.pos - 1 });
                Some(())
            }
            b if is_key_byte(b) => {
                // Rust's raw identifiers: `r#type` is the key `type`.
                if self.rest().starts_with(b"r#") {
                    self.pos += 2;
                }
                let start = self.pos;
                self.pos += self.rest().iter().take_while(|b| is_key_byte(**b)).count();
                self.push(Kind::Str { escaped: false }, start);
                Some(())
            }
            _ => None,
        }
    }

    /// At an opening bracket; `close` ends it. Fields are `key: value`, `key = value` or
    /// `key => value`, separated by commas or whitespace; a trailing comma is allowed.
    fn object(&mut self, depth: usize, close: u8) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        let start = self.pos;
        self.pos += 1;
        let at = self.push(Kind::Object { after: 0 }, start);
        loop {
            self.skip_ws();
            if self.eat(close) {
                break;
            }
            self.key()?;
            self.skip_ws();
            if !(self.eat(b':') || self.eat(b'=')) {
                return None;
            }
            self.eat(b'>');
            if self.empty_value(close) {
                let at = self.pos;
                self.nodes.push(Node { kind: Kind::Str { escaped: false }, start: at, end: at });
            } else {
                self.value(depth + 1, close)?;
            }
            self.skip_ws();
            if !(self.eat(b',') || self.eat(b';')) {
                if self.eat(close) {
                    break;
                }
                // Go's space-separated fields: the next must be a key.
                if !self.key_follows(self.pos, Spacing::Loose) {
                    return None;
                }
            }
        }
        self.close(at);
        Some(())
    }

    /// Nothing after a key's separator: Go prints an empty string so (`param: type:..`), and
    /// Lombok a null one (`param=, type=..`).
    fn empty_value(&self, close: u8) -> bool {
        let rest = self.rest();
        let spaces = rest.iter().take_while(|b| **b == b' ').count();
        match rest.get(spaces) {
            None => true,
            Some(b',' | b';') => true,
            Some(b) if *b == close => true,
            Some(_) => spaces > 0 && self.key_follows(self.pos + spaces, Spacing::Tight),
        }
    }

    /// At a `[` or a tuple's `(`; `close` ends it. A Python call's keyword arguments
    /// (`APIStatusError('..', response=<...>, body={...})`) are items: their names are not kept.
    fn list(&mut self, depth: usize, close: u8) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        let start = self.pos;
        self.pos += 1;
        let at = self.push(Kind::List { after: 0 }, start);
        loop {
            self.skip_ws();
            if self.eat(close) {
                break;
            }
            if self.peek().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_') && self.keyword_argument() {
                self.pos += self.rest().iter().position(|b| *b == b'=')? + 1;
            }
            self.value(depth + 1, close)?;
            self.skip_ws();
            if !self.eat(b',') {
                if self.eat(close) {
                    break;
                }
                return None;
            }
        }
        self.close(at);
        Some(())
    }

    /// `name=` (not `==`) at the position: a keyword argument.
    fn keyword_argument(&self) -> bool {
        let rest = self.rest();
        let len = rest.iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'_').count();
        rest.get(len) == Some(&b'=') && rest.get(len + 1) != Some(&b'=')
    }

    /// A string in any quote: found to its end without decoding it.
    fn string(&mut self) -> Option<()> {
        let quote = self.peek().filter(|q| matches!(q, b'"' | b'\'' | b'`'))?;
        let start = self.pos + 1;
        let mut at = start;
        let mut escaped = false;
        loop {
            at += memchr::memchr2(quote, b'\\', &self.text.as_bytes()[at..])?;
            if self.text.as_bytes()[at] == quote {
                self.nodes.push(Node { kind: Kind::Str { escaped }, start, end: at });
                self.pos = at + 1;
                return Some(());
            }
            escaped = true;
            at += 1 + escape(&self.text[at + 1..])?.1;
        }
    }

    /// A number as `[-][+-]digits[.digits][e[+-]digits]` (or `.digits`).
    fn number(&mut self) -> Option<()> {
        let start = self.pos;
        self.eat(b'-');
        if !self.eat(b'+') {
            self.eat(b'-');
        }
        if self.digits() > 0 {
            if self.eat(b'.') {
                self.digits();
            }
        } else if !(self.eat(b'.') && self.digits() > 0) {
            return None;
        }
        if self.eat(b'e') || self.eat(b'E') {
            if !self.eat(b'+') {
                self.eat(b'-');
            }
            if self.digits() == 0 {
                return None;
            }
        }
        self.push(Kind::Number, start);
        Some(())
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        self.pos - start
    }
}

/// The escape after a backslash: the character it stands for and the bytes it took.
/// `\uXXXX` and `\xXX` take that many characters whatever they are (an invalid one gives
/// U+FFFD); any other escaped character stands for itself. `None` at the end of the text.
fn escape(after: &str) -> Option<(char, usize)> {
    let mut chars = after.chars();
    let c = chars.next()?;
    let digits = match c {
        'n' => return Some(('\n', 1)),
        't' => return Some(('\t', 1)),
        'r' => return Some(('\r', 1)),
        'u' => 4,
        'x' => 2,
        other => return Some((other, other.len_utf8())),
    };
    let len: usize = chars.take(digits).map(char::len_utf8).sum();
    let hex = &after[1..1 + len];
    let decoded = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32).unwrap_or('\u{FFFD}');
    Some((decoded, 1 + len))
}

/// The byte of `xNN` (what follows a backslash), if it is one.
fn hex_byte(after: &str) -> Option<u8> {
    let hex = after.strip_prefix('x')?.get(..2)?;
    hex.bytes().all(|b| b.is_ascii_hexdigit()).then(|| u8::from_str_radix(hex, 16).ok())?
}

/// One node of a parsed object.
#[derive(Clone, Copy)]
pub struct Value<'t> {
    nodes: &'t [Node],
    text: &'t str,
    at: usize,
}

impl<'t> Value<'t> {
    fn node(&self) -> Node {
        self.nodes[self.at]
    }

    fn at(self, at: usize) -> Value<'t> {
        Value { at, ..self }
    }

    /// The index of the node after this one and its descendants.
    fn after(self) -> usize {
        match self.node().kind {
            Kind::Object { after } | Kind::List { after } => after,
            _ => self.at + 1,
        }
    }

    /// Where it starts in the text read (a string: after its quote).
    pub fn offset(self) -> usize {
        self.node().start
    }

    pub fn as_object(self) -> Option<Object<'t>> {
        matches!(self.node().kind, Kind::Object { .. }).then_some(Object(self))
    }

    /// A list's items; nothing for anything else.
    pub fn items(self) -> impl Iterator<Item = Value<'t>> {
        let end = match self.node().kind {
            Kind::List { after } => after,
            _ => self.at + 1,
        };
        let mut next = self.at + 1;
        std::iter::from_fn(move || {
            let item = (next < end).then(|| self.at(next))?;
            next = item.after();
            Some(item)
        })
    }

    /// A string; or a number too large for a float, which the parser this one replaced kept
    /// as its text (so `"msg": 1e999` is a message).
    pub fn as_str(self) -> Option<Text<'t>> {
        let node = self.node();
        let raw = &self.text[node.start..node.end];
        match node.kind {
            Kind::Str { escaped } => Some(Text { raw, escaped }),
            Kind::Number if number(raw) == Number::Text => Some(Text { raw, escaped: false }),
            _ => None,
        }
    }

    /// An integer in `i64` range, written without a fraction or exponent.
    pub fn as_i64(self) -> Option<i64> {
        let node = self.node();
        if node.kind != Kind::Number {
            return None;
        }
        match number(&self.text[node.start..node.end]) {
            Number::Int(i) => Some(i),
            _ => None,
        }
    }

    pub fn as_u64(self) -> Option<u64> {
        self.as_i64().and_then(|i| u64::try_from(i).ok())
    }

    /// The value as serde_json holds it, for tests comparing with the parser this one replaced.
    #[cfg(test)]
    pub fn to_json(self) -> serde_json::Value {
        use serde_json::Value as J;
        let node = self.node();
        let raw = &self.text[node.start..node.end];
        match node.kind {
            Kind::Object { .. } => {
                let fields = Object(self).fields().map(|(k, v)| (k.decoded().into_owned(), v.to_json()));
                J::Object(fields.collect())
            }
            Kind::List { .. } => J::Array(self.items().map(Value::to_json).collect()),
            Kind::Str { .. } => J::String(self.as_str().unwrap().decoded().into_owned()),
            Kind::Number => match number(raw) {
                Number::Int(i) => J::from(i),
                Number::Float => J::from(raw.parse::<f64>().unwrap()),
                Number::Text => J::String(raw.to_string()),
            },
            Kind::Null => J::Null,
            Kind::Bool => J::Bool(raw.starts_with(['t', 'T'])),
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Number {
    Int(i64),
    Float,
    /// Not a finite `f64` (`1e999`, `--5`).
    Text,
}

fn number(text: &str) -> Number {
    if let Ok(i) = text.parse::<i64>() {
        Number::Int(i)
    } else if text.parse::<f64>().is_ok_and(f64::is_finite) {
        Number::Float
    } else {
        Number::Text
    }
}

/// A parsed object.
#[derive(Clone, Copy)]
pub struct Object<'t>(Value<'t>);

impl<'t> Object<'t> {
    /// Its fields in the order written: keys and values.
    #[cfg(test)]
    pub fn fields(self) -> impl Iterator<Item = (Text<'t>, Value<'t>)> {
        let value = self.0;
        let end = value.after();
        let mut next = value.at + 1;
        std::iter::from_fn(move || {
            if next >= end {
                return None;
            }
            let key = value.at(next).as_str()?;
            let field = value.at(next + 1);
            next = field.after();
            Some((key, field))
        })
    }

    #[cfg(test)]
    pub fn contains_key(self, key: &str) -> bool {
        self.fields().any(|(k, _)| k.is(key))
    }

    /// Its keys in the order written, each with where its value is (for [`Object::value`]).
    pub fn keys(self) -> impl Iterator<Item = (Text<'t>, usize)> {
        self.value_places().map(move |at| (self.key(at), at))
    }

    /// Appends where its values are (for [`Object::value`]) in the order a map of its fields
    /// would give them: by key, the last of a repeated key only; of those, the ones `wanted`.
    pub fn push_map_order(self, wanted: impl Fn(Value<'t>) -> bool, out: &mut Vec<usize>) {
        let first = out.len();
        out.extend(self.value_places().filter(|&at| wanted(self.value(at))));
        if out.len() - first <= 4 {
            // The one or two values a body has worth reading: looking past each for its key
            // again costs less than sorting every field.
            retain_tail(out, first, |at| {
                self.value_places().all(|later| later <= at || !self.same_key(later, at))
            });
        } else {
            out.truncate(first);
            out.extend(self.value_places());
            out[first..].sort_unstable_by(|&a, &b| self.key(a).cmp_decoded(self.key(b)).then(a.cmp(&b)));
            let repeated =
                |i: usize, out: &[usize]| out.get(i + 1).is_some_and(|&n| self.same_key(n, out[i]));
            let mut kept = first;
            for i in first..out.len() {
                if !repeated(i, out) && wanted(self.value(out[i])) {
                    out[kept] = out[i];
                    kept += 1;
                }
            }
            out.truncate(kept);
        }
        out[first..].sort_unstable_by(|&a, &b| self.key(a).cmp_decoded(self.key(b)).then(a.cmp(&b)));
    }

    /// Where each of its values is on the tape, in the order written.
    fn value_places(self) -> impl Iterator<Item = usize> + 't {
        let end = self.0.after();
        let mut next = self.0.at + 1;
        std::iter::from_fn(move || {
            let at = (next < end).then_some(next + 1)?;
            next = self.0.at(at).after();
            Some(at)
        })
    }

    /// The key of the value at `at`: the node before it.
    fn key(self, at: usize) -> Text<'t> {
        self.0.at(at - 1).as_str().unwrap_or(Text { raw: "", escaped: false })
    }

    fn same_key(self, a: usize, b: usize) -> bool {
        let (a, b) = (self.key(a), self.key(b));
        match (a.plain(), b.plain()) {
            (Some(a), Some(b)) => a == b,
            _ => a.chars().eq(b.chars()),
        }
    }

    /// The value at `at`, a place [`Object::push_map_order`] or [`Object::keys`] gave.
    pub fn value(self, at: usize) -> Value<'t> {
        self.0.at(at)
    }
}

/// Keeps the items of `v` from `first` on for which `keep` holds.
fn retain_tail(v: &mut Vec<usize>, first: usize, keep: impl Fn(usize) -> bool) {
    let mut kept = first;
    for i in first..v.len() {
        if keep(v[i]) {
            v[kept] = v[i];
            kept += 1;
        }
    }
    v.truncate(kept);
}

/// A string as written between its quotes, escapes undecoded.
#[derive(Clone, Copy, Debug)]
pub struct Text<'t> {
    raw: &'t str,
    escaped: bool,
}

impl<'t> Text<'t> {
    /// Its characters, escapes decoded.
    pub fn chars(self) -> impl Iterator<Item = char> + 't {
        // Only keys and texts with escapes get here, and those are few: decoded whole, as
        // `\xNN` runs must be (a run is one UTF-8 sequence).
        self.decoded().chars().collect::<Vec<_>>().into_iter()
    }

    /// Its text, decoded: borrowed unless it holds an escape.
    pub fn decoded(self) -> Cow<'t, str> {
        if !self.escaped {
            return Cow::Borrowed(self.raw);
        }
        let mut out = String::with_capacity(self.raw.len());
        self.decode_into(&mut out);
        Cow::Owned(out)
    }

    /// Appends its decoded text to `out`. A run of `\xNN` escapes is bytes, as Python prints
    /// `bytes` (`b'\xe5\x9b\xbe'`): decoded as UTF-8, never one character per byte (that is
    /// mojibake); bytes that are not UTF-8 become U+FFFD.
    pub fn decode_into(self, out: &mut String) {
        let mut rest = self.raw;
        let mut run: Vec<u8> = Vec::new();
        while let Some(at) = memchr::memchr(b'\\', rest.as_bytes()) {
            if at > 0 && !run.is_empty() {
                out.push_str(&String::from_utf8_lossy(&run));
                run.clear();
            }
            out.push_str(&rest[..at]);
            if let Some(byte) = hex_byte(&rest[at + 1..]) {
                run.push(byte);
                rest = &rest[at + 4..];
                continue;
            }
            if !run.is_empty() {
                out.push_str(&String::from_utf8_lossy(&run));
                run.clear();
            }
            let Some((decoded, len)) = escape(&rest[at + 1..]) else { return };
            out.push(decoded);
            rest = &rest[at + 1 + len..];
        }
        if !run.is_empty() {
            out.push_str(&String::from_utf8_lossy(&run));
        }
        out.push_str(rest);
    }

    /// As written, escapes undecoded.
    pub fn raw(self) -> &'t str {
        self.raw
    }

    /// Its text if it needs no decoding.
    pub fn plain(self) -> Option<&'t str> {
        (!self.escaped).then_some(self.raw)
    }

    /// Does it decode to `s`?
    #[cfg(test)]
    pub fn is(self, s: &str) -> bool {
        match self.plain() {
            Some(raw) => raw == s,
            None => self.chars().eq(s.chars()),
        }
    }

    /// Orders by decoded text, as `String`s order.
    pub fn cmp_decoded(self, other: Text<'_>) -> Ordering {
        match (self.plain(), other.plain()) {
            (Some(a), Some(b)) => a.cmp(b),
            _ => self.chars().cmp(other.chars()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(text: &str) -> Option<(serde_json::Value, usize)> {
        let mut tape = Tape::default();
        tape.parse_object(text).map(|(v, used)| (v.to_json(), used))
    }

    #[test]
    fn json_and_python_repr_give_the_same_value() {
        let json_text = r#"{"error": {"code": "1302", "message": "并发过高", "param": null, "ok": true}}"#;
        let repr_text = r#"{'error': {'code': '1302', 'message': '并发过高', 'param': None, 'ok': True}}"#;
        let expected = json!({"error": {"code": "1302", "message": "并发过高", "param": null, "ok": true}});
        assert_eq!(parse(json_text).unwrap().0, expected);
        assert_eq!(parse(repr_text).unwrap().0, expected);
    }

    #[test]
    fn reports_how_much_it_consumed() {
        let text = r#"{"code":4011,"msg":"余额不足"} trailing"#;
        let (v, used) = parse(text).unwrap();
        assert_eq!(v["code"], 4011);
        assert_eq!(&text[used..], " trailing");
    }

    #[test]
    fn escapes_and_mixed_quotes() {
        let text = r#"{'message': "it's \"quoted\"\n", 'u': '\u4f59', 't': (1, 2.5, -3), 'x': '\x41\u12zz'}"#;
        let (v, _) = parse(text).unwrap();
        assert_eq!(v["message"], "it's \"quoted\"\n");
        assert_eq!(v["u"], "余");
        assert_eq!(v["t"], json!([1, 2.5, -3]));
        assert_eq!(v["x"], "A\u{FFFD}");
    }

    #[test]
    fn strings_are_read_without_decoding_until_asked() {
        let mut tape = Tape::default();
        let (v, _) = tape.parse_object(r#"{"a\u0062":"x\ty","ab":1,"s":1e999}"#).unwrap();
        let obj = v.as_object().unwrap();
        let mut order = Vec::new();
        obj.push_map_order(|_| true, &mut order);
        let fields: Vec<_> = order.iter().map(|&at| obj.value(at).to_json()).collect();
        assert_eq!(fields, [json!(1), json!("1e999")], "by key, the last of a repeated key");
        assert!(obj.contains_key("ab"));
        let (key, value) = obj.fields().next().unwrap();
        assert!(key.plain().is_none() && key.is("ab"));
        assert_eq!(value.as_str().unwrap().decoded(), "x\ty");
        let (_, number) = obj.fields().last().unwrap();
        assert_eq!(number.as_str().unwrap().decoded(), "1e999");
    }

    #[test]
    fn map_order_is_by_key_and_the_last_of_a_repeated_key() {
        // Objects wanted: `a`'s last value is not one. The second has too many to look past each.
        let wanted = |v: Value<'_>| v.as_object().is_some();
        for (text, expected) in [
            (r#"{"b":{},"a":{"n":1},"c":2,"a":3}"#, "b"),
            (r#"{"f":{},"b":{},"e":{},"a":{"n":1},"d":{},"c":2,"a":3,"g":{}}"#, "bdefg"),
        ] {
            let mut tape = Tape::default();
            let obj = tape.parse_object(text).unwrap().0.as_object().unwrap();
            let mut order = vec![usize::MAX];
            obj.push_map_order(wanted, &mut order);
            let keys: String = order[1..].iter().map(|&at| obj.key(at).raw()).collect();
            assert_eq!((order[0], keys.as_str()), (usize::MAX, expected), "{text}");
        }
    }

    /// One body as each language's printer writes it: one value.
    #[test]
    fn every_notation_gives_the_same_value() {
        let expected = json!({"code": "1113", "message": "余额不足, 请充值", "status": 429});
        let quoted_code = json!({"code": "1113", "message": "余额不足, 请充值", "status": "429"});
        for (text, want) in [
            (r#"{"code":"1113","message":"余额不足, 请充值","status":429}"#, &expected),
            (r#"{'code': '1113', 'message': '余额不足, 请充值', 'status': 429}"#, &expected),
            ("{\n  code: '1113',\n  message: '余额不足, 请充值',\n  status: 429\n}", &expected),
            (r#"{code=1113, message=余额不足, 请充值, status=429}"#, &quoted_code),
            (r#"(code=1113, message=余额不足, 请充值, status=429)"#, &quoted_code),
            (r#"{code='1113', message='余额不足, 请充值', status=429}"#, &expected),
            (r#"{Code:1113 Message:余额不足, 请充值 Status:429}"#, &quoted_code),
            (r#"[code:1113 message:余额不足, 请充值 status:429]"#, &quoted_code),
            (r#"{ code: Some("1113"), message: "余额不足, 请充值", status: 429 }"#, &expected),
            (r#"{"code"=>"1113", "message"=>"余额不足, 请充值", "status"=>429}"#, &expected),
        ] {
            let (value, used) = parse(text).unwrap_or_else(|| panic!("{text}"));
            let value = lowercase_keys(value);
            // Bare `1113` is a number: the shapes read a code either way.
            let want = if text.contains("code=1113") || text.contains("ode:1113") {
                json!({"code": 1113, "message": want["message"], "status": 429})
            } else {
                want.clone()
            };
            assert_eq!((value, used), (want, text.len()), "{text}");
        }
    }

    fn lowercase_keys(v: serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::Object(m) => {
                serde_json::Value::Object(m.into_iter().map(|(k, v)| (k.to_lowercase(), v)).collect())
            }
            other => other,
        }
    }

    #[test]
    fn decorations_and_wrappers_of_the_printers() {
        let inspect = "{\n  status: 400,\n  headers: Headers { date: 'x' },\n  error: <ref *1> { code: '1214', list: [Object], fn: [Function: f] },\n  [cause]: undefined\n}";
        let (v, _) = parse(inspect).unwrap();
        assert_eq!(v["error"]["code"], "1214");
        assert_eq!(v["cause"], serde_json::Value::Null);
        let java = "{statusCode=400, message='Missing. Request id: 0217', code='MissingParameter', param='', requestId='2025x'}";
        assert_eq!(parse(java).unwrap().0["code"], "MissingParameter");
        let go_empty = "{code:X param: type:BadRequest}";
        assert_eq!(parse(go_empty).unwrap().0, json!({"code": "X", "param": "", "type": "BadRequest"}));
        let lombok = "(code=702042078, msg=We're sorry, please retry (later), logID=2025abc)";
        assert_eq!(parse(lombok).unwrap().0["msg"], "We're sorry, please retry (later)");
        let python_call = "{'e': APIStatusError('Error code: 429', response=<Response [429 Too Many Requests]>, body={'code': '1308'})}";
        assert_eq!(parse(python_call).unwrap().0["e"][2]["code"], "1308");
        let rust = "{ r#type: None, code: Some(\"1002\") }";
        assert_eq!(parse(rust).unwrap().0, json!({"type": null, "code": "1002"}));
    }

    /// `\xNN` runs are UTF-8 bytes (`b'...'` as Python prints bytes), never Latin-1.
    #[test]
    fn bytes_escapes_decode_as_utf8() {
        let (v, _) = parse(r#"{'m': b'\xe5\x9b\xbe\xe7\x89\x87 ok', 'bad': '\xff!'}"#).unwrap();
        assert_eq!(v["m"], "图片 ok");
        assert_eq!(v["bad"], "\u{FFFD}!");
    }

    #[test]
    fn truncated_and_deep_input_fail_without_panicking() {
        assert!(parse(r#"{"error":{"code":"1302","mess"#).is_none());
        assert!(parse(r#"{"a":"\"#).is_none());
        assert!(parse(r#"{"a":"x"#).is_none());
        assert!(parse(r#"{"a":{"b":1}"#).is_none());
        // What is not a number is bare text, as Go and Lombok print values.
        assert_eq!(parse(r#"{"a":1e}"#).unwrap().0, json!({"a": "1e"}));
        assert_eq!(parse("{\"a\":\0}").unwrap().0, json!({"a": "\0"}));
        let deep = "{\"a\":".repeat(100_000);
        assert!(parse(&deep).is_none());
        let deep_list = format!("{{\"a\":{}", "[".repeat(100_000));
        assert!(parse(&deep_list).is_none());
        let just_deep_enough = format!("{}1{}", "{\"a\":".repeat(MAX_DEPTH), "}".repeat(MAX_DEPTH));
        assert!(parse(&just_deep_enough).is_some());
        let one_deeper = format!("{}1{}", "{\"a\":".repeat(MAX_DEPTH + 1), "}".repeat(MAX_DEPTH + 1));
        assert!(parse(&one_deeper).is_none());
    }
}
