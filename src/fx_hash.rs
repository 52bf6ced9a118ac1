//! FxHash, the hash rustc uses for its own tables: a rotate, a xor and a multiply per word.
//!
//! For maps asked once or more per error found, whose keys are few and not chosen by the
//! log's writer: the catalog's codes, and the report's groups (whose codes the summary caps
//! per provider). SipHash, the standard one, resists crafted collisions, which these maps do
//! not need, and cost several times more per lookup.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashMap` hashed with [`FxHasher`].
pub type FxHashMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.add(u64::from_le_bytes(word.try_into().expect("eight bytes")));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 8];
            last[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(last));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_map_with_it_finds_what_it_holds() {
        let mut map: FxHashMap<String, usize> = FxHashMap::default();
        for i in 0..10_000 {
            map.insert(format!("code-{i}"), i);
        }
        assert!((0..10_000).all(|i| map.get(format!("code-{i}").as_str()) == Some(&i)));
        assert_eq!(map.get("code-10000"), None);
    }
}
