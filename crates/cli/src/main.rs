//! `svcdoctor`: the engine in a terminal. A thin adapter: it reads files and
//! standard input, calls the engine, prints the report and sets the exit code.

mod input;
mod render;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use svcdoctor_engine::{diagnose, Input, Lang, StepId, Verdict, Via};

const EXIT_HELP: &str = "\
Exit status:
  0  healthy, or nothing wrong in the evidence given (the report says which steps still lack evidence)
  1  a root cause was found
  2  usage error, or input that could not be read

Input can be a bundle made by collect.sh (svcdoctor's collector): it is split at its
'==> svcdoctor: COMMAND' markers. Colours are used only on a terminal, and never
when NO_COLOR is set.";

/// Find out why a Kubernetes Service cannot be reached, from what your
/// cluster printed.
///
/// Paste (or save) the output of kubectl, nslookup, curl, iptables-save and
/// friends, with their prompts and command lines; svcdoctor recognises each
/// piece, walks the troubleshooting flowchart and names the root cause with
/// the lines that prove it. Nothing is sent anywhere.
#[derive(Parser, Debug)]
#[command(name = "svcdoctor", version, after_help = EXIT_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Diagnose pasted cluster output and print the report.
    #[command(after_help = EXIT_HELP)]
    Diagnose(DiagnoseArgs),
    /// Show what svcdoctor understood of each pasted output (kind, lines,
    /// parse diagnostics, facts), before any rule runs.
    #[command(after_help = INSPECT_EXIT_HELP)]
    Inspect(InspectArgs),
    /// List the rule catalog, or explain one rule (by code or slug).
    Rules(RulesArgs),
    /// Print the input with its IP addresses and the names of its Services,
    /// workloads, pods, namespaces, nodes and labels masked, the same way
    /// everywhere, so that it can be shared and still gives the same
    /// diagnosis.
    Redact(RedactArgs),
}

#[derive(clap::Args, Debug)]
struct RedactArgs {
    /// Files to read (read and masked as one text); `-` or nothing means
    /// standard input.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// The masking key; random by default. The same key masks the same way.
    #[arg(long, value_name = "N")]
    key: Option<u64>,
}

#[derive(clap::Args, Debug)]
struct RulesArgs {
    /// A rule's code (`EP301`) or slug (`selector-matches-no-pods`).
    #[arg(value_name = "CODE")]
    code: Option<String>,

    /// Output format: `text`, `json`, or `markdown` (the format of
    /// docs/rules.md).
    #[arg(long, short = 'f', value_enum, default_value_t = RulesFormat::Text)]
    format: RulesFormat,

    /// Language of the summaries in text output.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    lang: LangArg,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum RulesFormat {
    Text,
    Json,
    Markdown,
}

const INSPECT_EXIT_HELP: &str = "\
Exit status:
  0  every input was read (unrecognised parts are listed, not errors)
  2  usage error, or input that could not be read";

#[derive(clap::Args, Debug)]
struct InspectArgs {
    /// Files to read; a directory means every file inside it, in name order;
    /// `-` means standard input. Without a PATH, standard input is read.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// Output format: `text` for people, `json` for the inspect view of the
    /// spec (section 5), `markdown`.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    format: Format,
}

#[derive(clap::Args, Debug)]
struct DiagnoseArgs {
    /// Files to read; a directory means every file inside it, in name order;
    /// `-` means standard input. Without a PATH, standard input is read.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// Output format: `text` for people, `json` for the report contract,
    /// `markdown` for tickets and chats.
    #[arg(long, short = 'f', value_enum, default_value_t = Format::Text)]
    format: Format,

    /// How the client reaches the Service; inferred from the evidence when
    /// not given.
    #[arg(long, value_enum)]
    via: Option<ViaArg>,

    /// Language of messages and fixes.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    lang: LangArg,

    /// The Service the client is after, as NAMESPACE/NAME or NAME; by default
    /// every Service pasted except the cluster's own.
    #[arg(long, value_name = "NS/NAME")]
    service: Option<String>,

    /// Leave out a rule's findings (its code or slug); repeatable.
    #[arg(long, value_name = "CODE")]
    ignore: Vec<String>,

    /// Your own answer for a step the output has no evidence of, as
    /// STEP=yes or STEP=no (B3=no: the selector finds no ready pods);
    /// repeatable. The report marks what rests on it.
    #[arg(long, value_name = "STEP=yes|no", value_parser = parse_stated)]
    stated: Vec<(StepId, bool)>,
}

/// `B3=no` as a stated answer.
fn parse_stated(text: &str) -> Result<(StepId, bool), String> {
    let (step, answer) = text
        .split_once('=')
        .ok_or_else(|| format!("{text}: expected STEP=yes or STEP=no"))?;
    let step = StepId::ALL
        .iter()
        .copied()
        .find(|s| s.as_str().eq_ignore_ascii_case(step))
        .ok_or_else(|| format!("{step}: no such step (A1-A6, B1-B9)"))?;
    match answer.to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" => Ok((step, true)),
        "no" | "n" | "false" => Ok((step, false)),
        other => Err(format!("{other}: expected yes or no")),
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Text,
    Json,
    Markdown,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ViaArg {
    /// By the Service's DNS name.
    Name,
    /// By the Service's cluster IP.
    ClusterIp,
    /// From outside, by a node's IP and the nodePort, or a load balancer.
    NodePort,
    /// A pod through its own Service.
    Hairpin,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum LangArg {
    En,
    Zh,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("svcdoctor: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Diagnose(args) => diagnose_command(args),
        Command::Inspect(args) => inspect_command(args),
        Command::Rules(args) => rules_command(args),
        Command::Redact(args) => redact_command(args),
    }
}

fn redact_command(args: RedactArgs) -> anyhow::Result<ExitCode> {
    use std::hash::{BuildHasher, Hasher};
    let sources = read_sources(&args.paths)?;
    let text: Vec<&str> = sources.iter().map(|s| s.text.as_str()).collect();
    // A key nobody else has: std's per-process random hasher seed.
    let key = args
        .key
        .unwrap_or_else(|| std::hash::RandomState::new().build_hasher().finish());
    let redaction = svcdoctor_engine::redact::redact(&text.join("\n"), key);
    eprintln!(
        "svcdoctor: masked {} addresses and {} names",
        redaction.addresses, redaction.names
    );
    write_stdout(&redaction.text)?;
    Ok(ExitCode::SUCCESS)
}

fn rules_command(args: RulesArgs) -> anyhow::Result<ExitCode> {
    use svcdoctor_engine::checks::{self, catalog};
    let lang = match args.lang {
        LangArg::En => Lang::En,
        LangArg::Zh => Lang::Zh,
    };
    let rules: Vec<&checks::Rule> = match &args.code {
        Some(code) => match checks::rule(code) {
            Some(rule) => vec![rule],
            None => anyhow::bail!("no rule {code}: `svcdoctor rules` lists them"),
        },
        None => checks::RULES.to_vec(),
    };
    let out = match (args.format, &args.code) {
        (RulesFormat::Json, Some(_)) => {
            serde_json::to_string_pretty(&catalog::RuleEntry::from(rules[0]))? + "\n"
        }
        (RulesFormat::Json, None) => serde_json::to_string_pretty(&catalog::entries())? + "\n",
        (RulesFormat::Markdown, Some(_)) => catalog::rule_markdown(rules[0]),
        (RulesFormat::Markdown, None) => catalog::markdown(),
        (RulesFormat::Text, Some(_)) => render::rule_text(rules[0], lang),
        (RulesFormat::Text, None) => render::rules_text(&rules, lang),
    };
    write_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}

fn inspect_command(args: InspectArgs) -> anyhow::Result<ExitCode> {
    let sources = read_sources(&args.paths)?;
    let input = Input {
        sources,
        ..Input::default()
    };
    let inspection = svcdoctor_engine::inspect::inspect(&input);
    let out = match args.format {
        Format::Json => serde_json::to_string_pretty(&inspection)? + "\n",
        Format::Text => render::inspection_text(&inspection, &input),
        Format::Markdown => render::inspection_markdown(&inspection),
    };
    write_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// Reads the PATHs, telling the user on standard error what was odd about
/// them (invalid UTF-8, binary files skipped).
fn read_sources(paths: &[PathBuf]) -> anyhow::Result<Vec<svcdoctor_engine::Source>> {
    let read = input::read_paths(paths)?;
    for warning in &read.warnings {
        eprintln!("svcdoctor: warning: {warning}");
    }
    Ok(read.sources)
}

/// Writes to standard output; a closed pipe (`| head`) is not an error.
fn write_stdout(out: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

fn diagnose_command(args: DiagnoseArgs) -> anyhow::Result<ExitCode> {
    let sources = read_sources(&args.paths)?;
    let input = Input {
        sources,
        via: args.via.map(|v| match v {
            ViaArg::Name => Via::Name,
            ViaArg::ClusterIp => Via::ClusterIp,
            ViaArg::NodePort => Via::NodePort,
            ViaArg::Hairpin => Via::Hairpin,
        }),
        lang: match args.lang {
            LangArg::En => Lang::En,
            LangArg::Zh => Lang::Zh,
        },
        relabel: Vec::new(),
        service: args.service.as_deref().map(|s| match s.split_once('/') {
            Some((ns, name)) => (Some(ns.to_string()), name.to_string()),
            None => (None, s.to_string()),
        }),
        ignore: args.ignore.clone(),
        stated: args.stated.clone(),
    };
    for code in &args.ignore {
        if svcdoctor_engine::checks::rule(code).is_none() {
            anyhow::bail!("--ignore {code}: no such rule (`svcdoctor rules` lists them)");
        }
    }
    let report = diagnose(&input);
    let out = match args.format {
        Format::Json => serde_json::to_string_pretty(&report)? + "\n",
        Format::Text => {
            let names: Vec<Option<&str>> =
                input.sources.iter().map(|s| s.name.as_deref()).collect();
            svcdoctor_engine::render::text::report(
                &report,
                &svcdoctor_engine::render::text::Style {
                    names: &names,
                    colour: render::use_colour(),
                    lang: input.lang,
                },
            )
        }
        Format::Markdown => svcdoctor_engine::render::markdown::report(&report, input.lang),
    };
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
    {
        // A closed pipe (`| head`) is not an error worth a message.
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(e.into());
        }
    }
    Ok(match report.verdict {
        Verdict::RootCause => ExitCode::from(1),
        Verdict::Healthy | Verdict::NeedEvidence => ExitCode::SUCCESS,
    })
}
