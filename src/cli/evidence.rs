//! `tenken evidence add`: attach files to an answer. To a draft (named as
//! `<subject>/<inspection>`, the acting inspector's), the files are kept
//! with it and committed with its run; to a committed run (its id), the
//! addition is a correction: a new run with the files that supersedes it,
//! so the old file is never rewritten.

use std::fmt::Write as _;
use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde::Serialize;

use crate::cli::{Ctx, Format, print, print_json};
use crate::error::{Error, Result};
use crate::escape;
use crate::model::Id;
use crate::msg::Message;
use crate::store::Attached;

/// Attach evidence files to answers
#[derive(Debug, Args)]
#[command(after_long_help = EVIDENCE_HELP)]
pub struct EvidenceArgs {
    /// What to do
    #[command(subcommand)]
    pub command: EvidenceCommand,
}

/// The `evidence` subcommands.
#[derive(Debug, Subcommand)]
pub enum EvidenceCommand {
    /// Attach files to the answer to one item of a draft or a committed run
    Add(AddArgs),
}

/// Attach files to the answer to one item of a draft or a committed run
#[derive(Debug, Args)]
pub struct AddArgs {
    /// A run id (the addition is committed as a correction of that run), or
    /// `<subject>/<inspection>` for your draft (committed with its run)
    #[arg(value_name = "RUN_OR_DRAFT")]
    pub target: String,
    /// The item whose answer the files support
    #[arg(value_name = "ITEM")]
    pub item: Id,
    /// The files: images, PDF, text or office documents
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

const EVIDENCE_HELP: &str = "\
Files are kept in the repository as evidence/<sha256>.<ext>, named by their
content (the same file attached twice is stored once), and the answer records
the file's name, media type, size and SHA-256. The type is decided from the
content: images, PDF, text and office documents are accepted, anything else
(HTML, programs, archives) is refused, as is a name that claims another kind
of file than the content is. Limits per file and per run: `evidence:
(max_file_mib: 20, max_run_mib: 100)` in tenken.ron (the defaults).

Adding to a committed run commits a correction: a new run with the same
answers, dates and closed actions plus the files, which supersedes the old
one (whose file is never touched), recorded by you.

In restricted mode only files in the repository's inbox/ folder can be
attached (as inbox/NAME); an administrator or an scp-only key puts them
there.";

/// What `evidence add --format json` prints.
#[derive(Debug, Serialize)]
struct Added<'a> {
    target: &'a str,
    item: &'a str,
    files: Vec<AddedFile<'a>>,
    /// The correction committed (adding to a run), else null.
    run: Option<String>,
    commit: Option<String>,
}

#[derive(Debug, Serialize)]
struct AddedFile<'a> {
    name: &'a str,
    media_type: &'a str,
    size: u64,
    sha256: &'a str,
    path: String,
    added: bool,
}

/// Runs `tenken evidence …`.
pub fn cmd_evidence(ctx: &Ctx, args: &EvidenceArgs) -> Result<()> {
    match &args.command {
        EvidenceCommand::Add(add) => cmd_add(ctx, add),
    }
}

fn cmd_add(ctx: &Ctx, args: &AddArgs) -> Result<()> {
    let store = ctx.store()?;
    let catalog = ctx.catalog(&store)?;
    let lang = ctx.lang(catalog.config.lang);
    let inspector = ctx.inspector(Some(&store))?;
    let target = args.target.trim();
    let mut attachments = Vec::with_capacity(args.files.len());
    for file in &args.files {
        attachments.push(store.read_attachment(
            file,
            ctx.global.restricted,
            catalog.config.evidence,
        )?);
    }
    let parts: Vec<&str> = target.split('/').collect();
    let (attached, committed) = if let [subject, inspection] = parts.as_slice() {
        {
            let (subject, inspection) = (draft_id(subject)?, draft_id(inspection)?);
            let Some(mut draft) = store.load_draft(&inspector.id, &subject, &inspection)? else {
                return Err(Error::user_hint(
                    Message::new(
                        format!(
                            "`{}` には `{subject}` の `{inspection}` の下書きがありません",
                            inspector.id
                        ),
                        format!(
                            "`{}` has no draft of `{inspection}` for `{subject}`",
                            inspector.id
                        ),
                    ),
                    Message::new(
                        "先に点検を始めるか（`tenken run INSPECTION --subject ID`）、コミット済みの記録を ID で指定してください",
                        "start the run first (`tenken run INSPECTION --subject ID`), or name a committed run by its id",
                    ),
                ));
            };
            crate::restricted::check_run(&catalog.config, &inspector.id, &subject, &inspection)?;
            let attached = store.attach_to_draft(&catalog, &mut draft, &args.item, &attachments)?;
            store.save_draft(&draft)?;
            (attached, None)
        }
    } else {
        {
            let (done, attached) = store.add_evidence_to_run(
                &catalog,
                target,
                &args.item,
                &attachments,
                &inspector,
                ctx.clock,
            )?;
            (attached, Some(done))
        }
    };
    match args.format {
        Format::Json => print_json(&Added {
            target,
            item: args.item.as_str(),
            files: attached.iter().map(json_file).collect(),
            run: committed.as_ref().map(|c| c.run.id.clone()),
            commit: committed.as_ref().map(|c| c.commit.clone()),
        }),
        Format::Text => {
            let mut out = String::new();
            for a in &attached {
                let f = &a.file;
                let verb = if a.added {
                    lang.pick("添付しました", "Attached")
                } else {
                    lang.pick("添付済みです", "Already attached")
                };
                let _ = writeln!(
                    out,
                    "{verb}: {} ({}, {}, sha256 {})",
                    escape::line(&f.name),
                    f.media_type,
                    crate::msg::bytes(lang, f.size),
                    f.sha256
                );
            }
            match &committed {
                Some(c) => {
                    let _ = write!(
                        out,
                        "{} {}\n{}",
                        lang.pick("訂正として記録:", "Committed as a correction:"),
                        escape::line(&c.run.id),
                        crate::msg::commit_line(lang, &c.commit)
                    );
                }
                None => out.push_str(lang.pick(
                    "下書きに添付しました。点検の完了時に一緒にコミットされます。\n",
                    "Kept with the draft; committed with its run when it is finished.\n",
                )),
            }
            print(&out)
        }
    }
}

fn json_file(a: &Attached) -> AddedFile<'_> {
    AddedFile {
        name: &a.file.name,
        media_type: &a.file.media_type,
        size: a.file.size,
        sha256: &a.file.sha256,
        path: a.file.stored_path().unwrap_or_default(),
        added: a.added,
    }
}

fn draft_id(s: &str) -> Result<Id> {
    Id::new(s).map_err(|e| {
        Error::usage(crate::msg::usage::neither_run_nor_draft(
            &escape::line(s),
            &crate::msg::usage::bad_id(&e, s),
        ))
    })
}
