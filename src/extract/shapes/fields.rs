//! The fields of an object the recognizers read, gathered in one pass over it: every object of
//! a line is shown to every recognizer, and most are not error bodies.

use crate::extract::jsonish::{Object, Text, Value};

/// A key some provider's body has.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Key {
    Error,
    Code,
    Message,
    Msg,
    Reason,
    Type,
    Detail,
    Status,
    StatusCode,
    HttpStatus,
    StatusCamel,
}

const NAMES: [(&str, Key); 11] = [
    ("error", Key::Error),
    ("code", Key::Code),
    ("message", Key::Message),
    ("msg", Key::Msg),
    ("reason", Key::Reason),
    ("type", Key::Type),
    ("detail", Key::Detail),
    ("status", Key::Status),
    ("status_code", Key::StatusCode),
    ("http_status", Key::HttpStatus),
    ("statusCode", Key::StatusCamel),
];

/// An object's values for each [`Key`]: the last one of a repeated key, as a map keeps.
#[derive(Clone, Copy)]
pub struct Fields<'t> {
    obj: Object<'t>,
    /// Where each key's value is on the tape; 0 when the object has none (node 0 is the
    /// body parsed, never a field's value). Places, not values: this is made for every
    /// object, and is small to copy.
    places: [usize; NAMES.len()],
}

impl<'t> Fields<'t> {
    pub fn of(obj: Object<'t>) -> Fields<'t> {
        let mut places = [0; NAMES.len()];
        for (key, at) in obj.keys() {
            if let Some(key) = key_of(key) {
                places[key as usize] = at;
            }
        }
        Fields { obj, places }
    }

    pub fn get(&self, key: Key) -> Option<Value<'t>> {
        let at = self.places[key as usize];
        (at != 0).then(|| self.obj.value(at))
    }

    /// The first of `status`, `status_code`, `http_status` and `statusCode` that holds an
    /// HTTP error status.
    pub fn http_status(&self) -> Option<u16> {
        [Key::Status, Key::StatusCode, Key::HttpStatus, Key::StatusCamel]
            .into_iter()
            .filter_map(|k| self.get(k)?.as_u64())
            .find(|s| (400..600).contains(s))
            .map(|s| s as u16)
    }
}

fn key_of(key: Text<'_>) -> Option<Key> {
    let Some(name) = key.plain() else {
        return NAMES.iter().find(|(name, _)| key.is(name)).map(|(_, k)| *k);
    };
    // Bytes, not `str`s: byte-string patterns compile to a length test and a few compares.
    Some(match name.as_bytes() {
        b"error" => Key::Error,
        b"code" => Key::Code,
        b"message" => Key::Message,
        b"msg" => Key::Msg,
        b"reason" => Key::Reason,
        b"type" => Key::Type,
        b"detail" => Key::Detail,
        b"status" => Key::Status,
        b"status_code" => Key::StatusCode,
        b"http_status" => Key::HttpStatus,
        b"statusCode" => Key::StatusCamel,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_is_its_key() {
        for (name, key) in NAMES {
            assert_eq!(NAMES[key as usize].1, key);
            let text = format!("{{\"{name}\":1}}");
            let mut tape = crate::extract::jsonish::Tape::default();
            let obj = tape.parse_object(&text).unwrap().0.as_object().unwrap();
            assert_eq!(Fields::of(obj).get(key).and_then(Value::as_i64), Some(1), "{name}");
        }
    }
}
