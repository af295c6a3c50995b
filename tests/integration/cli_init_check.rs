//! `tenken init` and `tenken check` through the real binary.

use crate::support::TestEnv;

#[test]
fn init_creates_a_valid_repository_with_one_commit() {
    let env = TestEnv::new();
    let repo = env.init();
    env.tenken_in_repo()
        .arg("check")
        .assert()
        .success()
        .stdout("All files are valid.\n");
    let log = env.git(&repo, &["log", "--format=%an <%ae>|%s"]);
    assert_eq!(
        log,
        "Sato Hanako <sato@example.jp>|init: tenken repository for Example KK\n"
    );
    assert_eq!(env.git(&repo, &["status", "--porcelain"]), "");
}
