//! The context stage: who and what the evidence is about, decided once
//! for every rule, the walk and the next command. `case` resolves the
//! Service in question, the client and partial Services; `view` merges what
//! several outputs say of one Service and finds its backends through the
//! model's indexes; `via` infers the path the client takes; `netpol`
//! evaluates NetworkPolicies for the one connection of the case.

pub mod adminpol;
pub mod case;
pub mod netpol;
pub mod via;
pub mod view;
