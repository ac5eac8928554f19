//! Selection and endpoints (step B3).

pub mod endpoint_updates_failing;
pub mod endpoints_not_ready;
pub mod endpoints_stale;
pub mod endpoints_terminating;
pub mod endpointslice_port_unresolved;
pub mod endpointslice_wrong_label;
pub mod no_ready_endpoints;
pub mod not_ready_addresses_published;
pub mod pods_in_other_namespace;
pub mod selector_matches_no_pods;
pub mod selector_too_broad;
pub mod selectorless_without_endpoints;
pub mod workload_selector_mismatch;
