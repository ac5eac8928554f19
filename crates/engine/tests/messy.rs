//! Real pastes are messy: Windows line endings, tabs, trailing spaces, ANSI
//! colours, very long lines, binary noise. Parsing never fails and never
//! panics, and line numbers stay the user's.

use svcdoctor_engine::inspect::inspect;
use svcdoctor_engine::{diagnose, ArtifactKind, Input, Verdict};

const TUTORIAL: &str = include_str!("../../../samples/tutorial.txt");
const EP301: &str = include_str!("fixtures/rules/EP301/fires.txt");

fn kinds(text: &str) -> Vec<ArtifactKind> {
    inspect(&Input::from_text(text))
        .artifacts
        .iter()
        .map(|a| a.artifact.kind)
        .collect()
}

#[test]
fn crlf_tabs_trailing_spaces_and_colours_read_like_the_clean_text() {
    let clean = kinds(TUTORIAL);
    let crlf = TUTORIAL.replace('\n', "\r\n");
    assert_eq!(kinds(&crlf), clean);
    let trailing: String = TUTORIAL.lines().map(|l| format!("{l}   \n")).collect();
    assert_eq!(kinds(&trailing), clean);
    // Tables whose columns were separated by tabs.
    let tabs = TUTORIAL.replace("     Running", "\tRunning");
    assert_eq!(kinds(&tabs), clean);
    // A coloured prompt and coloured kubectl output.
    let coloured = TUTORIAL
        .replace(
            "[root@k8s-master ~]#",
            "\u{1b}[01;32m[root@k8s-master ~]#\u{1b}[0m",
        )
        .replace("Running", "\u{1b}[32mRunning\u{1b}[0m");
    assert_eq!(kinds(&coloured), clean);
    assert_eq!(
        diagnose(&Input::from_text(&coloured)).verdict,
        Verdict::Healthy
    );
}

#[test]
fn evidence_lines_survive_crlf_and_colours() {
    let plain = diagnose(&Input::from_text(EP301));
    let messy = EP301
        .replace('\n', "\r\n")
        .replace("app: web", "\u{1b}[33mapp: web\u{1b}[0m");
    let report = diagnose(&Input::from_text(&messy));
    let a = &plain.root_cause.as_ref().unwrap().finding.evidence;
    let b = &report.root_cause.as_ref().unwrap().finding.evidence;
    assert_eq!(
        a.iter().map(|e| e.lines).collect::<Vec<_>>(),
        b.iter().map(|e| e.lines).collect::<Vec<_>>()
    );
}

#[test]
fn tabs_in_yaml_indentation_are_read() {
    // A chat turned each indentation step into a tab.
    let text = "$ kubectl get svc web -o yaml\napiVersion: v1\nkind: Service\nmetadata:\n\tname: web\nspec:\n\tselector:\n\t\tapp: web\n$ kubectl get deploy web -o yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n\tname: web\nspec:\n\ttemplate:\n\t\tmetadata:\n\t\t\tlabels:\n\t\t\t\tapp: Web\n";
    let report = diagnose(&Input::from_text(text));
    assert_eq!(
        report.root_cause.map(|r| r.finding.code).as_deref(),
        Some("EP301")
    );
}

#[test]
fn very_long_lines_and_garbage_do_not_panic() {
    let long = format!(
        "$ kubectl get svc web -o yaml\nspec:\n  selector:\n    app: {}\n",
        "x".repeat(2_000_000)
    );
    let report = diagnose(&Input::from_text(&long));
    assert_eq!(report.artifacts.len(), 1);
    let garbage: String = (0..50_000u32)
        .map(|i| char::from_u32(i % 0x3000).unwrap_or('?'))
        .collect();
    let _ = diagnose(&Input::from_text(&garbage));
    let nul = "apiVersion: v1\0\nkind: Service\u{0}\n{\n[[[\n---\n- - -\n: : :\n";
    let _ = diagnose(&Input::from_text(nul));
}

/// Lines of 10 MB in each place a parser meets them: a YAML value, a table
/// row, an iptables rule, a DNS answer, plain noise. Each is read in one
/// linear pass (SECURITY.md's limits).
#[test]
fn ten_megabyte_lines_are_read_in_every_kind() {
    let big = "a".repeat(10_000_000);
    let words = "10.0.0.1 ".repeat(1_100_000);
    for text in [
        format!("$ kubectl get svc web -o yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: {big}\n"),
        format!("$ kubectl get pods -o wide\nNAME READY STATUS RESTARTS AGE IP NODE\n{big} 1/1 Running 0 1m {words}\n"),
        format!("# iptables-save -t nat\n*nat\n-A KUBE-SERVICES -m comment --comment \"{big}\" -d {words}\nCOMMIT\n"),
        format!("/ # nslookup web\nServer: 10.96.0.10\nName: {big}\nAddress 1: {words}\n"),
        format!("{words}{big}\n"),
    ] {
        let report = diagnose(&Input::from_text(&text));
        assert!(!report.artifacts.is_empty());
    }
}

#[test]
fn every_prefix_of_every_fixture_parses_without_panic() {
    // Output cut off anywhere (a terminal's scrollback, a chat's limit).
    for text in [TUTORIAL, EP301] {
        let lines: Vec<&str> = text.lines().collect();
        for n in 0..=lines.len() {
            let cut = lines[..n].join("\n");
            let report = diagnose(&Input::from_text(&cut));
            for a in &report.artifacts {
                assert!(
                    a.lines[0] >= 1 && a.lines[1] <= n.max(1),
                    "{a:?} outside 1..={n}"
                );
                for d in &a.diagnostics {
                    assert!(d.line >= 1 && d.line <= n.max(1), "{d:?}");
                }
            }
            // Cut at a character boundary mid-line too.
            if let Some(last) = lines.get(n) {
                let half = last
                    .char_indices()
                    .nth(last.chars().count() / 2)
                    .map_or(0, |(i, _)| i);
                let _ = diagnose(&Input::from_text(&format!("{cut}\n{}", &last[..half])));
            }
        }
    }
}

#[test]
fn bad_yaml_becomes_a_line_diagnostic() {
    let text = "$ kubectl get svc web -o yaml\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n   bad: [unclosed\nspec:\n  selector:\n    app: web\n";
    let report = diagnose(&Input::from_text(text));
    let diags = &report.artifacts[0].diagnostics;
    assert!(!diags.is_empty());
    assert!(diags.iter().all(|d| (2..=9).contains(&d.line)), "{diags:?}");
}

#[test]
fn outputs_pasted_back_to_back_without_prompts_are_split_by_format() {
    let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n\nnameserver 10.96.0.10\nsearch default.svc.cluster.local svc.cluster.local cluster.local\noptions ndots:5\n\nNAME READY STATUS RESTARTS AGE\nweb-1 1/1 Running 0 1m\n";
    assert_eq!(
        kinds(text),
        [
            ArtifactKind::K8sObjects,
            ArtifactKind::Resolv,
            ArtifactKind::KubectlTable
        ]
    );
}

#[test]
fn a_caller_can_relabel_an_artifact() {
    let text = "hello there\nsomething odd\n";
    assert_eq!(kinds(text), [ArtifactKind::Unknown]);
    let mut input = Input::from_text("nameserver 10.0.0.10\n");
    input.relabel.push(svcdoctor_engine::Relabel {
        source: 0,
        line: 1,
        kind: ArtifactKind::Nslookup,
    });
    let inspection = inspect(&input);
    assert_eq!(
        inspection.artifacts[0].artifact.kind,
        ArtifactKind::Nslookup
    );
}

#[test]
fn diagnostics_speak_the_reports_language() {
    let mut input =
        Input::from_text("$ kubectl get svc web -o yaml\n...\nspec:\n  selector:\n    app: web\n");
    input.lang = svcdoctor_engine::Lang::Zh;
    let report = diagnose(&input);
    let message = &report.artifacts[0].diagnostics[0].message;
    assert!(message.contains("省略了输出"), "{message}");
}
