//! A stable, seedless hash for ids and file names that must be the same on every run and
//! every machine (std's hasher is randomly keyed per process).

/// A stable id for text that has none: 16 hex digits of FNV-1a over the parts (each followed
/// by a separator byte), the same on every machine and every Rust version.
pub fn stable_hash(parts: &[&str]) -> String {
    format!("{:016x}", stable_u64(parts))
}

/// FNV-1a over the parts, each followed by a separator byte.
pub fn stable_u64(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0xff)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    hash
}

/// `stable_u64` with its bits mixed (the SplitMix64 finaliser), so that a remainder by a small
/// number — a shard — depends on every byte.
pub fn spread(parts: &[&str]) -> u64 {
    let mut z = stable_u64(parts);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_fixed_and_separates_parts() {
        assert_eq!(stable_hash(&["a"]), stable_hash(&["a"]));
        assert_ne!(stable_hash(&["ab", "c"]), stable_hash(&["a", "bc"]));
        assert_eq!(stable_hash(&[]).len(), 16);
    }
}
