//! Smaller points of issue 17 that a new user meets first: `run --help`
//! and `record --help` name the inspections, and a date that is not one
//! says which form is expected.

use crate::support::TestEnv;

#[test]
fn help_lists_the_inspections_and_bad_dates_name_the_format() {
    let env = TestEnv::new();
    for sub in ["run", "record"] {
        let out = env.tenken().args([sub, "--help"]).output().unwrap();
        assert!(out.status.success());
        let help = String::from_utf8(out.stdout).unwrap();
        for file in tenken::bundle::INSPECTIONS {
            let id = file.name.trim_end_matches(".ron");
            assert!(
                help.contains(id),
                "`{sub} --help` does not name {id}:\n{help}"
            );
        }
    }
    env.init();
    for (date, want) in [
        (
            "2026-13-01",
            "`2026-13-01` is not a date of the calendar; write YYYY-MM-DD",
        ),
        ("2026/1/2", "`2026/1/2` is not a date; write YYYY-MM-DD"),
    ] {
        let out = env
            .tenken_in_repo()
            .args(["history", "--since", date])
            .output()
            .unwrap();
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(want), "{err}");
    }
}
