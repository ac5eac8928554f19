//! The read stage: a paste cleaned without moving its lines (`text`), cut
//! into outputs at prompts and command lines (`split`), each command parsed
//! once (`command`), and each output's kind detected (`detect`) into an
//! [`artifact::Artifact`].

pub mod artifact;
pub mod command;
pub mod detect;
pub mod split;
pub mod text;
