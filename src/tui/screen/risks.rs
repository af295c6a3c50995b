//! The risk register: the latest assessment's risks with the computed
//! columns (importance, likelihood, value, level), sorted by risk value or
//! in ledger order, each with its change since the previous assessment;
//! `n` opens the editor for a new assessment.

use std::collections::BTreeMap;

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use crate::escape;
use crate::model::{Id, PersonalData};
use crate::risk::{self, RiskChange, RiskLevel, RiskRow};
use crate::tui::app::{Ctx, Nav, Step};
use crate::tui::keymap::{Action, ScreenId};
use crate::tui::msg::{Msg, Notice};
use crate::tui::screen::Screen;
use crate::tui::screen::risk_editor::RiskEditorScreen;
use crate::tui::theme::Theme;
use crate::tui::widget;
use crate::tui::widget::navigator::Navigator;
use crate::tui::widget::table::{self, Col};
use crate::tui::widget::truncate;

/// The risk register's state.
#[derive(Debug)]
pub struct RisksScreen {
    rows: Vec<RiskRow>,
    /// Change since the previous assessment, by (asset, threat).
    changes: BTreeMap<(Id, Id), (RiskChange, i16)>,
    by_value: bool,
    nav: Navigator,
}

impl RisksScreen {
    /// Shows the latest assessment, highest risk value first.
    pub fn new(ctx: &Ctx) -> Self {
        let mut s = Self {
            rows: Vec::new(),
            changes: BTreeMap::new(),
            by_value: true,
            nav: Navigator::default(),
        };
        s.refresh(ctx);
        s
    }

    /// Computes the rows again from the (reloaded) assessments.
    fn refresh(&mut self, ctx: &Ctx) {
        let matrix = risk::likelihood_matrix(&ctx.data.catalog.config);
        let risks = &ctx.data.risks;
        self.rows = risks
            .last()
            .map(|a| risk::rows(a, &matrix))
            .unwrap_or_default();
        if self.by_value {
            risk::sort_by_value(&mut self.rows);
        }
        self.changes = match risks.len().checked_sub(2).and_then(|i| risks.get(i..)) {
            Some([from, to]) => risk::compare(from, to, &matrix)
                .into_iter()
                .filter_map(|d| {
                    let r = d.row()?;
                    Some((
                        (r.asset.clone(), r.threat.clone()),
                        (d.change, d.value_delta()),
                    ))
                })
                .collect(),
            _ => BTreeMap::new(),
        };
        self.nav.set_len(self.rows.len());
    }
}

impl Screen for RisksScreen {
    fn id(&self) -> ScreenId {
        ScreenId::Risks
    }

    fn title(&self, ctx: &Ctx) -> String {
        ctx.tr("リスク台帳", "Risk register").to_owned()
    }

    fn reload(&mut self, ctx: &Ctx) {
        self.refresh(ctx);
    }

    fn update(&mut self, msg: Msg, ctx: &Ctx) -> Step {
        let Msg::Action(action) = msg else {
            return Step::none();
        };
        match action {
            Action::Cycle => {
                self.by_value = !self.by_value;
                self.refresh(ctx);
                self.nav.select_near(0);
            }
            Action::NewRun => {
                if let Some(refused) = crate::restricted::edit_risks_refusal(
                    &ctx.data.catalog.config,
                    &ctx.inspector.id,
                    ctx.restricted,
                    ctx.lang,
                ) {
                    let mut step = Step::none();
                    step.notice = Some(Notice::from(refused));
                    return step;
                }
                let resumed = ctx.data.risk_draft.is_some();
                let editor = RiskEditorScreen::open(ctx);
                // A field a lost session was typing into says so itself.
                let restored = editor
                    .restored_typing()
                    .then(|| editor.status().cloned())
                    .flatten();
                let mut step = Step::nav(Nav::push(editor));
                if restored.is_some() {
                    step.notice = restored;
                    return step;
                }
                step.notice = Some(Notice::from(
                    if resumed {
                        ctx.tr(
                            "保存済みの下書きを再開しました",
                            "Resumed your saved draft.",
                        )
                    } else {
                        ctx.tr(
                            "前回の評価をもとに新しい評価を始めました",
                            "New assessment, starting from the latest one.",
                        )
                    }
                    .to_owned(),
                ));
                return step;
            }
            Action::Back => return Step::nav(Nav::Pop),
            action => {
                self.nav.handle(action);
            }
        }
        Step::none()
    }

    /// Draws the summary, the table and the selected risk in full.
    fn render(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        let [summary_area, table_area, detail_area] = Layout::vertical([
            Constraint::Length(2),
            Constraint::Min(3),
            Constraint::Length(6),
        ])
        .areas(area);
        let risks = &ctx.data.risks;
        let Some(latest) = risks.last() else {
            Paragraph::new(vec![
                Line::from(Span::styled(
                    ctx.tr("リスク評価はまだありません。", "No risk assessment yet."),
                    theme.title,
                )),
                Line::from(ctx.tr(
                    "n で資産台帳とリスク評価を始めます (下書きは自動保存)。",
                    "Press n to start the asset ledger and its risk assessment (saved as a draft as you go).",
                )),
            ])
            .wrap(Wrap { trim: false })
            .block(
                Block::default()
                    .borders(Borders::ALL)
                    .border_style(theme.border),
            )
            .render(area, buf);
            return;
        };
        let counts = risk::level_counts(&self.rows);
        let who = if latest.assessor.name.is_empty() {
            latest.assessor.id.to_string()
        } else {
            escape::line(&latest.assessor.name)
        };
        let first = |who: &str| {
            Line::from(
                [Span::styled(
                    match ctx.lang {
                        crate::model::Lang::Ja => format!(
                            " 評価日 {} · {who}資産 {} · ",
                            latest.date,
                            latest.assets.len()
                        ),
                        crate::model::Lang::En => format!(
                            " Assessed {} · {who}{} assets · ",
                            latest.date,
                            latest.assets.len()
                        ),
                    },
                    theme.title,
                )]
                .into_iter()
                .chain(level_spans(&counts, ctx))
                .collect::<Vec<_>>(),
            )
        };
        // On a narrow terminal the assessor gives way to the counts.
        let room = usize::from(summary_area.width).saturating_sub(1);
        let first = Some(first(&format!("{who} · ")))
            .filter(|l| l.width() <= room)
            .unwrap_or_else(|| widget::fit(first(""), room));
        let mut lines = vec![first];
        let second = if let Some(prev) = risks.len().checked_sub(2).and_then(|i| risks.get(i)) {
            let c = {
                let mut c = risk::ChangeCounts::default();
                for (change, _) in self.changes.values() {
                    match change {
                        RiskChange::Rose => c.rose += 1,
                        RiskChange::Fell => c.fell += 1,
                        RiskChange::Appeared => c.appeared += 1,
                        RiskChange::Disappeared => c.disappeared += 1,
                        RiskChange::Unchanged => c.unchanged += 1,
                    }
                }
                c
            };
            match ctx.lang {
                crate::model::Lang::Ja => format!(
                    " 前回 {} と比べて: 上昇 {} · 低下 {} · 新規 {} · 削除 {}",
                    prev.date, c.rose, c.fell, c.appeared, c.disappeared
                ),
                crate::model::Lang::En => format!(
                    " Since {}: {} rose · {} fell · {} new · {} gone",
                    prev.date, c.rose, c.fell, c.appeared, c.disappeared
                ),
            }
        } else {
            ctx.tr(
                " 前回の評価はありません",
                " No earlier assessment to compare with",
            )
            .to_owned()
        };
        let draft = if ctx.data.risk_draft.is_some() {
            ctx.tr("  · 下書きあり (n で再開)", "  · draft in progress (n)")
        } else {
            ""
        };
        lines.push(widget::fit(
            Line::from(vec![
                Span::styled(second, theme.dim),
                Span::styled(draft, theme.warn),
            ]),
            room,
        ));
        Paragraph::new(lines).render(summary_area, buf);

        let header = [
            ctx.tr("資産", "Asset"),
            ctx.tr("脅威", "Threat"),
            ctx.tr("重要", "Imp"),
            ctx.tr("脅", "T"),
            ctx.tr("脆", "V"),
            ctx.tr("可能", "L"),
            ctx.tr("値", "Val"),
            ctx.tr("レベル", "Level"),
            ctx.tr("対応", "Treat"),
            ctx.tr("増減", "Δ"),
        ];
        let cells: Vec<[(String, Style); 10]> = self
            .rows
            .iter()
            .map(|r| {
                let style = level_style(r.level, theme);
                let change = self.changes.get(&(r.asset.clone(), r.threat.clone()));
                let (delta, delta_style) = match change {
                    Some((RiskChange::Rose, d)) => (format!("▲+{d}"), theme.bad),
                    Some((RiskChange::Fell, d)) => (format!("▼{d}"), theme.good),
                    Some((RiskChange::Appeared, _)) => {
                        (ctx.tr("新規", "new").to_owned(), theme.warn)
                    }
                    Some(_) => ("=".to_owned(), theme.dim),
                    None => (String::new(), theme.dim),
                };
                let imp = if r.personal_data == PersonalData::None {
                    r.importance.to_string()
                } else {
                    format!("{}*", r.importance)
                };
                [
                    (escape::line(&r.asset_name), theme.text),
                    (escape::line(&r.title), theme.text),
                    (imp, theme.text),
                    (r.threat_value.to_string(), theme.text),
                    (r.vulnerability.to_string(), theme.text),
                    (r.likelihood.to_string(), theme.text),
                    (format!("{:>3}", r.value), style),
                    (level_name(r.level, ctx), style),
                    (treatment_name(r.treatment, ctx), theme.text),
                    (delta, delta_style),
                ]
            })
            .collect();
        let widest = |i: usize| table::widest(header[i], cells.iter().map(|c| c[i].0.as_str()));
        // Inside the border, with a cell before its right side.
        let room = usize::from(table_area.width.saturating_sub(3));
        // The asset up to a quarter of a wide table, the threat the rest;
        // the change gives way on the narrowest terminal (the pane below
        // says what changed).
        let mut cols = [Col::fixed(0); 10];
        cols[0] = Col::text(widest(0).min((room / 4).max(18)), 8);
        cols[1] = Col::fill(widest(1), 10);
        for (i, col) in cols.iter_mut().enumerate().skip(2) {
            *col = Col::fixed(widest(i));
        }
        cols[9] = cols[9].optional(1);
        let widths = table::widths(room, &cols);
        let table = table::table(header, cells, &widths, theme).block(
            widget::titled(
                format!(
                    "{} · {}",
                    if self.by_value {
                        ctx.tr(
                            "リスク値の高い順 (s で台帳順)",
                            "by risk value (s: ledger order)",
                        )
                    } else {
                        ctx.tr("台帳順 (s でリスク値順)", "ledger order (s: by risk value)")
                    },
                    ctx.tr("* 個人情報で重要度 3", "* importance 3 for personal data")
                ),
                table_area,
            )
            .border_style(theme.border),
        );
        self.nav.render_table(table, table_area, buf);
        self.render_detail(detail_area, buf, ctx);
    }
}

impl RisksScreen {
    fn render_detail(&self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border);
        let Some(r) = self.nav.selected().and_then(|i| self.rows.get(i)) else {
            block.render(area, buf);
            return;
        };
        // A cell before the right border.
        let width = usize::from(area.width.saturating_sub(3));
        let (c, i, a) = r.cia;
        let importance = if r.personal_data == PersonalData::None {
            format!("{} {}", ctx.tr("重要度", "importance"), r.importance)
        } else {
            format!(
                "{} {}",
                personal_name(r.personal_data, ctx),
                ctx.tr("→ 重要度 3", "→ importance 3")
            )
        };
        let formula = format!(
            "{} {} × {} {} = ",
            ctx.tr("重要度", "importance"),
            r.importance,
            ctx.tr("可能性", "likelihood"),
            r.likelihood,
        );
        // The level with what it means (大: a serious incident is likely).
        let value = match ctx.lang {
            crate::model::Lang::Ja => format!(
                "{} {}（{}）",
                r.value,
                r.level.label(ctx.lang),
                r.level.meaning(ctx.lang)
            ),
            crate::model::Lang::En => format!(
                "{} {} ({})",
                r.value,
                r.level.label(ctx.lang),
                r.level.meaning(ctx.lang)
            ),
        };
        let lines = vec![
            Line::from(Span::styled(
                truncate(
                    &format!(
                        "{} · C{c} I{i} A{a} · {importance}",
                        escape::line(&r.asset_name)
                    ),
                    width,
                ),
                theme.title,
            )),
            Line::from(truncate(
                &format!(
                    "{}: {} {} × {} {} → {} {}",
                    escape::line(&r.title),
                    ctx.tr("脅威", "threat"),
                    r.threat_value,
                    ctx.tr("脆弱性", "vulnerability"),
                    r.vulnerability,
                    ctx.tr("被害発生可能性", "likelihood"),
                    r.likelihood,
                ),
                width,
            )),
            widget::fit(
                Line::from(vec![
                    Span::raw(formula),
                    Span::styled(value, level_style(r.level, theme)),
                ]),
                width,
            ),
            Line::from(truncate(
                &format!(
                    "{}: {}",
                    treatment_name(r.treatment, ctx),
                    if r.plan.is_empty() {
                        "-".to_owned()
                    } else {
                        escape::line(&r.plan)
                    }
                ),
                width,
            )),
        ];
        Paragraph::new(lines).block(block).render(area, buf);
    }
}

/// Returns the style of a risk level: high red, medium yellow.
pub(crate) fn level_style(level: RiskLevel, theme: &Theme) -> Style {
    match level {
        RiskLevel::High => theme.bad,
        RiskLevel::Medium => theme.warn,
        RiskLevel::Low => theme.text,
    }
}

/// The number of risks at each level, coloured by level, as the risk
/// register's and the risk editor's summary lines show them.
pub(super) fn level_spans(counts: &risk::LevelCounts, ctx: &Ctx) -> [Span<'static>; 4] {
    let theme = &ctx.theme;
    [
        Span::styled(
            format!("{} {}", RiskLevel::High.label(ctx.lang), counts.high),
            theme.bad,
        ),
        Span::raw(" · "),
        Span::styled(
            format!("{} {}", RiskLevel::Medium.label(ctx.lang), counts.medium),
            theme.warn,
        ),
        Span::raw(format!(
            " · {} {}",
            RiskLevel::Low.label(ctx.lang),
            counts.low
        )),
    ]
}

/// Returns the shown name of a risk level (大/中/小).
pub(crate) fn level_name(level: RiskLevel, ctx: &Ctx) -> String {
    level.label(ctx.lang).to_owned()
}

/// Returns the shown name of a treatment.
pub(crate) fn treatment_name(t: crate::model::Treatment, ctx: &Ctx) -> String {
    use crate::model::Treatment;
    match t {
        Treatment::Reduce => ctx.tr("低減", "reduce"),
        Treatment::Retain => ctx.tr("保有", "retain"),
        Treatment::Avoid => ctx.tr("回避", "avoid"),
        Treatment::Transfer => ctx.tr("移転", "transfer"),
    }
    .to_owned()
}

/// Returns the shown name of a kind of personal data.
pub(crate) fn personal_name(p: PersonalData, ctx: &Ctx) -> String {
    match p {
        PersonalData::None => ctx.tr("なし", "none"),
        PersonalData::Personal => ctx.tr("個人情報", "personal data"),
        PersonalData::Sensitive => ctx.tr("要配慮個人情報", "sensitive personal data"),
        PersonalData::MyNumber => ctx.tr("特定個人情報", "My Number data"),
    }
    .to_owned()
}
