//! The Statuspage feed-HTML update parser on arbitrary entry content.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    statusq::fuzzing::feed_html(data);
});
