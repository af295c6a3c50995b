//! Every diagnostic of the loader has Japanese of its own: called with
//! ASCII-only arguments, no English word of three letters or more is left
//! outside backticks, file names and the names of programs and formats. A
//! message that fell back to English fails here even where no integration
//! test reaches it.

use std::io::ErrorKind;

use crate::model::{IdError, ScoringChange};
use crate::msg::Message;
use crate::msg::ja_words::check;

#[test]
fn file_and_syntax_messages_are_japanese() {
    use super::file::*;
    use super::syntax::*;
    check(&[
        not_utf8(),
        cannot_read(ErrorKind::NotFound, "No such file or directory"),
        cannot_read(ErrorKind::PermissionDenied, "Permission denied"),
        too_large(Some(9), 8),
        too_large(None, 8),
        not_regular(),
        not_plain_path(),
        link_nowhere(),
        link_leads(Leads::Outside),
        link_leads(Leads::IntoGit),
        bad_id(&IdError::Empty),
        bad_id(&IdError::TooLong("x".into())),
        bad_id(&IdError::BadStart("X".into())),
        bad_id(&IdError::BadChar {
            id: "a b".into(),
            ch: "a control character (\\u{1})".into(),
        }),
        bad_id(&IdError::BadChar {
            id: "a/b".into(),
            ch: "a path separator `/`".into(),
        }),
        custom("input is out of range", None),
        custom("no possible date and time matching input", None),
        custom("input is not enough for unique date and time", None),
        custom("input contains invalid characters", None),
        custom("premature end of input", None),
        custom("trailing input", None),
        custom("bad or unsupported format string", None),
        custom(
            "unknown language `de` in a name: write `ja` and/or `en`, or one plain string",
            None,
        ),
        custom("`ja` given twice in a name", None),
        custom(
            "id `X` must start with a lower-case letter or a digit",
            None,
        ),
        custom(
            "edition `x` must look like `3.1`: a major number from 1, a dot and a minor number",
            Some("x"),
        ),
        bad_value("x", Some("started"), custom("trailing input", None)),
        bad_value("x", None, custom("trailing input", None)),
    ]);
}

#[test]
fn template_and_register_messages_are_japanese() {
    use super::register::*;
    use super::template::*;
    let texts = [
        TextOf::Title,
        TextOf::ChoiceLabel("yes"),
        TextOf::Section("a"),
        TextOf::Item("1"),
        TextOf::Band,
        TextOf::Role("lead"),
    ];
    let mut all: Vec<Message> = texts.into_iter().map(no_text).collect();
    all.extend([
        format(2, 1),
        id_not_file_name("a", "b"),
        version_zero(),
        no_source(),
        too_many_items(3, 2),
        no_items(),
        scale_empty("s"),
        scale_without_points("s"),
        duplicate_choice("yes", "s"),
        key_reserved("j", "yes", "`j` `k`"),
        key_not_visible("yes"),
        duplicate_key("1", "s"),
        duplicate_section("a"),
        duplicate_item("1"),
        weight_zero("1"),
        unknown_scale("1", "s"),
        note_for_unknown_choice("1", "no", "s"),
        editions_backwards("1", "3.1", "3.0"),
        editions_without_edition("1"),
        editions_exclude("1", "3.0 to 3.1", "3.2"),
        bands_out_of_order(90, 60),
        duplicate_subject("a"),
        criticality("a", 7),
        subject_without_name("a"),
        profile_id_not_file_name("a", "b"),
        profile_unknown_inspection("a"),
        profile_unknown_subject("a"),
        profile_criticality(4),
        fiscal_year_start(13),
        likelihood(),
        active_profile_missing("weekly"),
        duplicate_role("a"),
        held_by_role("a", "b"),
        person_without_name("a"),
        holder_twice("a", "b"),
        committee_unknown_role("a", true),
        committee_unknown_role("a", false),
        committee_person_without_name(true),
        committee_person_without_name(false),
        duplicate_asset("a"),
        asset_value("c", "a", 4),
        duplicate_threat("t", "a"),
        threat_value("threat", "t", 4),
        unknown_category("t", "x", "`a`, `b`"),
        derived_without_category("t"),
        derived_value("t", 4),
        derived_differs("t", 3, 2),
    ]);
    check(&all);
}

#[test]
fn run_answers_and_store_messages_are_japanese() {
    use super::answers::*;
    use super::run::*;
    use super::store::*;
    let changes = [
        ScoringChange::Added("3".into()),
        ScoringChange::Removed("4".into()),
        ScoringChange::Choices {
            item: "1".into(),
            from: "(a 2, b 0)".into(),
            to: "(a 2, b 1)".into(),
        },
        ScoringChange::Weight {
            item: "2".into(),
            from: 1,
            to: 3,
        },
        ScoringChange::NoteChoices("1".into()),
        ScoringChange::Bands {
            from: "[80, 0]".into(),
            to: "[70, 0]".into(),
        },
    ];
    let mut all: Vec<Message> = changes.iter().map(scoring_change).collect();
    for made in [Made::WorkTree, Made::Commit("0a1b2c3".into())] {
        all.push(scoring_changed(&Rescored {
            id: "five",
            version: 1,
            made,
            changes: &changes,
            more: 2,
            runs: 1,
        }));
    }
    for what in [Record::Run, Record::Withdrawal] {
        all.extend([
            record_is_link(what),
            record_not_committed(what),
            record_changed(what, "runs/a.ron"),
            record_missing(what, "runs/a.ron"),
        ]);
    }
    all.extend([
        withdrawal_of_no_run("a/b/c"),
        cannot_read_git("x"),
        cannot_read_template_history("x"),
        committed_not_utf8(),
        draft_misplaced("sato", "self", "five"),
        risk_draft_misplaced("suzuki", "sato"),
        typing_misplaced("self", "five"),
        origin_work_tree("subjects.ron"),
        origin_commit("subjects.ron", "0a1b2c3", "佐藤", "2026-11-25", "x"),
        origin_unknown("subjects.ron"),
        subject_not_folder("a", "b"),
        inspection_not_folder("a", "b"),
        name_not_date("x", "2026-11-25"),
        name_not_inspector("x", "sato"),
        finished_before_started("2026-11-25T09:00:00+09:00", "2026-11-25T10:00:00+09:00"),
        withdrawal_not_path("a", "b"),
        withdrawal_without_reason(),
        id_not_path("a", "b"),
        template_broken_and_lost("a", "inspections/five.ron"),
        no_template("a"),
        no_such_version("five", 2, 1),
        no_such_hash("five"),
        version_mismatch(2, "five", 1),
        evidence_digest("a.png", "1"),
        evidence_media_type("a.png", "1", "text/html"),
        evidence_name("a.png", "1"),
        unknown_item("9", "five"),
        unknown_choice("maybe", "1", "`yes`, `no`"),
        note_needed("1", "no"),
        note_too_long("1", 9, 8),
        not_an_answer("maybe", "1", "a (1)"),
        ambiguous_label("x", "1", "a, b"),
        unknown_column("x"),
        column_twice("item"),
        header_needs_columns(),
        empty_file(),
        no_header_row(),
        row_too_wide(4, 3),
        outside_the_columns(),
        item_cell(super::syntax::bad_id(&IdError::Empty)),
        answered_twice("1", &Place::Line(2)),
        answered_twice("1", &Place::Cell("A12".into())),
        no_answer("1", "a (1)"),
        after_closing_quote("`x`"),
        quote_in_plain_field(),
        never_closed(),
        workbook_not_text(),
        other_copy("q.ron", "five", 2, "0123", "4567"),
    ]);
    check(&all);
}
