//! The supplier review's HTML laid out by a real browser (issue 17):
//! headless Chromium opens the demo's review in both languages at a
//! 1280 px screen and at the printable width of A4 portrait with the print
//! rules applied, and a script added to the test's copy of the page
//! measures what a reader sees: no table wider than the page, no date
//! broken over two lines, subject names on at most three lines.
//!
//! CI installs Chromium (`.ci/run`); without it the test fails under `CI`
//! and says it was not run otherwise.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::TestEnv;

/// The printable width of A4 portrait with the report's 14 mm margins,
/// in CSS pixels (96 per inch): (210 − 2 × 14) mm.
const A4_PRINTABLE_PX: u32 = 688;

/// What the page measures of itself once laid out, appended to the body
/// as JSON in `<pre id="measured">`. Line counts are the distinct tops of
/// the line boxes of an element's text.
const MEASURE: &str = r"<script>
addEventListener('load', () => {
  const lines = (e) => {
    const r = document.createRange();
    r.selectNodeContents(e);
    return new Set([...r.getClientRects()].map((x) => Math.round(x.top))).size;
  };
  const page = document.querySelector('main').getBoundingClientRect().right;
  const out = { page: page, tables: [], broken_dates: [], name_lines: [] };
  for (const t of document.querySelectorAll('table')) {
    out.tables.push(t.getBoundingClientRect().right);
  }
  for (const e of document.querySelectorAll('.date')) {
    if (lines(e) > 1) out.broken_dates.push(e.textContent);
  }
  for (const e of document.querySelectorAll('.summary td:first-child > :first-child')) {
    out.name_lines.push(lines(e));
  }
  const pre = document.createElement('pre');
  pre.id = 'measured';
  pre.textContent = JSON.stringify(out);
  document.body.append(pre);
});
</script>";

/// Headless Chromium with its own profile in the test's home; `None` when
/// it is not installed and `CI` is not set.
struct Chromium {
    program: &'static str,
    profile: PathBuf,
}

impl Chromium {
    fn find(env: &TestEnv) -> Option<Self> {
        let program = ["chromium", "chromium-browser", "google-chrome"]
            .into_iter()
            .find(|p| {
                Command::new(p)
                    .arg("--version")
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success())
            });
        let Some(program) = program else {
            assert!(
                std::env::var_os("CI").is_none(),
                "Chromium is not installed, but CI is set: .ci/run installs chromium"
            );
            eprintln!("note: Chromium is not installed; the report layout test was not run");
            return None;
        };
        Some(Self {
            program,
            profile: env.home.path().join("chromium-profile"),
        })
    }

    /// Opens `page` in a window `width` pixels wide and returns what the
    /// page measured of itself.
    fn measure(&self, page: &Path, width: u32) -> serde_json::Value {
        let out_path = page.with_extension("dom");
        let out = std::fs::File::create(&out_path).unwrap();
        let mut child = Command::new(self.program)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--no-first-run",
                "--run-all-compositor-stages-before-draw",
                "--virtual-time-budget=5000",
            ])
            .arg(format!("--user-data-dir={}", self.profile.display()))
            .arg(format!("--window-size={width},900"))
            .arg("--dump-dom")
            .arg(format!("file://{}", page.display()))
            .stdout(out)
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(120);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                child.kill().unwrap();
                panic!("chromium did not finish {} in 120 s", page.display());
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        assert!(status.success(), "chromium failed on {}", page.display());
        let dom = std::fs::read_to_string(&out_path).unwrap();
        let start = dom
            .find("<pre id=\"measured\">")
            .unwrap_or_else(|| panic!("the page measured nothing: {}", page.display()))
            + "<pre id=\"measured\">".len();
        let end = start + dom[start..].find("</pre>").unwrap();
        // --dump-dom escapes text: only `&`, `<` and `>` can appear here.
        let json = dom[start..end]
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&");
        serde_json::from_str(&json).unwrap()
    }
}

/// Checks one measurement: `what` names the page and width in messages.
fn check(m: &serde_json::Value, what: &str) {
    let page = m["page"].as_f64().unwrap();
    let tables = m["tables"].as_array().unwrap();
    assert!(!tables.is_empty(), "{what}: no tables");
    for (i, right) in tables.iter().enumerate() {
        let right = right.as_f64().unwrap();
        assert!(
            right <= page + 0.5,
            "{what}: table {i} ends at {right} px, past the page's {page} px"
        );
    }
    assert_eq!(
        m["broken_dates"].as_array().unwrap().len(),
        0,
        "{what}: dates broken over two lines: {}",
        m["broken_dates"]
    );
    let names = m["name_lines"].as_array().unwrap();
    assert_eq!(names.len(), 5, "{what}: one name per supplier: {m}");
    for n in names {
        assert!(
            n.as_u64().unwrap() <= 3,
            "{what}: a subject name on more than three lines: {}",
            m["name_lines"]
        );
    }
}

#[test]
fn the_supplier_review_fits_a_screen_and_a4_portrait() {
    let env = TestEnv::new();
    let Some(chromium) = Chromium::find(&env) else {
        return;
    };
    env.tenken()
        .args(["demo", "--no-tui", "--dir"])
        .arg(env.repo())
        .assert()
        .success();
    for lang in ["ja", "en"] {
        let out = env
            .tenken_in_repo()
            .args(["--lang", lang, "report", "--format", "html"])
            .args(["--inspection", "supplier-check"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let html = String::from_utf8(out.stdout).unwrap();
        assert!(html.contains("@media print {"), "the print rules moved");
        let with_script = html.replace("</body>", &format!("{MEASURE}\n</body>"));
        let screen = env.home.path().join(format!("review-{lang}.html"));
        std::fs::write(&screen, &with_script).unwrap();
        // Print: the @media print rules applied on screen at the printable
        // width (headless Chromium lays out `--dump-dom` for the screen).
        let print = env.home.path().join(format!("review-{lang}-print.html"));
        std::fs::write(
            &print,
            with_script.replace("@media print {", "@media all {"),
        )
        .unwrap();

        check(
            &chromium.measure(&screen, 1280),
            &format!("{lang} at 1280 px"),
        );
        check(
            &chromium.measure(&print, A4_PRINTABLE_PX),
            &format!("{lang} printed on A4 portrait"),
        );
    }
}
