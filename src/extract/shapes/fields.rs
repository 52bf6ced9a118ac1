//! The fields of an object the shapes read, gathered in one pass over it: every object of a
//! searched line is shown to every shape, and most are not error bodies. Which keys matter is
//! the lexicon's to say (the union of what the descriptors' shapes read).

use crate::extract::lexicon::{Lexicon, MAX_KEYS};
use crate::extract::notation::{Object, Text, Value};

/// An object's values for each key the shapes read: the last one of a repeated key, as a map
/// keeps.
#[derive(Clone, Copy)]
pub struct Fields<'t> {
    obj: Object<'t>,
    /// Where each key's value is on the tape; 0 when the object has none (node 0 is the body
    /// parsed, never a field's value). Places, not values: this is made for every object, and
    /// is small to copy.
    places: [u32; MAX_KEYS],
}

impl<'t> Fields<'t> {
    pub fn of(obj: Object<'t>, lexicon: &Lexicon) -> Fields<'t> {
        let mut places = [0; MAX_KEYS];
        for (key, at) in obj.keys() {
            let (exact, folded) = keys_of(key, lexicon);
            for k in [exact, folded].into_iter().flatten() {
                places[k as usize] = at as u32;
            }
        }
        Fields { obj, places }
    }

    pub fn get(&self, key: u8) -> Option<Value<'t>> {
        let at = self.places[key as usize];
        (at != 0).then(|| self.obj.value(at as usize))
    }

    /// The value at a path of keys: `[detail, logid]` is `detail.logid`.
    pub fn path(&self, path: &[u8], lexicon: &Lexicon) -> Option<Value<'t>> {
        let (first, rest) = path.split_first()?;
        let mut value = self.get(*first)?;
        for key in rest {
            let obj = value.as_object()?;
            value = obj
                .keys()
                .filter(|(k, _)| {
                    let (exact, folded) = keys_of(*k, lexicon);
                    exact == Some(*key) || folded == Some(*key)
                })
                .last()
                .map(|(_, at)| obj.value(at))?;
        }
        Some(value)
    }

    /// The first of `keys` that holds an HTTP error status, as a number or a string of digits.
    pub fn status(&self, keys: &[u8]) -> Option<u16> {
        keys.iter().filter_map(|k| status_of(self.get(*k)?)).next()
    }
}

pub(super) fn status_of(v: Value<'_>) -> Option<u16> {
    let n = v.as_u64().or_else(|| v.as_str()?.plain()?.parse().ok())?;
    (400..600).contains(&n).then_some(n as u16)
}

/// The key a name is, and the other key it is with its case ignored (Go's `Code`).
fn keys_of(key: Text<'_>, lexicon: &Lexicon) -> (Option<u8>, Option<u8>) {
    let of = |name: &[u8]| (lexicon.key(name), lexicon.key_folded(name));
    match key.plain() {
        Some(name) => of(name.as_bytes()),
        None => of(key.decoded().as_bytes()),
    }
}
