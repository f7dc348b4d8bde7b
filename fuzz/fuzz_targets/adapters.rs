//! Every source adapter on arbitrary bytes: it may refuse them, never panic or hang.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    statusq::fuzzing::adapters(data);
});
