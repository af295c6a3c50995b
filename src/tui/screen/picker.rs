//! Starting a run: pick the subject, then the inspection (filtered by what
//! the active profiles apply to that subject), then resume a draft, carry
//! answers over from the previous run, or start fresh.

use ratatui::buffer::Buffer;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Borders, List, ListItem, ListState, Paragraph, StatefulWidget, Widget, Wrap,
};

use crate::model::{Draft, Id};
use crate::tui::app::{Ctx, Nav, Screen, Step};
use crate::tui::keymap::Action;
use crate::tui::msg::{Effect, Msg};
use crate::tui::screen::StepSelection;
use crate::tui::screen::walker::WalkerScreen;

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
    state: ListState,
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
        let mut state = ListState::default();
        state.select((!subjects.is_empty()).then_some(0));
        Self {
            stage: Stage::Subject,
            subjects,
            inspections: Vec::new(),
            subject: None,
            inspection: None,
            state,
        }
    }

    /// Starts with subject and inspection already chosen; call [`Self::start`].
    pub fn preselected(ctx: &Ctx, subject: &Id, inspection: &Id) -> Result<Self, String> {
        if ctx.data.catalog.subjects.get(subject.as_str()).is_none() {
            return Err(format!(
                "{} `{subject}`",
                ctx.tr("未登録の対象です:", "unknown subject")
            ));
        }
        if !ctx.data.catalog.inspections.contains_key(inspection) {
            return Err(format!(
                "{} `{inspection}`",
                ctx.tr("未登録の点検です:", "unknown inspection")
            ));
        }
        let mut p = Self::new(ctx);
        p.subject = Some(subject.clone());
        p.inspection = Some(inspection.clone());
        p.stage = Stage::Inspection;
        Ok(p)
    }

    /// Returns true while a resume or carry-over question is open.
    pub fn is_prompting(&self) -> bool {
        matches!(self.stage, Stage::Resume(_) | Stage::Carry)
    }

    /// Decides what happens once subject and inspection are known: a
    /// question (returns `None`, the picker stays) or a walker to open.
    pub fn start(&mut self, ctx: &Ctx) -> Result<Option<Screen>, String> {
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
        Ok(Some(Screen::Walker(Box::new(walker))))
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

    /// Handles a message.
    pub fn update(&mut self, msg: Msg, ctx: &Ctx) -> Step {
        match (&self.stage, msg) {
            (Stage::Resume(draft), Msg::Input(key)) => match key.code {
                KeyCode::Char('r') | KeyCode::Enter => {
                    match WalkerScreen::resume((**draft).clone(), ctx) {
                        Ok(w) => Step::nav(Nav::Replace(Screen::Walker(Box::new(w)))),
                        Err(e) => Step::notice(e),
                    }
                }
                KeyCode::Char('d') => {
                    let effects = vec![Effect::DiscardDraft {
                        subject: draft.subject.clone(),
                        inspection: draft.inspection.clone(),
                    }];
                    self.stage = Stage::Inspection;
                    let mut step = self.after_discard(ctx);
                    step.effects.splice(0..0, effects);
                    step
                }
                KeyCode::Esc | KeyCode::Char('q') => Step::nav(Nav::Pop),
                _ => Step::none(),
            },
            (Stage::Carry, Msg::Input(key)) => {
                let carry = match key.code {
                    KeyCode::Char('y') | KeyCode::Enter => true,
                    KeyCode::Char('n') => false,
                    KeyCode::Esc | KeyCode::Char('q') => return Step::nav(Nav::Pop),
                    _ => return Step::none(),
                };
                self.open_fresh(ctx, carry)
            }
            (_, Msg::Action(action)) => self.act(action, ctx),
            _ => Step::none(),
        }
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
        let previous = if carry {
            ctx.data.latest_run(subject, inspection).map(|h| &h.run)
        } else {
            None
        };
        match WalkerScreen::fresh(ctx, subject, inspection, previous) {
            Ok(w) => Step::nav(Nav::Replace(Screen::Walker(Box::new(w)))),
            Err(e) => Step::notice(e),
        }
    }

    fn act(&mut self, action: Action, ctx: &Ctx) -> Step {
        let len = match self.stage {
            Stage::Subject => self.subjects.len(),
            _ => self.inspections.len(),
        };
        match action {
            Action::Up => self.state.step(len, -1),
            Action::Down => self.state.step(len, 1),
            Action::Back => {
                if self.stage == Stage::Inspection
                    && !self.subjects.is_empty()
                    && !self.inspections.is_empty()
                {
                    self.stage = Stage::Subject;
                    self.state.select(Some(0));
                } else {
                    return Step::nav(Nav::Pop);
                }
            }
            Action::Select => match self.stage {
                Stage::Subject => {
                    let Some(subject) = self
                        .state
                        .selected()
                        .and_then(|i| self.subjects.get(i))
                        .cloned()
                    else {
                        return Step::none();
                    };
                    self.inspections = Self::inspections_for(ctx, &subject);
                    self.subject = Some(subject);
                    self.stage = Stage::Inspection;
                    self.state.select(Some(0));
                }
                Stage::Inspection => {
                    let Some(inspection) = self
                        .state
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
            _ => {}
        }
        Step::none()
    }

    /// Draws the picker.
    pub fn render(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let data = &ctx.data;
        let theme = &ctx.theme;
        let block = |title: String| {
            Block::default()
                .borders(Borders::ALL)
                .border_style(theme.border)
                .title(Span::styled(title, theme.title))
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
                    .map(|s| data.subject_name(s))
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
                        ListItem::new(Line::from(vec![
                            Span::raw(crate::model::escape_control(&s.name)),
                            Span::styled(format!("  {} · {}", s.id, kind), theme.dim),
                        ]))
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
                StatefulWidget::render(list, area, buf, &mut self.state.clone());
            }
            Stage::Inspection => {
                let subject = self
                    .subject
                    .as_ref()
                    .map(|s| data.subject_name(s))
                    .unwrap_or_default();
                let items: Vec<ListItem> = self
                    .inspections
                    .iter()
                    .filter_map(|id| data.catalog.inspections.get(id))
                    .map(|i| {
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
                        ListItem::new(Line::from(vec![
                            Span::raw(crate::model::escape_control(i.title.get(ctx.lang))),
                            Span::styled(
                                format!("  {} {}{last}", i.item_count(), ctx.tr("項目", "items")),
                                theme.dim,
                            ),
                        ]))
                    })
                    .collect();
                let list = List::new(items)
                    .block(block(format!(
                        "{} — {subject}",
                        ctx.tr("点検を選んでください", "Choose the inspection")
                    )))
                    .highlight_style(theme.selected)
                    .highlight_symbol("▸ ");
                StatefulWidget::render(list, area, buf, &mut self.state.clone());
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
                    Line::from(vec![
                        Span::styled("r", theme.key),
                        Span::raw(ctx.tr(" 再開   ", " resume   ")),
                        Span::styled("d", theme.key),
                        Span::raw(ctx.tr(" 破棄して新規   ", " discard and start over   ")),
                        Span::styled("Esc", theme.key),
                        Span::raw(ctx.tr(" 戻る", " back")),
                    ]),
                ];
                Paragraph::new(text)
                    .wrap(Wrap { trim: false })
                    .block(block(ctx.tr("下書きの再開", "Resume draft").into()))
                    .render(area, buf);
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
                    Line::from(vec![
                        Span::styled("y", theme.key),
                        Span::raw(ctx.tr(" 引き継ぐ   ", " carry over   ")),
                        Span::styled("n", theme.key),
                        Span::raw(ctx.tr(" 白紙から   ", " start empty   ")),
                        Span::styled("Esc", theme.key),
                        Span::raw(ctx.tr(" 戻る", " back")),
                    ]),
                ];
                Paragraph::new(text)
                    .wrap(Wrap { trim: false })
                    .block(block(ctx.tr("新しい点検", "New run").into()))
                    .render(area, buf);
            }
        }
    }
}
