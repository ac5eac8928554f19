//! Network (steps B5-B6): pod-to-pod across nodes, the CNI, policies,
//! hairpin traffic.

pub mod admin_policy_denies;
pub mod bridge_netfilter_off;
pub mod cluster_policies_unevaluated;
pub mod cni_pods_unhealthy;
pub mod connection;
pub mod cross_node_traffic_fails;
pub mod egress_policy_blocks;
pub mod hairpin_fails;
pub mod ingress_policy_blocks;
pub mod ip_forward_disabled;
pub mod node_settings;
pub mod pod_sandbox_network_failed;
pub mod policy_drop_observed;
