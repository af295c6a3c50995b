//! Evidence files (issue 19) through the real binary, checked with the real
//! `git`: attaching to a draft (committed with its run) and to a committed
//! run (a correction), one stored copy per content, the limits, hostile
//! names, links, devices, FIFOs and disguised types, restricted mode's
//! inbox, and `verify`/`check` on removed or altered files.

use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine as _;
use serde_json::Value;
use tenken::model::{Answer, Draft, Evidence, Id, Inspector};
use tenken::store::Store;

use crate::support::{NOW, TestEnv};

/// A 1×1 PNG: enough for `infer` and for a real decoder.
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde\0\0\0\x0cIDATx\x9cc\xf8\xcf\xc0\0\0\x03\x01\x01\0\xc9\xfe\x92\xef\0\0\0\0IEND\xaeB`\x82";

fn id(s: &str) -> Id {
    Id::new(s).unwrap()
}

fn json(cmd: &mut assert_cmd::Command) -> Value {
    let out = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&out)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out)))
}

/// A repository with one committed run of the five principles (items 1
/// and 2 answered); returns its id.
fn with_run(env: &TestEnv) -> String {
    env.init();
    let answers = env.home.path().join("answers.ron");
    std::fs::write(
        &answers,
        r#"{ "1": (choice: "yes", evidence: ["WSUS report"]), "2": (choice: "no", note: "none yet") }"#,
    )
    .unwrap();
    env.tenken_in_repo()
        .args(["record", "ipa-five-principles", "--subject", "self"])
        .arg("--answers")
        .arg(&answers)
        .arg("--allow-partial")
        .assert()
        .success();
    "self/ipa-five-principles/2026-11-25T090000-sato".to_owned()
}

fn file(env: &TestEnv, name: &str, bytes: &[u8]) -> PathBuf {
    let path = env.home.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn add(env: &TestEnv, target: &str, item: &str, files: &[&Path]) -> assert_cmd::assert::Assert {
    env.tenken_in_repo()
        .args(["--lang", "en", "evidence", "add", target, item])
        .args(files)
        .timeout(Duration::from_secs(20))
        .assert()
}

fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

fn evidence_files(repo: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo.join("evidence"))
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn adding_to_a_committed_run_commits_a_correction_with_the_file_and_never_touches_the_run() {
    let env = TestEnv::new();
    let run = with_run(&env);
    let repo = env.repo();
    let before = std::fs::read(repo.join(format!("runs/{run}.ron"))).unwrap();
    let photo = file(&env, "cabinet.png", PNG);
    let out = json(
        env.tenken_in_repo()
            .args(["evidence", "add", &run, "1", "--format", "json"])
            .arg(&photo),
    );
    let digest = tenken::evidence::sha256_hex(PNG);
    assert_eq!(out["files"][0]["sha256"], digest.as_str());
    assert_eq!(out["files"][0]["media_type"], "image/png");
    let corrected = out["run"].as_str().unwrap().to_owned();
    assert_eq!(corrected, format!("{run}-2"));
    // One commit: the new run and the file, with both trailers.
    let stat = env.git(&repo, &["show", "--name-only", "--format=%B", "HEAD"]);
    assert!(stat.contains(&format!("Tenken-Run: {corrected}")), "{stat}");
    assert!(
        stat.contains(&format!("Tenken-Supersedes: {run}")),
        "{stat}"
    );
    assert!(stat.contains(&format!("evidence/{digest}.png")), "{stat}");
    assert_eq!(env.git(&repo, &["status", "--porcelain"]), "");
    assert_eq!(
        std::fs::read(repo.join(format!("runs/{run}.ron"))).unwrap(),
        before
    );
    assert_eq!(
        std::fs::read(repo.join(format!("evidence/{digest}.png"))).unwrap(),
        PNG
    );
    // The answer keeps its reference and gains the file.
    let text = std::fs::read_to_string(repo.join(format!("runs/{corrected}.ron"))).unwrap();
    let new: tenken::model::Run = tenken::load::parse(Path::new("r.ron"), &text).unwrap();
    let ev = &new.answers[&id("1")].evidence;
    assert_eq!(ev[0], "WSUS report");
    let f = ev[1].file().unwrap();
    assert_eq!(
        (f.name.as_str(), f.size, f.sha256.as_str()),
        ("cabinet.png", PNG.len() as u64, digest.as_str())
    );
    // The history shows the correction as current, and all is verified.
    let history = json(env.tenken_in_repo().args(["history", "--format", "json"]));
    assert_eq!(history[0]["run"], corrected.as_str());
    env.tenken_in_repo().arg("verify").assert().success();
    env.tenken_in_repo().arg("check").assert().success();
    env.git(&repo, &["fsck", "--strict"]);
}

#[test]
fn a_file_attached_to_a_draft_is_committed_with_its_run_and_stored_once() {
    let env = TestEnv::new();
    env.init();
    let repo = env.repo();
    let store = Store::open(&repo).unwrap();
    let started = chrono::DateTime::parse_from_rfc3339(NOW).unwrap();
    let mut answers = std::collections::BTreeMap::new();
    answers.insert(id("1"), Answer::new(id("yes")));
    answers.insert(id("2"), Answer::new(id("yes")));
    let draft = Draft {
        format: 1,
        inspection: id("ipa-five-principles"),
        inspection_version: 2,
        inspection_hash: None,
        subject: id("self"),
        inspector: Inspector {
            id: id("sato"),
            name: "Sato Hanako".into(),
            email: "sato@example.jp".into(),
        },
        started,
        answers,
        cursor: 0,
        supersedes: None,
        closes: Vec::new(),
    };
    store.save_draft(&draft).unwrap();
    let a = file(&env, "a.png", PNG);
    let same = file(&env, "same-content.png", PNG);
    let pdf = file(
        &env,
        "policy.pdf",
        b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n",
    );
    add(&env, "self/ipa-five-principles", "1", &[&a, &pdf]).success();
    // The same content under another name, to another item: stored once.
    let again = add(&env, "self/ipa-five-principles", "2", &[&same]).success();
    assert!(
        String::from_utf8_lossy(&again.get_output().stdout).contains("Kept with the draft"),
        "{again:?}"
    );
    // Attaching it to the same answer twice lists it once.
    let twice = add(&env, "self/ipa-five-principles", "1", &[&a]).success();
    assert!(
        String::from_utf8_lossy(&twice.get_output().stdout).starts_with("Already attached"),
        "{twice:?}"
    );
    // Nothing is in the work tree or git yet: the files wait in .tenken.
    assert_eq!(evidence_files(&repo), Vec::<String>::new());
    assert_eq!(env.git(&repo, &["status", "--porcelain"]), "");
    let draft = store
        .load_draft(&id("sato"), &id("self"), &id("ipa-five-principles"))
        .unwrap()
        .unwrap();
    assert_eq!(draft.answers[&id("1")].evidence.len(), 2);
    let catalog = store.catalog().unwrap();
    let done = store
        // The tests' fixed clock, the one the commands below run with: a
        // run finished after their "today" would be refused (dates).
        .commit_run(draft, &catalog, tenken::clock::Clock::Fixed(started))
        .unwrap();
    let shown = env.git(&repo, &["show", "--name-only", "--format=", &done.commit]);
    let digest = tenken::evidence::sha256_hex(PNG);
    assert_eq!(
        shown.lines().filter(|l| l.starts_with("evidence/")).count(),
        2,
        "{shown}"
    );
    assert!(shown.contains(&format!("evidence/{digest}.png")), "{shown}");
    assert_eq!(evidence_files(&repo).len(), 2);
    assert_eq!(env.git(&repo, &["status", "--porcelain"]), "");
    assert!(
        std::fs::read_dir(repo.join(".tenken/evidence"))
            .unwrap()
            .next()
            .is_none()
    );
    // A second run naming a file HEAD already has adds no file.
    let run = done.run.id.clone();
    let corrected = json(
        env.tenken_in_repo()
            .args(["evidence", "add", &run, "2", "--format", "json"])
            .arg(&pdf),
    );
    let commit = corrected["commit"].as_str().unwrap();
    let shown = env.git(&repo, &["show", "--name-only", "--format=", commit]);
    assert_eq!(shown.lines().count(), 1, "{shown}");
    env.tenken_in_repo().arg("verify").assert().success();
}

#[test]
fn disguised_or_unknown_types_and_hostile_names_are_refused_with_a_clear_message() {
    let env = TestEnv::new();
    let run = with_run(&env);
    let html = file(
        &env,
        "photo.jpg",
        b"<html><body><script>alert(document.cookie)</script></body></html>",
    );
    let err = add(&env, &run, "1", &[&html]).failure();
    let msg = stderr(&err);
    let shown = html.display();
    assert_eq!(
        msg,
        format!(
            "error: {shown} is not a kind of file tenken keeps as evidence (its content is HTML/XML markup); images, PDF, text and office documents are\n"
        )
    );
    // In Japanese, the same refusal in Japanese only.
    let out = env
        .tenken_in_repo()
        .args(["--lang", "ja", "evidence", "add", &run, "1"])
        .arg(&html)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "エラー: {shown} は証拠として受け付けない形式です（HTML/XML のマークアップ）。受け付けるのは画像、PDF、テキスト、オフィス文書です\n"
        )
    );
    let text = file(&env, "scan.pdf", b"only words");
    let msg = stderr(&add(&env, &run, "1", &[&text]).failure());
    assert!(
        msg.contains("scan.pdf is named as a PDF but its content is text"),
        "{msg}"
    );
    let elf = file(&env, "tool", b"\x7FELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0");
    let msg = stderr(&add(&env, &run, "1", &[&elf]).failure());
    assert!(msg.contains("tool is not a kind of file"), "{msg}");
    // A name with folders and control characters is kept as its last
    // part, cleaned; the file lands under its digest whatever the name.
    let dir = env.home.path().join("x\u{1b}[31m");
    std::fs::create_dir_all(&dir).unwrap();
    let odd = dir.join("..\u{202e}gnp.png");
    std::fs::write(&odd, PNG).unwrap();
    add(&env, &run, "1", &[&odd]).success();
    let repo = env.repo();
    let text = std::fs::read_to_string(repo.join(format!("runs/{run}-2.ron"))).unwrap();
    assert!(text.contains("name: \"..gnp.png\""), "{text}");
    assert_eq!(
        evidence_files(&repo),
        [format!("{}.png", tenken::evidence::sha256_hex(PNG))]
    );
    // Nothing refused was stored.
    assert_eq!(
        env.git(&repo, &["status", "--porcelain", "--ignored"]),
        "!! .tenken/\n"
    );
}

#[cfg(unix)]
#[test]
fn links_devices_fifos_and_huge_files_are_refused_at_once() {
    let env = TestEnv::new();
    let run = with_run(&env);
    let secret = file(&env, "secret.txt", b"the admin password");
    let link = env.home.path().join("photo.txt");
    std::os::unix::fs::symlink(&secret, &link).unwrap();
    let msg = stderr(&add(&env, &run, "1", &[&link]).failure());
    assert!(msg.contains("a symbolic link cannot be attached"), "{msg}");
    let msg = stderr(&add(&env, &run, "1", &[Path::new("/dev/zero")]).failure());
    assert!(msg.contains("not a regular file"), "{msg}");
    let fifo = env.home.path().join("pipe.png");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let msg = stderr(&add(&env, &run, "1", &[&fifo]).failure());
    assert!(msg.contains("not a regular file"), "{msg}");
    // A sparse 21 MiB file: refused by its size, never read.
    let huge = env.home.path().join("huge.png");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(21 * 1024 * 1024)
        .unwrap();
    let msg = stderr(&add(&env, &run, "1", &[&huge]).failure());
    assert!(
        msg.contains("huge.png is 21 MiB, over the limit of 20 MiB per file"),
        "{msg}"
    );
    assert_eq!(evidence_files(&env.repo()), Vec::<String>::new());
}

#[test]
fn the_limits_per_file_and_per_run_come_from_tenken_ron() {
    let env = TestEnv::new();
    let run = with_run(&env);
    let repo = env.repo();
    let config = std::fs::read_to_string(repo.join("tenken.ron")).unwrap();
    let config = config.replacen(
        "Config(\n",
        "Config(\n    evidence: (max_file_mib: 1, max_run_mib: 1),\n",
        1,
    );
    std::fs::write(repo.join("tenken.ron"), config).unwrap();
    env.git(&repo, &["commit", "-qam", "small evidence limits"]);
    // Two different texts of 600 KiB: each fits, both together do not.
    let a = file(&env, "a.txt", &vec![b'a'; 600 * 1024]);
    let b = file(&env, "b.txt", &vec![b'b'; 600 * 1024]);
    let msg = stderr(&add(&env, &run, "1", &[&a, &b]).failure());
    assert!(
        msg.contains("with b.txt the run's evidence files would total 1.2 MiB, over the limit of 1 MiB per run"),
        "{msg}"
    );
    let big = file(&env, "big.txt", &vec![b'c'; 1024 * 1024 + 1]);
    let msg = stderr(&add(&env, &run, "1", &[&big]).failure());
    assert!(msg.contains("over the limit of 1 MiB per file"), "{msg}");
    add(&env, &run, "1", &[&a]).success();
}

#[test]
fn restricted_mode_attaches_only_from_the_inbox_without_links() {
    let env = TestEnv::new();
    let run = with_run(&env);
    let repo = env.repo();
    std::fs::create_dir_all(repo.join("inbox")).unwrap();
    std::fs::write(repo.join("inbox/cabinet.png"), PNG).unwrap();
    let outside = file(&env, "outside.png", PNG);
    let restricted = |path: &str| {
        env.tenken()
            .args(["--restricted", "--repo"])
            .arg(&repo)
            .args([
                "--inspector",
                "sato",
                "--lang",
                "en",
                "evidence",
                "add",
                &run,
                "1",
                path,
            ])
            .timeout(Duration::from_secs(20))
            .assert()
    };
    for bad in [
        outside.to_str().unwrap(),
        "tenken.ron",
        "inbox/../tenken.ron",
        "inbox/../../outside.png",
        "/etc/passwd",
    ] {
        let msg = stderr(&restricted(bad).failure());
        assert!(
            msg.contains("only files in the repository's inbox/ folder can be attached"),
            "{bad}: {msg}"
        );
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&outside, repo.join("inbox/out.png")).unwrap();
        std::os::unix::fs::symlink(repo.join("tenken.ron"), repo.join("inbox/cfg.txt")).unwrap();
        for bad in ["inbox/out.png", "inbox/cfg.txt"] {
            let msg = stderr(&restricted(bad).failure());
            assert!(
                msg.contains("a symbolic link cannot be attached"),
                "{bad}: {msg}"
            );
        }
    }
    restricted("inbox/cabinet.png").success();
    assert_eq!(evidence_files(&repo).len(), 1);
}

#[test]
fn a_withdrawal_keeps_evidence_and_verify_and_check_report_a_removed_or_altered_file() {
    let env = TestEnv::new();
    let run = with_run(&env);
    let repo = env.repo();
    let photo = file(&env, "cabinet.png", PNG);
    add(&env, &run, "1", &[&photo]).success();
    let stored = format!("evidence/{}.png", tenken::evidence::sha256_hex(PNG));
    // A withdrawal keeps the withdrawn run's evidence: in the tree, verified.
    env.tenken_in_repo()
        .args(["withdraw", &format!("{run}-2"), "--reason", "wrong cabinet"])
        .assert()
        .success();
    let tree = env.git(&repo, &["ls-tree", "-r", "--name-only", "HEAD"]);
    assert!(tree.contains(&stored), "{tree}");
    env.tenken_in_repo().arg("verify").assert().success();
    // Missing from the work tree: check says so at the run's digest.
    std::fs::remove_file(repo.join(&stored)).unwrap();
    let out = env.tenken_in_repo().arg("check").assert().code(3);
    let msg = String::from_utf8_lossy(&out.get_output().stdout).into_owned() + &stderr(&out);
    assert!(
        msg.contains(&format!("runs/{run}-2.ron:"))
            && msg.contains("evidence `cabinet.png` is missing"),
        "{msg}"
    );
    env.git(&repo, &["checkout", "--", &stored]);
    // Deleted by a commit: verify names the commit and the run.
    env.git(&repo, &["rm", "-q", &stored]);
    env.git(&repo, &["commit", "-qm", "tidy up"]);
    let out = env
        .tenken_in_repo()
        .args(["verify", "--format", "json"])
        .assert()
        .code(3);
    let report: Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let kinds: Vec<&str> = report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["evidence-changed", "evidence-missing"]);
    // Put back, then altered in a later commit: changed, and the run no
    // longer matches it.
    env.git(&repo, &["reset", "-q", "--hard", "HEAD~1"]);
    std::fs::write(repo.join(&stored), b"\x89PNG\r\n\x1a\nnot the same").unwrap();
    env.git(&repo, &["commit", "-qam", "better photo"]);
    let out = env.tenken_in_repo().arg("verify").assert().code(3);
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        text.contains(&format!(
            "{stored}: evidence-changed: コミット済みの証跡ファイルが変更されました（コミット "
        )),
        "{text}"
    );
    // Files added by hand under names that are not their digests: each
    // reported, in the order of their names, the same in every run.
    env.git(&repo, &["reset", "-q", "--hard", "HEAD~1"]);
    let fakes: Vec<String> = ["7", "0", "e", "3", "a", "5"]
        .iter()
        .map(|d| format!("evidence/{}.png", d.repeat(64)))
        .collect();
    for fake in &fakes {
        std::fs::write(repo.join(fake), PNG).unwrap();
        env.git(&repo, &["add", fake]);
    }
    env.git(&repo, &["commit", "-qm", "extra photos"]);
    let mut sorted = fakes.clone();
    sorted.sort();
    let mut first = None;
    for _ in 0..4 {
        let out = env.tenken_in_repo().arg("verify").assert().code(3);
        let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
        let misnamed: Vec<&str> = text
            .lines()
            .filter(|l| {
                l.contains(
                    ": evidence-misnamed: ファイルの内容の SHA-256 が名前の示すものと違います（コミット ",
                )
            })
            .map(|l| l.split(": ").next().unwrap().trim())
            .collect();
        assert_eq!(misnamed, sorted, "{text}");
        assert!(first.is_none_or(|f: String| f == text), "{text}");
        first = Some(text);
    }
}

#[test]
fn a_run_file_naming_a_path_instead_of_a_digest_is_invalid() {
    let env = TestEnv::new();
    let run = with_run(&env);
    let repo = env.repo();
    let path = repo.join(format!("runs/{run}.ron"));
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replace(
        "\"WSUS report\",",
        "\"WSUS report\", File(name: \"../../etc/passwd\", media_type: \"text/html\", size: 1, sha256: \"../../x\"),",
    );
    std::fs::write(&path, text).unwrap();
    let out = env.tenken_in_repo().arg("check").assert().code(3);
    let msg = String::from_utf8_lossy(&out.get_output().stdout).into_owned() + &stderr(&out);
    // The repository is Japanese (`tenken init`'s default).
    for expected in [
        "項目 `1` の証跡 `../../etc/passwd` に正しい `sha256`（小文字の16進数 64 桁）がありません",
        "項目 `1` の証跡 `../../etc/passwd` の `media_type` `text/html` は tenken が保存しない種類です",
        "項目 `1` の証跡 `../../etc/passwd` の名前にフォルダや見えない文字が含まれているか、名前が空です",
    ] {
        assert!(msg.contains(expected), "{expected}: {msg}");
    }
    // Old runs with text references load as they always did.
    let ev: Vec<Evidence> = vec!["WSUS report".into()];
    assert_eq!(ev[0], "WSUS report");
}

/// A photo-sized PNG with some structure, written by the `image` crate.
#[allow(clippy::cast_possible_truncation)] // a pattern, taken modulo 256
fn big_png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([
            (x / 7 % 256) as u8,
            (y / 5 % 256) as u8,
            ((x + y) / 11 % 256) as u8,
        ])
    });
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

#[test]
fn reports_show_thumbnails_links_digests_and_back_matter_and_a_bundle_carries_the_files() {
    let env = TestEnv::new();
    let run = with_run(&env);
    let repo = env.repo();
    let photo_bytes = big_png(1600, 1200);
    let photo = file(&env, "cabinet.png", &photo_bytes);
    let pdf = file(&env, "nda.pdf", b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n");
    add(&env, &run, "1", &[&photo, &pdf]).success();
    let photo_sha = tenken::evidence::sha256_hex(&photo_bytes);
    let pdf_sha = tenken::evidence::sha256_hex(b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n");
    let report = |format: &str| {
        let out = env
            .tenken_in_repo()
            .args(["--lang", "en", "report", "--format", format])
            .assert()
            .success();
        String::from_utf8(out.get_output().stdout.clone()).unwrap()
    };

    // HTML: one self-contained page; the photo as an embedded JPEG
    // thumbnail no larger than 320 px, the PDF as name, size and digest.
    let html = report("html");
    crate::report::check_html(&html);
    let imgs: Vec<&str> = html.split("<img ").skip(1).collect();
    assert_eq!(imgs.len(), 1, "one thumbnail");
    let tag = &imgs[0][..imgs[0].find('>').unwrap()];
    let attr = |name: &str| {
        let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        &tag[start..start + tag[start..].find('"').unwrap()]
    };
    assert_eq!(attr("alt"), "cabinet.png");
    let data = attr("src").strip_prefix("data:image/jpeg;base64,").unwrap();
    let jpeg = base64::engine::general_purpose::STANDARD
        .decode(data)
        .unwrap();
    let thumb = image::load_from_memory(&jpeg).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (320, 240));
    assert_eq!(attr("width"), "320");
    assert!(jpeg.len() < photo_bytes.len() / 4);
    assert!(html.contains(&pdf_sha) && html.contains("nda.pdf"));
    assert!(html.contains(&photo_sha));

    // Markdown links to the stored files; CSV and JSON carry the digests.
    let md = report("md");
    assert!(
        md.contains(&format!("[cabinet.png](evidence/{photo_sha}.png)")),
        "{md}"
    );
    assert!(md.contains(&format!("[nda.pdf](evidence/{pdf_sha}.pdf)")));
    let csv = report("csv");
    assert!(csv.contains(&format!("cabinet.png (sha256:{photo_sha})")));
    let json: Value = serde_json::from_str(&report("json")).unwrap();
    assert!(
        json.to_string()
            .contains(&format!("\"sha256\":\"{pdf_sha}\""))
    );

    // OSCAL: valid against NIST's schema, the files as back-matter
    // resources with their SHA-256, linked from the observation.
    let oscal = crate::report::validate_oscal(&report("oscal"));
    let resources = oscal["assessment-results"]["back-matter"]["resources"]
        .as_array()
        .unwrap();
    let photo_res = resources
        .iter()
        .find(|r| r["title"] == "cabinet.png")
        .unwrap();
    let rlink = &photo_res["rlinks"][0];
    assert_eq!(rlink["href"], format!("evidence/{photo_sha}.png"));
    assert_eq!(rlink["media-type"], "image/png");
    assert_eq!(rlink["hashes"][0]["algorithm"], "SHA-256");
    assert_eq!(rlink["hashes"][0]["value"], photo_sha.as_str());
    let uuid = photo_res["uuid"].as_str().unwrap();
    assert!(oscal.to_string().contains(&format!("\"href\":\"#{uuid}\"")));

    // A bundle: the report and the files beside it, byte for byte.
    let bundle = env.home.path().join("for-the-auditor");
    env.tenken_in_repo()
        .args(["report", "--format", "md", "--bundle"])
        .arg(&bundle)
        .assert()
        .success();
    assert!(bundle.join("report.md").is_file());
    assert_eq!(
        std::fs::read(bundle.join(format!("evidence/{photo_sha}.png"))).unwrap(),
        photo_bytes
    );
    assert!(bundle.join(format!("evidence/{pdf_sha}.pdf")).is_file());
    // Restricted: only under reports/, like -o.
    let out = env
        .tenken()
        .args(["--restricted", "--repo"])
        .arg(&repo)
        .args([
            "--inspector",
            "sato",
            "report",
            "--format",
            "html",
            "--bundle",
        ])
        .arg(&bundle)
        .assert()
        .failure();
    assert!(stderr(&out).contains("reports/"), "{}", stderr(&out));
    env.tenken()
        .args(["--restricted", "--repo"])
        .arg(&repo)
        .args([
            "--inspector",
            "sato",
            "report",
            "--format",
            "html",
            "--bundle",
            "reports/q4",
        ])
        .assert()
        .success();
    assert!(
        repo.join(format!("reports/q4/evidence/{photo_sha}.png"))
            .is_file()
    );
    assert!(repo.join("reports/q4/report.html").is_file());
}
