//! Chance, read only by the shell (like the clock): poll and retry jitter, MIME boundaries and
//! Message-IDs. The pure renderers take what they need as a value.

use std::hash::{BuildHasher, Hasher};

/// 64 unpredictable bits: std's hasher keys come from the operating system's randomness.
pub fn u64() -> u64 {
    std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish()
}

/// 128 unpredictable bits.
pub fn u128() -> u128 {
    (u128::from(u64()) << 64) | u128::from(u64())
}
