//! Selection and endpoints (step B3).

pub mod selector_matches_no_pods;
