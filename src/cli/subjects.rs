//! `tenken subjects`: the subject register (`subjects.ron`). Without a
//! subcommand it lists every subject; `add`, `edit` and `retire` change the
//! register, each change validated and committed alone, authored by the
//! inspector, with the message `register: add|edit|retire <id>`.

use clap::{Args, Subcommand};
use serde::Serialize;

use crate::cli::{Ctx, Format, print, print_json, table};
use crate::error::{Error, Result};
use crate::escape;
use crate::load::Catalog;
use crate::model::{FORMAT, Id, Inspector, Lang, Name, Subject, SubjectKind, Subjects, Text};
use crate::msg;
use crate::store::{Identity, Store};

/// List the subject register, or add, edit or retire a subject
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SubjectsArgs {
    /// Change the register instead of listing it
    #[command(subcommand)]
    pub command: Option<SubjectsCommand>,
    /// Output format of the list
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// The changes to the register.
#[derive(Debug, Subcommand)]
pub enum SubjectsCommand {
    /// Add a subject to the register and commit it
    Add(AddArgs),
    /// Change a subject's details and commit the register
    Edit(EditArgs),
    /// Retire a subject: it keeps its history and is no longer due
    Retire(RetireArgs),
}

/// Add a subject to the register and commit it
#[derive(Debug, Args)]
pub struct AddArgs {
    /// The new subject's id, used in run paths (a-z, 0-9, `.`, `_`, `-`)
    #[arg(value_name = "ID")]
    pub id: Id,
    /// What kind of subject it is
    #[arg(long, value_enum)]
    pub kind: SubjectKind,
    /// The name shown, the same in every language
    #[arg(long, value_name = "NAME", required_unless_present_any = ["name_ja", "name_en"])]
    pub name: Option<String>,
    /// The name shown in Japanese (with `--name-en`, a bilingual name)
    #[arg(long, value_name = "NAME")]
    pub name_ja: Option<String>,
    /// The name shown in English (with `--name-ja`, a bilingual name)
    #[arg(long, value_name = "NAME")]
    pub name_en: Option<String>,
    /// 1 (low) to 3 (high)
    #[arg(long, value_name = "1-3", default_value_t = 2, value_parser = super::usage::criticality)]
    pub criticality: u8,
    /// A tag such as `cloud` (repeat for more)
    #[arg(long = "tag", value_name = "T")]
    pub tags: Vec<String>,
    /// A service the subject provides (repeat for more)
    #[arg(long = "service", value_name = "S")]
    pub services: Vec<String>,
    /// A kind of data the subject handles (repeat for more)
    #[arg(long = "data", value_name = "D")]
    pub data: Vec<String>,
    /// A contact person or address
    #[arg(long, value_name = "C")]
    pub contact: Option<String>,
    /// The contact in Japanese
    #[arg(long, value_name = "C")]
    pub contact_ja: Option<String>,
    /// The contact in English
    #[arg(long, value_name = "C")]
    pub contact_en: Option<String>,
}

/// Change a subject's details and commit the register
///
/// Only the details given change. A list flag given at least once replaces
/// the whole list; `--tag ""` empties it. `--name` replaces the name with
/// one plain string; `--name-ja` and `--name-en` change one language and
/// keep the other (a plain name becomes bilingual); the same for contacts.
#[derive(Debug, Args)]
pub struct EditArgs {
    /// The subject to change (its id never changes)
    #[arg(value_name = "ID")]
    pub id: Id,
    /// What kind of subject it is
    #[arg(long, value_enum)]
    pub kind: Option<SubjectKind>,
    /// The name shown, the same in every language
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// The name in Japanese, keeping the English one
    #[arg(long, value_name = "NAME")]
    pub name_ja: Option<String>,
    /// The name in English, keeping the Japanese one
    #[arg(long, value_name = "NAME")]
    pub name_en: Option<String>,
    /// 1 (low) to 3 (high)
    #[arg(long, value_name = "1-3", value_parser = super::usage::criticality)]
    pub criticality: Option<u8>,
    /// The tags, replacing the old ones (repeat for more)
    #[arg(long = "tag", value_name = "T")]
    pub tags: Option<Vec<String>>,
    /// The services, replacing the old ones (repeat for more)
    #[arg(long = "service", value_name = "S")]
    pub services: Option<Vec<String>>,
    /// The kinds of data handled, replacing the old ones (repeat for more)
    #[arg(long = "data", value_name = "D")]
    pub data: Option<Vec<String>>,
    /// A contact person or address (`""` removes it)
    #[arg(long, value_name = "C")]
    pub contact: Option<String>,
    /// The contact in Japanese, keeping the English one
    #[arg(long, value_name = "C")]
    pub contact_ja: Option<String>,
    /// The contact in English, keeping the Japanese one
    #[arg(long, value_name = "C")]
    pub contact_en: Option<String>,
    /// Bring a retired subject back into the schedule
    #[arg(long)]
    pub reinstate: bool,
}

/// Retire a subject: it keeps its history and is no longer due
#[derive(Debug, Args)]
pub struct RetireArgs {
    /// The subject to retire
    #[arg(value_name = "ID")]
    pub id: Id,
}

/// One element of `subjects --format json`: names, contacts and services
/// in the chosen language, and the name also in both.
#[derive(Debug, Serialize)]
struct Row {
    id: String,
    kind: &'static str,
    name: String,
    names: Text,
    contact: String,
    services: Vec<String>,
    data_handled: Vec<String>,
    criticality: u8,
    tags: Vec<String>,
    retired: bool,
}

/// Returns the kind's name as on the command line and in JSON.
pub fn kind_str(kind: SubjectKind) -> &'static str {
    match kind {
        SubjectKind::Organisation => "organisation",
        SubjectKind::Site => "site",
        SubjectKind::Supplier => "supplier",
    }
}

/// Lists the register, or applies one change to it.
pub fn cmd_subjects(ctx: &Ctx, args: &SubjectsArgs) -> Result<()> {
    let store = ctx.store()?;
    let catalog = ctx.catalog(&store)?;
    match &args.command {
        None => list(&catalog, args.format, ctx.lang(catalog.config.lang)),
        Some(change) => {
            let inspector = ctx.inspector(Some(&store))?;
            if ctx.global.restricted
                && !crate::restricted::may_edit_register(&catalog.config, &inspector.id)
            {
                return Err(Error::user_hint(
                    msg::permissions::may_not_edit_subjects(inspector.id.as_str()),
                    msg::permissions::EDIT_REGISTER_HINT,
                ));
            }
            let (subjects, verb, id) = apply(&catalog.subjects, change)?;
            let lang = ctx.lang(catalog.config.lang);
            commit(ctx, &store, &inspector, (&subjects, lang), verb, &id)
        }
    }
}

fn list(catalog: &Catalog, format: Format, lang: Lang) -> Result<()> {
    let rows: Vec<Row> = catalog
        .subjects
        .subjects
        .iter()
        .map(|s| Row {
            id: s.id.to_string(),
            kind: kind_str(s.kind),
            name: s.name.get(lang).to_owned(),
            names: s.name.both(),
            contact: s.contact.get(lang).to_owned(),
            services: s.services.iter().map(|n| n.get(lang).to_owned()).collect(),
            data_handled: s
                .data_handled
                .iter()
                .map(|n| n.get(lang).to_owned())
                .collect(),
            criticality: s.criticality,
            tags: s.tags.clone(),
            retired: s.retired,
        })
        .collect();
    match format {
        Format::Json => print_json(&rows),
        Format::Text => {
            let cells: Vec<Vec<String>> = rows
                .iter()
                .zip(&catalog.subjects.subjects)
                .map(|(r, s)| {
                    vec![
                        r.id.clone(),
                        msg::subjects::kind(s.kind).get(lang).to_owned(),
                        r.name.clone(),
                        r.criticality.to_string(),
                        r.tags.join(", "),
                        if r.retired {
                            msg::subjects::RETIRED.get(lang)
                        } else {
                            ""
                        }
                        .to_owned(),
                    ]
                })
                .collect();
            print(&table::render(
                &msg::header(lang, &msg::subjects::HEADER),
                &[false, false, false, true, false, false],
                &cells,
            ))
        }
    }
}

/// What a change did, for the commit message and the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verb {
    Add,
    Edit,
    Retire,
}

impl Verb {
    fn as_str(self) -> &'static str {
        match self {
            Self::Add => "add",
            Self::Edit => "edit",
            Self::Retire => "retire",
        }
    }

    fn change(self) -> msg::subjects::Change {
        match self {
            Self::Add => msg::subjects::Change::Add,
            Self::Edit => msg::subjects::Change::Edit,
            Self::Retire => msg::subjects::Change::Retire,
        }
    }
}

/// Returns the register with `change` applied; refuses changes that make
/// no sense (a duplicate id, an unknown subject, nothing to change).
fn apply(register: &Subjects, change: &SubjectsCommand) -> Result<(Subjects, Verb, Id)> {
    let mut subjects = register.clone();
    subjects.format = FORMAT;
    let find = |subjects: &Subjects, id: &Id| -> Result<usize> {
        subjects
            .subjects
            .iter()
            .position(|s| s.id == *id)
            .ok_or_else(|| {
                Error::user_hint(
                    msg::errors::unknown_subject(id.as_str()),
                    msg::subjects::LIST_HINT,
                )
            })
    };
    match change {
        SubjectsCommand::Add(a) => {
            let id = a.id.clone();
            if subjects.get(id.as_str()).is_some() {
                return Err(Error::user_hint(
                    msg::subjects::already_registered(id.as_str()),
                    msg::subjects::edit_hint(id.as_str()),
                ));
            }
            let subject = Subject {
                id: id.clone(),
                kind: a.kind,
                name: name_of(
                    None,
                    "--name",
                    [
                        a.name.as_deref(),
                        a.name_ja.as_deref(),
                        a.name_en.as_deref(),
                    ],
                )?
                .unwrap_or_default(),
                contact: name_of(
                    None,
                    "--contact",
                    [
                        a.contact.as_deref(),
                        a.contact_ja.as_deref(),
                        a.contact_en.as_deref(),
                    ],
                )?
                .unwrap_or_default(),
                services: list_of("--service", &a.services)?
                    .into_iter()
                    .map(Name::from)
                    .collect(),
                data_handled: list_of("--data", &a.data)?
                    .into_iter()
                    .map(Name::from)
                    .collect(),
                criticality: a.criticality,
                tags: list_of("--tag", &a.tags)?,
                retired: false,
            };
            if subject.name.is_empty() {
                return Err(Error::user(msg::subjects::EMPTY_NAME));
            }
            subjects.subjects.push(subject);
            Ok((subjects, Verb::Add, id))
        }
        SubjectsCommand::Edit(e) => {
            let i = find(&subjects, &e.id)?;
            let before = subjects.subjects[i].clone();
            let s = &mut subjects.subjects[i];
            if let Some(kind) = e.kind {
                s.kind = kind;
            }
            if let Some(name) = name_of(
                Some(&s.name),
                "--name",
                [
                    e.name.as_deref(),
                    e.name_ja.as_deref(),
                    e.name_en.as_deref(),
                ],
            )? {
                s.name = name;
                if s.name.is_empty() {
                    return Err(Error::user(msg::subjects::EMPTY_NAME));
                }
            }
            if let Some(c) = e.criticality {
                s.criticality = c;
            }
            if let Some(tags) = &e.tags {
                s.tags = list_of("--tag", tags)?;
            }
            if let Some(services) = &e.services {
                s.services = list_of("--service", services)?
                    .into_iter()
                    .map(Name::from)
                    .collect();
            }
            if let Some(data) = &e.data {
                s.data_handled = list_of("--data", data)?
                    .into_iter()
                    .map(Name::from)
                    .collect();
            }
            if let Some(contact) = name_of(
                Some(&s.contact),
                "--contact",
                [
                    e.contact.as_deref(),
                    e.contact_ja.as_deref(),
                    e.contact_en.as_deref(),
                ],
            )? {
                s.contact = contact;
            }
            if e.reinstate {
                s.retired = false;
            }
            if *s == before {
                return Err(Error::user_hint(
                    msg::subjects::nothing_to_change(s.id.as_str()),
                    msg::subjects::NOTHING_TO_CHANGE_HINT,
                ));
            }
            let id = s.id.clone();
            Ok((subjects, Verb::Edit, id))
        }
        SubjectsCommand::Retire(r) => {
            let i = find(&subjects, &r.id)?;
            let s = &mut subjects.subjects[i];
            if s.retired {
                return Err(Error::user(msg::subjects::already_retired(s.id.as_str())));
            }
            if s.kind == SubjectKind::Organisation {
                return Err(Error::user(msg::subjects::cannot_retire_organisation(
                    s.id.as_str(),
                )));
            }
            s.retired = true;
            let id = s.id.clone();
            Ok((subjects, Verb::Retire, id))
        }
    }
}

fn commit(
    ctx: &Ctx,
    store: &Store,
    inspector: &Inspector,
    (subjects, lang): (&Subjects, Lang),
    verb: Verb,
    id: &Id,
) -> Result<()> {
    let message = format!("register: {} {id}", verb.as_str());
    let commit = store.save_subjects(
        subjects,
        &Identity::from_inspector(inspector),
        &message,
        ctx.clock,
    )?;
    let kind = subjects.get(id.as_str()).map_or_else(
        || lang.pick("対象", "subject"),
        |s| msg::subjects::kind(s.kind).get(lang),
    );
    print(&msg::subjects::changed(
        lang,
        verb.change(),
        kind,
        id.as_str(),
        &commit,
    ))
}

/// Trims a text given on the command line; refuses control characters,
/// which would only ever show up escaped.
fn text(flag: &str, raw: &str) -> Result<String> {
    let trimmed = raw.trim();
    if trimmed.chars().any(char::is_control) {
        return Err(Error::user(msg::subjects::control_character(
            flag,
            &escape::line(trimmed),
        )));
    }
    Ok(trimmed.to_owned())
}

/// Returns `base` changed by the flags `--X`, `--X-ja` and `--X-en` (in
/// that order): the first replaces it with one plain string, the others
/// set one language and keep the other; `None` when none was given.
fn name_of(base: Option<&Name>, flag: &str, given: [Option<&str>; 3]) -> Result<Option<Name>> {
    let [plain, ja, en] = given;
    if given.iter().all(Option::is_none) {
        return Ok(None);
    }
    let mut name = base.cloned().unwrap_or_default();
    if let Some(plain) = plain {
        name = Name::Plain(text(flag, plain)?);
    }
    for (lang, value) in [(Lang::Ja, ja), (Lang::En, en)] {
        if let Some(value) = value {
            name = name.with(lang, &text(&format!("{flag}-{lang}"), value)?);
        }
    }
    Ok(Some(name))
}

/// Checks each value of a repeated flag; empty values are dropped, so that
/// `--tag ""` empties a list.
fn list_of(flag: &str, raw: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for value in raw {
        let value = text(flag, value)?;
        if !value.is_empty() && !out.contains(&value) {
            out.push(value);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn register() -> Subjects {
        Subjects {
            format: 1,
            subjects: vec![Subject {
                id: Id::new("self").unwrap(),
                kind: SubjectKind::Organisation,
                name: "Example KK".into(),
                contact: Name::default(),
                services: Vec::new(),
                data_handled: Vec::new(),
                criticality: 3,
                tags: Vec::new(),
                retired: false,
            }],
        }
    }

    fn add(id: &str) -> SubjectsCommand {
        SubjectsCommand::Add(AddArgs {
            id: Id::new(id).unwrap(),
            kind: SubjectKind::Supplier,
            name: Some(" Aoba Accounting ".into()),
            name_ja: None,
            name_en: None,
            criticality: 2,
            tags: vec!["cloud".into(), "cloud".into(), String::new()],
            services: vec!["payroll".into()],
            data: Vec::new(),
            contact: None,
            contact_ja: None,
            contact_en: None,
        })
    }

    fn edit_of(id: &str) -> EditArgs {
        EditArgs {
            id: Id::new(id).unwrap(),
            kind: None,
            name: None,
            name_ja: None,
            name_en: None,
            criticality: None,
            tags: None,
            services: None,
            data: None,
            contact: None,
            contact_ja: None,
            contact_en: None,
            reinstate: false,
        }
    }

    #[test]
    fn one_language_of_a_name_changes_and_the_other_stays() {
        let (r, _, _) = apply(&register(), &add("aoba")).unwrap();
        // A plain name gets its Japanese form: it becomes bilingual.
        let ja = SubjectsCommand::Edit(EditArgs {
            name_ja: Some("あおば会計".into()),
            contact_en: Some("Yamada".into()),
            ..edit_of("aoba")
        });
        let (r, _, _) = apply(&r, &ja).unwrap();
        let aoba = r.get("aoba").unwrap();
        assert_eq!(aoba.name, Name::of("あおば会計", "Aoba Accounting"));
        assert_eq!(aoba.contact, Name::of("", "Yamada"));
        // Changing the English form keeps the Japanese one.
        let en = SubjectsCommand::Edit(EditArgs {
            name_en: Some("Aoba Accounting KK".into()),
            ..edit_of("aoba")
        });
        let (r, _, _) = apply(&r, &en).unwrap();
        assert_eq!(
            r.get("aoba").unwrap().name,
            Name::of("あおば会計", "Aoba Accounting KK")
        );
        // --name makes it one plain string again.
        let plain = SubjectsCommand::Edit(EditArgs {
            name: Some("Aoba".into()),
            ..edit_of("aoba")
        });
        let (r, _, _) = apply(&r, &plain).unwrap();
        assert_eq!(r.get("aoba").unwrap().name, Name::from("Aoba"));
        // A new subject can be bilingual from the start.
        let SubjectsCommand::Add(mut a) = add("hikari") else {
            unreachable!()
        };
        (a.name, a.name_ja, a.name_en) = (None, Some("ひかり印刷".into()), Some("Hikari".into()));
        let (r, _, _) = apply(&r, &SubjectsCommand::Add(a)).unwrap();
        assert_eq!(
            r.get("hikari").unwrap().name,
            Name::of("ひかり印刷", "Hikari")
        );
    }

    #[test]
    fn add_edit_and_retire_change_only_what_they_name() {
        let (r, verb, id) = apply(&register(), &add("aoba")).unwrap();
        assert_eq!((verb, id.as_str()), (Verb::Add, "aoba"));
        let aoba = r.get("aoba").unwrap();
        assert_eq!(aoba.name, Name::from("Aoba Accounting"));
        assert_eq!(aoba.tags, ["cloud"]);
        assert!(apply(&r, &add("aoba")).is_err(), "no duplicate ids");

        let edit = SubjectsCommand::Edit(EditArgs {
            criticality: Some(3),
            tags: Some(vec![String::new()]),
            ..edit_of("aoba")
        });
        let (r, _, _) = apply(&r, &edit).unwrap();
        let aoba = r.get("aoba").unwrap();
        assert_eq!((aoba.criticality, aoba.tags.len()), (3, 0));
        assert_eq!(aoba.services, [Name::from("payroll")]);
        let err = apply(&r, &edit).unwrap_err().to_string();
        assert_eq!(err, "nothing to change for subject `aoba`");

        let retire = SubjectsCommand::Retire(RetireArgs {
            id: Id::new("aoba").unwrap(),
        });
        let (r, _, _) = apply(&r, &retire).unwrap();
        assert!(r.get("aoba").unwrap().retired);
        assert_eq!(
            apply(&r, &retire).unwrap_err().to_string(),
            "subject `aoba` is already retired"
        );
        let own = SubjectsCommand::Retire(RetireArgs {
            id: Id::new("self").unwrap(),
        });
        assert!(apply(&r, &own).is_err());
        let ghost = SubjectsCommand::Retire(RetireArgs {
            id: Id::new("nobody").unwrap(),
        });
        assert_eq!(
            apply(&r, &ghost).unwrap_err().to_string(),
            "subject `nobody` is not in subjects.ron"
        );
    }

    #[test]
    fn refuses_control_characters() {
        // A bad id cannot reach `apply`: clap parses it as an `Id` (exit 2,
        // tests/integration/cli_init_check.rs).
        let SubjectsCommand::Add(mut a) = add("aoba") else {
            unreachable!()
        };
        a.name = Some("Evil\u{1b}[2J".into());
        let err = apply(&register(), &SubjectsCommand::Add(a))
            .unwrap_err()
            .to_string();
        assert_eq!(err, "--name `Evil\\u{1b}[2J` contains a control character");
    }
}
