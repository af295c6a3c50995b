//! The supplier questionnaire through the real binary (issue 17):
//! `suppliers export` as CSV (UTF-8, CP932) and as a workbook, filled in by
//! another program, and read back by `record --answers`: every accepted
//! form of an answer, errors that name the cell, the header block's
//! checks, and LibreOffice converting and re-saving the workbook (CI
//! installs it; without it the LibreOffice test fails under `CI` and says
//! so elsewhere).

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use calamine::{Reader, Xlsx};
use serde_json::Value;
use tenken::load::answers::column_letters;
use tenken::load::answers::layout;
use tenken::load::csv;

use crate::support::TestEnv;

/// A repository with the supplier `minato`.
fn setup(env: &TestEnv) -> PathBuf {
    let repo = env.init();
    env.tenken_in_repo()
        .args(["subjects", "add", "minato", "--kind", "supplier", "--name"])
        .arg("みなとWeb制作")
        .assert()
        .success();
    repo
}

/// The ids of the bundled supplier check's items, in walk order.
fn items(repo: &Path) -> Vec<String> {
    let catalog = tenken::load::catalog(repo).unwrap();
    catalog.inspections[&tenken::model::Id::new("supplier-check").unwrap()]
        .items()
        .map(|(_, i)| i.id.to_string())
        .collect()
}

fn export(env: &TestEnv, file: &Path, extra: &[&str]) {
    env.tenken_in_repo()
        .args(["suppliers", "export", "minato", "-o"])
        .arg(file)
        .args(extra)
        .assert()
        .success();
}

/// Runs `record supplier-check --subject minato --answers FILE …`.
fn record(env: &TestEnv, file: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    env.tenken_in_repo()
        .args([
            "record",
            "supplier-check",
            "--subject",
            "minato",
            "--answers",
        ])
        .arg(file)
        .args(extra)
        .assert()
}

fn stderr(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
}

fn json(assert: &assert_cmd::assert::Assert) -> Value {
    serde_json::from_slice(&assert.get_output().stdout).unwrap()
}

/// The answers of the run `record --format json` reported.
fn run_answers(repo: &Path, recorded: &Value) -> tenken::model::Run {
    let path = repo.join(recorded["path"].as_str().unwrap());
    ron::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The answers' labels of the repository's supplier check, and what each
/// item allows, so that rewording the template does not break the tests.
struct Labels {
    yes_ja: String,
    yes_en: String,
    yes_key: char,
    partly_ja: String,
    partly_en: String,
    /// `allowed: …` of each item, in walk order.
    allowed: Vec<String>,
}

fn labels(repo: &Path) -> Labels {
    let catalog = tenken::load::catalog(repo).unwrap();
    let t = &catalog.inspections[&tenken::model::Id::new("supplier-check").unwrap()];
    let (_, first) = t.items().next().unwrap();
    let choice = |id: &str| t.choice(first, id).unwrap();
    Labels {
        yes_ja: choice("yes").label.ja.clone(),
        yes_en: choice("yes").label.en.clone(),
        yes_key: choice("yes").key,
        partly_ja: choice("partly").label.ja.clone(),
        partly_en: choice("partly").label.en.clone(),
        allowed: t
            .items()
            .map(|(_, i)| tenken::load::answers::allowed(t.choices(i)))
            .collect(),
    }
}

type Fill = (String, String, String);

/// What a supplier writes for item number `n` (0-based) of a full fill:
/// every form an answer may take, all meaning the best choice (`yes`) but
/// the first two (`partly`).
fn answer_for(l: &Labels, n: usize) -> Fill {
    let plain = |s: &str| (s.to_owned(), String::new(), String::new());
    match n {
        0 => (
            l.partly_ja.clone(),
            "2 laptops without EDR, \"v2\" planned".into(),
            "EDR rollout plan\nasset list".into(),
        ),
        1 => plain(&l.partly_en.to_uppercase()),
        2 => (l.yes_ja.clone(), String::new(), "ISMS certificate".into()),
        // The key in full width, as a Japanese input method types it.
        3 => plain(
            &char::from_u32(l.yes_key as u32 + 0xFEE0)
                .unwrap()
                .to_string(),
        ),
        4 => plain(&l.yes_en),
        5 => plain("Yes"),
        _ => plain(&format!(" {}\u{3000}", l.yes_ja)),
    }
}

/// Replaces the cells of the CSV table's `choice`, `note` and `evidence`
/// columns; `fill` gets the item id and its position.
fn fill_csv(records: &mut [csv::Record], fill: impl Fn(&str, usize) -> Option<Fill>) {
    let header = records.iter().position(|r| r.fields[0] == "item").unwrap();
    let col = |name: &str| {
        records[header]
            .fields
            .iter()
            .position(|h| h == name)
            .unwrap()
    };
    let (choice, note, evidence) = (col("choice"), col("note"), col("evidence"));
    for (n, r) in records[header + 1..].iter_mut().enumerate() {
        if let Some((c, t, e)) = fill(&r.fields[0], n) {
            r.fields[choice] = c;
            r.fields[note] = t;
            r.fields[evidence] = e;
        }
    }
}

/// Writes records the way a spreadsheet re-saves a CSV file: every field
/// in quotes, CRLF line ends (the caller adds a byte order mark or not).
fn resave(records: &[csv::Record]) -> String {
    let mut out = String::new();
    for r in records {
        let fields: Vec<String> = r
            .fields
            .iter()
            .map(|f| format!("\"{}\"", f.replace('"', "\"\"").replace('\n', "\r\n")))
            .collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

#[test]
fn the_csv_questionnaire_round_trips_through_a_spreadsheet() {
    let env = TestEnv::new();
    let repo = setup(&env);
    let l = labels(&repo);
    let file = env.home.path().join("minato.csv");
    let out = env
        .tenken_in_repo()
        .args(["suppliers", "export", "minato", "-o"])
        .arg(&file)
        .assert()
        .success();
    let out = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        out.ends_with(&format!(
            "記入後の取り込み: tenken record supplier-check --subject minato --answers {}\n",
            file.display()
        )),
        "{out}"
    );
    assert_eq!(
        env.git(&repo, &["status", "--porcelain"]),
        "",
        "nothing in the repository"
    );
    let exported = std::fs::read_to_string(&file).unwrap();
    assert!(
        exported.starts_with("\u{feff}委託先セキュリティ点検 — 質問票 / Questionnaire,,,,,,,,\r\n")
    );
    // The repository speaks Japanese (`init`'s default): its question first.
    assert!(exported.contains(
        "\r\n,,,,,,,,\r\nitem,section,question_ja,question_en,choices,note_required,choice,note,evidence\r\n"
    ));
    let ids = items(&repo);
    let mut records = csv::parse(&exported).unwrap();
    let header = records.iter().position(|r| r.fields[0] == "item").unwrap();
    assert_eq!(records.len() - header - 1, ids.len(), "one row per item");

    // Left as exported, the file names every missing item.
    let err = stderr(&record(&env, &file, &[]).code(1));
    assert!(
        err.starts_with(&format!(
            "エラー: {} には {1}項目のうち {1}項目の回答がありません: ",
            file.display(),
            ids.len()
        )),
        "{err}"
    );

    // Filled in and saved by a spreadsheet; the answers in every form.
    fill_csv(&mut records, |_, n| Some(answer_for(&l, n)));
    let filled = env.home.path().join("minato-filled.csv");
    std::fs::write(&filled, format!("\u{feff}{}", resave(&records))).unwrap();
    let done = record(&env, &filled, &["--date", "2026-11-20", "--format", "json"]).success();
    let recorded = json(&done);
    assert_eq!(
        recorded["run"],
        "minato/supplier-check/2026-11-20T090000-sato"
    );
    assert_eq!(stderr(&done), "", "UTF-8 needs no note");
    let run = run_answers(&repo, &recorded);
    assert_eq!(run.answers.len(), ids.len());
    let first = &run.answers[&tenken::model::Id::new(&ids[0]).unwrap()];
    assert_eq!(first.choice.as_str(), "partly");
    assert_eq!(first.note, "2 laptops without EDR, \"v2\" planned");
    assert_eq!(first.evidence, ["EDR rollout plan", "asset list"]);
    for (n, id) in ids.iter().enumerate().skip(2) {
        assert_eq!(
            run.answers[&tenken::model::Id::new(id).unwrap()]
                .choice
                .as_str(),
            "yes",
            "{n}"
        );
    }

    // A wrong answer names its line and column and what is allowed.
    let choice = records[header]
        .fields
        .iter()
        .position(|h| h == "choice")
        .unwrap();
    records[header + 3].fields[choice] = "たぶん".into();
    let bad = env.home.path().join("minato-bad.csv");
    let text = resave(&records);
    std::fs::write(&bad, &text).unwrap();
    let err = stderr(&record(&env, &bad, &[]).code(3));
    // Where the cell is, counted by hand: the line the third row starts on
    // (after the first row's two-line evidence), and the column after the
    // fields before it.
    let line = text
        .split("\r\n")
        .position(|l| l.starts_with(&format!("\"{}\",", ids[2])))
        .unwrap()
        + 1;
    let col = text
        .split("\r\n")
        .nth(line - 1)
        .unwrap()
        .split(",\"たぶん\"")
        .next()
        .unwrap()
        .chars()
        .count()
        + 2;
    let expected = format!(
        "{}:{line}:{col}: `たぶん` は項目 `{}` の回答として使えません。使える回答: {}\n",
        bad.display(),
        ids[2],
        l.allowed[2]
    );
    assert!(err.starts_with(&expected), "{err}\n{expected}");
}

#[test]
fn a_cp932_questionnaire_round_trips_as_excel_in_japan_saves_it() {
    let env = TestEnv::new();
    let repo = setup(&env);
    let l = labels(&repo);
    let file = env.home.path().join("minato.csv");
    export(&env, &file, &["--encoding", "cp932"]);
    let bytes = std::fs::read(&file).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "not UTF-8");
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!bad);
    assert!(
        text.starts_with("委託先セキュリティ点検 ― 質問票 / Questionnaire,,,,,,,,\r\n"),
        "{text}"
    );
    let mut records = csv::parse(&text).unwrap();
    fill_csv(&mut records, |_, n| Some(answer_for(&l, n)));
    let text = resave(&records);
    let (saved, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&text);
    assert!(!unmappable);
    let filled = env.home.path().join("filled.csv");
    std::fs::write(&filled, &saved).unwrap();
    let done = record(&env, &filled, &["--format", "json"]).success();
    assert_eq!(
        stderr(&done),
        format!(
            "{} を CP932（Shift_JIS）として読み込みました（日本語版 Excel が CSV を保存する文字コード）\n",
            filled.display()
        )
    );
    let run = run_answers(&repo, &json(&done));
    assert_eq!(run.answers.len(), items(&repo).len());

    // Text in neither encoding (Windows-1252, as Excel saves CSV in the
    // West) is refused, with the way out in both languages.
    let western = env.home.path().join("western.csv");
    std::fs::write(
        &western,
        b"item,choice,note\npolicy,yes,supplier\x92s caf\xe9\n",
    )
    .unwrap();
    let err = stderr(&record(&env, &western, &["--allow-partial"]).code(1));
    assert_eq!(
        err,
        format!(
            "エラー: {}:2:20: UTF-8 でも CP932（Shift_JIS）でもないテキストです\n\
             ヒント: 読み込めるのは .xlsx ブック、または UTF-8（BOM 付き・なし）か CP932（Shift_JIS）の CSV です\n\
             ヒント: Excel では［名前を付けて保存］で「CSV UTF-8 (コンマ区切り) (*.csv)」を選ぶか、.xlsx のまま保存してください\n",
            western.display()
        )
    );

    // A character CP932 lacks stops the export, naming where it is.
    env.tenken_in_repo()
        .args(["subjects", "edit", "minato", "--name", "Café Minato"])
        .assert()
        .success();
    let refused = env
        .tenken_in_repo()
        .args(["suppliers", "export", "minato", "--encoding", "cp932", "-o"])
        .arg(env.home.path().join("x.csv"))
        .assert()
        .code(1);
    assert_eq!(
        stderr(&refused),
        "エラー: 見出しの欄 `supplier_name`: `é`（U+00E9）は CP932（Shift_JIS）で書き出せない文字です\n\
         ヒント: `--encoding utf-8` で書き出す（Excel でも開けます）か、`--format xlsx` で書き出してください\n"
    );
    let refused = env
        .tenken_in_repo()
        .args(["--lang", "en", "suppliers", "export", "minato"])
        .args(["--encoding", "cp932", "-o"])
        .arg(env.home.path().join("x.csv"))
        .assert()
        .code(1);
    assert_eq!(
        stderr(&refused),
        "error: the header field `supplier_name` has `é` (U+00E9), which CP932 (Shift_JIS) cannot hold\n\
         hint: export with --encoding utf-8 (Excel opens it as well), or as --format xlsx\n"
    );
    assert!(!env.home.path().join("x.csv").exists());
}

/// Where the answer, note and evidence of each item are in an exported
/// workbook, read with calamine: item id → (choice, note, evidence) cells.
fn answer_cells(bytes: &[u8]) -> Vec<(String, [String; 3])> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let text = |r: usize, c: usize| {
        range
            .get((r, c))
            .map(ToString::to_string)
            .unwrap_or_default()
    };
    let header = (0..range.height())
        .find(|&r| layout::ITEM.matches(&text(r, 0)))
        .unwrap();
    let col = |name: layout::Name| {
        (0..range.width())
            .find(|&c| name.matches(&text(header, c)))
            .unwrap()
    };
    let (choice, note, evidence) = (
        col(layout::CHOICE),
        col(layout::NOTE),
        col(layout::EVIDENCE),
    );
    let (top, _) = range.start().unwrap();
    let at = |r: usize, c: usize| format!("{}{}", column_letters(c), r + 1 + top as usize);
    (header + 1..range.height())
        .filter(|&r| !text(r, choice).is_empty() || range.get((r, choice)).is_some())
        .filter(|&r| tenken::model::Id::new(&text(r, 0)).is_ok())
        .map(|r| (text(r, 0), [at(r, choice), at(r, note), at(r, evidence)]))
        .collect()
}

/// Fills a workbook the way a spreadsheet program does: the answer, note
/// and evidence cells get inline strings in the sheet's XML, everything
/// else (protection, drop-downs, styles, other parts) is copied as it was.
fn fill_xlsx(bytes: &[u8], fill: impl Fn(&str, usize) -> Option<Fill>) -> Vec<u8> {
    let cells = answer_cells(bytes);
    let part = "xl/worksheets/sheet1.xml";
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name(part).unwrap().read_to_string(&mut xml).unwrap();
    for (n, (item, refs)) in cells.iter().enumerate() {
        let Some(values) = fill(item, n) else {
            continue;
        };
        for (cell, value) in refs.iter().zip([&values.0, &values.1, &values.2]) {
            if value.is_empty() {
                continue;
            }
            let open = format!("<c r=\"{cell}\"");
            let start = xml.find(&format!("{open} ")).unwrap();
            let end = start + xml[start..].find("/>").unwrap();
            let attrs = xml[start + open.len()..end].to_owned();
            let escaped = value
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            xml.replace_range(
                start..end + 2,
                &format!(
                    "<c r=\"{cell}\"{attrs} t=\"inlineStr\"><is><t xml:space=\"preserve\">{escaped}</t></is></c>"
                ),
            );
        }
    }
    replace_part(bytes, part, xml.as_bytes())
}

/// Returns the workbook `bytes` with `part` replaced by `content`, every
/// other part copied as it was.
fn replace_part(bytes: &[u8], part: &str, content: &[u8]) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let entry = zip.by_index(i).unwrap();
        if entry.name().unwrap() == part {
            drop(entry);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            out.start_file(part, options).unwrap();
            out.write_all(content).unwrap();
        } else {
            out.raw_copy_file(entry).unwrap();
        }
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn the_workbook_round_trips_filled_in_by_another_program() {
    let env = TestEnv::new();
    let repo = setup(&env);
    let l = labels(&repo);
    let ids = items(&repo);
    let file = env.home.path().join("minato.xlsx");
    // `.xlsx` chooses the format.
    export(&env, &file, &[]);
    let exported = std::fs::read(&file).unwrap();
    assert!(exported.starts_with(b"PK\x03\x04"));
    assert_eq!(
        env.git(&repo, &["status", "--porcelain"]),
        "",
        "nothing in the repository"
    );
    let cells = answer_cells(&exported);
    assert_eq!(
        cells.iter().map(|(i, _)| i.clone()).collect::<Vec<_>>(),
        ids
    );

    // All answered, in every accepted form: recorded at 100% apart from the
    // two "partly" answers, each as the supplier wrote it.
    let filled = env.home.path().join("filled.xlsx");
    std::fs::write(
        &filled,
        fill_xlsx(&exported, |_, n| Some(answer_for(&l, n))),
    )
    .unwrap();
    let done = record(&env, &filled, &["--format", "json"]).success();
    assert_eq!(stderr(&done), "");
    let recorded = json(&done);
    assert_eq!(recorded["unanswered"], 0);
    let run = run_answers(&repo, &recorded);
    let first = &run.answers[&tenken::model::Id::new(&ids[0]).unwrap()];
    assert_eq!(
        (
            first.choice.as_str(),
            first.note.as_str(),
            first.evidence.clone()
        ),
        (
            "partly",
            "2 laptops without EDR, \"v2\" planned",
            vec!["EDR rollout plan".into(), "asset list".into()]
        )
    );
    assert_eq!(
        run.answers[&tenken::model::Id::new(&ids[1]).unwrap()]
            .choice
            .as_str(),
        "partly"
    );
    assert!(ids[2..].iter().all(|i| {
        run.answers[&tenken::model::Id::new(i).unwrap()]
            .choice
            .as_str()
            == "yes"
    }));

    // Every item at its best choice: 100%.
    let best = env.home.path().join("best.xlsx");
    std::fs::write(&best, fill_xlsx(&exported, |_, _| Some(answer_for(&l, 2)))).unwrap();
    let recorded =
        json(&record(&env, &best, &["--format", "json", "--date", "2026-11-01"]).success());
    assert_eq!(recorded["percent"], 100.0);
    assert_eq!(recorded["score"], recorded["max"]);

    // Half filled: the rest is named, and recorded as unanswered on request.
    let half = env.home.path().join("half.xlsx");
    std::fs::write(
        &half,
        fill_xlsx(&exported, |_, n| (n % 2 == 0).then(|| answer_for(&l, 5))),
    )
    .unwrap();
    let missing: Vec<&str> = ids.iter().skip(1).step_by(2).map(String::as_str).collect();
    let err = stderr(&record(&env, &half, &[]).code(1));
    assert!(
        err.starts_with(&format!(
            "エラー: {} には {}項目のうち {}項目の回答がありません: {}\n",
            half.display(),
            ids.len(),
            missing.len(),
            missing.join(", ")
        )),
        "{err}"
    );
    let recorded = json(
        &record(
            &env,
            &half,
            &[
                "--allow-partial",
                "--format",
                "json",
                "--date",
                "2026-10-01",
            ],
        )
        .success(),
    );
    assert_eq!(recorded["unanswered"], missing.len());
    let run = run_answers(&repo, &recorded);
    let answered: Vec<&str> = run.answers.keys().map(tenken::model::Id::as_str).collect();
    let mut expected: Vec<&str> = ids.iter().step_by(2).map(String::as_str).collect();
    expected.sort_unstable();
    assert_eq!(answered, expected);

    // Errors name the sheet and the cell.
    let wrong = env.home.path().join("wrong.xlsx");
    std::fs::write(
        &wrong,
        fill_xlsx(&exported, |_, n| match n {
            2 => Some(("maybe".into(), String::new(), String::new())),
            4 => Some((
                String::new(),
                "a note without an answer".into(),
                String::new(),
            )),
            _ => Some(answer_for(&l, 5)),
        }),
    )
    .unwrap();
    let err = stderr(&record(&env, &wrong, &[]).code(3));
    let [choice2, _, _] = &cells[2].1;
    let [choice4, _, _] = &cells[4].1;
    assert_eq!(
        err,
        format!(
            "{0}:質問票!{choice2}: `maybe` は項目 `{1}` の回答として使えません。使える回答: {3}\n\
             {0}:質問票!{choice4}: 項目 `{2}` にメモか証跡がありますが、回答がありません。使える回答: {4}\n\
             エラー: 問題が 2件 見つかりました\n",
            wrong.display(),
            ids[2],
            ids[4],
            l.allowed[2],
            l.allowed[4],
        )
    );

    // The header block is checked: another supplier is refused.
    let err = stderr(
        &env.tenken_in_repo()
            .args([
                "subjects", "add", "kumo", "--kind", "supplier", "--name", "Kumo",
            ])
            .assert()
            .success(),
    );
    assert_eq!(err, "");
    let other = env
        .tenken_in_repo()
        .args(["record", "supplier-check", "--subject", "kumo", "--answers"])
        .arg(&best)
        .assert()
        .code(1);
    assert_eq!(
        stderr(&other),
        format!(
            "エラー: {}: この質問票は委託先 `minato` 向けで、`kumo` 向けではありません\n\
             ヒント: --subject minato で記録するか、`tenken suppliers export kumo` で kumo 向けの質問票を書き出してください\n",
            best.display()
        )
    );
}

#[test]
fn a_questionnaire_for_another_template_version_is_refused_and_an_edited_copy_warned_about() {
    let env = TestEnv::new();
    let repo = setup(&env);
    let l = labels(&repo);
    let file = env.home.path().join("minato.xlsx");
    export(&env, &file, &[]);
    let best = env.home.path().join("best.xlsx");
    std::fs::write(
        &best,
        fill_xlsx(&std::fs::read(&file).unwrap(), |_, _| {
            Some(answer_for(&l, 3))
        }),
    )
    .unwrap();
    let template = repo.join("inspections/supplier-check.ron");
    let original = std::fs::read_to_string(&template).unwrap();
    let version = tenken::load::catalog(&repo).unwrap().inspections
        [&tenken::model::Id::new("supplier-check").unwrap()]
        .version;

    // Reworded without a new version: recorded, with a warning.
    let reworded = original.replacen("委託先に、", "委託先には、", 1);
    assert_ne!(reworded, original);
    std::fs::write(&template, &reworded).unwrap();
    // (A run is only recorded against a committed template.)
    env.git(&repo, &["commit", "-qam", "reword the supplier check"]);
    let done = record(&env, &best, &["--format", "json"]).success();
    let err = stderr(&done);
    assert!(
        err.starts_with(&format!(
            "警告: {}: この質問票は `supplier-check` 版 {version} の別の写しから作られています（チェックリストの SHA-256 ",
            best.display()
        )) && err.ends_with("…）。回答は現在のチェックリストで確かめました\n"),
        "{err}"
    );
    assert_eq!(json(&done)["percent"], 100.0);

    // A new version: refused, nothing recorded.
    std::fs::write(
        &template,
        reworded.replacen(
            &format!("version: {version},"),
            &format!("version: {},", version + 1),
            1,
        ),
    )
    .unwrap();
    let before = env.git(&repo, &["rev-list", "--count", "HEAD"]);
    let refused = record(&env, &best, &["--date", "2026-11-02"]).code(1);
    assert_eq!(
        stderr(&refused),
        format!(
            "エラー: {}: この質問票は `supplier-check` の版 {version} 向けですが、チェックリストは現在 版 {} で、質問が異なる可能性があります\n\
             ヒント: 委託先に新しい質問票を送ってください: tenken suppliers export minato --inspection supplier-check --format xlsx -o FILE\n",
            best.display(),
            version + 1
        )
    );
    assert_eq!(env.git(&repo, &["rev-list", "--count", "HEAD"]), before);
}

#[test]
fn unreadable_answers_files_exit_1_with_a_reason() {
    let env = TestEnv::new();
    setup(&env);
    // In English (the repository speaks Japanese; lang_ja checks that).
    let missing = env.home.path().join("nowhere.csv");
    let err = stderr(&record(&env, &missing, &["--lang", "en"]).code(1));
    assert!(
        err.starts_with(&format!(
            "error: the answers file {} does not exist\n",
            missing.display()
        )),
        "{err}"
    );
    // A workbook in name only, an old .xls or a locked workbook.
    let fake = env.home.path().join("fake.xlsx");
    std::fs::write(&fake, "item,choice\n").unwrap();
    let err = stderr(&record(&env, &fake, &["--lang", "en"]).code(1));
    assert!(
        err.starts_with(&format!("error: {}: not an .xlsx workbook", fake.display())),
        "{err}"
    );
    assert!(
        err.contains("hint: save the questionnaire in Excel as \"Excel Workbook (*.xlsx)\""),
        "{err}"
    );
    let old = env.home.path().join("old.xls");
    std::fs::write(&old, b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 rest").unwrap();
    let err = stderr(&record(&env, &old, &["--lang", "en"]).code(1));
    assert!(
        err.contains("an encrypted workbook or an old .xls file"),
        "{err}"
    );
    // A LibreOffice spreadsheet in its own format.
    let ods = env.home.path().join("answers.ods");
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("mimetype", zip::write::SimpleFileOptions::default())
        .unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    std::fs::write(&ods, zip.finish().unwrap().into_inner()).unwrap();
    let err = stderr(&record(&env, &ods, &["--lang", "en"]).code(1));
    assert!(
        err.starts_with(&format!(
            "error: {}: an OpenDocument spreadsheet (.ods), which tenken does not read\nhint: in LibreOffice: File > Save As, file type \"Excel 2007-365 (.xlsx)\"",
            ods.display()
        )),
        "{err}"
    );
    // A workbook that unpacks to far more than it weighs.
    let bomb = env.home.path().join("bomb.xlsx");
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/sharedStrings.xml", options).unwrap();
    let zeros = vec![b' '; 1024 * 1024];
    for _ in 0..=(tenken::load::answers::MAX_UNPACKED / 1024 / 1024) {
        zip.write_all(&zeros).unwrap();
    }
    std::fs::write(&bomb, zip.finish().unwrap().into_inner()).unwrap();
    assert!(std::fs::metadata(&bomb).unwrap().len() < 1024 * 1024);
    let err = stderr(&record(&env, &bomb, &["--lang", "en"]).code(1));
    assert!(
        err.contains("the workbook unpacks to more than 64 MiB"),
        "{err}"
    );
}

/// LibreOffice headless, with its own profile in the test's home; `None`
/// when it is not installed and `CI` is not set.
struct Office {
    home: PathBuf,
}

impl Office {
    fn find(env: &TestEnv) -> Option<Self> {
        let found = Command::new("soffice")
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !found {
            assert!(
                std::env::var_os("CI").is_none(),
                "LibreOffice (soffice) is not installed, but CI is set: .ci/run installs libreoffice-calc-nogui"
            );
            eprintln!(
                "note: LibreOffice (soffice) is not installed; the LibreOffice round trip was not run"
            );
            return None;
        }
        Some(Self {
            home: env.home.path().to_owned(),
        })
    }

    /// Converts `file` with `filter` into `out/`, returns the new file.
    fn convert(&self, file: &Path, filter: &str, ext: &str, out: &str) -> PathBuf {
        let dir = self.home.join(out);
        std::fs::create_dir_all(&dir).unwrap();
        let mut child = Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}/lo-profile",
                self.home.display()
            ))
            .args([
                "--headless",
                "--norestore",
                "--convert-to",
                filter,
                "--outdir",
            ])
            .arg(&dir)
            .arg(file)
            .env("HOME", &self.home)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(180);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                child.kill().unwrap();
                panic!(
                    "soffice did not finish converting {} in 180 s",
                    file.display()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        assert!(status.success(), "soffice failed on {}", file.display());
        let stem = file.file_stem().unwrap().to_str().unwrap();
        let made = dir.join(format!("{stem}.{ext}"));
        assert!(made.exists(), "soffice wrote no {}", made.display());
        made
    }
}

#[test]
fn libreoffice_reads_converts_and_resaves_the_workbook() {
    let env = TestEnv::new();
    let Some(office) = Office::find(&env) else {
        return;
    };
    let repo = setup(&env);
    let l = labels(&repo);
    let ids = items(&repo);
    let file = env.home.path().join("minato.xlsx");
    export(&env, &file, &[]);
    let exported = std::fs::read(&file).unwrap();
    let filled = env.home.path().join("filled.xlsx");
    std::fs::write(
        &filled,
        fill_xlsx(&exported, |_, n| Some(answer_for(&l, n))),
    )
    .unwrap();
    let half = env.home.path().join("half.xlsx");
    std::fs::write(
        &half,
        fill_xlsx(&exported, |_, n| (n % 3 == 0).then(|| answer_for(&l, 4))),
    )
    .unwrap();
    let check_full = |path: &Path, date: &str| {
        let done = record(&env, path, &["--format", "json", "--date", date]).success();
        let run = run_answers(&repo, &json(&done));
        assert_eq!(run.answers.len(), ids.len(), "{}", path.display());
        let first = &run.answers[&tenken::model::Id::new(&ids[0]).unwrap()];
        assert_eq!(first.choice.as_str(), "partly");
        assert_eq!(first.note, "2 laptops without EDR, \"v2\" planned");
        assert_eq!(first.evidence, ["EDR rollout plan", "asset list"]);
        stderr(&done)
    };

    // Re-saved by LibreOffice as .xlsx (its own writer from top to bottom).
    let resaved = office.convert(&filled, "xlsx:Calc MS Excel 2007 XML", "xlsx", "resaved");
    let bytes = std::fs::read(&resaved).unwrap();
    assert_ne!(bytes, std::fs::read(&filled).unwrap());
    assert_eq!(check_full(&resaved, "2026-11-01"), "");
    // LibreOffice understood the workbook: it writes back the drop-downs,
    // the protection, the print setup and the hidden list sheet.
    let part = |name: &str| {
        let mut text = String::new();
        zip::ZipArchive::new(Cursor::new(bytes.as_slice()))
            .unwrap()
            .by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let sheet = part("xl/worksheets/sheet1.xml");
    for wanted in [
        "<formula1>choices_1</formula1>",
        "<sheetProtection sheet=\"true\"",
        "paperSize=\"9\"",
        "fitToWidth=\"1\" fitToHeight=\"0\"",
        "orientation=\"landscape\"",
    ] {
        assert!(sheet.contains(wanted), "LibreOffice dropped {wanted}");
    }
    let book = part("xl/workbook.xml");
    assert!(book.contains("name=\"_xlnm.Print_Titles\""), "{book}");
    assert!(
        book.contains("name=\"tenken_choices\" sheetId=\"2\" state=\"hidden\""),
        "{book}"
    );

    // Saved as CSV in CP932 (MS-932, code 60), as Excel in Japan saves it.
    let sjis = office.convert(
        &filled,
        "csv:Text - txt - csv (StarCalc):44,34,60",
        "csv",
        "sjis",
    );
    let bytes = std::fs::read(&sjis).unwrap();
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "LibreOffice wrote CP932"
    );
    assert_eq!(
        check_full(&sjis, "2026-11-02"),
        format!(
            "{} を CP932（Shift_JIS）として読み込みました（日本語版 Excel が CSV を保存する文字コード）\n",
            sjis.display()
        )
    );

    // Part filled, saved as CSV in UTF-8 (code 76): the rest is unanswered.
    let utf8 = office.convert(
        &half,
        "csv:Text - txt - csv (StarCalc):44,34,76",
        "csv",
        "utf8",
    );
    let recorded = json(
        &record(
            &env,
            &utf8,
            &[
                "--allow-partial",
                "--format",
                "json",
                "--date",
                "2026-11-03",
            ],
        )
        .success(),
    );
    let answered: Vec<String> = run_answers(&repo, &recorded)
        .answers
        .keys()
        .map(ToString::to_string)
        .collect();
    let mut expected: Vec<String> = ids.iter().step_by(3).cloned().collect();
    expected.sort_unstable();
    assert_eq!(answered, expected);
    assert_eq!(recorded["unanswered"], ids.len() - expected.len());

    // Printed: A4 landscape, one page wide.
    let pdf = office.convert(&file, "pdf", "pdf", "pdf");
    let pdf = String::from_utf8_lossy(&std::fs::read(pdf).unwrap()).into_owned();
    let pages: Vec<Vec<f64>> = pdf
        .split("/MediaBox")
        .skip(1)
        .map(|rest| {
            let inside = rest.trim_start().strip_prefix('[').unwrap();
            let inside = &inside[..inside.find(']').unwrap()];
            inside
                .split_whitespace()
                .map(|n| n.parse().unwrap())
                .collect()
        })
        .collect();
    assert!(!pages.is_empty());
    for page in pages {
        let (w, h) = (page[2] - page[0], page[3] - page[1]);
        assert!(
            (w - 841.89).abs() < 1.0 && (h - 595.30).abs() < 1.0,
            "A4 landscape: {w} x {h}"
        );
    }
}

/// Every bundled template, in both languages, exports as CP932 (so a
/// wording change cannot bring in a character Excel's CSV in Japan lacks)
/// and as a workbook that reads back with its header and no answers.
#[test]
fn every_bundled_template_exports_in_cp932_and_as_a_workbook() {
    use tenken::supplier::questionnaire::{CsvEncoding, Questionnaire, check_header};
    let subjects: tenken::model::Subjects = ron::from_str(
        r#"Subjects(format: 1, subjects: [Subject(id: "hikari", kind: Supplier, name: "ひかり印刷（株）")])"#,
    )
    .unwrap();
    let supplier = &subjects.subjects[0];
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    for file in tenken::bundle::INSPECTIONS {
        let path = Path::new("inspections").join(file.name);
        let id = file.name.strip_suffix(".ron").unwrap();
        let template = tenken::load::inspection_from_str(&path, file.contents, Some(id)).unwrap();
        for lang in [tenken::model::Lang::Ja, tenken::model::Lang::En] {
            let q = Questionnaire::new(&template, supplier, lang, day).unwrap();
            let csv = q
                .to_csv(CsvEncoding::Cp932)
                .unwrap_or_else(|e| panic!("{id} ({lang}): {e}"));
            let xlsx = q.to_xlsx().unwrap();
            for (name, bytes) in [("q.csv", csv), ("q.xlsx", xlsx)] {
                let got =
                    tenken::load::answers::answers_from_bytes(Path::new(name), &bytes, &template)
                        .unwrap_or_else(|e| panic!("{id} ({lang}) {name}: {e}"));
                assert!(got.answers.is_empty(), "{id} ({lang}) {name}");
                assert_eq!(
                    check_header(Path::new(name), &got.header, &template, &supplier.id).unwrap(),
                    None,
                    "{id} ({lang}) {name}"
                );
            }
        }
    }
}

/// The bundled supplier check and a workbook exported from it, made once.
fn bundled_workbook() -> &'static (tenken::model::Inspection, Vec<u8>) {
    static BOOK: std::sync::OnceLock<(tenken::model::Inspection, Vec<u8>)> =
        std::sync::OnceLock::new();
    BOOK.get_or_init(|| {
        let file = tenken::bundle::INSPECTIONS
            .iter()
            .find(|f| f.name == "supplier-check.ron")
            .unwrap();
        let template = tenken::load::inspection_from_str(
            Path::new("supplier-check.ron"),
            file.contents,
            Some("supplier-check"),
        )
        .unwrap();
        let subjects: tenken::model::Subjects = ron::from_str(
            r#"Subjects(format: 1, subjects: [Subject(id: "s", kind: Supplier, name: "S")])"#,
        )
        .unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let q = tenken::supplier::questionnaire::Questionnaire::new(
            &template,
            &subjects.subjects[0],
            tenken::model::Lang::Ja,
            day,
        )
        .unwrap();
        let bytes = q.to_xlsx().unwrap();
        (template, bytes)
    })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// Whatever bytes come back from a supplier, reading them is an answer
    /// or an error, never a panic: arbitrary bytes under either name, and
    /// the exported workbook with bytes changed or cut off.
    #[test]
    fn reading_a_returned_file_never_panics(
        bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512),
        edits in proptest::collection::vec((proptest::prelude::any::<usize>(), proptest::prelude::any::<u8>()), 1..6),
        cut in proptest::prelude::any::<usize>(),
    ) {
        let (template, book) = bundled_workbook();
        for name in ["a.csv", "a.xlsx"] {
            let _ = tenken::load::answers::answers_from_bytes(Path::new(name), &bytes, template);
        }
        let mut edited = book.clone();
        for (at, byte) in &edits {
            let i = at % edited.len();
            edited[i] = *byte;
        }
        let _ = tenken::load::answers::answers_from_bytes(Path::new("a.xlsx"), &edited, template);
        let cut = &book[..cut % book.len()];
        let _ = tenken::load::answers::answers_from_bytes(Path::new("a.xlsx"), cut, template);
        // A sound ZIP around damaged XML, which only calamine sees.
        for part in ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/workbook.xml"] {
            let mut xml = Vec::new();
            zip::ZipArchive::new(Cursor::new(book.as_slice()))
                .unwrap()
                .by_name(part)
                .unwrap()
                .read_to_end(&mut xml)
                .unwrap();
            for (at, byte) in &edits {
                let i = at % xml.len();
                xml[i] = b"<>/\"='&; 0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ:!$-"[usize::from(*byte) % 44];
            }
            let damaged = replace_part(book, part, &xml);
            let _ = tenken::load::answers::answers_from_bytes(Path::new("a.xlsx"), &damaged, template);
        }
    }
}

/// calamine does unchecked arithmetic on cell references: a reversed range
/// (what a one-byte change to `A1:F33` found, `G1:F33`) or a reference far
/// outside the grid panicked in a debug build and in a release build read
/// a cell as another one. Such a workbook is refused, naming the part and
/// the reference.
#[test]
fn a_workbook_with_impossible_cell_references_is_refused_by_name() {
    let (template, book) = bundled_workbook();
    let mut sheet = String::new();
    zip::ZipArchive::new(Cursor::new(book.as_slice()))
        .unwrap()
        .by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut sheet)
        .unwrap();
    // The first value written after `start` in the sheet.
    let value_after = |start: &str| -> String {
        let rest = sheet.split(start).nth(1).unwrap();
        rest.split('"').next().unwrap().to_owned()
    };
    let dimension = value_after("<dimension ref=\"");
    let first_cell = value_after("<c r=\"");
    let reversed = format!("G1:{}", dimension.split(':').nth(1).unwrap());
    for (from, to) in [
        (format!("ref=\"{dimension}\""), reversed.clone()),
        (
            format!("<c r=\"{first_cell}\""),
            "AAAAAAAAAAAAAAAA1".to_owned(),
        ),
        (format!("<c r=\"{first_cell}\""), "A4294967297".to_owned()),
    ] {
        let replacement = if from.starts_with("ref") {
            format!("ref=\"{to}\"")
        } else {
            format!("<c r=\"{to}\"")
        };
        assert!(sheet.contains(&from), "{from}");
        let damaged = replace_part(
            book,
            "xl/worksheets/sheet1.xml",
            sheet.replacen(&from, &replacement, 1).as_bytes(),
        );
        let err =
            tenken::load::answers::answers_from_bytes(Path::new("a.xlsx"), &damaged, template)
                .unwrap_err();
        assert_eq!(
            err.text(tenken::model::Lang::En),
            format!(
                "a.xlsx: the workbook is damaged: `xl/worksheets/sheet1.xml` has the cell reference `{to}`, outside an Excel sheet or a range with its corners reversed"
            )
        );
    }
}
