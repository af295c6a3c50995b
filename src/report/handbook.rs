//! The staff handbook (情報セキュリティハンドブック): what every member of
//! staff must do, topic by topic of the self-check (and category by
//! category of the rules inspection, when the company has run one), with
//! where the company stands on each (from its latest answers) and what
//! staff do until a gap is closed; who is responsible (the management
//! structure) and whom to tell when something goes wrong. The guideline's
//! step 2 ends in such a handbook of the company's own (its appendix 4 is
//! a template for one); this one is a starting point to edit.
//!
//! Like `build` for reports, this is where every word of the handbook is
//! picked, in one language, and where data is escaped; `md` and `html`
//! only lay the [`Document`] out. Pure: the runs, the register and the
//! date come in.
//!
//! Over 700 lines on purpose: it holds every word of the handbook in both
//! languages, the one place where they are picked.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::clean;
use super::doc::{Chapter, Column, Document, Fact, Part, Span, Table, Tone, Topic, TopicGroup};
use crate::actions::CorrectiveAction;
use crate::model::{Choice, CommitId, Inspection, Item, Lang, Run};
use crate::roles::{Directory, INSPECTION_LEAD, SECURITY_LEAD, TRAINING_LEAD};
use crate::score::DONT_KNOW;

/// A checklist the handbook is made from: its template and, when the
/// company has answered it, the latest run and the commit that added it.
#[derive(Debug, Clone, Copy)]
pub struct Basis<'a> {
    /// The template (the one the run answered, else the current one).
    pub template: &'a Inspection,
    /// The latest current run and its commit, if any.
    pub run: Option<(&'a Run, Option<CommitId>)>,
}

/// Everything the handbook is made from.
#[derive(Debug, Clone)]
pub struct Handbook<'a> {
    /// The organisation's name.
    pub organisation: String,
    /// The language of the whole handbook.
    pub lang: Lang,
    /// The day it is made.
    pub made: NaiveDate,
    /// The management structure with people's names.
    pub directory: Directory<'a>,
    /// The self-check (the handbook's topics).
    pub self_check: Option<Basis<'a>>,
    /// The rules inspection, when the company has one.
    pub rules: Option<Basis<'a>>,
    /// Open corrective actions of those runs' series.
    pub actions: Vec<CorrectiveAction>,
}

/// Where one item stands, as the handbook says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    /// Answered with the best choice.
    InPlace,
    /// Answered below the best choice, not "don't know".
    Gap,
    /// Answered "don't know".
    Unknown,
    /// Answered "not applicable".
    NotApplicable,
    /// Not answered, or no run.
    Unchecked,
}

fn standing<'a>(
    template: &'a Inspection,
    item: &Item,
    run: Option<&Run>,
) -> (Standing, Option<&'a Choice>) {
    let Some(answer) = run.and_then(|r| r.answers.get(&item.id)) else {
        return (Standing::Unchecked, None);
    };
    let Some(choice) = template.choice(item, answer.choice.as_str()) else {
        return (Standing::Unchecked, None);
    };
    let best = template.best_choice(item).and_then(|c| c.points);
    let standing = match choice.points {
        None => Standing::NotApplicable,
        Some(_) if choice.id.as_str() == DONT_KNOW => Standing::Unknown,
        Some(p) if Some(p) >= best => Standing::InPlace,
        Some(_) => Standing::Gap,
    };
    (standing, Some(choice))
}

/// Builds the handbook's document.
pub fn document(h: &Handbook<'_>) -> Document {
    let lang = h.lang;
    let mut parts = vec![Part::Chapter(about(h))];
    if let Some(gaps) = gaps_chapter(h) {
        parts.push(Part::Chapter(gaps));
    }
    parts.push(Part::Chapter(structure(h)));
    match h.self_check {
        Some(basis) => parts.push(Part::Chapter(self_check(h, basis))),
        None => parts.push(Part::Notice(
            lang.pick(
                "自社診断のチェックリスト（ipa-self-check）がリポジトリにないため、項目ごとのルールを作れませんでした。",
                "The repository has no self-check template (ipa-self-check), so there are no topics to write rules for.",
            )
            .to_owned(),
        )),
    }
    if let Some(basis) = h.rules {
        parts.push(Part::Chapter(rules(h, basis)));
    }
    Document {
        lang: lang.tag(),
        title: format!(
            "{} — {}",
            lang.pick(
                "情報セキュリティハンドブック",
                "Information security handbook"
            ),
            clean(&h.organisation)
        ),
        organisation: Fact {
            label: lang.pick("組織", "Organisation").to_owned(),
            value: vec![Span::Text(clean(&h.organisation))],
        },
        dates: vec![Fact {
            label: lang.pick("作成日", "Made").to_owned(),
            value: vec![Span::Text(h.made.to_string())],
        }],
        parts,
        footer: footer(h),
    }
}

/// Whom to turn to for `role` in running text, or the words for the
/// person in charge when the register has no such role.
fn contact(h: &Handbook<'_>, role: &str) -> String {
    h.directory.roles.get(role).map_or_else(
        || h.lang.pick("担当者", "the person in charge").to_owned(),
        |r| clean(&h.directory.contact(r, h.lang)),
    )
}

fn run_line(basis: Option<Basis<'_>>, lang: Lang) -> Option<String> {
    let (run, commit) = basis?.run?;
    let commit = commit
        .map(|c| format!(", {} {}", lang.pick("コミット", "commit"), &c.hex()[..12]))
        .unwrap_or_default();
    Some(format!("{} ({}{commit})", clean(&run.id), run.date()))
}

/// What the handbook is, what it was made from, and that it is a draft.
fn about(h: &Handbook<'_>) -> Chapter {
    let lang = h.lang;
    let org = clean(&h.organisation);
    let mut paragraphs = vec![match lang {
        Lang::Ja => format!(
            "この手引きは、{org}で働く全員が守る情報セキュリティのルールを、自社診断の項目ごとにまとめたものです。各項目には、会社の対策がいまどこまで進んでいるかと、対策が整うまでの間に気をつけることを書いています。"
        ),
        Lang::En => format!(
            "This handbook sets out the security rules everyone working at {org} follows, topic by topic of the self-check. Each topic says how far the company's measures have come and what to take care of until they are complete."
        ),
    }];
    paragraphs.push(
        lang.pick(
            "ガイドラインは、自社で決めた対策を従業員向けのハンドブックにまとめて周知することを勧めています。これは tenken がチェックリストの文言と自社の回答から作った下書きです。配る前に自社の実情に合わせて書き直し、情報セキュリティ責任者の承認を得てください。",
            "The guideline advises gathering the measures a company decides on into a handbook of its own and making it known to staff. This is a draft tenken made from its checklists' wording and the company's answers: rewrite it to fit how the company works, and have the information security lead approve it before handing it out.",
        )
        .to_owned(),
    );
    if h.self_check.is_some_and(|b| b.run.is_none()) {
        paragraphs.push(
            lang.pick(
                "まだ自社診断の記録がないため、各項目の状況は書かれていません。自社診断を行ってから（`tenken run ipa-self-check`）作り直してください。",
                "No self-check has been recorded yet, so no topic says where the company stands. Take the self-check (`tenken run ipa-self-check`) and make the handbook again.",
            )
            .to_owned(),
        );
    }
    if h.rules.is_none() {
        paragraphs.push(
            lang.pick(
                "社内規程の遵守点検の記録がないため、規程の分野ごとの章はありません。",
                "No inspection against the company's own rules has been recorded, so there is no chapter on them.",
            )
            .to_owned(),
        );
    }
    let none = || lang.pick("なし", "none").to_owned();
    let rows = vec![
        vec![lang.pick("組織", "Organisation").to_owned(), org.clone()],
        vec![
            lang.pick("作成日", "Made on").to_owned(),
            h.made.to_string(),
        ],
        vec![
            lang.pick("もとにした自社診断", "Self-check it was made from")
                .to_owned(),
            run_line(h.self_check, lang).unwrap_or_else(none),
        ],
        vec![
            lang.pick(
                "もとにした規程遵守点検",
                "Rules inspection it was made from",
            )
            .to_owned(),
            run_line(h.rules, lang).unwrap_or_else(none),
        ],
        vec![
            lang.pick("承認する人", "To be approved by").to_owned(),
            contact(h, SECURITY_LEAD),
        ],
    ];
    Chapter {
        anchor: "about".into(),
        heading: lang
            .pick("この手引きについて", "About this handbook")
            .to_owned(),
        paragraphs,
        table: Some(Table {
            columns: vec![column("", false), column("", false)],
            rows,
        }),
        groups: Vec::new(),
    }
}

fn column(label: &str, numeric: bool) -> Column {
    Column {
        label: label.to_owned(),
        numeric,
    }
}

/// Every gap at a glance: "don't know" first (to be checked first), then
/// the measures not yet in place.
fn gaps_chapter(h: &Handbook<'_>) -> Option<Chapter> {
    let lang = h.lang;
    let basis = h.self_check?;
    let (run, _) = basis.run?;
    let found = crate::score::gaps(basis.template, &run.answers);
    let mut rows = Vec::new();
    for gap in &found {
        let status = if gap.dont_know() {
            lang.pick("確認中", "to be confirmed")
        } else {
            lang.pick("対策が未完了", "not yet in place")
        };
        rows.push(vec![
            format!("No.{}", gap.item.id),
            clean(gap.item.title.get(lang)),
            match lang {
                Lang::Ja => format!("{status}（{}）", clean(gap.choice.label.get(lang))),
                Lang::En => format!("{status} ({})", clean(gap.choice.label.get(lang))),
            },
        ]);
    }
    let dont_know = found.iter().filter(|g| g.dont_know()).count();
    let mut paragraph = if found.is_empty() {
        lang.pick(
            "自社診断では、すべての対策が「実施している」でした。",
            "In the self-check, every measure was answered as done.",
        )
        .to_owned()
    } else {
        match lang {
            Lang::Ja => format!("自社診断で、{}件の対策がまだ整っていません。", found.len()),
            Lang::En => format!(
                "The self-check found {} {} not yet in place.",
                found.len(),
                if found.len() == 1 {
                    "measure"
                } else {
                    "measures"
                },
            ),
        }
    };
    if dont_know > 0 {
        let who = contact(h, INSPECTION_LEAD);
        let _ = match lang {
            Lang::Ja => write!(
                paragraph,
                "「わからない」と答えた{dont_know}件を先に挙げています。まず事実を確かめます（{who}）。"
            ),
            Lang::En => write!(
                paragraph,
                " The {dont_know} answered \"don't know\" come first: the facts are checked before anything else ({who})."
            ),
        };
    }
    Some(Chapter {
        anchor: "gaps".into(),
        heading: lang
            .pick("まだ整っていない対策", "Measures not yet in place")
            .to_owned(),
        paragraphs: vec![paragraph],
        table: (!rows.is_empty()).then(|| Table {
            columns: vec![
                column("No.", false),
                column(lang.pick("項目", "Topic"), false),
                column(lang.pick("状況", "Status"), false),
            ],
            rows,
        }),
        groups: Vec::new(),
    })
}

/// Who is responsible, the committee, and whom to tell when something
/// goes wrong (the emergency structure).
fn structure(h: &Handbook<'_>) -> Chapter {
    let lang = h.lang;
    let dir = &h.directory;
    let mut paragraphs = Vec::new();
    let emergency = match dir.incident_contact() {
        Some(role) => clean(&dir.contact(role, lang)),
        None => lang.pick("上司", "your manager").to_owned(),
    };
    paragraphs.push(match lang {
        Lang::Ja => format!(
            "おかしいと思ったら（不審なメールを開いてしまった、機器をなくした、ウイルスの警告が出たなど）、自分で解決しようとせず、すぐに{emergency}に知らせてください。機器の電源は切らずにそのままにしておきます。電源を切ると、原因を調べるための記録が消えることがあります。"
        ),
        Lang::En => format!(
            "If something seems wrong — you opened a suspicious mail, lost a device, saw a malware alert — do not try to fix it yourself: tell {emergency} straight away. Leave the device switched on: switching it off can erase the records needed to find out what happened."
        ),
    });
    if let Some(c) = &dir.roles.committee {
        let members: Vec<String> = c
            .members
            .iter()
            .map(|m| clean(&dir.name(m, lang)))
            .collect();
        let chair = c
            .chair
            .as_ref()
            .map(|m| match lang {
                Lang::Ja => format!("委員長は{}。", clean(&dir.name(m, lang))),
                Lang::En => format!(" It is chaired by {}.", clean(&dir.name(m, lang))),
            })
            .unwrap_or_default();
        let meets = if c.meets.is_empty() {
            String::new()
        } else {
            match lang {
                Lang::Ja => format!("開催: {}。", clean(c.meets.get(lang).trim())),
                Lang::En => format!(" It meets {}.", clean(c.meets.get(lang).trim())),
            }
        };
        paragraphs.push(match lang {
            Lang::Ja => format!(
                "情報セキュリティ委員会: {}。{chair}{meets}",
                members.join("、")
            ),
            Lang::En => format!(
                "The information-security committee: {}.{chair}{meets}",
                members.join(", ")
            ),
        });
    }
    let rows = dir
        .roles
        .roles
        .iter()
        .map(|r| {
            vec![
                clean(r.title.get(lang)),
                clean(&dir.held_by(r, lang)),
                clean(r.duties.get(lang)),
                clean(r.emergency.get(lang)),
            ]
        })
        .collect::<Vec<_>>();
    if rows.is_empty() {
        paragraphs.push(
            lang.pick(
                "役割と担当者はまだ決まっていません（roles.ron、`tenken roles`）。",
                "No roles have been set up yet (roles.ron, `tenken roles`).",
            )
            .to_owned(),
        );
    }
    Chapter {
        anchor: "structure".into(),
        heading: lang.pick("体制と連絡先", "Who is responsible").to_owned(),
        paragraphs,
        table: (!rows.is_empty()).then(|| Table {
            columns: vec![
                column(lang.pick("役割", "Role"), false),
                column(lang.pick("担当者", "Held by"), false),
                column(lang.pick("ふだんの役割", "Day to day"), false),
                column(lang.pick("事故のとき", "When an incident happens"), false),
            ],
            rows,
        }),
        groups: Vec::new(),
    }
}

/// The self-check's topics, part by part.
fn self_check(h: &Handbook<'_>, basis: Basis<'_>) -> Chapter {
    let lang = h.lang;
    let groups = basis
        .template
        .sections
        .iter()
        .map(|section| TopicGroup {
            heading: Some(clean(section.title.get(lang))),
            topics: section
                .items
                .iter()
                .map(|item| self_check_topic(h, basis, item))
                .collect(),
        })
        .collect();
    Chapter {
        anchor: "rules".into(),
        heading: lang
            .pick("全員が守ること", "What everyone must do")
            .to_owned(),
        paragraphs: vec![match lang {
            Lang::Ja => format!(
                "自社診断の{}の項目ごとに、従業員がすることと、会社の対策の状況です。",
                basis.template.item_count()
            ),
            Lang::En => format!(
                "For each of the self-check's {} topics: what staff do, and where the company's measures stand.",
                basis.template.item_count()
            ),
        }],
        table: None,
        groups,
    }
}

fn self_check_topic(h: &Handbook<'_>, basis: Basis<'_>, item: &Item) -> Topic {
    let lang = h.lang;
    let run = basis.run.map(|(r, _)| r);
    let (standing, choice) = standing(basis.template, item, run);
    let answer = run.and_then(|r| r.answers.get(&item.id));
    let mut lines = Vec::new();
    let staff = item.staff.get(lang).trim();
    lines.push((
        lang.pick("あなたがすること", "What you do").to_owned(),
        if staff.is_empty() {
            lang.pick(
                "会社として取り組む対策です。決められた手順があれば、それに従ってください。",
                "This is a measure the company takes; follow any procedure it sets for it.",
            )
            .to_owned()
        } else {
            clean(staff)
        },
    ));
    let until = match standing {
        Standing::Gap => Some(match lang {
            Lang::Ja => format!(
                "この対策はまだ整っていません。整うまでは上のことを特に心がけ、気づいたことは{}に知らせてください。",
                contact(h, SECURITY_LEAD)
            ),
            Lang::En => format!(
                "This measure is not fully in place yet. Until it is, take particular care with the above and tell {} about anything you notice.",
                contact(h, SECURITY_LEAD)
            ),
        }),
        Standing::Unknown => Some(match lang {
            Lang::Ja => format!(
                "この対策が行われているかは、まだ確かめられていません（{}が確認します）。それまでは上のことを守ってください。",
                contact(h, INSPECTION_LEAD)
            ),
            Lang::En => format!(
                "Whether this measure is in place has not been confirmed yet ({} is finding out). Until then, follow the above.",
                contact(h, INSPECTION_LEAD)
            ),
        }),
        _ => None,
    };
    if let Some(until) = until {
        lines.push((
            lang.pick("整うまでの間", "Until it is in place").to_owned(),
            until,
        ));
    }
    if let Some(note) = answer
        .map(|a| a.note.trim())
        .filter(|n| !n.is_empty() && standing != Standing::InPlace)
    {
        lines.push((
            lang.pick(
                "現状（自社診断のメモ）",
                "Where it stands (self-check note)",
            )
            .to_owned(),
            clean(note),
        ));
    }
    for a in h.actions.iter().filter(|a| {
        a.is_open() && a.item == item.id && Some(&a.inspection) == run.map(|r| &r.inspection)
    }) {
        let owner = a.action.owner.trim();
        let owner = if owner.is_empty() {
            String::new()
        } else {
            format!(
                "{}{}",
                lang.pick("担当: ", "owner: "),
                clean(&h.directory.owner(owner, lang))
            )
        };
        let due = format!(
            "{} {}{}",
            lang.pick("期限", "due"),
            a.action.due,
            if a.overdue {
                lang.pick("（期限切れ）", " (overdue)")
            } else {
                ""
            }
        );
        let when = [owner, due]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(lang.pick("、", ", "));
        lines.push((
            lang.pick("改善の予定", "Planned").to_owned(),
            format!("{} — {when}", clean(a.action.text.trim())),
        ));
    }
    Topic {
        anchor: format!("topic-{}-{}", basis.template.id, item.id),
        number: format!("No.{}", item.id),
        title: clean(item.title.get(lang)),
        status: Some(status_of(standing, choice, lang)),
        lines,
    }
}

fn status_of(standing: Standing, choice: Option<&Choice>, lang: Lang) -> (String, Tone) {
    let answer = |c: Option<&Choice>| {
        c.map(|c| match lang {
            Lang::Ja => format!("（{}）", clean(c.label.get(lang))),
            Lang::En => format!(" ({})", clean(c.label.get(lang))),
        })
        .unwrap_or_default()
    };
    match standing {
        Standing::InPlace => (lang.pick("実施済み", "In place").to_owned(), Tone::Good),
        Standing::Gap => (
            format!(
                "{}{}",
                lang.pick("まだ整っていません", "Not yet in place"),
                answer(choice)
            ),
            Tone::Bad,
        ),
        Standing::Unknown => (
            format!(
                "{}{}",
                lang.pick("確認中", "To be confirmed"),
                answer(choice)
            ),
            Tone::Warn,
        ),
        Standing::NotApplicable => (
            lang.pick("当社には該当しません", "Does not apply to the company")
                .to_owned(),
            Tone::Good,
        ),
        Standing::Unchecked => (
            lang.pick("まだ点検していません", "Not checked yet")
                .to_owned(),
            Tone::Warn,
        ),
    }
}

/// The company's own rules, category by category of the rules
/// inspection: read and follow them; where they are missing or unknown,
/// what to do meanwhile.
fn rules(h: &Handbook<'_>, basis: Basis<'_>) -> Chapter {
    let lang = h.lang;
    let run = basis.run.map(|(r, _)| r);
    let topics = basis
        .template
        .sections
        .iter()
        .enumerate()
        .map(|(i, section)| {
            let of = |suffix: &str| -> Standing {
                section
                    .items
                    .iter()
                    .find(|it| it.id.as_str().ends_with(suffix))
                    .map_or(Standing::Unchecked, |it| {
                        standing(basis.template, it, run).0
                    })
            };
            let (exists, known) = (of(".exists"), of(".known"));
            let title = clean(section.title.get(lang));
            let (status, what) =
                if exists == Standing::NotApplicable {
                    (
                        (
                            lang.pick("当社には該当しません", "Does not apply to the company")
                                .to_owned(),
                            Tone::Good,
                        ),
                        None,
                    )
                } else if matches!(
                    exists,
                    Standing::Gap | Standing::Unknown | Standing::Unchecked
                ) {
                    (
                    (
                        lang.pick("規程はまだありません", "No rules written yet").to_owned(),
                        Tone::Bad,
                    ),
                    Some(lang.pick(
                        "規程ができるまでは、この手引きの関連する項目に従ってください。",
                        "Until rules are written, follow the related topics of this handbook.",
                    ).to_owned()),
                )
                } else if known != Standing::InPlace {
                    (
                        (
                            lang.pick(
                                "規程はあるが、全員には知られていません",
                                "Rules exist, but not everyone knows them",
                            )
                            .to_owned(),
                            Tone::Warn,
                        ),
                        Some(match lang {
                            Lang::Ja => format!(
                                "規程の置き場所と内容を{}に確かめ、目を通してください。",
                                contact(h, TRAINING_LEAD)
                            ),
                            Lang::En => format!(
                                "Ask {} where the rules are kept and read them.",
                                contact(h, TRAINING_LEAD)
                            ),
                        }),
                    )
                } else {
                    (
                        (
                            lang.pick("規程があり、周知されています", "Rules in place and known")
                                .to_owned(),
                            Tone::Good,
                        ),
                        None,
                    )
                };
            let follow = match lang {
                Lang::Ja => format!(
                    "「{title}」についての社内規程を守ってください。わからないことは{}に聞きます。",
                    contact(h, SECURITY_LEAD)
                ),
                Lang::En => format!(
                    "Follow the company's rules on \"{title}\"; ask {} when unsure.",
                    contact(h, SECURITY_LEAD)
                ),
            };
            let lines = match (status.1, what) {
                // No rules yet: nothing to follow but the handbook.
                (Tone::Bad, Some(what)) => {
                    vec![(
                        lang.pick("あなたがすること", "What you do").to_owned(),
                        what,
                    )]
                }
                (_, what) => {
                    let mut lines = vec![(
                        lang.pick("あなたがすること", "What you do").to_owned(),
                        follow,
                    )];
                    lines.extend(what.map(|w| {
                        (
                            lang.pick("整うまでの間", "Until it is in place").to_owned(),
                            w,
                        )
                    }));
                    lines
                }
            };
            Topic {
                anchor: format!("topic-{}-{}", basis.template.id, section.id),
                number: format!("{}.", i + 1),
                title,
                status: (exists != Standing::Unchecked || run.is_some()).then_some(status),
                lines,
            }
        })
        .collect();
    Chapter {
        anchor: "company-rules".into(),
        heading: lang.pick("社内規程", "The company's own rules").to_owned(),
        paragraphs: vec![
            lang.pick(
                "社内規程の分野ごとに、規程があるか、知られているかの状況（規程遵守点検から）です。",
                "For each area of the company's rules: whether rules exist and are known (from the rules inspection).",
            )
            .to_owned(),
        ],
        table: None,
        groups: vec![TopicGroup {
            heading: None,
            topics,
        }],
    }
}

fn footer(h: &Handbook<'_>) -> String {
    let lang = h.lang;
    let from: Vec<String> = [h.self_check, h.rules]
        .into_iter()
        .filter_map(|b| run_line(b, lang))
        .collect();
    let from = if from.is_empty() {
        lang.pick("点検記録なし", "no recorded run").to_owned()
    } else {
        from.join("; ")
    };
    match lang {
        Lang::Ja => format!(
            "tenken（点検）が {} に作成（もとにした記録: {from}）。配る前に内容を見直してください。",
            h.made
        ),
        Lang::En => format!(
            "Made with tenken (点検) on {} from: {from}. Review it before handing it out.",
            h.made
        ),
    }
}
