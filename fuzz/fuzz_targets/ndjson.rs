//! The NDJSON line reader and record parser on arbitrary bytes.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    statusq::fuzzing::ndjson(data);
});
