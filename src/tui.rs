//! The terminal interface's runtime: sets up and always restores the
//! terminal (normal exit, panic, SIGTERM, SIGHUP from a dropped SSH link),
//! runs the event loop, and performs the `Effect`s that the pure `update`
//! returns, through the `Store`.

pub mod app;
pub mod backend;
pub mod keymap;
pub mod msg;
pub mod screen;
pub mod theme;
pub mod widget;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ratatui::crossterm::event::{self, Event};

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::load::Catalog;
use crate::model::{Id, Inspector, Lang};
use crate::store::{ClaimError, HistoryFilter, RegisterTyping, Store};

pub use app::{Acting, App, Ctx, Data};
pub use msg::{Effect, Msg, Notice};

/// How often the loop wakes up to notice signals when no key arrives.
const TICK: Duration = Duration::from_millis(200);

/// Reads what the interface shows from the repository.
pub fn load_data(store: &Store, inspector: &Id) -> Result<Data> {
    load_data_with(store, store.catalog()?, inspector)
}

/// [`load_data`] with the repository's catalog already loaded (a register
/// of tens of thousands of subjects is not parsed twice).
pub fn load_data_with(store: &Store, catalog: Catalog, inspector: &Id) -> Result<Data> {
    // The current, committed record: what every screen shows and compares.
    let history = store.history(&catalog, &HistoryFilter::default())?;
    let drafts = store.drafts(inspector)?;
    // What was being typed in a draft's open field when a session ended.
    let mut typing = Vec::new();
    for d in &drafts {
        typing.extend(store.load_typing(inspector, &d.subject, &d.inspection)?);
    }
    let risks = store.risks()?;
    let risk_draft = store.load_risk_draft(inspector)?;
    // What was typed in the risk editor is offered only with its draft.
    let risk_typing = match risk_draft {
        Some(_) => store.load_risk_typing(inspector)?,
        None => None,
    };
    let register_typing = store.load_register_typing(inspector)?;
    let reader_store = store.clone();
    let reader_catalog = catalog.clone();
    let full = app::FullRuns::new(Arc::new(move |entry: &crate::model::HistoryEntry| {
        reader_store.full_run(&reader_catalog, entry).ok()
    }));
    Ok(Data {
        subject_at: app::subject_index(&catalog),
        catalog,
        history,
        full,
        drafts,
        typing,
        run_at: std::sync::OnceLock::new(),
        risks,
        risk_draft,
        risk_typing,
        register_typing,
    })
}

/// Builds the app for `store`, ready to draw.
pub fn build_app(store: &Store, inspector: Inspector, options: Options) -> Result<App> {
    build_app_with(store, store.catalog()?, Acting::known(inspector), options)
}

/// [`build_app`] with the repository's catalog already loaded, for an
/// inspector whose name and e-mail may be worked out later.
pub fn build_app_with(
    store: &Store,
    catalog: Catalog,
    inspector: Acting,
    options: Options,
) -> Result<App> {
    let data = load_data_with(store, catalog, &inspector.id)?;
    let lang = options.lang.unwrap_or(data.catalog.config.lang);
    Ok(App::new(Ctx {
        data,
        lang,
        inspector,
        clock: options.clock,
        theme: options.theme,
        restricted: options.restricted,
    }))
}

/// How the interface is started: the settings that come from the command
/// line and the environment rather than from the repository.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The language shown (`None`: the repository's setting).
    pub lang: Option<Lang>,
    /// The source of "now".
    pub clock: Clock,
    /// Colours (or none, for `NO_COLOR`).
    pub theme: theme::Theme,
    /// Restricted mode: editing the register needs `edit_register`.
    pub restricted: bool,
}

/// The most completions the evidence field lists at once.
const COMPLETIONS: usize = 50;

/// Performs one effect and returns the message that reports its outcome.
pub fn perform(store: &Store, app: &App, effect: Effect) -> Option<Msg> {
    let ctx = &app.ctx;
    match effect {
        // Only a draft this session holds is written (the screens of a
        // refused one send nothing; this keeps the rule where the write is).
        Effect::SaveDraft(draft) if !app.claims.holds(&draft.subject, &draft.inspection) => {
            Some(Msg::DraftSaved(Err(not_claimed(ctx))))
        }
        Effect::SaveDraft(draft) => Some(Msg::DraftSaved(
            store
                .save_draft(&draft)
                .map_err(|e| Notice::error(&e, ctx.lang)),
        )),
        Effect::CompleteEvidence(typed) => Some(Msg::EvidenceCompleted(store.complete_attachment(
            &typed,
            ctx.restricted,
            COMPLETIONS,
        ))),
        Effect::AttachEvidence { item, path } => {
            let result = store
                .read_attachment(
                    std::path::Path::new(&path),
                    ctx.restricted,
                    ctx.data.catalog.config.evidence,
                )
                .and_then(|a| store.stage_attachment(&a).map(|()| a.file))
                .map_err(|e| Notice::error(&e, ctx.lang));
            Some(Msg::EvidenceAttached { item, result })
        }
        Effect::DiscardDraft {
            subject,
            inspection,
        } => {
            // Never someone else's open draft: claimed for the removal
            // unless this session holds it already.
            let claim = if app.claims.holds(&subject, &inspection) {
                None
            } else {
                match store.claim_draft(&ctx.inspector.id, &subject, &inspection, ctx.clock) {
                    Ok(c) => Some(c),
                    Err(e) => return Some(Msg::DraftSaved(Err(claim_refusal(e, ctx.lang)))),
                }
            };
            // What was being typed in it goes with it.
            let r = store
                .remove_typing(&ctx.inspector.id, &subject, &inspection)
                .and_then(|()| store.remove_draft(&ctx.inspector.id, &subject, &inspection));
            drop(claim);
            r.err()
                .map(|e| Msg::DraftSaved(Err(Notice::error(&e, ctx.lang))))
        }
        Effect::SaveTyping(typing) if !app.claims.holds(&typing.subject, &typing.inspection) => {
            Some(Msg::DraftSaved(Err(not_claimed(ctx))))
        }
        Effect::SaveTyping(typing) => {
            let r = store.save_typing(&ctx.inspector.id, &typing);
            r.err()
                .map(|e| Msg::DraftSaved(Err(Notice::error(&e, ctx.lang))))
        }
        Effect::DiscardTyping {
            subject,
            inspection,
        } => {
            let r = store.remove_typing(&ctx.inspector.id, &subject, &inspection);
            r.err()
                .map(|e| Msg::DraftSaved(Err(Notice::error(&e, ctx.lang))))
        }
        // Only a risk draft this session holds is written, like run drafts.
        Effect::SaveRiskDraft(_)
        | Effect::DiscardRiskDraft
        | Effect::SaveRiskTyping(_)
        | Effect::DiscardRiskTyping
            if !app.claims.holds_risk() =>
        {
            Some(Msg::DraftSaved(Err(not_claimed(ctx))))
        }
        Effect::CommitRisk(_) if !app.claims.holds_risk() => {
            Some(Msg::RiskCommitted(Box::new(Err(not_claimed(ctx)))))
        }
        Effect::SaveRiskTyping(typing) => {
            let r = store.save_risk_typing(&ctx.inspector.id, &typing);
            r.err()
                .map(|e| Msg::DraftSaved(Err(Notice::error(&e, ctx.lang))))
        }
        Effect::DiscardRiskTyping => {
            let r = store.remove_risk_typing(&ctx.inspector.id);
            r.err()
                .map(|e| Msg::DraftSaved(Err(Notice::error(&e, ctx.lang))))
        }
        // Typing is kept only while this session holds the form.
        Effect::SaveRegisterTyping(RegisterTyping { editing, .. })
            if !app.claims.holds_form(editing.as_ref()) =>
        {
            Some(Msg::SubjectsSaved(Err(form_not_claimed(ctx))))
        }
        Effect::SaveRegisterTyping(typing) => {
            let r = store.save_register_typing(&ctx.inspector.id, &typing);
            r.err()
                .map(|e| Msg::SubjectsSaved(Err(Notice::error(&e, ctx.lang))))
        }
        Effect::DiscardRegisterTyping(editing) => {
            // The form has closed by now: claimed again for the removal,
            // and never another session's open form.
            let claim = match form_claim(store, app, editing.as_ref()) {
                Ok(claim) => claim,
                Err(refused) => return Some(Msg::SubjectsSaved(Err(refused))),
            };
            let r = store.remove_register_typing(&ctx.inspector.id, editing.as_ref());
            drop(claim);
            r.err()
                .map(|e| Msg::SubjectsSaved(Err(Notice::error(&e, ctx.lang))))
        }
        Effect::CommitRun(draft) if !app.claims.holds(&draft.subject, &draft.inspection) => {
            Some(Msg::RunCommitted(Box::new(Err(not_claimed(ctx)))))
        }
        Effect::CommitRun(draft) => {
            let result = store
                .commit_run(draft, &ctx.data.catalog, ctx.clock)
                .map_err(|e| Notice::error(&e, ctx.lang));
            Some(Msg::RunCommitted(Box::new(result)))
        }
        Effect::SaveRiskDraft(risk) => Some(Msg::DraftSaved(
            store
                .save_risk_draft(&risk)
                .map_err(|e| Notice::error(&e, ctx.lang)),
        )),
        Effect::DiscardRiskDraft => {
            // What was being typed in it goes with it.
            let r = store
                .remove_risk_typing(&ctx.inspector.id)
                .and_then(|()| store.remove_risk_draft(&ctx.inspector.id));
            r.err()
                .map(|e| Msg::DraftSaved(Err(Notice::error(&e, ctx.lang))))
        }
        Effect::CommitRisk(risk) => {
            // The rule lives where the write is (the risks screen refuses
            // first, so that nobody fills in an assessment in vain).
            let refused = crate::restricted::edit_risks_refusal(
                &ctx.data.catalog.config,
                &ctx.inspector.id,
                ctx.restricted,
                ctx.lang,
            );
            let result = refused
                .map_or(Ok(()), |r| Err(crate::Error::user(r)))
                .and_then(|()| store.commit_risk(risk, ctx.clock))
                .and_then(|(risk, commit)| {
                    store
                        .remove_risk_typing(&ctx.inspector.id)
                        .and_then(|()| store.remove_risk_draft(&ctx.inspector.id))
                        .map_err(|e| {
                            crate::Error::user(crate::msg::commit::risk_draft_left(
                                &risk.id,
                                &commit,
                                &e.message(),
                            ))
                        })?;
                    Ok((risk, commit))
                })
                .map_err(|e| Notice::error(&e, ctx.lang));
            Some(Msg::RiskCommitted(Box::new(result)))
        }
        Effect::SaveSubjects {
            subjects,
            message,
            typed,
        } => {
            // The form's typing goes once its commit is made: never another
            // session's.
            let claim = match typed.as_ref().map(|e| form_claim(store, app, e.as_ref())) {
                Some(Err(refused)) => return Some(Msg::SubjectsSaved(Err(refused))),
                Some(Ok(claim)) => claim,
                None => None,
            };
            // The screens refuse first; this keeps the rule where the write is.
            let result = match screen::subject_form::refusal(ctx) {
                Some(refused) => Err(refused.into()),
                None => store
                    .save_subjects(
                        &subjects,
                        &crate::store::Identity::from_inspector(ctx.inspector.inspector()),
                        &message,
                        ctx.clock,
                    )
                    .map(|_| message)
                    .map_err(|e| Notice::error(&e, ctx.lang)),
            };
            // The form's typing is forgotten once what it held is committed.
            if let (Ok(_), Some(editing)) = (&result, typed)
                && let Err(e) = store.remove_register_typing(&ctx.inspector.id, editing.as_ref())
            {
                return Some(Msg::SubjectsSaved(Err(Notice::error(&e, ctx.lang))));
            }
            drop(claim);
            Some(Msg::SubjectsSaved(result))
        }
        Effect::WithdrawRun { run, reason } => Some(Msg::RunWithdrawn(
            store
                .withdraw_run(
                    &ctx.data.catalog,
                    &run,
                    &reason,
                    ctx.inspector.inspector(),
                    ctx.clock,
                )
                .map(|w| w.commit)
                .map_err(|e| Notice::error(&e, ctx.lang)),
        )),
        Effect::Reload => Some(Msg::Reloaded(Box::new(
            load_data(store, &ctx.inspector.id).map_err(|e| Notice::error(&e, ctx.lang)),
        ))),
        Effect::Quit => None,
    }
}

/// The same for the risk assessment draft: claimed while the risk editor
/// is open, released when it closes; refused, the editor shows it
/// read-only.
fn claim_risk_draft(store: &Store, app: &mut App) {
    if !app.risk_draft_on_screen() {
        app.claims.risk = None;
        app.claims.risk_refused = false;
        return;
    }
    if app.claims.risk.is_some() || app.claims.risk_refused {
        return;
    }
    match store.claim_risk_draft(&app.ctx.inspector.id, app.ctx.clock) {
        Ok(claim) => app.claims.risk = Some(claim),
        Err(e) => {
            let refusal = claim_refusal(e, app.ctx.lang);
            app.risk_draft_refused(&refusal);
            app.claims.risk_refused = true;
        }
    }
}

/// The same for the register forms: one session types into a form at a
/// time (two would overwrite each other's typing file, and one finishing
/// would remove the other's). Once claimed, the form takes what the store
/// keeps of it now, in case a session that ended after this one started
/// left it; refused, it shows who has it and changes nothing.
fn claim_register_forms(store: &Store, app: &mut App) {
    let open = app.register_forms_on_screen();
    app.claims.forms.retain(|k, _| open.contains(k));
    app.claims.forms_refused.retain(|k| open.contains(k));
    for editing in open {
        if app.claims.forms.contains_key(&editing) || app.claims.forms_refused.contains(&editing) {
            continue;
        }
        let inspector = &app.ctx.inspector.id;
        match store.claim_register_form(inspector, editing.as_ref(), app.ctx.clock) {
            Ok(claim) => {
                app.claims.forms.insert(editing.clone(), claim);
                match store.load_register_typing_of(inspector, editing.as_ref()) {
                    Ok(kept) => app.register_form_claimed(editing.as_ref(), kept.as_ref()),
                    Err(e) => app.status = Some(Notice::error(&e, app.ctx.lang)),
                }
            }
            Err(e) => {
                let refusal = form_refusal(e, app.ctx.lang);
                app.register_form_refused(editing.as_ref(), &refusal);
                app.claims.forms_refused.insert(editing);
            }
        }
    }
}

/// Says that a draft was not written because this session does not hold it.
fn not_claimed(ctx: &Ctx) -> Notice {
    Notice::from(ctx.tr(
        "保存していません: この下書きは別のセッションで開かれています",
        "Not saved: this draft is open in another session.",
    ))
}

/// Claims the register form of `editing` for a write, unless this session
/// holds it already (`Ok(None)`); refused when another session has it.
fn form_claim(
    store: &Store,
    app: &App,
    editing: Option<&Id>,
) -> std::result::Result<Option<crate::store::DraftClaim>, Notice> {
    if app.claims.holds_form(editing) {
        return Ok(None);
    }
    store
        .claim_register_form(&app.ctx.inspector.id, editing, app.ctx.clock)
        .map(Some)
        .map_err(|e| form_refusal(e, app.ctx.lang))
}

/// Says that a register form was not written because this session does
/// not hold it.
fn form_not_claimed(ctx: &Ctx) -> Notice {
    Notice::from(ctx.tr(
        "保存していません: この入力フォームは別のセッションで開かれています",
        "Not saved: this form is open in another session.",
    ))
}

/// Feeds a list of effects through the store until none are left,
/// keeping the session's draft claims in step with the screens before each.
pub fn drain(store: &Store, app: &mut App, effects: Vec<Effect>) {
    claim_open_drafts(store, app);
    let mut queue: std::collections::VecDeque<Effect> = effects.into();
    while let Some(effect) = queue.pop_front() {
        if let Some(msg) = perform(store, app, effect) {
            queue.extend(app.update(msg));
            claim_open_drafts(store, app);
        }
    }
}

/// Keeps the session's claims in step with the open screens (issue 13: one
/// draft, one session): a claim on each run draft a screen edits, taken
/// when the first such screen opens and released when the last one
/// closes. A screen whose draft another session holds is told who has it
/// and shows it read-only; it is not claimed later while it stays open.
pub fn claim_open_drafts(store: &Store, app: &mut App) {
    claim_risk_draft(store, app);
    claim_register_forms(store, app);
    let open = app.drafts_on_screen();
    app.claims.held.retain(|k, _| open.contains(k));
    app.claims.refused.retain(|k| open.contains(k));
    for key in open {
        if app.claims.held.contains_key(&key) || app.claims.refused.contains(&key) {
            continue;
        }
        let (subject, inspection) = &key;
        let claimed = store.claim_draft(&app.ctx.inspector.id, subject, inspection, app.ctx.clock);
        match claimed {
            Ok(claim) => {
                app.claims.held.insert(key, claim);
            }
            Err(e) => {
                let refusal = claim_refusal(e, app.ctx.lang);
                app.draft_refused(subject, inspection, &refusal);
                app.claims.refused.insert(key);
            }
        }
    }
}

/// Says, for the status line, that a draft is open in another session
/// and who has it, or why it could not be claimed.
fn claim_refusal(e: ClaimError, lang: Lang) -> Notice {
    refusal_of(e, lang, Claimed::Draft)
}

/// The same for a register form.
fn form_refusal(e: ClaimError, lang: Lang) -> Notice {
    refusal_of(e, lang, Claimed::Form)
}

/// What a session claims.
#[derive(Clone, Copy)]
enum Claimed {
    Draft,
    Form,
}

fn refusal_of(e: ClaimError, lang: Lang, what: Claimed) -> Notice {
    let (ja, en) = match what {
        Claimed::Draft => ("この下書き", "this draft"),
        Claimed::Form => ("この入力フォーム", "this form"),
    };
    match e {
        ClaimError::Held { holder } => {
            let who = holder.map_or_else(String::new, |h| {
                let host = crate::escape::line(&h.host);
                let since = h.since.format("%Y-%m-%d %H:%M");
                match lang {
                    Lang::Ja => format!(
                        " (点検者 {}、{host} のプロセス {}、{since} から)",
                        h.inspector, h.pid
                    ),
                    Lang::En => format!(
                        " (inspector {}, process {} on {host}, since {since})",
                        h.inspector, h.pid
                    ),
                }
            });
            let hint = match what {
                Claimed::Draft => lang.pick(
                    "あちらのセッションを終えてから開き直してください。終了したセッションの下書きは自動で解放されます",
                    "finish or leave that session, then open the draft again; a session that ended in any way releases it by itself",
                ),
                Claimed::Form => lang.pick(
                    "あちらのセッションでフォームを閉じてから開き直してください。終了したセッションのフォームは自動で解放されます",
                    "close the form in that session, then open it again; a session that ended in any way releases it by itself",
                ),
            };
            Notice {
                text: match lang {
                    Lang::Ja => format!(
                        "閲覧のみ: {ja}は別のセッションで開かれています{who}。ここでは何も変更されません"
                    ),
                    Lang::En => format!(
                        "Read only: {en} is open in another session{who}. Nothing here changes it."
                    ),
                },
                hints: vec![hint.to_owned()],
            }
        }
        ClaimError::Failed(e) => Notice::error(&e, lang).framed(
            match what {
                Claimed::Draft => lang.pick(
                    "閲覧のみ: 下書きを確保できませんでした:",
                    "Read only: the draft could not be claimed:",
                ),
                Claimed::Form => lang.pick(
                    "閲覧のみ: 入力フォームを確保できませんでした:",
                    "Read only: the form could not be claimed:",
                ),
            },
            "",
        ),
    }
}

/// How long the event loop gets to notice a signal before the watcher
/// restores the terminal and exits on its own.
const SIGNAL_GRACE: Duration = Duration::from_millis(600);

/// Runs the interface until the user quits or a signal arrives.
pub fn run(store: &Store, mut app: App) -> Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicBool::new(false));
    watch_signals(Arc::clone(&stop), Arc::clone(&done))?;
    // try_init switches to raw mode and the alternate screen and installs a
    // panic hook that restores the terminal before the panic is printed.
    let default = ratatui::try_init().map_err(|e| Error::io("terminal", e))?;
    drop(default);
    // Bracketed paste: a paste arrives as one event for the open text field
    // instead of as keys, so pasted text can never answer items or leave a
    // form on its line breaks. The hook turns it off again on a panic.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = end_paste();
        hook(info);
    }));
    ratatui::crossterm::execute!(
        std::io::stdout(),
        ratatui::crossterm::event::EnableBracketedPaste
    )
    .map_err(|e| Error::io("terminal", e))?;
    let mut terminal = backend::Term::new(backend::GapFill::new(
        ratatui::backend::CrosstermBackend::new(std::io::stdout()),
    ))
    .map_err(|e| Error::io("terminal", e))?;
    // Claim the draft of a walker opened by `tenken run` before any key.
    claim_open_drafts(store, &mut app);
    let result = event_loop(store, &mut app, &mut terminal, &stop);
    // The draft is saved after every change. Save again only if the last
    // save failed: after a dropped link the inspector may already have
    // resumed in a new session, whose newer draft must not be overwritten.
    if let Some(draft) = app.screen().and_then(|s| s.draft())
        && app.unsaved
        && !draft.answers.is_empty()
        && app.claims.holds(&draft.subject, &draft.inspection)
    {
        let _ = store.save_draft(draft);
    }
    let restored = restore();
    done.store(true, Ordering::SeqCst);
    if let Some(status) = app.status.take()
        && !stop.load(Ordering::Relaxed)
    {
        eprintln!("{}", crate::escape::block(&status.lines(app.ctx.lang)));
    }
    result?;
    restored.map_err(|e| Error::io("terminal", e))
}

/// Turns bracketed paste off, so the shell after tenken gets pastes as usual.
fn end_paste() -> std::io::Result<()> {
    ratatui::crossterm::execute!(
        std::io::stdout(),
        ratatui::crossterm::event::DisableBracketedPaste
    )
}

/// Gives the terminal back as tenken found it: paste mode, raw mode, the
/// alternate screen.
fn restore() -> std::io::Result<()> {
    let paste = end_paste();
    ratatui::try_restore()?;
    paste
}

/// Starts a thread that turns SIGHUP, SIGTERM and SIGINT into a clean exit.
///
/// The event loop checks `stop` between events, but when the terminal has
/// hung up (a dropped SSH link) crossterm can stay inside its read loop on
/// end-of-file and never come back. So after a short grace period the
/// watcher restores the terminal itself and exits; every answer is already
/// in the draft on disk, and the store's writes are crash-safe.
fn watch_signals(stop: Arc<AtomicBool>, done: Arc<AtomicBool>) -> Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGHUP, SIGTERM, SIGINT])
        .map_err(|e| Error::io("signal handler", e))?;
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            stop.store(true, Ordering::SeqCst);
            let deadline = std::time::Instant::now() + SIGNAL_GRACE;
            while std::time::Instant::now() < deadline {
                if done.load(Ordering::SeqCst) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = restore();
            std::process::exit(128 + signal);
        }
    });
    Ok(())
}

fn event_loop(
    store: &Store,
    app: &mut App,
    terminal: &mut backend::Term,
    stop: &AtomicBool,
) -> Result<()> {
    // crossterm installs its SIGWINCH handler when its event source is
    // first used: do it before the first frame, or a resize right after
    // start-up is lost and the screen is never redrawn for the new size.
    let _ = event::poll(Duration::ZERO);
    let mut dirty = true;
    while !app.quitting && !stop.load(Ordering::Relaxed) {
        if dirty {
            terminal
                .draw(|frame| app.render(frame.area(), frame.buffer_mut()))
                .map_err(|e| Error::io("terminal", e))?;
            dirty = false;
        }
        // A read error usually means the terminal went away (a dropped SSH
        // link): leave quietly, the draft is already on disk.
        match event::poll(TICK) {
            Ok(false) => continue,
            Ok(true) => {}
            Err(_) => break,
        }
        match event::read() {
            Ok(Event::Key(key)) => {
                let effects = app.handle_key(key);
                drain(store, app, effects);
                dirty = true;
            }
            Ok(Event::Paste(text)) => {
                let effects = app.handle_paste(text);
                drain(store, app, effects);
                dirty = true;
            }
            Ok(Event::Resize(_, _)) => dirty = true,
            Ok(_) => {}
            Err(_) => break,
        }
    }
    Ok(())
}
