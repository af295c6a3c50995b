//! Issue 18: the guideline as a path and as a handbook, over the demo and
//! over an empty repository: `tenken path` (text and JSON) and `tenken
//! handbook` (Markdown and HTML), checked against what the runs say.

use serde_json::Value;

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

/// Runs `tenken --repo R --inspector sato ARGS…`, checks it succeeded and
/// returns stdout.
fn run(env: &TestEnv, args: &[&str]) -> String {
    let out = env.tenken_in_repo().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn json(env: &TestEnv, args: &[&str]) -> Value {
    serde_json::from_str(&run(env, args)).unwrap()
}

fn statuses(path: &Value) -> Vec<&str> {
    path["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect()
}

#[test]
fn the_path_of_the_demo_follows_its_runs() {
    let env = demo();
    let path = json(&env, &["path", "--format", "json"]);
    assert_eq!(path["current_step"], 2);
    assert_eq!(
        statuses(&path),
        ["met", "gaps-remain", "in-progress", "in-progress"]
    );
    let step2 = &path["steps"][1];
    let check = &step2["checks"][0];
    assert_eq!(check["inspection"], "ipa-self-check");
    assert_eq!(check["subject"], "self");
    assert_eq!(check["top_band"], false);
    assert!(check["gaps"].as_u64().unwrap() > 0, "{check}");
    // The latest self-check of the organisation, as `history` has it.
    let history = json(
        &env,
        &[
            "history",
            "--subject",
            "self",
            "--inspection",
            "ipa-self-check",
            "--format",
            "json",
        ],
    );
    let latest = history.as_array().unwrap().last().unwrap();
    assert_eq!(check["last_run"], latest["run"]);
    assert_eq!(check["percent"], latest["percent"]);
    // Step 3: every supplier is a check of its own; one was never checked,
    // one is overdue; the demo names the key roles.
    let step3 = &path["steps"][2];
    let by_subject = |id: &str| {
        step3["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["subject"] == id && c["inspection"] == "supplier-check")
            .unwrap()
            .clone()
    };
    assert_eq!(by_subject("hikari-print")["last_run"], Value::Null);
    assert_eq!(by_subject("kumo-storage")["overdue"], true);
    assert_eq!(by_subject("aoba-accounting")["overdue"], false);
    assert_eq!(step3["milestones"][0]["id"], "roles");
    assert_eq!(step3["milestones"][0]["met"], true);
    assert_eq!(
        path["steps"][3]["milestones"][0]["met"], true,
        "a recent risk assessment"
    );

    let text = run(&env, &["--lang", "en", "path"]);
    assert!(
        text.starts_with(
            "Where you stand: Step 2: start organised measures — inspected, gaps remain\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("\n✓ Step 1: start where you can — met\n"),
        "{text}"
    );
    // The supplier's name in the chosen language (issue 17).
    assert!(text.contains("Hikari Printing"), "{text}");
    assert!(!text.contains("ひかり印刷"), "{text}");
    assert!(
        text.contains("\nWhat to do next (step 2):\n  - Take the 25-question self-check"),
        "{text}"
    );
    let ja = run(&env, &["--lang", "ja", "path"]);
    assert!(
        ja.starts_with("現在地: ステップ2：組織的な取り組みを始める — 点検済み・課題あり\n"),
        "{ja}"
    );
    assert!(ja.contains("ひかり印刷") && !ja.contains("Hikari"), "{ja}");
}

#[test]
fn an_empty_repository_starts_at_step_one() {
    let env = TestEnv::new();
    env.init();
    let path = json(&env, &["path", "--format", "json"]);
    assert_eq!(path["current_step"], 1);
    assert_eq!(statuses(&path), ["not-started"; 4]);
    for step in path["steps"].as_array().unwrap() {
        for check in step["checks"].as_array().unwrap() {
            assert_eq!(check["last_run"], Value::Null, "{check}");
        }
    }
    // No supplier in the register yet: the supplier check selects nobody.
    let suppliers = &path["steps"][2]["checks"][1];
    assert_eq!(suppliers["inspection"], "supplier-check");
    assert_eq!(suppliers["subject"], Value::Null);
    let text = run(&env, &["--lang", "en", "path"]);
    insta::assert_snapshot!(text, @"
    Where you stand: Step 1: start where you can — not started

    · Step 1: start where you can — not started
        INSPECTION                      SUBJECT     LAST   %  BAND  GAPS  DUE
        Five basic security principles  Example KK  never                 2026-11-25

    · Step 2: start organised measures — not started
        INSPECTION                                      SUBJECT     LAST   %  BAND  GAPS  DUE
        Information security self-check (25 questions)  Example KK  never                 2026-11-25

    · Step 3: take it on in earnest — not started
        INSPECTION                                SUBJECT     LAST   %  BAND  GAPS  DUE
        Company rules compliance (12 categories)  Example KK  never                 2026-11-25
        Supplier security check                   (none)      —
        ! Management structure: nobody holds Information security lead, Inspection lead

    · Step 4: make it stronger — not started
        INSPECTION                               SUBJECT     LAST   %  BAND  GAPS  DUE
        Information gathering and sharing        Example KK  never                 2026-11-25
        Website operations check (20 points)     (none)      —
        Safe use of a cloud service (15 points)  (none)      —
        Telework security check                  Example KK  never                 2026-11-25
        Incident response readiness              Example KK  never                 2026-11-25
        Use of security services                 Example KK  never                 2026-11-25
        Technical measures                       Example KK  never                 2026-11-25
        ! Detailed risk analysis: none yet

    What to do next (step 1):
      - Start where you can: put the five principles in place (updates, anti-malware, strong passwords, reviewed sharing settings, knowing the threats) and confirm them with the five-principles check.
      - Five basic security principles — Example KK: never inspected.
    ");
}

/// Records a run of `inspection` for `self` on `date`: every item `yes`
/// except those in `answers` (`item=choice` or `item=choice:note`), with
/// an action on item `action` when given (`item!owner!text`).
fn record(env: &TestEnv, inspection: &str, date: &str, answers: &[&str], action: Option<&str>) {
    use std::fmt::Write as _;
    let repo = env.repo();
    let template: tenken::model::Inspection = tenken::load::parse(
        std::path::Path::new("t.ron"),
        &std::fs::read_to_string(repo.join(format!("inspections/{inspection}.ron"))).unwrap(),
    )
    .unwrap();
    let (action_item, owner, text) = action
        .map(|a| {
            let mut p = a.split('!');
            (p.next().unwrap(), p.next().unwrap(), p.next().unwrap())
        })
        .unwrap_or_default();
    let mut ron = String::from("{\n");
    for (_, item) in template.items() {
        let spec = answers
            .iter()
            .find_map(|a| a.strip_prefix(&format!("{}=", item.id)))
            .unwrap_or("yes");
        let (choice, note) = spec.split_once(':').unwrap_or((spec, ""));
        let note = if note.is_empty() && choice != "yes" {
            "to be looked at"
        } else {
            note
        };
        let action = if item.id.as_str() == action_item {
            format!(r#", action: Some((text: "{text}", owner: "{owner}", due: "2026-12-20"))"#)
        } else {
            String::new()
        };
        writeln!(
            ron,
            "  \"{}\": (choice: \"{choice}\", note: \"{note}\"{action}),",
            item.id
        )
        .unwrap();
    }
    ron.push('}');
    let file = env.home.path().join(format!("{inspection}-{date}.ron"));
    std::fs::write(&file, ron).unwrap();
    env.tenken_in_repo()
        .args(["record", inspection, "--subject", "self", "--answers"])
        .arg(&file)
        .args(["--date", date])
        .assert()
        .success();
}

/// The Markdown from `heading` to the next heading that starts with `next`.
fn until<'a>(md: &'a str, heading: &str, next: &str) -> &'a str {
    let start = md
        .find(heading)
        .unwrap_or_else(|| panic!("no `{heading}` in:\n{md}"));
    let rest = &md[start + heading.len()..];
    let end = rest.find(next).map_or(rest.len(), |e| e + 1);
    &rest[..end]
}

/// The Markdown of one topic: from its heading to the next heading.
fn topic<'a>(md: &'a str, heading: &str) -> &'a str {
    until(md, heading, "\n#")
}

#[test]
fn the_handbook_of_the_demo_shows_every_gap_of_its_latest_self_check() {
    let env = demo();
    let md = run(&env, &["--lang", "en", "handbook"]);
    // The chapters, in order.
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        [
            "## About this handbook",
            "## Measures not yet in place",
            "## Who is responsible",
            "## What everyone must do",
        ]
    );
    assert!(md.starts_with("# Information security handbook — Sakura Design Works\n"));
    assert_eq!(md.matches("\n### Part ").count(), 3, "{md}");
    assert_eq!(md.matches("\n#### No.").count(), 25);
    // Made from the organisation's latest committed self-check.
    let history = json(
        &env,
        &[
            "history",
            "--subject",
            "self",
            "--inspection",
            "ipa-self-check",
            "--format",
            "json",
        ],
    );
    let latest = history.as_array().unwrap().last().unwrap();
    let run_id = latest["run"].as_str().unwrap();
    assert!(
        md.contains(&format!(
            "| Self-check it was made from | {} ({}, commit {}) |",
            run_id.replace('_', "\\_"),
            latest["date"].as_str().unwrap(),
            &latest["commit"].as_str().unwrap()[..12]
        )),
        "{md}"
    );
    assert!(md.contains("| Made on | 2026-11-25 |"));
    // Every gap of that run is in the table of gaps and marked in its topic.
    let repo = env.repo();
    let text = std::fs::read_to_string(repo.join(format!("runs/{run_id}.ron"))).unwrap();
    let run_file: tenken::model::Run =
        tenken::load::parse(std::path::Path::new("run.ron"), &text).unwrap();
    let template: tenken::model::Inspection = tenken::load::parse(
        std::path::Path::new("t.ron"),
        &std::fs::read_to_string(repo.join("inspections/ipa-self-check.ron")).unwrap(),
    )
    .unwrap();
    let gaps = tenken::score::gaps(&template, &run_file.answers);
    assert!(!gaps.is_empty(), "the demo's latest self-check has gaps");
    let gap_table = topic(&md, "## Measures not yet in place");
    for gap in &gaps {
        let id = gap.item.id.as_str();
        assert!(
            gap_table.contains(&format!("| No.{id} | ")),
            "No.{id} not in:\n{gap_table}"
        );
        let body = topic(&md, &format!("#### No.{id} "));
        assert!(
            body.contains("**Not yet in place (") || body.contains("**To be confirmed ("),
            "No.{id}: {body}"
        );
        assert!(
            body.contains("- **Until it is in place**: "),
            "No.{id}: {body}"
        );
        let note = gap.answer.note.trim();
        if !note.is_empty() {
            assert!(body.contains(note), "No.{id} lacks its note: {body}");
        }
    }
    // Items in place say so, and every topic says what staff do.
    for (_, item) in template.items() {
        let body = topic(&md, &format!("#### No.{} ", item.id));
        assert!(body.contains("- **What you do**: "), "{body}");
        if !gaps.iter().any(|g| g.item.id == item.id) {
            assert!(body.contains("\n**In place**\n"), "No.{}: {body}", item.id);
        }
    }
    // The structure names the leads; incidents go to the department lead.
    assert!(md.contains(
        "tell 鈴木 一郎 (Suzuki Ichiro) or Tanaka Ken (Department security lead) straight away"
    ));
    assert!(md.contains("| Inspection lead | Tanaka Ken | "), "{md}");

    // The HTML page is the same document laid out.
    let html = run(&env, &["--lang", "en", "handbook", "--format", "html"]);
    crate::report::check_html(&html);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.ends_with("</footer>\n</body>\n</html>\n"));
    assert_eq!(
        html.matches("<div class=\"topic\" id=\"topic-ipa-self-check-")
            .count(),
        25
    );
    for gap in &gaps {
        assert!(html.contains(&format!("<td>No.{}</td>", gap.item.id)));
    }
    assert_eq!(
        html.matches("<p class=\"status bad\">").count(),
        gaps.iter().filter(|g| !g.dont_know()).count()
    );
    // Japanese throughout with --lang ja.
    let ja = run(&env, &["--lang", "ja", "handbook"]);
    assert!(ja.starts_with("# 情報セキュリティハンドブック — "));
    assert!(ja.contains("\n## 全員が守ること\n"));
    assert!(!ja.contains("What you do"));
}

#[test]
fn the_handbook_follows_the_answers_dont_know_first_and_the_rules_where_inspected() {
    let env = TestEnv::new();
    env.init();
    // Before any self-check: every topic unchecked, and it says so.
    let md = run(&env, &["--lang", "en", "handbook"]);
    assert!(md.contains("No self-check has been recorded yet"), "{md}");
    assert_eq!(md.matches("\n**Not checked yet**\n").count(), 25);
    assert!(!md.contains("## Measures not yet in place"));
    assert!(md.contains("| Self-check it was made from | none |"));

    record(
        &env,
        "ipa-self-check",
        "2026-10-01",
        &[
            "3=no:passwords are short",
            "9=na:no Wi-Fi at all",
            "14=unknown",
            "20=partly",
            "21=unknown",
        ],
        Some("3!role:system-admin!Set a password policy"),
    );
    env.tenken_in_repo()
        .args(["roles", "set", "system-admin", "sato"])
        .assert()
        .success();
    let md = run(&env, &["--lang", "en", "handbook"]);
    let gaps = topic(&md, "## Measures not yet in place");
    let order: Vec<usize> = ["| No.14 |", "| No.21 |", "| No.3 |", "| No.20 |"]
        .iter()
        .map(|row| gaps.find(row).unwrap_or_else(|| panic!("{row} in {gaps}")))
        .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "don't know first: {gaps}"
    );
    assert!(
        gaps.contains("The 2 answered \"don't know\" come first"),
        "{gaps}"
    );
    let no3 = topic(&md, "#### No.3 ");
    assert!(no3.contains("\n**Not yet in place (Not done)**\n"), "{no3}");
    assert!(no3.contains("- **Where it stands (self-check note)**: passwords are short"));
    assert!(
        no3.contains("- **Planned**: Set a password policy — owner: System administrator (Sato Hanako (sato)), due 2026-12-20"),
        "{no3}"
    );
    let no14 = topic(&md, "#### No.14 ");
    assert!(
        no14.contains("\n**To be confirmed (Don't know)**\n"),
        "{no14}"
    );
    assert!(
        no14.contains("has not been confirmed yet (Inspection lead is finding out)"),
        "{no14}"
    );
    let no9 = topic(&md, "#### No.9 ");
    assert!(
        no9.contains("\n**Does not apply to the company**\n"),
        "{no9}"
    );
    assert!(!md.contains("## The company's own rules"));

    // With a rules inspection, a chapter per area of the company's rules.
    record(
        &env,
        "rules-compliance",
        "2026-10-02",
        &[
            "2.known=no",
            "3.exists=no",
            "8.exists=na",
            "8.approved=na",
            "8.known=na",
            "8.followed=na",
        ],
        None,
    );
    let md = run(&env, &["--lang", "en", "handbook"]);
    let rules = until(&md, "## The company's own rules", "\n## ");
    assert_eq!(rules.matches("\n### ").count(), 12, "{rules}");
    let area = |n: usize| topic(&md, &format!("### {n}. "));
    assert!(
        area(1).contains("**Rules in place and known**"),
        "{}",
        area(1)
    );
    assert!(
        area(2).contains("**Rules exist, but not everyone knows them**"),
        "{}",
        area(2)
    );
    assert!(area(3).contains("**No rules written yet**"), "{}", area(3));
    assert!(
        area(8).contains("**Does not apply to the company**"),
        "{}",
        area(8)
    );

    // In restricted mode -o stays inside reports/.
    let restricted = |out: &str| {
        env.tenken()
            .args(["--restricted", "--repo"])
            .arg(env.repo())
            .args(["--inspector", "sato", "handbook", "-o", out])
            .output()
            .unwrap()
    };
    let refused = restricted("/tmp/handbook.md");
    assert_eq!(refused.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&refused.stderr),
        "エラー: 制限モードでは、レポートはリポジトリの `reports/` フォルダーの中にだけ書き出せます（/tmp/handbook.md には書き出せません）\n\
         ヒント: 例: `-o reports/report.html`（リポジトリからの相対パス）\n"
    );
    assert!(restricted("reports/handbook.md").status.success());
    assert!(
        std::fs::read_to_string(env.repo().join("reports/handbook.md"))
            .unwrap()
            .starts_with("# ")
    );
}

/// Issue 18: the measure status check over the demo. Its threats name
/// categories; `tenken risks` says what the organisation's latest answers
/// suggest for each, from the latest run of each inspection (read from the
/// history's brief answers).
#[test]
fn the_demo_risks_show_what_the_inspections_suggest() {
    let env = demo();
    let rows = json(&env, &["risks", "--format", "json"]);
    let rows = rows.as_array().unwrap();
    let row = |threat: &str| {
        rows.iter()
            .find(|r| r["threat"] == threat)
            .unwrap_or_else(|| panic!("no threat {threat}"))
    };
    // Sharing links: self-check 4, 7, 8 and five principles 4 are all done
    // in the demo's latest runs, so the answers suggest 1 (the register
    // keeps the 2 the assessor typed).
    let share = row("share-link");
    assert_eq!(share["category"], "mistakes");
    assert_eq!(share["vulnerability"], 2);
    assert_eq!(share["suggested_vulnerability"], 1);
    let from: Vec<&str> = share["suggested_from"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert_eq!(from.len(), 2, "{from:?}");
    assert!(from.iter().any(|r| r.starts_with("self/ipa-self-check/")));
    assert!(
        from.iter()
            .any(|r| r.starts_with("self/ipa-five-principles/"))
    );
    // The demo has run no website check, so the attack on the website
    // (category `website`) has no suggestion; the others have one.
    let deface = row("deface");
    assert_eq!(deface["category"], "website");
    assert!(deface["suggested_vulnerability"].is_null(), "{deface}");
    for r in rows
        .iter()
        .filter(|r| !r["category"].is_null() && r["category"] != "website")
    {
        let v = r["suggested_vulnerability"].as_u64().unwrap();
        assert!((1..=3).contains(&v), "{r}");
        assert!(r["derived"].is_null());
    }
    let text = run(&env, &["--lang", "en", "risks"]);
    assert!(text.contains("V FROM"), "{text}");
    assert!(text.contains("inspections suggest 1"), "{text}");
    assert!(text.contains("Risk levels: High (6–9) a serious incident is likely"));
}
