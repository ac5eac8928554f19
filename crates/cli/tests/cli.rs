//! The `svcdoctor` binary as a user runs it: inputs, formats, exit codes.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_svcdoctor"))
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn ep301() -> PathBuf {
    repo().join("crates/engine/tests/fixtures/rules/EP301/fires.txt")
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().unwrap()
}

fn run_stdin(args: &[&str], stdin: &str) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn broken_service_and_deployment_give_ep301_and_exit_1() {
    let out = run(&["diagnose", "--format", "json", ep301().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert_eq!(report["verdict"], "root-cause");
    assert_eq!(report["root_cause"]["code"], "EP301");
    assert_eq!(
        report["root_cause"]["evidence"][0]["lines"],
        serde_json::json!([14, 15])
    );
    assert_eq!(report["via"]["inferred"], true);
}

#[test]
fn readable_report_names_file_and_lines() {
    let path = ep301();
    let out = run(&["diagnose", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("Root cause found"), "{text}");
    assert!(
        text.contains("EP301 selector-matches-no-pods (step B3, error)"),
        "{text}"
    );
    assert!(
        text.contains(&format!("{}:14-15", path.display())),
        "{text}"
    );
    assert!(text.contains("      |   selector:"), "{text}");
}

#[test]
fn chinese_report() {
    let out = run(&[
        "diagnose",
        "--lang",
        "zh",
        "--format",
        "json",
        ep301().to_str().unwrap(),
    ]);
    let report = json(&out);
    let message = report["root_cause"]["message"].as_str().unwrap();
    assert!(message.contains("没有匹配到任何 Pod"), "{message}");
}

#[test]
fn healthy_tutorial_exits_0() {
    let out = run(&[
        "diagnose",
        repo().join("samples/tutorial.txt").to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn standard_input_with_dash_and_without_paths() {
    let text = std::fs::read_to_string(ep301()).unwrap();
    for args in [
        &["diagnose", "-f", "json", "-"][..],
        &["diagnose", "-f", "json"][..],
    ] {
        let out = run_stdin(args, &text);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(json(&out)["root_cause"]["code"], "EP301");
    }
}

#[test]
fn directory_reads_files_in_name_order() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(ep301()).unwrap();
    let (svc, deploy) = text.split_at(
        text.find("[root@k8s-master ~]# kubectl get deployment")
            .unwrap(),
    );
    // Named so that name order differs from creation order.
    std::fs::write(dir.path().join("b-deploy.txt"), deploy).unwrap();
    std::fs::write(dir.path().join("a-svc.txt"), svc).unwrap();
    std::fs::write(dir.path().join(".hidden"), "garbage").unwrap();
    let out = run(&["diagnose", "-f", "json", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    assert_eq!(report["root_cause"]["code"], "EP301");
    let artifacts = report["artifacts"].as_array().unwrap();
    assert_eq!(artifacts.len(), 2);
    assert_eq!(artifacts[0]["command"], "kubectl get svc web -o yaml");
    assert_eq!(artifacts[0]["source"], 0);
    assert_eq!(artifacts[1]["source"], 1);
}

#[test]
fn missing_file_and_bad_flags_exit_2() {
    let out = run(&["diagnose", "/no/such/file"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("cannot read /no/such/file"), "{err}");
    assert_eq!(
        run(&["diagnose", "--format", "xml", "-"]).status.code(),
        Some(2)
    );
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn invalid_utf8_is_read_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("latin1.txt");
    let mut bytes = std::fs::read(ep301()).unwrap();
    bytes.extend_from_slice(b"# caf\xe9\n");
    std::fs::write(&path, bytes).unwrap();
    let out = run(&["diagnose", "-f", "json", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("not valid UTF-8") && err.contains("line 38"),
        "{err}"
    );
}

#[test]
fn binary_files_are_skipped_with_a_warning_and_the_rest_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("photo.png");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01").unwrap();
    let out = run(&[
        "diagnose",
        "-f",
        "json",
        png.to_str().unwrap(),
        ep301().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json(&out)["root_cause"]["code"], "EP301");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("photo.png: binary data (a NUL byte at byte 8)"),
        "{err}"
    );
}

#[test]
fn hostile_yaml_ends_quickly_with_a_message() {
    // `[[[[...]]]]` 100,000 deep took libyaml 88 s; an alias bomb expands
    // to 10^9 items. Both end at once with a remark on the line.
    let dir = tempfile::tempdir().unwrap();
    let deep = dir.path().join("deep.yaml");
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    std::fs::write(
        &deep,
        format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: deep\nspec:\n  x: {nested}\n"),
    )
    .unwrap();
    let bomb = dir.path().join("bomb.yaml");
    let mut text = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
    {
        let refs = vec![format!("*{prev}"); 9].join(", ");
        text.push_str(&format!("  {name}: &{name} [{refs}]\n"));
    }
    std::fs::write(&bomb, text).unwrap();
    let out = run(&[
        "inspect",
        "-f",
        "json",
        deep.to_str().unwrap(),
        bomb.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let report = json(&out);
    let said: Vec<String> = report["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|a| a["diagnostics"].as_array().unwrap().iter())
        .map(|d| format!("{} {}", d["line"], d["message"]))
        .collect();
    assert!(
        said.contains(&"6 \"YAML nested more than 128 levels deep here: not read\"".to_string()),
        "{said:?}"
    );
    assert!(
        said.iter()
            .any(|d| d.starts_with("5 ") && d.contains("repetition limit exceeded")),
        "{said:?}"
    );
}

#[test]
fn redact_masks_names_and_addresses_and_keeps_the_diagnosis() {
    let out = run(&["redact", "--key", "7", ep301().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let masked = String::from_utf8(out.stdout).unwrap();
    let original = std::fs::read_to_string(ep301()).unwrap();
    assert_eq!(masked.lines().count(), original.lines().count());
    assert!(!masked.contains("name: web"), "{masked}");
    assert!(masked.contains("name: service-1"), "{masked}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("masked") && err.contains("names"), "{err}");
    let again = run_stdin(&["diagnose", "-f", "json", "-"], &masked);
    assert_eq!(json(&again)["root_cause"]["code"], "EP301");
    // The same key masks the same way; another key, another way.
    assert_eq!(
        run(&["redact", "--key", "7", ep301().to_str().unwrap()]).stdout,
        masked.as_bytes()
    );
}

#[test]
fn help_documents_inputs_formats_and_exit_codes() {
    let out = run(&["diagnose", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "PATH",
        "--format",
        "json",
        "--via",
        "cluster-ip",
        "--lang",
        "Exit status",
        "standard input",
        "name order",
        "markdown",
        "--service",
        "--ignore",
        "collect.sh",
        "NO_COLOR",
    ] {
        assert!(help.contains(needle), "help lacks {needle}:\n{help}");
    }
}

#[test]
fn inspect_shows_kinds_and_facts() {
    let path = repo().join("samples/tutorial.txt");
    let out = run(&["inspect", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let view = json(&out);
    let artifacts = view["artifacts"].as_array().unwrap();
    assert_eq!(artifacts.len(), 17);
    let resolv = artifacts.iter().find(|a| a["kind"] == "resolv").unwrap();
    assert_eq!(resolv["model"]["ndots"], 5);
    assert_eq!(resolv["lines"], serde_json::json!([41, 44]));
    let text = String::from_utf8(run(&["inspect", path.to_str().unwrap()]).stdout).unwrap();
    assert!(
        text.contains("iptables  $ iptables-save |grep web"),
        "{text}"
    );
}

#[test]
fn diagnose_json_reaches_every_scenarios_verdict_and_root_cause() {
    let dir = repo().join("crates/engine/tests/fixtures/scenarios");
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let expected = expected.as_object().unwrap();
    assert!(expected.len() >= 30);
    for (name, want) in expected {
        let path = dir.join(format!("{name}.txt"));
        let out = run(&["diagnose", "--format", "json", path.to_str().unwrap()]);
        let report = json(&out);
        assert_eq!(report["verdict"], want["verdict"], "{name}");
        assert_eq!(report["root_cause"]["code"], want["root_cause"], "{name}");
        let code = if want["verdict"] == "root-cause" {
            1
        } else {
            0
        };
        assert_eq!(out.status.code(), Some(code), "{name}");
    }
}

#[test]
fn rules_lists_explains_and_exports() {
    let out = run(&["rules"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        text.lines().count(),
        svcdoctor_engine::checks::RULES.len(),
        "{text}"
    );
    let one = String::from_utf8(run(&["rules", "selector-matches-no-pods"]).stdout).unwrap();
    assert!(
        one.starts_with("EP301 selector-matches-no-pods") && one.contains("Why it matters"),
        "{one}"
    );
    let zh = String::from_utf8(run(&["rules", "--lang", "zh"]).stdout).unwrap();
    assert!(zh.contains("没有匹配到任何 Pod"), "{zh}");
    let all = json(&run(&["rules", "--format", "json"]));
    assert_eq!(
        all.as_array().unwrap().len(),
        svcdoctor_engine::checks::RULES.len()
    );
    let md = String::from_utf8(run(&["rules", "-f", "markdown"]).stdout).unwrap();
    assert_eq!(
        md,
        std::fs::read_to_string(repo().join("docs/rules.md")).unwrap()
    );
    assert_eq!(run(&["rules", "XYZ999"]).status.code(), Some(2));
}

#[test]
fn via_can_be_set() {
    let path =
        repo().join("crates/engine/tests/fixtures/scenarios/only-service-needs-evidence.txt");
    let report = json(&run(&[
        "diagnose",
        "-f",
        "json",
        "--via",
        "cluster-ip",
        path.to_str().unwrap(),
    ]));
    assert_eq!(
        report["via"],
        serde_json::json!({"value": "cluster-ip", "inferred": false})
    );
    assert_eq!(
        report["next"][0]["command"],
        "kubectl get endpointslices -n default -l kubernetes.io/service-name=web"
    );
}

#[test]
fn service_ignore_and_no_colour() {
    let path = repo().join("crates/engine/tests/fixtures/scenarios/b3-selector-typo.txt");
    let p = path.to_str().unwrap();
    let report = json(&run(&["diagnose", "-f", "json", "--ignore", "EP301", p]));
    assert_ne!(report["root_cause"]["code"], "EP301");
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["code"] != "EP301"));
    let other = json(&run(&[
        "diagnose",
        "-f",
        "json",
        "--service",
        "default/nothere",
        p,
    ]));
    assert!(
        other["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["code"] != "EP301"),
        "{other}"
    );
    let named = json(&run(&[
        "diagnose",
        "-f",
        "json",
        "--service",
        "default/web",
        p,
    ]));
    assert_eq!(named["root_cause"]["code"], "EP301");
    assert_eq!(
        run(&["diagnose", "--ignore", "NOPE1", p]).status.code(),
        Some(2)
    );
    // Not a terminal: no colour codes, whatever NO_COLOR says.
    let plain = bin()
        .args(["diagnose", p])
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&plain.stdout).contains('\u{1b}'));
}

/// `[workspace.package] version` of the root Cargo.toml: the one version the
/// page shows and the CLI prints.
fn workspace_version() -> String {
    let manifest = std::fs::read_to_string(repo().join("Cargo.toml")).unwrap();
    let section = manifest
        .split("\n[")
        .find(|s| s.starts_with("workspace.package]"))
        .expect("the root Cargo.toml has [workspace.package]");
    section
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .expect("[workspace.package] has a version")
        .to_string()
}

#[test]
fn version_is_the_workspace_version() {
    let out = run(&["--version"]);
    assert!(out.status.success());
    let version = workspace_version();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("svcdoctor {version}")
    );
    // Every crate takes its version from the workspace, and the changelog
    // has an entry for it.
    for manifest in [
        "Cargo.toml",
        "crates/cli/Cargo.toml",
        "crates/engine/Cargo.toml",
    ] {
        let text = std::fs::read_to_string(repo().join(manifest)).unwrap();
        assert!(
            text.contains("version.workspace = true"),
            "{manifest} sets its own version"
        );
    }
    let changelog = std::fs::read_to_string(repo().join("CHANGELOG.md")).unwrap();
    assert!(
        changelog.contains(&format!("## {version} "))
            || changelog.contains(&format!("## [{version}]")),
        "CHANGELOG.md has no entry for {version}"
    );
}
