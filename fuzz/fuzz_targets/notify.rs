//! Every notify payload builder on events read from, and made of, arbitrary bytes: each message
//! must keep its service's limits as it will be sent (escaped, JSON-encoded).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    statusq::fuzzing::notify(data);
});
