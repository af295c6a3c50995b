//! How the risk editor looks: the counts, the ledger with its computed
//! columns, and the fields of the selected row (the one being typed into
//! becomes a whole-width text field).

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table, Widget};
use unicode_width::UnicodeWidthStr;

use crate::escape;
use crate::model::PersonalData;
use crate::risk::{self, measures};
use crate::tui::app::Ctx;
use crate::tui::screen::risks::{level_name, level_style, treatment_name};
use crate::tui::widget::table::{self, Col};
use crate::tui::widget::{self, truncate};

use super::{Field, Mode, RiskEditorScreen, RowRef, suggestion};

impl RiskEditorScreen {
    pub(super) fn draw(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        let [summary_area, table_area, form_area] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(4),
            Constraint::Length(6),
        ])
        .areas(area);
        let all = risk::rows(&self.risk, &self.matrix);
        let counts = risk::level_counts(&all);
        let mut summary = Line::from(vec![
            Span::styled(format!(" {} · ", self.risk.date), theme.dim),
            Span::raw(match ctx.lang {
                crate::model::Lang::Ja => {
                    format!("資産 {} · リスク {}: ", self.risk.assets.len(), all.len())
                }
                crate::model::Lang::En => {
                    format!("{} assets · {} risks: ", self.risk.assets.len(), all.len())
                }
            }),
        ]);
        summary
            .spans
            .extend(crate::tui::screen::risks::level_spans(&counts, ctx));
        // On a narrow terminal the assessment date gives way to the counts.
        let room = usize::from(summary_area.width).saturating_sub(1);
        if summary.width() > room {
            summary.spans[0] = Span::raw(" ");
        }
        widget::fit(summary, room).render(summary_area, buf);
        self.render_table(table_area, buf, ctx);
        self.render_form(form_area, buf, ctx);
    }

    fn render_table(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        let focus = theme.selected.add_modifier(Modifier::BOLD);
        let rows = self.rows();
        let selected = self.current();
        let focused = self.focused();
        let header = [
            ctx.tr("資産 / 脅威", "Asset / threat"),
            "C",
            "I",
            "A",
            ctx.tr("個人", "PD"),
            ctx.tr("重要", "Imp"),
            ctx.tr("脅", "T"),
            ctx.tr("脆", "V"),
            ctx.tr("可能", "L"),
            ctx.tr("値", "Val"),
            ctx.tr("レベル", "Level"),
            ctx.tr("対応", "Treat"),
        ];
        // Each row's cells as text, style and the field it edits (None: a
        // derived value), before the widths are known.
        let blank = || (String::new(), theme.text, None);
        let texts: Vec<[(String, Style, Option<Field>); 12]> = rows
            .iter()
            .map(|&row| match row {
                RowRef::Asset(a) => {
                    let asset = &self.risk.assets[a];
                    let name = if asset.name.is_empty() {
                        ctx.tr("(名前なし)", "(no name)").to_owned()
                    } else {
                        escape::line(&asset.name)
                    };
                    let pd = match asset.personal_data {
                        PersonalData::None => "-",
                        PersonalData::Personal => ctx.tr("個", "P"),
                        PersonalData::Sensitive => ctx.tr("要", "S"),
                        PersonalData::MyNumber => ctx.tr("番", "MN"),
                    };
                    [
                        (name, theme.title, Some(Field::Name)),
                        (asset.c.to_string(), theme.text, Some(Field::C)),
                        (asset.i.to_string(), theme.text, Some(Field::I)),
                        (asset.a.to_string(), theme.text, Some(Field::A)),
                        (pd.to_owned(), theme.text, Some(Field::Personal)),
                        (risk::asset_importance(asset).to_string(), theme.text, None),
                        blank(),
                        blank(),
                        blank(),
                        blank(),
                        blank(),
                        blank(),
                    ]
                }
                RowRef::Threat(a, t) => {
                    let asset = &self.risk.assets[a];
                    let threat = &asset.threats[t];
                    let r = risk::RiskRow::new(asset, threat, &self.matrix);
                    let title = if threat.title.is_empty() {
                        ctx.tr("(名前なし)", "(no name)").to_owned()
                    } else {
                        escape::line(&threat.title)
                    };
                    let style = level_style(r.level, theme);
                    [
                        (format!("  └ {title}"), theme.text, Some(Field::Title)),
                        blank(),
                        blank(),
                        blank(),
                        blank(),
                        blank(),
                        (threat.threat.to_string(), theme.text, Some(Field::Threat)),
                        (
                            threat.vulnerability.to_string(),
                            theme.text,
                            Some(Field::Vulnerability),
                        ),
                        (r.likelihood.to_string(), theme.text, None),
                        (format!("{:>3}", r.value), style, None),
                        (level_name(r.level, ctx), style, None),
                        (
                            treatment_name(threat.treatment, ctx),
                            theme.text,
                            Some(Field::Treatment),
                        ),
                    ]
                }
            })
            .collect();
        let widest = |i: usize| table::widest(header[i], texts.iter().map(|c| c[i].0.as_str()));
        let mut cols = [Col::fixed(0); 12];
        // The name as wide as the longest (the numbers stay next to it on
        // a wide terminal), down to 12 cells.
        cols[0] = Col::text(widest(0), 12);
        for (i, col) in cols.iter_mut().enumerate().skip(1) {
            *col = Col::fixed(widest(i));
        }
        // Inside the border, after the highlight marker, with a cell
        // before the right border (the treatment ran into it).
        let widths = table::widths(usize::from(area.width.saturating_sub(4)), &cols);
        let body = texts.into_iter().zip(&rows).map(|(cells, &row)| {
            let cells: Vec<Cell> = cells
                .into_iter()
                .zip(&widths)
                .map(|((text, style, field), w)| {
                    let style = if field.is_some() && Some(row) == selected && focused == field {
                        focus
                    } else {
                        style
                    };
                    Cell::from(Span::styled(truncate(&text, *w), style))
                })
                .collect();
            Row::new(table::shown(cells, &widths))
        });
        self.nav.set_len(rows.len());
        self.nav.select_near(self.row);
        let table = Table::new(body, table::constraints(&widths))
            .header(Row::new(table::shown(header.to_vec(), &widths)).style(theme.title))
            .highlight_symbol("▸")
            .block(
                widget::titled(
                    self.based_on.as_deref().map_or_else(
                        || ctx.tr("下書き", "draft").to_owned(),
                        |b| {
                            format!(
                                "{} {}",
                                ctx.tr("元の評価:", "starting from"),
                                escape::line(b)
                            )
                        },
                    ),
                    area,
                )
                .border_style(theme.border),
            );
        self.nav.render_table(table, area, buf);
    }

    /// The threat's category and how its vulnerability relates to the
    /// inspections: taken from them, set against them (with the reason),
    /// or what they suggest.
    fn category_line(
        threat: &crate::model::Threat,
        ctx: &Ctx,
        width: usize,
        slot: &dyn Fn(Field, String) -> Vec<Span<'static>>,
    ) -> Vec<Span<'static>> {
        let theme = &ctx.theme;
        let name = threat
            .category
            .as_ref()
            .and_then(|c| measures::category(c.as_str()))
            .map_or_else(
                || {
                    ctx.tr("なし (Space で選択)", "none (Space chooses)")
                        .to_owned()
                },
                |c| c.title(ctx.lang).to_owned(),
            );
        let mut spans = slot(Field::Category, name);
        let status = match (&threat.derived, threat.category.as_ref()) {
            (Some(d), _) if d.value == threat.vulnerability => ctx
                .tr("脆弱性は点検結果から", "vulnerability from the inspections")
                .to_owned(),
            (Some(d), _) if d.note.trim().is_empty() => format!(
                "{} {} · {}",
                ctx.tr("点検結果では", "the inspections say"),
                d.value,
                ctx.tr(
                    "理由が未記入 (脆弱性で Enter)",
                    "no reason yet (Enter on it)"
                )
            ),
            (Some(d), _) => format!(
                "{} {}: {}",
                ctx.tr("手入力。点検結果では", "set by hand; the inspections say"),
                d.value,
                escape::line(d.note.trim())
            ),
            (None, Some(category)) => match suggestion(ctx, category) {
                Some(s) => format!(
                    "{} {} (d {})",
                    ctx.tr("点検結果では", "inspections suggest"),
                    s.value,
                    ctx.tr("で反映", "takes it")
                ),
                None => ctx
                    .tr(
                        "対策の点検結果はまだありません",
                        "no answers for its measures yet",
                    )
                    .to_owned(),
            },
            (None, None) => String::new(),
        };
        // The form's lines may use the inner width less a cell before the border.
        let room = (width + 1).saturating_sub(spans.iter().map(Span::width).sum::<usize>());
        spans.push(Span::styled(truncate(&status, room), theme.dim));
        spans
    }

    fn render_form(&mut self, area: Rect, buf: &mut Buffer, ctx: &Ctx) {
        let theme = &ctx.theme;
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.border);
        let Some(row) = self.current() else {
            block.render(area, buf);
            return;
        };
        let width = usize::from(area.width.saturating_sub(4));
        let focused = self.focused();
        let slot = |field: Field, shown: String| -> Vec<Span<'static>> {
            let label = Span::styled(format!("{}: ", field.label(ctx)), theme.dim);
            let value = if focused == Some(field) {
                Span::styled(shown, theme.selected)
            } else {
                Span::raw(shown)
            };
            vec![label, value, Span::raw("  ")]
        };
        let or_dash = |s: &str, room: usize| {
            if s.is_empty() {
                "-".to_owned()
            } else {
                truncate(&escape::line(s), room)
            }
        };
        let mut lines: Vec<Line> = Vec::new();
        // The fields shown on each line, to find the one being typed into.
        let holds: &[&[Field]] = match row {
            RowRef::Asset(_) => &[
                &[Field::Name],
                &[Field::C, Field::I, Field::A, Field::Personal],
                &[Field::Business, Field::Owner],
                &[Field::Medium, Field::Users],
            ],
            RowRef::Threat(..) => &[
                &[Field::Title],
                &[Field::Threat, Field::Vulnerability],
                &[Field::Treatment, Field::Plan],
                &[Field::Category],
            ],
        };
        match row {
            RowRef::Asset(a) => {
                let asset = &self.risk.assets[a];
                let imp = risk::asset_importance(asset);
                lines.push(Line::from(slot(
                    Field::Name,
                    or_dash(&asset.name, width.saturating_sub(8)),
                )));
                let mut values = slot(Field::C, asset.c.to_string());
                values.extend(slot(Field::I, asset.i.to_string()));
                values.extend(slot(Field::A, asset.a.to_string()));
                let pd = match asset.personal_data {
                    PersonalData::None => ctx.tr("なし", "none"),
                    PersonalData::Personal => ctx.tr("個人情報", "personal"),
                    PersonalData::Sensitive => ctx.tr("要配慮", "sensitive"),
                    PersonalData::MyNumber => ctx.tr("特定個人情報", "My Number"),
                };
                values.extend(slot(Field::Personal, pd.to_owned()));
                let forced = asset.personal_data != PersonalData::None
                    && asset.c.max(asset.i).max(asset.a) < 3;
                values.push(Span::styled(
                    format!(
                        "→ {} {imp}{}",
                        ctx.tr("重要度", "importance"),
                        if forced {
                            ctx.tr(" (個人情報のため)", " (personal data)")
                        } else {
                            ""
                        }
                    ),
                    theme.title,
                ));
                lines.push(Line::from(values));
                let mut more = slot(Field::Business, or_dash(&asset.business, 24));
                more.extend(slot(Field::Owner, or_dash(&asset.owner, 24)));
                lines.push(Line::from(more));
                let mut more = slot(Field::Medium, or_dash(&asset.medium, 24));
                more.extend(slot(Field::Users, or_dash(&asset.users, 24)));
                lines.push(Line::from(more));
            }
            RowRef::Threat(a, t) => {
                let asset = &self.risk.assets[a];
                let threat = &asset.threats[t];
                let r = risk::RiskRow::new(asset, threat, &self.matrix);
                lines.push(Line::from(slot(
                    Field::Title,
                    or_dash(&threat.title, width.saturating_sub(8)),
                )));
                let mut values = slot(Field::Threat, threat.threat.to_string());
                values.extend(slot(Field::Vulnerability, threat.vulnerability.to_string()));
                values.push(Span::styled(
                    format!(
                        "→ {} {} · {} {} × {} = ",
                        ctx.tr("可能性", "likelihood"),
                        r.likelihood,
                        ctx.tr("重要度", "importance"),
                        r.importance,
                        r.likelihood
                    ),
                    theme.title,
                ));
                values.push(Span::styled(
                    format!("{} {}", r.value, level_name(r.level, ctx)),
                    level_style(r.level, theme).add_modifier(Modifier::BOLD),
                ));
                lines.push(Line::from(values));
                let mut more = slot(Field::Treatment, treatment_name(threat.treatment, ctx));
                more.extend(slot(
                    Field::Plan,
                    or_dash(&threat.plan, width.saturating_sub(32)),
                ));
                lines.push(Line::from(more));
                lines.push(Line::from(Self::category_line(threat, ctx, width, &slot)));
            }
        }
        let hint = match (&self.mode, focused) {
            // Another session has the draft: nothing here edits.
            _ if self.read_only.is_some() => ctx.tr(
                "閲覧のみ · ←/→ で項目移動",
                "read only · ←/→ moves between fields",
            ),
            (Mode::Text(_), _) => ctx.tr(
                "Enter で確定 · Esc で取消",
                "Enter keeps the text · Esc cancels",
            ),
            (_, Some(Field::Vulnerability)) if self.overridden().is_some() => ctx.tr(
                "1〜3 で設定 · Enter で点検結果と異なる理由",
                "1-3 sets the value · Enter: why it differs from the inspections",
            ),
            (_, Some(Field::C | Field::I | Field::A | Field::Threat | Field::Vulnerability)) => ctx
                .tr(
                    "1〜3 で設定 · ←/→ で項目移動",
                    "1-3 sets the value · ←/→ moves between fields",
                ),
            (_, Some(Field::Personal)) => ctx.tr(
                "1 なし 2 個人情報 3 要配慮 4 特定個人情報 (マイナンバー)",
                "1 none · 2 personal · 3 sensitive · 4 My Number",
            ),
            (_, Some(Field::Category)) => ctx.tr(
                "Space で分類を切り替え · d で脆弱性を点検結果から",
                "Space: next category · d: vulnerability from the inspections",
            ),
            (_, Some(Field::Treatment)) => ctx.tr(
                "1 低減 2 保有 3 回避 4 移転",
                "1 reduce · 2 retain · 3 avoid · 4 transfer",
            ),
            _ => ctx.tr(
                "Enter で編集 · ←/→ で項目移動",
                "Enter edits the text · ←/→ moves between fields",
            ),
        };
        let title = match row {
            RowRef::Asset(_) => ctx.tr("資産", "Asset"),
            RowRef::Threat(..) => ctx.tr("脅威", "Threat"),
        };
        let block = block.title(truncate(&format!(" {title} · {hint} "), width));
        let inner = block.inner(area);
        // Every line keeps a cell before the right border; what does not
        // fit ends with "…".
        let room = usize::from(area.width.saturating_sub(3));
        let lines: Vec<Line> = lines.into_iter().map(|l| widget::fit(l, room)).collect();
        Paragraph::new(lines).block(block).render(area, buf);
        // The line holding the field being typed into becomes that field.
        let (Mode::Text(input), Some(field)) = (&mut self.mode, focused) else {
            return;
        };
        let Some(at) = holds.iter().position(|fields| fields.contains(&field)) else {
            return;
        };
        let line = Rect {
            y: inner.y + u16::try_from(at).unwrap_or(0),
            height: 1,
            ..inner
        };
        if line.y >= inner.bottom() {
            return;
        }
        Clear.render(line, buf);
        let label = format!("{}: ", field.label(ctx));
        let used = u16::try_from(label.width()).unwrap_or(0).min(line.width);
        Line::from(Span::styled(label, theme.key)).render(line, buf);
        let value = Rect {
            x: line.x + used,
            width: line.width - used,
            ..line
        };
        input.render(value, buf, theme.text, theme.selected);
    }
}
