//! Issue 14: permissions hold for every write in restricted mode (risk
//! assessments need `edit_risks`, closing an action needs the right to run
//! its subject), and restricted mode never shows the values of the
//! environment that the forced command set.

use crate::support::TestEnv;

#[test]
fn restricted_help_and_errors_show_no_environment_values() {
    let env = TestEnv::new();
    let repo = env.init();
    let repo_text = repo.display().to_string();
    for ssh_command in [
        "help history",
        "--help",
        "history --help",
        "history --subject 'Not An Id'",
        "history --bogus",
        "sync",
    ] {
        let out = env
            .tenken()
            .env("TENKEN_REPO", &repo)
            .env("TENKEN_INSPECTOR", "sato-secret")
            .env("TENKEN_LANG", "ja")
            .env("TENKEN_RESTRICTED", "1")
            .env("SSH_ORIGINAL_COMMAND", ssh_command)
            .output()
            .unwrap();
        let shown = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if ssh_command.contains("help") {
            assert!(
                shown.contains("[env: TENKEN_REPO]"),
                "{ssh_command}: {shown}"
            );
        } else {
            assert!(shown.starts_with("error: "), "{ssh_command}: {shown}");
        }
        for value in [
            repo_text.as_str(),
            "sato-secret",
            "TENKEN_LANG=",
            "TENKEN_RESTRICTED=",
        ] {
            assert!(
                !shown.contains(value),
                "{ssh_command} shows {value}: {shown}"
            );
        }
    }
}
