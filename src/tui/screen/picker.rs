//! Starting a run: pick the subject, then the inspection (filtered by what
//! the active profiles apply to that subject), then resume a draft, carry
//! answers over from the previous run, or start fresh.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{List, ListItem, Paragraph, Widget};

use crate::model::{Draft, Id};
use crate::tui::app::{Ctx, Nav, Step};
use crate::tui::keymap::{self, Action, Binding, ScreenId};
use crate::tui::msg::{Effect, Msg, Notice};
use crate::tui::screen::Screen;
use crate::tui::screen::walker::WalkerScreen;
use crate::tui::widget;
use crate::tui::widget::navigator::Navigator;
use crate::tui::widget::{truncate, wrap};
use unicode_width::UnicodeWidthStr;

/// Where the picker is.
#[derive(Debug, Clone, PartialEq)]
enum Stage {
    Subject,
    Inspection,
    /// A draft exists: resume it or discard it.
    Resume(Box<Draft>),
    /// A previous run exists: carry its answers over or start empty.
    Carry,
}

/// The picker's state.
#[derive(Debug)]
pub struct PickerScreen {
    stage: Stage,
    subjects: Vec<Id>,
    inspections: Vec<Id>,
    subject: Option<Id>,
    inspection: Option<Id>,
    nav: Navigator,
}

impl PickerScreen {
    /// Starts by choosing a subject.
    pub fn new(ctx: &Ctx) -> Self {
        let subjects: Vec<Id> = ctx
            .data
            .catalog
            .subjects
            .subjects
            .iter()
            .filter(|s| !s.retired)
            .filter(|s| {
                crate::restricted::may_run_subject(
                    &ctx.data.catalog.config,
                    &ctx.inspector.id,
                    &s.id,
                )
            })
            .map(|s| s.id.clone())
            .collect();
        Self {
            stage: Stage::Subject,
            nav: Navigator::new(subjects.len()),
            subjects,
            inspections: Vec::new(),
            subject: None,
            inspection: None,
        }
    }

    /// Opens the run of `inspection` × `subject`: the walker straight away
    /// when there is nothing to ask, else the picker with its question.
    pub fn open(ctx: &Ctx, subject: &Id, inspection: &Id) -> Result<Box<dyn Screen>, Notice> {
        let mut picker = Self::preselected(ctx, subject, inspection)?;
        Ok(match picker.start(ctx)? {
            Some(walker) => walker,
            None => Box::new(picker),
        })
    }

    /// Starts with subject and inspection already chosen; call [`Self::start`].
    pub fn preselected(ctx: &Ctx, subject: &Id, inspection: &Id) -> Result<Self, Notice> {
        if ctx.data.catalog.subjects.get(subject.as_str()).is_none() {
            return Err(format!(
                "{} `{subject}`",
                ctx.tr("未登録の対象です:", "unknown subject")
            )
            .into());
        }
        ctx.data.usable_template(inspection, ctx.lang)?;
        let mut p = Self::new(ctx);
        p.subject = Some(subject.clone());
        p.inspection = Some(inspection.clone());
        p.stage = Stage::Inspection;
        Ok(p)
    }

    /// Decides what happens once subject and inspection are known: a
    /// question (returns `None`, the picker stays) or a walker to open.
    pub fn start(&mut self, ctx: &Ctx) -> Result<Option<Box<dyn Screen>>, Notice> {
        let (Some(subject), Some(inspection)) = (self.subject.clone(), self.inspection.clone())
        else {
            return Ok(None);
        };
        if let Some(draft) = ctx.data.drafts.iter().find(|d| {
            d.subject == subject && d.inspection == inspection && d.inspector.id == ctx.inspector.id
        }) {
            self.stage = Stage::Resume(Box::new(draft.clone()));
            return Ok(None);
        }
        if ctx.data.latest_run(&subject, &inspection).is_some() {
            self.stage = Stage::Carry;
            return Ok(None);
        }
        let walker = WalkerScreen::fresh(ctx, &subject, &inspection, None)?;
        Ok(Some(Box::new(walker)))
    }

    fn inspections_for(ctx: &Ctx, subject: &Id) -> Vec<Id> {
        let catalog = &ctx.data.catalog;
        let Some(s) = catalog.subjects.get(subject.as_str()) else {
            return Vec::new();
        };
        let mut scheduled: Vec<Id> = catalog
            .config
            .profiles
            .iter()
            .filter_map(|p| catalog.profiles.get(p))
            .flat_map(|p| p.schedule.iter())
            .filter(|rule| rule.subjects.matches(s))
            .map(|rule| rule.inspection.clone())
            .collect();
        scheduled.sort();
        scheduled.dedup();
        // Everything else is still available, after the scheduled ones.
        let rest = catalog
            .inspections
            .keys()
            .filter(|id| !scheduled.contains(id))
            .cloned()
            .collect::<Vec<_>>();
        scheduled.extend(rest);
        // Only what tenken.ron lets this inspector run.
        scheduled.retain(|id| {
            crate::restricted::may_run_inspection(&catalog.config, &ctx.inspector.id, id)
        });
        scheduled
    }

    fn after_discard(&mut self, ctx: &Ctx) -> Step {
        let (Some(subject), Some(inspection)) = (&self.subject, &self.inspection) else {
            return Step::none();
        };
        if ctx.data.latest_run(subject, inspection).is_some() {
            self.stage = Stage::Carry;
            return Step::none();
        }
        self.open_fresh(ctx, false)
    }

    fn open_fresh(&self, ctx: &Ctx, carry: bool) -> Step {
        let (Some(subject), Some(inspection)) = (&self.subject, &self.inspection) else {
            return Step::none();
        };
        // Carried answers keep their notes and evidence: the run is read whole.
        let previous = if carry {
            ctx.data
                .latest_run(subject, inspection)
                .map(|h| ctx.data.full_run(&h.run))
        } else {
            None
        };
        match WalkerScreen::fresh(ctx, subject, inspection, previous.as_ref()) {
            Ok(w) => Step::nav(Nav::replace(w)),
            Err(e) => Step::notice(e),
        }
    }

    /// Answers the resume question: resume, or discard and go on.
    fn resume_or_discard(&mut self, draft: &Draft, action: Action, ctx: &Ctx) -> Step {
        match action {
            Action::Yes => match WalkerScreen::resume(draft.clone(), ctx) {
                Ok(w) => Step::nav(Nav::replace(w)),
                Err(e) => Step::notice(e),
            },
            Action::Discard => {
                let discard = Effect::DiscardDraft {
                    subject: draft.subject.clone(),
                    inspection: draft.inspection.clone(),
                };
                self.stage = Stage::Inspection;
                let mut step = self.after_discard(ctx);
                step.effects.insert(0, discard);
                step
            }
            Action::Back => Step::nav(Nav::Pop),
            _ => Step::none(),
        }
    }

    fn act(&mut self, action: Action, ctx: &Ctx) -> Step {
        match action {
            Action::Back => {
                if self.stage == Stage::Inspection
                    && !self.subjects.is_empty()
                    && !self.inspections.is_empty()
                {
                    self.stage = Stage::Subject;
                    self.nav = Navigator::new(self.subjects.len());
                } else {
                    return Step::nav(Nav::Pop);
                }
            }
            Action::Select => match self.stage {
                Stage::Subject => {
                    let Some(subject) = self
                        .nav
                        .selected()
                        .and_then(|i| self.subjects.get(i))
                        .cloned()
                    else {
                        return Step::none();
                    };
                    self.inspections = Self::inspections_for(ctx, &subject);
                    self.subject = Some(subject);
                    self.stage = Stage::Inspection;
                    self.nav = Navigator::new(self.inspections.len());
                }
                Stage::Inspection => {
                    let Some(inspection) = self
                        .nav
                        .selected()
                        .and_then(|i| self.inspections.get(i))
                        .cloned()
                    else {
                        return Step::none();
                    };
                    self.inspection = Some(inspection);
                    return match self.start(ctx) {
                        Ok(Some(walker)) => Step::nav(Nav::Replace(walker)),
                        Ok(None) => Step::none(),
                        Err(e) => Step::notice(e),
                    };
                }
                _ => {}
            },
            action => {
                self.nav.handle(action);
            }
        }
        Step::none()
    }
}

impl Screen for PickerScreen {
    fn id(&self) -> ScreenId {
        ScreenId::Picker
    }

    fn title(&self, ctx: &Ctx) -> String {
        ctx.tr("新しい点検", "New inspection").to_owned()
    }

    fn keys(&self) -> &'static [Binding] {
        match self.stage {
            Stage::Resume(_) => keymap::picker_question(true),
            Stage::Carry => keymap::picker_question(false),
            Stage::Subject | Stage::Inspection => keymap::bindings(ScreenId::Picker),
        }
    }

    fn update(&mut self, msg: Msg, ctx: &Ctx) -> Step {
        let Msg::Action(action) = msg else {
            return Step::none();
        };
        match &self.stage {
            Stage::Resume(draft) => {
                let draft = (**draft).clone();
                self.resume_or_discard(&draft, action, ctx)
            }
            Stage::Carry => match action {
                Action::Yes => self.open_fresh(ctx, true),
                Action::No => self.open_fresh(ctx, false),
                Action::Back => Step::nav(Nav::Pop),
                _ => Step::none(),
            },
            Stage::Subject | Stage::Inspection => self.act(action, ctx),
        }
    }

    fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let data = &ctx.data;
        // Borders, the highlight symbol and a margin on the right.
        let width = usize::from(area.width.saturating_sub(5));
        let theme = &ctx.theme;
        let block = |title: String| {
            widget::titled(Span::styled(title, theme.title), area).border_style(theme.border)
        };
        let what = || {
            format!(
                "{} · {}",
                self.inspection
                    .as_ref()
                    .map(|i| data.inspection_title(i, ctx.lang))
                    .unwrap_or_default(),
                self.subject
                    .as_ref()
                    .map(|s| data.subject_name(s, ctx.lang))
                    .unwrap_or_default()
            )
        };
        match &self.stage {
            Stage::Subject => {
                let items: Vec<ListItem> = self
                    .subjects
                    .iter()
                    .filter_map(|id| data.catalog.subjects.get(id.as_str()))
                    .map(|s| {
                        let kind = match s.kind {
                            crate::model::SubjectKind::Organisation => {
                                ctx.tr("自社", "organisation")
                            }
                            crate::model::SubjectKind::Site => ctx.tr("拠点", "site"),
                            crate::model::SubjectKind::Supplier => ctx.tr("委託先", "supplier"),
                        };
                        ListItem::new(name_and_detail(
                            crate::escape::line(s.name.get(ctx.lang)),
                            format!("  {} · {}", s.id, kind),
                            width,
                            ctx,
                        ))
                    })
                    .collect();
                let list = List::new(items)
                    .block(block(
                        ctx.tr(
                            "点検する対象を選んでください",
                            "Choose the subject to inspect",
                        )
                        .into(),
                    ))
                    .highlight_style(theme.selected)
                    .highlight_symbol("▸ ");
                self.nav.render_list(list, area, buf);
            }
            Stage::Inspection => {
                let subject = self
                    .subject
                    .as_ref()
                    .map(|s| data.subject_name(s, ctx.lang))
                    .unwrap_or_default();
                let items: Vec<ListItem> = self
                    .inspections
                    .iter()
                    .map(|id| match data.catalog.inspections.get(id) {
                        Some(i) => Ok(i),
                        // A broken template keeps its place in the list,
                        // dimmed and saying why; choosing it explains.
                        None => Err(id),
                    })
                    .map(|found| {
                        let i = match found {
                            Ok(i) => i,
                            Err(id) => {
                                let why = data.catalog.broken_inspection(id).map_or_else(
                                    String::new,
                                    |b| {
                                        b.first().map_or_else(String::new, |d| {
                                            format!(
                                                "  {} {}",
                                                ctx.tr("要修正:", "broken:"),
                                                d.text(ctx.lang)
                                            )
                                        })
                                    },
                                );
                                return ListItem::new(name_and_detail(
                                    id.to_string(),
                                    crate::escape::line(&why),
                                    width,
                                    ctx,
                                ))
                                .style(theme.dim);
                            }
                        };
                        let last = self
                            .subject
                            .as_ref()
                            .and_then(|s| data.latest_run(s, &i.id))
                            .map(|h| {
                                format!(
                                    "  {} {} ({:.0}%)",
                                    ctx.tr("前回", "last"),
                                    h.run.date(),
                                    h.percent
                                )
                            })
                            .unwrap_or_default();
                        ListItem::new(name_and_detail(
                            crate::escape::line(i.title.get(ctx.lang)),
                            format!("  {} {}{last}", i.item_count(), ctx.tr("項目", "items")),
                            width,
                            ctx,
                        ))
                    })
                    .collect();
                let list = List::new(items)
                    .block(block(format!(
                        "{} — {subject}",
                        ctx.tr("点検を選んでください", "Choose the inspection")
                    )))
                    .highlight_style(theme.selected)
                    .highlight_symbol("▸ ");
                self.nav.render_list(list, area, buf);
            }
            Stage::Resume(draft) => {
                let text = vec![
                    Line::from(Span::styled(what(), theme.title)),
                    Line::default(),
                    Line::from(format!(
                        "{} {} ({} {})",
                        ctx.tr("下書きがあります。開始:", "A draft exists, started"),
                        draft.started.format("%Y-%m-%d %H:%M"),
                        draft.answers.len(),
                        ctx.tr("件回答済", "answered"),
                    )),
                    Line::default(),
                    answers(keymap::picker_question(true), ctx),
                ];
                let frame = block(ctx.tr("下書きの再開", "Resume draft").into());
                let inner = frame.inner(area);
                frame.render(area, buf);
                Paragraph::new(wrap::lines(&text, usize::from(inner.width))).render(inner, buf);
            }
            Stage::Carry => {
                let last = self
                    .subject
                    .as_ref()
                    .zip(self.inspection.as_ref())
                    .and_then(|(s, i)| data.latest_run(s, i));
                let text = vec![
                    Line::from(Span::styled(what(), theme.title)),
                    Line::default(),
                    Line::from(format!(
                        "{} {} ({:.0}%)",
                        ctx.tr("前回の点検:", "Previous run:"),
                        last.map(|h| h.run.date().to_string()).unwrap_or_default(),
                        last.map_or(0.0, |h| h.percent)
                    )),
                    Line::from(ctx.tr(
                        "前回の回答を下書きとして引き継ぎますか? 引き継いだ回答は確認するまで「前回回答」と表示され、未確認のまま完了すると件数が記録されます。",
                        "Pre-fill from the previous run? Carried answers stay marked until you confirm or change each one; unconfirmed ones are counted on finish.",
                    )),
                    Line::default(),
                    answers(keymap::picker_question(false), ctx),
                ];
                let frame = block(ctx.tr("新しい点検", "New run").into());
                let inner = frame.inner(area);
                frame.render(area, buf);
                Paragraph::new(wrap::lines(&text, usize::from(inner.width))).render(inner, buf);
            }
        }
    }
}

/// Returns the answers to a question as one line, from the keymap: each
/// key and what it does, except help.
fn answers(bindings: &[Binding], ctx: &Ctx) -> Line<'static> {
    let mut spans = Vec::new();
    for b in bindings.iter().filter(|b| b.action != Action::Help) {
        spans.push(Span::styled(b.label, ctx.theme.key));
        spans.push(Span::raw(format!(" {}   ", b.desc(ctx.lang))));
    }
    Line::from(spans)
}

/// Returns a name and its dim detail in `width` cells: the name is cut
/// first (down to half the row), then the detail, each with `…`.
fn name_and_detail(name: String, detail: String, width: usize, ctx: &Ctx) -> Line<'static> {
    let name = truncate(&name, width.saturating_sub(detail.width()).max(width / 2));
    let detail = truncate(&detail, width.saturating_sub(name.width()));
    Line::from(vec![Span::raw(name), Span::styled(detail, ctx.theme.dim)])
}
