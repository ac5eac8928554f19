//! kube-proxy (step B7): running, connected, syncing, in the expected mode.

pub mod conntrack_stale_entries;
pub mod iptables_backend_mismatch;
pub mod ipvs_mode_deprecated;
pub mod kube_proxy_api_unreachable;
pub mod kube_proxy_not_running;
pub mod kube_proxy_replacement_unhealthy;
pub mod kube_proxy_sync_failing;
pub mod proxy_mode_mismatch;
