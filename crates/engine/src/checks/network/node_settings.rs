//! What the node-settings rules share: the settings pasted, and the node
//! they were read on.

use crate::checks::Facts;
use crate::model::NodeSetting;
use crate::read::artifact::Client;
use crate::report::{Subject, SubjectKind};

/// The settings with one of `keys`, in the order pasted.
pub fn settings<'m>(facts: &Facts<'m>, keys: &[&str]) -> Vec<&'m NodeSetting> {
    facts
        .model
        .node_settings
        .iter()
        .filter(|s| keys.contains(&s.key.as_str()))
        .collect()
}

/// The node a setting was read on (the prompt's host), as the subject.
pub fn node_subject(facts: &Facts<'_>, setting: &NodeSetting) -> Subject {
    let host = match facts
        .artifacts
        .get(setting.origin.artifact)
        .map(|a| &a.client)
    {
        Some(Client::Host(name)) => Some(name.as_str()),
        _ => None,
    };
    Subject::on(SubjectKind::Node, None, host, None)
}
