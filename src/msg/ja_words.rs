//! A check over the Japanese of the errors in `ssh`, `remote`, `files`,
//! `attach`, `signing`, `commit`, `export` and `usage`: with ASCII-only
//! arguments, no English word of three letters or more is left outside
//! backticks, options and the names of programs and standards. A message
//! that fell back to English, or kept an English word, fails here even if
//! no integration test reaches it. `msg::load`'s tests use the same check.

use super::{Label, Message};
use crate::model::{IdError, Lang};

/// Names a Japanese reader reads as they are. (Arguments standing for data
/// are short or Japanese, so that a word found is the catalogue's own.)
const TERMS: &[&str] = &[
    "tenken", "git", "SSH", "ssh", "agent", "HEAD", "URL", "CP", "Shift", "JIS", "UTF", "Excel",
    "OpenSSH", "RSA", "ECDSA", "RFC", "OS", "ID", "ron", "RON", "SHA", "scp",
];

/// The English words of `ja` outside backticks, file names (`x.ron`,
/// `inspections/`) and options.
pub(crate) fn english(ja: &str) -> Vec<String> {
    let outside = ja
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 0)
        .map(|(_, part)| part)
        .collect::<Vec<_>>()
        .join(" ");
    outside
        .split(|c: char| !(c.is_ascii_alphanumeric() || "-_./".contains(c)))
        .filter(|t| {
            let ron = std::path::Path::new(t)
                .extension()
                .is_some_and(|e| e == "ron");
            !t.starts_with("--") && !ron && !t.ends_with('/')
        })
        .flat_map(|t| t.split(|c: char| !c.is_ascii_alphabetic()))
        .filter(|w| w.len() >= 3 && !TERMS.contains(w))
        .map(str::to_owned)
        .collect()
}

/// Fails on a message without Japanese, with English words in its
/// Japanese, or the same in both languages.
pub(crate) fn check(messages: &[Message]) {
    for m in messages {
        assert_eq!(m.lang_shown(Lang::Ja), Lang::Ja, "{m}");
        let ja = m.get(Lang::Ja);
        assert!(english(ja).is_empty(), "{:?} in {ja}", english(ja));
        assert_ne!(ja, m.get(Lang::En));
    }
}

fn labels(labels: &[Label]) -> Vec<Message> {
    labels.iter().map(|l| Message::from(*l)).collect()
}

#[test]
fn the_check_finds_english() {
    assert_eq!(english("`x` は no such file です"), ["such", "file"]);
    assert!(english("`--lang ja` と --format と `tenken history` の ID").is_empty());
    assert!(english("profiles/x.ron と inspections/ の ID").is_empty());
}

#[test]
fn restricted_and_ssh_refusals_are_japanese() {
    use super::ssh::*;
    check(&[
        shell_special("|"),
        unterminated('\''),
        fixed_flag("--repo"),
        no_output_file("report"),
        not_allowed("sh", &["history", "compare"]),
        single_purpose("history", "trend"),
        needs_identity(Missing::Both),
        writes_outside("init"),
        not_an_action("x"),
    ]);
}

#[test]
fn sync_refusals_are_japanese() {
    use super::remote::*;
    let why = Message::new("理由", "why");
    let paths = Message::new("`a.ron`", "`a.ron`");
    let mut all = vec![
        remote_locked("/r", "/r/x", 5),
        no_url("o", "/r"),
        no_remote("o", "/r"),
        add_remote_hint("o", "/r"),
        choose_remote_hint("`b`"),
        detached("/r"),
        switch_hint("/r"),
        not_a_branch("x"),
        in_progress("Merge", "/r"),
        conflict(&paths, "o", "/r"),
        merge_hint("/r", "o", "b"),
        would_overwrite(&paths, "o", "/r"),
        hazards(
            "o",
            "/r",
            &[brings(Some("ab12"), "x", &why), brings(None, "y", &why)],
            2,
        ),
        tracked(&why),
        under_state_dir(".tenken"),
        bad_link("x", LinkTo::Outside),
        bad_link("x", LinkTo::Git),
        bad_link("x", LinkTo::State(".tenken")),
        bad_link("x", LinkTo::Through("y")),
        push_rejected("o", "x"),
        transfer_failed(Transfer::Fetch, "o", "/u", &why),
        transfer_failed(Transfer::Push, "o", "/u", &why),
        no_key_file("/k"),
        auth_failed("g", Offered::Nothing),
        auth_failed("g", Offered::Agent),
        auth_failed("g", Offered::Key("/k")),
        no_credentials("/u"),
        no_host_key("h"),
        no_home("h"),
        known_hosts_unreadable("h", "/k", "x"),
        unknown_host("h", &UNKNOWN_FINGERPRINT.into(), "/k", "ssh h"),
        host_key_mismatch("h", &UNKNOWN_FINGERPRINT.into(), "/k"),
        host_key_revoked("h", &UNKNOWN_FINGERPRINT.into(), "/k"),
    ];
    all.extend(labels(&[
        REMOTE_LOCKED_HINT,
        IN_PROGRESS_HINT,
        WOULD_OVERWRITE_HINT,
        HAZARDS_HINT,
        SYNC_AGAIN_HINT,
        SSH_HINT,
        NET_HINT,
        URL_HINT,
        SOME_FILES,
    ]));
    check(&all);
}

#[test]
fn file_evidence_and_signing_refusals_are_japanese() {
    use super::{attach, files, signing};
    let why = Message::new("理由", "why");
    let mut all = vec![
        files::report_is_folder("/r"),
        files::report_outside("reports", "/r"),
        files::report_outside_hint("reports"),
        files::report_through_link("/r"),
        files::not_a_folder("/r"),
        files::write_through_link("/r", files::Leads::Nowhere, None),
        files::write_through_link("/r", files::Leads::Outside, Some("/x")),
        files::write_through_link("/r", files::Leads::Git, Some("/x")),
        files::open_link("/r"),
        files::bundle_through_link("/r"),
        files::not_a_demo("/r"),
        files::io("/r", &std::io::Error::from(std::io::ErrorKind::NotFound)),
        files::io("/r", &std::io::Error::from_raw_os_error(13)),
        files::internal("x"),
        attach::link("/r"),
        attach::inbox_link("/r"),
        attach::not_in_inbox("/r"),
        attach::not_in_head("/r"),
        attach::not_utf8("/r"),
        attach::nothing_to_add("x", "1", 1),
        attach::nothing_to_add("x", "1", 2),
        attach::no_digest("x"),
        attach::file_gone("x", "ab.png"),
        attach::no_item("x", "1"),
        attach::unanswered("1"),
        signing::unreadable(&why),
        signing::not_openssh("/k", "x"),
        signing::encrypted("/k"),
        signing::rsa("/k", "x"),
        signing::cannot_sign("x"),
        signing::agent(signing::Agent::NoSocket),
        signing::agent(signing::Agent::Connect("x")),
        signing::agent(signing::Agent::DidNotSign("x")),
        signing::no_allowed_signers("/k", &why),
        signing::no_listed_key("a@b", "/k"),
        signing::no_listed_key_hint("a@b", "/k"),
    ];
    all.extend(labels(&[
        files::WRITE_THROUGH_LINK_HINT,
        files::NOT_A_DEMO_HINT,
        attach::NOT_IN_INBOX_HINT,
        attach::FILE_GONE_HINT,
        signing::ENCRYPTED_HINT,
        signing::AGENT_HINT,
        signing::ALLOWED_SIGNERS_HINT,
    ]));
    check(&all);
}

#[test]
fn commit_export_and_usage_refusals_are_japanese() {
    use super::export::{NOT_CP932_HINT, Place, not_cp932};
    use super::{commit, usage};
    let why = Message::new("理由", "why");
    let mut all = vec![
        commit::not_in_step(commit::Done::Run("x"), "ab12", &why),
        commit::not_in_step(commit::Done::Withdrawal("x"), "ab12", &why),
        commit::risk_draft_left("x", "ab12", &why),
        commit::same_second(10, "x", "y", "z"),
        commit::risks_same_second("x"),
        commit::no_version("x", 1, 2),
        commit::changed_while_read("x"),
        commit::no_work_tree(true),
        commit::no_work_tree(false),
        commit::index_not_updated("x", &why),
        commit::index_hint("x"),
        commit::typing_elsewhere("/r"),
        commit::bad_now("x", "premature end of input"),
        commit::bad_month(13),
        commit::withdrawal_in_the_way("/r"),
        commit::draft_held(Some(("x", 1, "h", "2026-01-01"))),
        commit::draft_held(None),
        usage::unexpected("--x"),
        usage::unknown_command("x"),
        usage::invalid_value("--x", "y"),
        usage::invalid_value("--x", ""),
        usage::refused_value("--x", "y", &why),
        usage::possible_values("`a`"),
        usage::missing("`--x`"),
        usage::missing_subcommand("x"),
        usage::subcommands("`a`"),
        usage::conflict("--x", "`--y`"),
        usage::twice("--x"),
        usage::no_equals("--x"),
        usage::too_many_values("--x", "y"),
        usage::wrong_number("--x", 2, 1),
        usage::exists_in("x --y"),
        usage::remove_double_dash("x"),
        usage::see_help("tenken x"),
        usage::out_of_range("4", 1, 3),
        usage::bad_id(&IdError::Empty, ""),
        usage::bad_id(&IdError::TooLong("x".into()), "x"),
        usage::bad_id(&IdError::BadStart("X".into()), "X"),
        usage::neither_run_nor_draft("X", &why),
    ];
    for place in [
        Place::Title,
        Place::Field("x".into()),
        Place::Instructions,
        Place::TableHeader,
        Place::Item("1".into()),
        Place::File,
    ] {
        all.push(not_cp932(&place, 'é'));
    }
    all.extend(labels(&[
        commit::BRANCH_LOCKED_HINT,
        commit::WITHDRAWAL_IN_THE_WAY_HINT,
        commit::DRAFT_HELD_HINT,
        usage::NOT_UTF8,
        NOT_CP932_HINT,
    ]));
    check(&all);
    // Git's words after `git:` read the same in both languages.
    assert_eq!(commit::branch_locked("x").get(Lang::Ja), "git: x");
}
