//! `report`'s arithmetic and layouts on whatever the adapters make of arbitrary bytes, and on
//! the bytes read as records.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    statusq::fuzzing::report(data);
});
