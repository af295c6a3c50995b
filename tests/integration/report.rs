//! `tenken report` (issue 9) over the demo repository built under the fixed
//! clock: Markdown, CSV and JSON snapshots; HTML well-formed, self-contained
//! and escaping; OSCAL validated against NIST's schema (a copy in
//! `tests/fixtures/oscal/`) and stable across exports; CSV read back with
//! the `csv` crate; `-o` confined to `reports/` in restricted mode.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use tenken::model::{Action, Answer, Id};

use crate::support::TestEnv;

/// The demo repository in the test's HOME, built with `tenken demo`.
fn demo() -> TestEnv {
    let env = TestEnv::new();
    env.tenken()
        .args(["demo", "--no-tui", "--dir"])
        .arg(env.repo())
        .assert()
        .success();
    env
}

/// Runs `tenken --repo R --inspector sato report ARGS…` and returns stdout.
fn report(env: &TestEnv, args: &[&str]) -> String {
    let out = env
        .tenken_in_repo()
        .arg("report")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "report {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Replaces commit ids (40 hex digits) so snapshots do not follow the
/// bundled checklists' bytes, which every demo commit hashes.
fn redact_commits(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..]
            .iter()
            .take_while(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
            .count();
        let boundary = i == 0 || !chars[i - 1].is_ascii_alphanumeric();
        if run == 40 && boundary {
            out.push_str("[commit]");
            i += 40;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[test]
fn demo_reports_in_every_format() {
    let env = demo();

    // Markdown and CSV of the latest self-check: comparison, items, actions.
    let md = report(
        &env,
        &[
            "--format",
            "md",
            "--subject",
            "self",
            "--inspection",
            "ipa-self-check",
        ],
    );
    insta::assert_snapshot!("report_self_check_md", redact_commits(&md));
    let csv = report(
        &env,
        &[
            "--format",
            "csv",
            "--subject",
            "self",
            "--inspection",
            "ipa-self-check",
        ],
    );
    assert!(csv.starts_with('\u{feff}'), "BOM first");
    assert!(csv.ends_with("\r\n") && !csv.replace("\r\n", "").contains('\n'));
    insta::assert_snapshot!("report_self_check_csv", csv.replace("\r\n", "⏎\n"));
    let plain = report(
        &env,
        &[
            "--format",
            "csv",
            "--no-bom",
            "--subject",
            "self",
            "--inspection",
            "ipa-self-check",
        ],
    );
    assert_eq!(plain, csv.trim_start_matches('\u{feff}'));

    // JSON of the five principles (small): runs, scores, comparison, trend.
    let json = report(
        &env,
        &[
            "--format",
            "json",
            "--subject",
            "self",
            "--inspection",
            "ipa-five-principles",
            "--period",
            "FY2025Q2",
        ],
    );
    insta::assert_snapshot!("report_five_principles_json", redact_commits(&json));

    // The supplier review: every supplier on one page, the unchecked one too.
    let review = report(&env, &["--format", "md", "--inspection", "supplier-check"]);
    let summary = review
        .split("\n## ")
        .take(2)
        .collect::<Vec<_>>()
        .join("\n## ");
    insta::assert_snapshot!("report_supplier_review_md_summary", summary);
    // Like the HTML's header, the Markdown says when the report was made
    // (the test clock's day, not a run's) after the latest run's date, in
    // both languages.
    assert!(
        summary.contains(
            "\nOrganisation: Sakura Design Works \
             · Latest run: 2026-10-21 · Generated: 2026-11-25\n"
        ),
        "{summary}"
    );
    let ja = report(
        &env,
        &[
            "--lang",
            "ja",
            "--format",
            "md",
            "--inspection",
            "supplier-check",
        ],
    );
    assert!(
        ja.contains("\n組織: さくらデザイン工房 · 最新の点検: 2026-10-21 · 作成日: 2026-11-25\n"),
        "{ja}"
    );
    let html = report(
        &env,
        &["--format", "html", "--inspection", "supplier-check"],
    );
    check_html(&html);
    for name in [
        "Nimbus Mail",
        "Aoba Accounting",
        "Hikari Printing",
        "never checked",
    ] {
        assert!(html.contains(name), "{name} in the supplier review");
    }
    // Names in the report's language (issue 17).
    assert!(
        !html.contains("ひかり印刷"),
        "an English report, English names"
    );
    let ja = report(
        &env,
        &[
            "--lang",
            "ja",
            "--format",
            "html",
            "--inspection",
            "supplier-check",
        ],
    );
    assert!(ja.contains("ひかり印刷") && !ja.contains("Hikari Printing"));
    assert_eq!(html.matches("<section class=\"run\"").count(), 4);
    assert_eq!(html.matches("<svg ").count(), 4);

    // A single run's page: chart with thresholds, section bars, Japanese.
    let html = report(
        &env,
        &[
            "--lang",
            "ja",
            "--format",
            "html",
            "--subject",
            "self",
            "--inspection",
            "ipa-self-check",
        ],
    );
    check_html(&html);
    assert!(html.contains("<html lang=\"ja\">"));
    assert!(html.contains("Hiragino Sans") && html.contains("@media print"));
    assert!(html.contains("stroke-dasharray"), "band thresholds drawn");
    assert!(html.contains("<polyline"), "a line over seven quarters");
    assert!(html.contains("情報セキュリティ自社診断"));
    assert_eq!(
        html.matches("class=\"bar ").count(),
        3,
        "one bar per section"
    );

    // OSCAL: valid, one result per run, stable across exports.
    let oscal = report(
        &env,
        &["--format", "oscal", "--inspection", "supplier-check"],
    );
    let doc = validate_oscal(&oscal);
    let results = doc["assessment-results"]["results"].as_array().unwrap();
    assert_eq!(results.len(), 4, "one result per reported run");
    for result in results {
        let observations = result["observations"].as_array().unwrap();
        let findings = result["findings"].as_array().map_or(0, Vec::len);
        assert!(!observations.is_empty() && findings > 0);
    }
    let parties = doc["assessment-results"]["metadata"]["parties"]
        .as_array()
        .unwrap();
    assert!(parties.iter().any(|p| p["name"] == "Sato Hanako"));
    // A bilingual subject: its name in the report's language, and both as
    // tenken's properties.
    let aoba = parties
        .iter()
        .find(|p| p["short-name"] == "aoba-accounting")
        .unwrap();
    assert_eq!(aoba["name"], "Aoba Accounting");
    let prop = |name: &str| {
        aoba["props"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .map(|p| p["value"].clone())
    };
    assert_eq!(prop("name-ja"), Some("あおば会計事務所".into()));
    assert_eq!(prop("name-en"), Some("Aoba Accounting".into()));
    let nimbus = parties
        .iter()
        .find(|p| p["short-name"] == "nimbus-mail")
        .unwrap();
    assert!(
        !nimbus["props"].to_string().contains("name-ja"),
        "a plain name has no forms per language: {nimbus}"
    );
    let plan_resource = &doc["assessment-results"]["back-matter"]["resources"][0];
    assert_eq!(
        doc["assessment-results"]["import-ap"]["href"],
        format!("#{}", plan_resource["uuid"].as_str().unwrap())
    );
    assert_eq!(
        report(
            &env,
            &["--format", "oscal", "--inspection", "supplier-check"]
        ),
        oscal,
        "the same runs export to the same bytes"
    );
    let one = report(
        &env,
        &[
            "--format",
            "oscal",
            "--subject",
            "self",
            "--inspection",
            "ipa-self-check",
        ],
    );
    validate_oscal(&one);
}

/// Notes with markup, quotes, commas, line breaks, Japanese and a formula.
const SCRIPT: &str = "<script>alert(\"x\")</script> & co, \"quoted\"\n2行目 日本語";
const FORMULA: &str = "=HYPERLINK(\"http://evil.example\",\"click\")";
const MARKDOWN: &str = "| pipe *star* _u_ [link](x)\n# not a heading";

/// The demo plus one run of the five principles with hostile notes.
fn hostile() -> TestEnv {
    let env = demo();
    let id = |s: &str| Id::new(s).unwrap();
    let answer = |choice: &str, note: &str| {
        let mut a = Answer::new(id(choice));
        note.clone_into(&mut a.note);
        a
    };
    let mut answers = BTreeMap::new();
    let mut one = answer("no", SCRIPT);
    one.evidence = vec!["台帳, v2".into(), "\"signed\" copy".into()];
    one.action = Some(Action {
        text: "fix <it>, soon".into(),
        owner: "@owner".into(),
        due: chrono::NaiveDate::from_ymd_opt(2026, 12, 20).unwrap(),
    });
    answers.insert(id("1"), one);
    answers.insert(id("2"), answer("partly", FORMULA));
    answers.insert(id("3"), answer("yes", MARKDOWN));
    let mut carried = answer("yes", "");
    carried.carried = true;
    answers.insert(id("4"), carried);
    answers.insert(id("5"), answer("no", "-1 points\r\nand a CRLF"));
    let file = env.home.path().join("hostile.ron");
    std::fs::write(&file, tenken::model::to_ron(&answers).unwrap()).unwrap();
    env.tenken_in_repo()
        .args([
            "record",
            "ipa-five-principles",
            "--subject",
            "self",
            "--date",
            "2026-11-20",
        ])
        .arg("--answers")
        .arg(&file)
        .assert()
        .success();
    env
}

const FIVE: [&str; 6] = [
    "--subject",
    "self",
    "--inspection",
    "ipa-five-principles",
    "--compare-with",
    "2026-10-22",
];

#[test]
fn hostile_notes_stay_text_in_every_format() {
    let env = hostile();

    let html = report(&env, &[&["--format", "html"][..], &FIVE].concat());
    check_html(&html);
    assert!(!html.contains("<script"), "no script element, ever");
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co"));
    assert!(html.contains("fix &lt;it&gt;, soon"));

    let md = report(&env, &[&["--format", "md"][..], &FIVE].concat());
    for (i, _) in md.match_indices('<') {
        assert_eq!(&md[i - 1..i], "\\", "an unescaped `<` in Markdown");
    }
    assert!(
        md.contains("\\<script\\>alert(\"x\")\\</script\\> \\& co, \"quoted\"\\\n    2行目 日本語")
    );
    assert!(md.contains("\\| pipe \\*star\\* \\_u\\_ \\[link\\](x)\\\n    \\# not a heading"));
    assert!(
        md.contains("### ▼ Regressed (3)"),
        "regressions first:\n{md}"
    );
    assert!(md.contains("**⚠ 1 answer is carried from the previous run and not yet confirmed.**"));
    assert!(md.contains("- **4** Have the sharing settings of web services and networked devices been reviewed, so that only the people who need them can see what is shared?\n  - Answer: **Done** · 2/2\n  - ⚠ Carried from the previous run, not yet confirmed\n"));
    // One label for both formats (issue 16: they had drifted apart).
    assert!(html.contains(
        "<span class=\"flag carried\">⚠ Carried from the previous run, not yet confirmed</span>"
    ));

    // CSV read back: every field as recorded; formulas defused.
    let csv = report(&env, &[&["--format", "csv"][..], &FIVE].concat());
    let mut reader =
        csv::ReaderBuilder::new().from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        &header[..9],
        [
            "run",
            "date",
            "subject",
            "inspection",
            "section",
            "item",
            "choice",
            "points",
            "note"
        ]
    );
    let rows: Vec<BTreeMap<String, String>> = reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_owned))
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 5);
    let row = |item: &str| rows.iter().find(|r| r["item"] == item).unwrap();
    let first = row("1");
    assert_eq!(
        first["run"],
        "self/ipa-five-principles/2026-11-20T090000-sato"
    );
    assert_eq!(first["date"], "2026-11-20");
    assert_eq!(first["choice"], "no");
    assert_eq!(first["points"], "0");
    assert_eq!(first["note"], SCRIPT);
    assert_eq!(first["evidence"], "台帳, v2\n\"signed\" copy");
    assert_eq!(first["action"], "fix <it>, soon");
    assert_eq!(first["action_owner"], "'@owner");
    assert_eq!(first["action_due"], "2026-12-20");
    assert_eq!(
        first["question"],
        "Are updates to the operating systems and software of the devices you use applied without fail?"
    );
    assert_eq!(row("2")["note"], format!("'{FORMULA}"));
    assert_eq!(row("3")["note"], MARKDOWN);
    assert_eq!(row("4")["note"], "");
    assert_eq!(row("4")["carried"], "yes");
    assert_eq!(row("5")["note"], "'-1 points\r\nand a CRLF");

    // JSON keeps the notes as written.
    let json: serde_json::Value =
        serde_json::from_str(&report(&env, &[&["--format", "json"][..], &FIVE].concat())).unwrap();
    let items = json["runs"][0]["items"].as_array().unwrap();
    assert_eq!(items[0]["note"], SCRIPT);
    assert_eq!(json["runs"][0]["comparison"]["summary"]["regressed"], 3);

    // OSCAL with multi-line notes and markup is still valid.
    let oscal = report(&env, &[&["--format", "oscal"][..], &FIVE].concat());
    let doc = validate_oscal(&oscal);
    let result = &doc["assessment-results"]["results"][0];
    assert_eq!(result["observations"].as_array().unwrap().len(), 5);
    assert_eq!(result["findings"].as_array().unwrap().len(), 3);
    assert_eq!(result["observations"][0]["remarks"], SCRIPT);
}

#[test]
fn output_files_and_restricted_mode() {
    let env = demo();
    let repo = env.repo();
    let args = [
        "report",
        "--format",
        "md",
        "--subject",
        "self",
        "--inspection",
        "ipa-self-check",
    ];
    let expected = report(&env, &args[1..]);

    // Unrestricted: anywhere, relative to the current directory.
    let out = env.home.path().join("self.md");
    env.tenken_in_repo()
        .args(args)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), expected);

    // Restricted: only inside reports/, relative to the repository.
    let restricted = || {
        let mut cmd = env.tenken_in_repo();
        cmd.arg("--restricted").args(args);
        cmd
    };
    restricted()
        .args(["-o", "reports/2026/self.md"])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(repo.join("reports/2026/self.md")).unwrap(),
        expected
    );
    let outside: PathBuf = env.home.path().join("outside.md");
    let escapes: [&Path; 4] = [
        &outside,
        Path::new("reports/../tenken.ron"),
        Path::new("self.md"),
        Path::new("reports"),
    ];
    for target in escapes {
        let out = restricted().arg("-o").arg(target).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{}", target.display());
        assert!(
            String::from_utf8_lossy(&out.stderr)
                .contains("only be written inside the repository's reports/ folder"),
            "{}: {}",
            target.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(!outside.exists());
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(env.home.path(), repo.join("reports/home")).unwrap();
        let out = restricted()
            .args(["-o", "reports/home/leak.md"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("symbolic link"));
        assert!(!env.home.path().join("leak.md").exists());
    }
}

#[test]
fn report_selection_errors_name_the_problem() {
    let env = demo();
    let out = env
        .tenken_in_repo()
        .args([
            "report",
            "--format",
            "md",
            "--subject",
            "self",
            "--inspection",
            "ipa-self-check",
            "--period",
            "2020Q1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stderr), @"error: `self` · `ipa-self-check`: no run finished in 2020Q1; the nearest period with a run is 2025Q2");
    let out = env
        .tenken_in_repo()
        .args([
            "report",
            "--format",
            "md",
            "--subject",
            "self",
            "--inspection",
            "ipa-self-check",
            "--compare-with",
            "latest",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("names the reported run"));
}

/// Issue 18: a self-check with items not applicable reads on the reduced
/// scale and says what the guideline's scale assumes; "don't know" items
/// come first; the inspection lead and an owner given as a role are named.
#[test]
fn reduced_scale_dont_know_first_and_roles_in_a_report() {
    let env = TestEnv::new();
    env.init();
    env.tenken_in_repo()
        .args([
            "roles",
            "set",
            "inspection-lead",
            "tanaka",
            "name:山本 太郎",
        ])
        .assert()
        .success();
    let mut ron = String::from("{\n");
    for n in 1..=25 {
        let answer = match n {
            9 => r#"(choice: "na", note: "no Wi-Fi in the office")"#.to_owned(),
            23 => r#"(choice: "na", note: "no outside services")"#.to_owned(),
            14 => r#"(choice: "unknown", note: "nobody has checked the laptops")"#.to_owned(),
            3 => r#"(choice: "no", note: "short passwords", action: Some((text: "Set a password policy", owner: "role:inspection-lead", due: "2026-12-20")))"#.to_owned(),
            _ => r#"(choice: "yes")"#.to_owned(),
        };
        let _ = writeln!(ron, "  \"{n}\": {answer},");
    }
    ron.push('}');
    let file = env.home.path().join("answers.ron");
    std::fs::write(&file, ron).unwrap();
    env.tenken_in_repo()
        .args([
            "record",
            "ipa-self-check",
            "--subject",
            "self",
            "--date",
            "2026-11-20",
            "--answers",
        ])
        .arg(&file)
        .assert()
        .success();
    let md = report(&env, &["--lang", "en", "--format", "md"]);
    let head = &md[..md.find("### Sections").unwrap()];
    insta::assert_snapshot!(redact_commits(head), @r#"
    # Inspection report: Information security self-check (25 questions) — Example KK

    Run date: 2026-11-20 · Generated: 2026-11-25

    | | |
    | --- | --- |
    | Organisation | Example KK |
    | Subject | Example KK (`self`) |
    | Inspection | Information security self-check (25 questions) (`ipa-self-check`, version 2) |
    | Inspector | Sato Hanako (`sato`) |
    | Inspection lead | tanaka, 山本 太郎 |
    | Started | 2026-11-20 09:00 +09:00 |
    | Finished | 2026-11-20 09:00 +09:00 (FY2026Q3) |
    | Run | `self/ipa-self-check/2026-11-20T090000-sato` |
    | Commit | `[commit]` |

    ## Result

    **83/92 (90.2%)** — Band: **Some measures are insufficient**

    83 of 92 applicable points (2 items not applicable); the guideline's 100-point scale needs all 25 items.

    > List every item not answered 'done' and work towards the full 100 points.

    Answered 25 / 25 · unanswered 0 · not applicable 2 · findings 2

    ### Check these first (don't know)

    1 item was answered "don't know". The guideline advises finding out the facts for these first.

    - **14** When staff step away from their desk, is their PC left in a state where nobody else can read or use it, for example by locking the screen?
      - Note: nobody has checked the laptops
    "#);
    let actions = &md[md.find("## Open corrective actions").unwrap()..];
    assert!(
        actions.contains("| Set a password policy | Inspection lead (tanaka, 山本 太郎) |"),
        "{actions}"
    );
    let ja = report(&env, &["--lang", "ja", "--format", "md"]);
    assert!(ja.contains(
        "該当しない2問を除いた92点満点中83点です（ガイドラインの100点満点は、全25問が該当する場合の尺度です）。"
    ), "{ja}");
    let html = report(&env, &["--lang", "en", "--format", "html"]);
    check_html(&html);
    assert!(
        html.contains("<p class=\"scale\">83 of 92 applicable points (2 items not applicable); the guideline's 100-point scale needs all 25 items.</p>"),
        "{html}"
    );
    // The "don't know" list sits right after the result, before the sections.
    let dont_know = html.find("Check these first (don't know)").unwrap();
    assert!(html.find("class=\"scale\"").unwrap() < dont_know);
    assert!(dont_know < html.find("Sections").unwrap());
    assert!(html.contains("nobody has checked the laptops"));
}

/// Validates an OSCAL document against the schema copy and returns it.
pub fn validate_oscal(text: &str) -> serde_json::Value {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/oscal/oscal_assessment-results_schema.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let doc: serde_json::Value = serde_json::from_str(text).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "OSCAL invalid:\n{}", errors.join("\n"));
    // The validator does reject: a result without its required title.
    let mut broken = doc.clone();
    broken["assessment-results"]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("title");
    assert!(!validator.is_valid(&broken));
    doc
}

/// Checks that the page is one self-contained, well-formed document:
/// every element closed in order, attribute values quoted, no raw `<` or
/// `&` in text, no scripts and no external references.
pub fn check_html(html: &str) {
    const VOID: [&str; 6] = ["meta", "br", "hr", "img", "link", "input"];
    assert!(html.starts_with("<!DOCTYPE html>\n"));
    assert!(!html.contains("<script") && !html.contains("javascript:"));
    // No external assets: the only sources are embedded evidence thumbnails.
    for src in html.split("src=\"").skip(1) {
        assert!(
            src.starts_with("data:image/jpeg;base64,"),
            "external asset: {}",
            &src[..src.len().min(60)]
        );
    }
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html.trim_start_matches("<!DOCTYPE html>");
    while let Some(open) = rest.find('<') {
        check_text(&rest[..open]);
        rest = &rest[open..];
        let close = rest.find('>').expect("an unclosed tag");
        let tag = &rest[1..close];
        rest = &rest[close + 1..];
        assert!(!tag.contains('<'), "`<` inside tag `{tag}`");
        if let Some(name) = tag.strip_prefix('/') {
            let top = stack
                .pop()
                .unwrap_or_else(|| panic!("`</{name}>` closes nothing"));
            assert_eq!(top, name, "`</{name}>` closes `<{top}>`");
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect();
        assert!(!name.is_empty(), "bad tag `<{tag}>`");
        assert_eq!(
            tag.matches('"').count() % 2,
            0,
            "unbalanced quotes in `<{tag}>`"
        );
        for href in tag.split("href=\"").skip(1) {
            assert!(href.starts_with('#'), "external link in `<{tag}>`");
        }
        if tag.ends_with('/') || VOID.contains(&name.as_str()) {
            continue;
        }
        if name == "style" {
            let end = rest.find("</style>").expect("style closed");
            rest = &rest[end + "</style>".len()..];
            continue;
        }
        stack.push(name);
    }
    check_text(rest);
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

fn check_text(text: &str) {
    assert!(!text.contains('>'), "raw `>` in text: {text}");
    for (i, _) in text.match_indices('&') {
        let entity = &text[i..];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                .iter()
                .any(|e| entity.starts_with(e)),
            "raw `&` in text: {text}"
        );
    }
}
