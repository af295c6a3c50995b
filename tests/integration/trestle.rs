//! OSCAL read by a real OSCAL library: compliance-trestle (PyPI), the
//! library auditors' tooling builds on, loads `tenken report --format
//! oscal` as an assessment-results model, and what it read agrees with the
//! file (results, observations, findings, back-matter resources with their
//! SHA-256 hashes). The schema test in `report.rs` checks the JSON shape;
//! this one checks that a consumer's object model accepts it.
//!
//! The Python with trestle is `TENKEN_TRESTLE_PYTHON`, else `python3`.
//! `.ci/run` installs compliance-trestle into a virtual environment and
//! sets the variable. Without it the test says so and passes, except under
//! `CI`, where it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::TestEnv;

/// Loads an OSCAL file with trestle and prints what it read as JSON.
const LOAD: &str = r#"
import json, sys
from pathlib import Path
from trestle.oscal.assessment_results import AssessmentResults
ar = AssessmentResults.oscal_read(Path(sys.argv[1]))
bm = ar.back_matter.resources if ar.back_matter and ar.back_matter.resources else []
print(json.dumps({
    "title": ar.metadata.title,
    "results": len(ar.results),
    "observations": sum(len(r.observations or []) for r in ar.results),
    "findings": sum(len(r.findings or []) for r in ar.results),
    "hashes": sorted(h.value for res in bm for l in (res.rlinks or []) for h in (l.hashes or [])),
}))
"#;

/// The Python that can import trestle, or `None` (only outside `CI`).
fn trestle_python() -> Option<PathBuf> {
    let python = std::env::var_os("TENKEN_TRESTLE_PYTHON")
        .map_or_else(|| PathBuf::from("python3"), PathBuf::from);
    let found = Command::new(&python)
        .args(["-c", "import trestle.oscal.assessment_results"])
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some(python);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "compliance-trestle cannot be imported by {} but CI is set: .ci/run installs it and sets TENKEN_TRESTLE_PYTHON",
        python.display()
    );
    eprintln!(
        "note: compliance-trestle is not installed (set TENKEN_TRESTLE_PYTHON); the trestle test was not run"
    );
    None
}

/// What trestle read from `file`.
fn load(python: &Path, file: &Path) -> Value {
    let out = Command::new(python)
        .args(["-c", LOAD])
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "trestle refused {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The same figures counted in the file itself.
fn counted(doc: &Value) -> Value {
    let ar = &doc["assessment-results"];
    let results = ar["results"].as_array().unwrap();
    let len = |r: &Value, key: &str| r[key].as_array().map_or(0, Vec::len);
    let mut hashes: Vec<String> = ar["back-matter"]["resources"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|res| res["rlinks"].as_array().cloned().unwrap_or_default())
        .flat_map(|l| l["hashes"].as_array().cloned().unwrap_or_default())
        .map(|h| h["value"].as_str().unwrap().to_owned())
        .collect();
    hashes.sort();
    serde_json::json!({
        "title": ar["metadata"]["title"],
        "results": results.len(),
        "observations": results.iter().map(|r| len(r, "observations")).sum::<usize>(),
        "findings": results.iter().map(|r| len(r, "findings")).sum::<usize>(),
        "hashes": hashes,
    })
}

#[test]
fn compliance_trestle_loads_every_kind_of_oscal_report() {
    let Some(python) = trestle_python() else {
        return;
    };
    let env = TestEnv::new();
    env.tenken()
        .args(["demo", "--no-tui", "--dir"])
        .arg(env.repo())
        .assert()
        .success();

    // A committed run gets a photo as evidence (a correction), so one
    // report carries back-matter resources with hashes.
    let history = env
        .tenken_in_repo()
        .args([
            "history",
            "--subject",
            "self",
            "--inspection",
            "ipa-five-principles",
        ])
        .args(["--format", "json"])
        .output()
        .unwrap();
    let runs: Value = serde_json::from_slice(&history.stdout).unwrap();
    let latest = runs.as_array().unwrap().last().unwrap()["run"]
        .as_str()
        .unwrap()
        .to_owned();
    let photo = env.home.path().join("cabinet.png");
    let mut png = Vec::new();
    image::RgbImage::from_pixel(40, 30, image::Rgb([200, 30, 30]))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    std::fs::write(&photo, &png).unwrap();
    env.tenken_in_repo()
        .args(["evidence", "add", &latest, "1"])
        .arg(&photo)
        .assert()
        .success();

    let selections: [&[&str]; 5] = [
        &["--lang", "en"],
        &["--lang", "ja"],
        &[
            "--lang",
            "en",
            "--subject",
            "self",
            "--inspection",
            "ipa-five-principles",
        ],
        &["--lang", "ja", "--inspection", "supplier-check"],
        &[
            "--lang",
            "en",
            "--inspection",
            "ipa-self-check",
            "--compare-with",
            "FY2025Q1",
        ],
    ];
    let mut with_evidence = 0;
    for (i, args) in selections.iter().enumerate() {
        let file = env.home.path().join(format!("report-{i}.json"));
        let (lang, rest) = args.split_at(2);
        env.tenken_in_repo()
            .args(lang)
            .args(["report", "--format", "oscal", "-o"])
            .arg(&file)
            .args(rest)
            .assert()
            .success();
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let read = load(&python, &file);
        assert_eq!(read, counted(&doc), "{args:?}");
        assert!(
            read["observations"].as_u64().unwrap() > 0,
            "{args:?}: {read}"
        );
        if read["hashes"].as_array().is_some_and(|h| !h.is_empty()) {
            with_evidence += 1;
            assert!(
                read["hashes"]
                    .to_string()
                    .contains(&tenken::evidence::sha256_hex(&png)),
                "{read}"
            );
        }
    }
    assert!(with_evidence > 0, "no report carried the evidence file");
}
