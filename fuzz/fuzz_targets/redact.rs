//! See `svcdoctor_engine::invariants::redact_holds`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| svcdoctor_engine::invariants::redact_holds(data));
