//! The store benchmark (`cargo bench --bench store`, `just bench`). Not a
//! timed test: it prints figures for BENCHMARKS.md.
//!
//! 1. Generates (once, then reuses) a repository of 10,000 runs: 100
//!    subjects × 4 bundled inspections × 25 quarters, one commit per run in
//!    exactly the format `Store::commit_run` writes (file path, RON text,
//!    author, message, `Tenken-Run:` trailer), with realistic answers: each
//!    subject has a maturity that drifts upwards with noise and the odd bad
//!    quarter, notes where the template requires them, evidence and
//!    corrective actions. Commits are built directly with git2 (blob and
//!    trees per run, no index, no work tree until the end) in memory and
//!    written as a packfile every few thousand commits, for speed, then
//!    packed into one with `git gc` as a long-lived repository would be.
//! 2. Measures the release `tenken` beside the git CLI doing comparable
//!    work, with `hyperfine` when it is on PATH (else a simple timing loop),
//!    and peak memory with `/usr/bin/time -v`.
//!
//! Options (after `--`): `--dir DIR` (default: a folder under `target/`),
//! `--regen` (rebuild the repository), `--subjects N` and `--quarters N`
//! (a smaller repository for a quick look), `--runs N` (timed runs per
//! command, default 10), `--warmup N` (untimed runs before them, default
//! 2), `--loose` (skip `git gc`), `--generate-only`
//! (generate or reuse the repository, measure nothing).
#![allow(clippy::disallowed_methods)] // a benchmark writes its fixture and starts git, hyperfine and tenken

use std::collections::BTreeMap;
use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone};
use git2::{FileMode, Oid, Repository, Signature, Time};
use tenken::clock::Clock;
use tenken::load::Catalog;
use tenken::model::{Action, Answer, Id, Inspection, Inspector, Lang, Run, to_ron};
use tenken::store::{Identity, InitOptions, Store};

type Res<T> = Result<T, Box<dyn Error>>;

/// The inspections every subject is inspected with, in order of preference.
const PREFERRED: &[&str] = &[
    "ipa-five-principles",
    "ipa-self-check",
    "cloud-service",
    "supplier-check",
    "telework",
];

/// The inspectors who record the runs.
const INSPECTORS: &[(&str, &str)] = &[
    ("sato", "Sato Hanako"),
    ("suzuki", "Suzuki Ichiro"),
    ("takahashi", "Takahashi Yui"),
    ("tanaka", "Tanaka Ken"),
    ("ito", "Ito Sakura"),
];

/// Marks a completely generated repository (inside `.git/`); holds the
/// id of its last generated commit.
const COMPLETE: &str = "tenken-bench-complete";

struct Opts {
    dir: PathBuf,
    regen: bool,
    subjects: usize,
    quarters: usize,
    runs: usize,
    /// Untimed runs before the timed ones (hyperfine `--warmup`).
    warmup: usize,
    loose: bool,
    /// Only generate (or reuse) the repository and print its path.
    generate_only: bool,
}

fn main() -> Res<()> {
    let opts = parse_args()?;
    let fresh = opts.regen || !opts.dir.join(".git").join(COMPLETE).is_file();
    if fresh {
        generate(&opts)?;
    } else {
        println!(
            "Reusing {} (pass --regen to rebuild it).",
            opts.dir.display()
        );
    }
    if opts.generate_only {
        println!("{}", opts.dir.display());
        return Ok(());
    }
    measure(&opts)
}

fn parse_args() -> Res<Opts> {
    let mut opts = Opts {
        dir: PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-store"),
        regen: false,
        subjects: 100,
        quarters: 25,
        runs: 10,
        warmup: 2,
        loose: false,
        generate_only: false,
    };
    let mut custom_dir = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            // cargo passes `--bench` to every bench target.
            "--bench" => {}
            "--dir" => {
                opts.dir = PathBuf::from(value("--dir")?);
                custom_dir = true;
            }
            "--regen" => opts.regen = true,
            "--loose" => opts.loose = true,
            "--generate-only" => opts.generate_only = true,
            "--subjects" => opts.subjects = value("--subjects")?.parse()?,
            "--quarters" => opts.quarters = value("--quarters")?.parse()?,
            "--runs" => opts.runs = value("--runs")?.parse()?,
            "--warmup" => opts.warmup = value("--warmup")?.parse()?,
            other => return Err(format!("unknown argument `{other}`").into()),
        }
    }
    if !custom_dir {
        let name = format!(
            "repo-{}x{}{}",
            opts.subjects,
            opts.quarters,
            if opts.loose { "-loose" } else { "" }
        );
        opts.dir = opts.dir.join(name);
    }
    if opts.subjects == 0 || opts.subjects > 9999 || opts.quarters == 0 || opts.runs == 0 {
        return Err("--subjects must be 1–9999, --quarters and --runs at least 1".into());
    }
    Ok(opts)
}

// ---------------------------------------------------------------------------
// The generator

/// `SplitMix64`: a tiny deterministic generator, so every run of the
/// benchmark builds the same repository.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A float in [0, 1).
    #[allow(clippy::cast_precision_loss)]
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let n = items.len() as u64;
        #[allow(clippy::cast_possible_truncation)]
        &items[(self.next() % n) as usize]
    }
}

struct SubjectSpec {
    id: String,
    kind: &'static str,
    name: String,
    criticality: u8,
    /// Share of items answered with the best choice in the first quarter.
    maturity: f64,
}

fn subjects(n: usize, rng: &mut Rng) -> Vec<SubjectSpec> {
    const TRADES: &[&str] = &[
        "会計事務所",
        "クラウド会計",
        "給与計算",
        "運送",
        "印刷",
        "清掃",
        "システム開発",
        "データセンター",
        "税理士法人",
        "人材派遣",
    ];
    (0..n)
        .map(|i| {
            let (id, kind, name) = match i {
                0 => ("self".to_owned(), "Organisation", "Example KK".to_owned()),
                1..=9 => (format!("site-{i:02}"), "Site", format!("Branch office {i}")),
                _ => (
                    format!("sup-{i:03}"),
                    "Supplier",
                    format!("{} {i:03}", rng.pick(TRADES)),
                ),
            };
            #[allow(clippy::cast_possible_truncation)]
            let criticality = 1 + (rng.next() % 3) as u8;
            SubjectSpec {
                id,
                kind,
                name,
                criticality,
                maturity: 0.35 + 0.4 * rng.unit(),
            }
        })
        .collect()
}

fn subjects_ron(subjects: &[SubjectSpec]) -> String {
    let mut out = String::from("Subjects(\n    format: 1,\n    subjects: [\n");
    for s in subjects {
        let _ = writeln!(
            out,
            "        Subject(id: {:?}, kind: {}, name: {:?}, contact: \"security@{}.example.jp\", criticality: {}),",
            s.id, s.kind, s.name, s.id, s.criticality
        );
    }
    out.push_str("    ],\n)\n");
    out
}

const NOTES: &[&str] = &[
    "2 laptops without EDR; replacement ordered",
    "手順書はあるが周知されていない",
    "backup restore not tested this quarter",
    "担当者の異動で引き継ぎ中",
    "MFA enabled for admins only",
    "委託先からの回答待ち",
    "policy draft under review",
    "古いルーターのファームウェア未更新",
];
const EVIDENCE: &[&str] = &[
    "WSUS report",
    "EDR console export",
    "backup log",
    "研修受講記録",
    "contract clause 12",
    "access review sheet",
];

/// Builds one run with realistic answers.
#[allow(clippy::too_many_arguments)]
fn make_run(
    template: &Inspection,
    subject: &SubjectSpec,
    quarter: usize,
    inspector: &Inspector,
    finished: DateTime<FixedOffset>,
    rng: &mut Rng,
) -> Res<Run> {
    #[allow(clippy::cast_precision_loss)]
    let drift = 0.012 * quarter as f64;
    let bad_quarter = if rng.unit() < 0.1 { 0.15 } else { 0.0 };
    let maturity = (subject.maturity + drift - bad_quarter).clamp(0.05, 0.97);
    let mut answers = BTreeMap::new();
    for (_, item) in template.items() {
        let mut choices: Vec<_> = template.choices(item).iter().collect();
        choices.sort_by_key(|c| std::cmp::Reverse(c.points.unwrap_or(i32::MIN)));
        let applicable: Vec<_> = choices.iter().filter(|c| c.points.is_some()).collect();
        let not_applicable = choices.iter().find(|c| c.points.is_none());
        let choice = match (not_applicable, rng.unit()) {
            (Some(na), r) if r < 0.03 => na,
            _ if rng.unit() < maturity => applicable.first().copied().ok_or("empty scale")?,
            // Below the best: the next best is the most likely.
            _ => {
                let rest = &applicable[1.min(applicable.len() - 1)..];
                let r = rng.unit();
                rest.iter()
                    .copied()
                    .enumerate()
                    .find(|(i, _)| {
                        let i = i32::try_from(*i).unwrap_or(i32::MAX - 1);
                        let cut = 1.0 - 0.55f64.powi(i + 1);
                        r < cut
                    })
                    .map_or(rest[rest.len() - 1], |(_, c)| c)
            }
        };
        let best = applicable.first().is_some_and(|b| b.id == choice.id);
        let mut answer = Answer::new(choice.id.clone());
        if item.note_required_for.contains(&choice.id) || (!best && rng.unit() < 0.4) {
            (*rng.pick(NOTES)).clone_into(&mut answer.note);
        }
        if best && rng.unit() < 0.3 {
            answer.evidence = vec![
                format!(
                    "{} {}-{:02}",
                    rng.pick(EVIDENCE),
                    finished.year(),
                    finished.month()
                )
                .into(),
            ];
        }
        if !best && choice.points.is_some() && rng.unit() < 0.5 {
            answer.action = Some(Action {
                text: "対策を実施し、次回点検で確認する / fix and re-check next quarter".into(),
                owner: inspector.name.clone(),
                due: finished.date_naive() + chrono::Days::new(90),
            });
        }
        answers.insert(item.id.clone(), answer);
    }
    let started = finished - chrono::Duration::minutes(10 + (rng.next() % 50).cast_signed());
    Ok(Run {
        format: 1,
        id: String::new(),
        inspection: template.id.clone(),
        inspection_version: template.version,
        inspection_hash: template.content_hash().ok().map(Into::into),
        subject: Id::new(&subject.id)?,
        inspector: inspector.clone(),
        started,
        finished,
        answers,
        supersedes: None,
        closes: Vec::new(),
    })
}

/// Where the repository's trees stand while commits are appended.
struct Trees {
    root: Oid,
    runs: Option<Oid>,
    subjects: BTreeMap<String, Oid>,
    inspections: BTreeMap<(String, String), Oid>,
    /// The inspection and subject folders the last `add` wrote.
    last: Vec<Oid>,
}

impl Trees {
    /// The trees the last [`Trees::add`] wrote (the new root, `runs/`,
    /// the subject's folder and its inspection's folder).
    fn written(&self) -> Vec<Oid> {
        self.runs
            .into_iter()
            .chain([self.root])
            .chain(self.last.iter().copied())
            .collect()
    }

    /// Adds `blob` at `runs/<subject>/<inspection>/<file>` and returns the
    /// new root tree: four small tree writes per run.
    fn add(
        &mut self,
        repo: &Repository,
        subject: &str,
        inspection: &str,
        file: &str,
        blob: Oid,
    ) -> Res<Oid> {
        let key = (subject.to_owned(), inspection.to_owned());
        let dir = 0o040_000;
        let insp = {
            let old = self
                .inspections
                .get(&key)
                .map(|o| repo.find_tree(*o))
                .transpose()?;
            let mut b = repo.treebuilder(old.as_ref())?;
            b.insert(file, blob, i32::from(FileMode::Blob))?;
            b.write()?
        };
        self.inspections.insert(key, insp);
        self.last = vec![insp];
        let subj = {
            let old = self
                .subjects
                .get(subject)
                .map(|o| repo.find_tree(*o))
                .transpose()?;
            let mut b = repo.treebuilder(old.as_ref())?;
            b.insert(inspection, insp, dir)?;
            b.write()?
        };
        self.subjects.insert(subject.to_owned(), subj);
        self.last.push(subj);
        let runs = {
            let old = self.runs.map(|o| repo.find_tree(o)).transpose()?;
            let mut b = repo.treebuilder(old.as_ref())?;
            b.insert(subject, subj, dir)?;
            b.write()?
        };
        self.runs = Some(runs);
        let mut b = repo.treebuilder(Some(&repo.find_tree(self.root)?))?;
        b.insert("runs", runs, dir)?;
        self.root = b.write()?;
        Ok(self.root)
    }
}

fn generate(opts: &Opts) -> Res<()> {
    let started = Instant::now();
    if opts.dir.exists() {
        std::fs::remove_dir_all(&opts.dir)?;
    }
    let mut rng = Rng(0x7E4B_E4C0);
    let subjects = subjects(opts.subjects, &mut rng);
    let tz = FixedOffset::east_opt(9 * 3600).ok_or("offset")?;
    let first_day = NaiveDate::from_ymd_opt(2020, 4, 1).ok_or("date")?;
    let admin = Identity {
        name: "Sato Hanako".into(),
        email: "sato@example.jp".into(),
    };
    let init_time = tz
        .from_local_datetime(&first_day.and_hms_opt(8, 0, 0).ok_or("time")?)
        .single()
        .ok_or("time")?;
    let store = Store::init(
        &opts.dir,
        &InitOptions {
            organisation: "Example KK".into(),
            profile: Id::new(tenken::bundle::DEFAULT_PROFILE)?,
            fiscal_year_start: 4,
            lang: Lang::Ja,
        },
        &admin,
        Clock::Fixed(init_time),
    )?;
    std::fs::write(opts.dir.join("subjects.ron"), subjects_ron(&subjects))?;
    let repo = Repository::open(&opts.dir)?;
    // Objects are written to memory and dumped as one packfile every
    // `PACK_EVERY` commits: 100,000 runs as loose objects would be
    // 600,000 files (each commit's `runs/` tree alone lists every subject).
    // `--loose` keeps them loose, as libgit2 writes them.
    let odb = repo.odb()?;
    let mempack = if opts.loose {
        None
    } else {
        Some(odb.add_new_mempack_backend(1000)?)
    };
    // Objects written since the last packfile.
    let mut fresh: Vec<Oid> = Vec::new();
    let sig = |who: &Identity, t: DateTime<FixedOffset>| {
        Signature::new(
            &who.name,
            &who.email,
            &Time::new(t.timestamp(), t.offset().local_minus_utc() / 60),
        )
    };
    // The register as its own commit, like an administrator would add it.
    let mut head = repo.head()?.peel_to_commit()?;
    let mut root = {
        let blob = repo.blob(subjects_ron(&subjects).as_bytes())?;
        let mut b = repo.treebuilder(Some(&head.tree()?))?;
        b.insert("subjects.ron", blob, i32::from(FileMode::Blob))?;
        fresh.push(blob);
        b.write()?
    };
    fresh.push(root);
    let when = init_time + chrono::Duration::minutes(30);
    let oid = repo.commit(
        None,
        &sig(&admin, when)?,
        &sig(&admin, when)?,
        &format!("subjects: register {} subjects\n", subjects.len()),
        &repo.find_tree(root)?,
        &[&head],
    )?;
    head = repo.find_commit(oid)?;
    fresh.push(oid);

    let catalog: Catalog = store.catalog()?;
    let chosen: Vec<&Inspection> = PREFERRED
        .iter()
        .filter_map(|id| catalog.inspections.get(*id))
        .chain(catalog.inspections.values())
        .fold(Vec::new(), |mut acc: Vec<&Inspection>, t| {
            if acc.len() < 4 && !acc.iter().any(|a| a.id == t.id) {
                acc.push(t);
            }
            acc
        });
    if chosen.len() < 4 {
        return Err("the bundle has fewer than 4 inspections".into());
    }
    let names: Vec<&str> = chosen.iter().map(|t| t.id.as_str()).collect();
    println!(
        "Generating {} runs ({} subjects × {} inspections [{}] × {} quarters) in {} …",
        subjects.len() * chosen.len() * opts.quarters,
        subjects.len(),
        chosen.len(),
        names.join(", "),
        opts.quarters,
        opts.dir.display()
    );

    // Every run's finish time, then commits in time order.
    let mut plan = Vec::new();
    for q in 0..opts.quarters {
        let months = u32::try_from(q * 3)?;
        let start = first_day
            .checked_add_months(chrono::Months::new(months))
            .ok_or("date")?;
        for (s, _) in subjects.iter().enumerate() {
            for (i, _) in chosen.iter().enumerate() {
                let day = u64::try_from((s * 13 + i * 7 + q * 5) % 80)?;
                let date = start + chrono::Days::new(day);
                let hour = 9 + u32::try_from(s % 8)?;
                let minute = u32::try_from((i * 15 + s) % 60)?;
                let local = date.and_hms_opt(hour, minute, 0).ok_or("time")?;
                let finished = tz.from_local_datetime(&local).single().ok_or("time")?;
                plan.push((finished, q, s, i));
            }
        }
    }
    plan.sort_by_key(|p| p.0);
    let mut trees = Trees {
        root,
        runs: None,
        subjects: BTreeMap::new(),
        inspections: BTreeMap::new(),
        last: Vec::new(),
    };
    let total = plan.len();
    for (n, (finished, q, s, i)) in plan.into_iter().enumerate() {
        let (iid, iname) = INSPECTORS[(s + q / 4) % INSPECTORS.len()];
        let inspector = Inspector {
            id: Id::new(iid)?,
            name: iname.to_owned(),
            email: format!("{iid}@example.jp"),
        };
        let template = chosen[i];
        let subject = &subjects[s];
        let mut run = make_run(template, subject, q, &inspector, finished, &mut rng)?;
        let stamp = finished.format("%Y-%m-%dT%H%M%S");
        let file = format!("{stamp}-{iid}.ron");
        run.id = format!("{}/{}/{stamp}-{iid}", subject.id, template.id);
        let text = to_ron(&run)?;
        let blob = repo.blob(text.as_bytes())?;
        root = trees.add(&repo, &subject.id, template.id.as_str(), &file, blob)?;
        fresh.push(blob);
        fresh.extend(trees.written());
        let points = tenken::score::score_run(template, &run);
        let message = format!(
            "run: {} for {} — {}/{}\n\nTenken-Run: {}\n",
            template.id, subject.id, points.score, points.max, run.id
        );
        let who = Identity::from_inspector(&inspector);
        let signature = sig(&who, finished)?;
        let oid = repo.commit(
            None,
            &signature,
            &signature,
            &message,
            &repo.find_tree(root)?,
            &[&head],
        )?;
        head = repo.find_commit(oid)?;
        fresh.push(oid);
        if let Some(mempack) = &mempack
            && (n + 1) % PACK_EVERY == 0
        {
            write_pack(&repo, &odb, mempack, &mut fresh)?;
        }
        if (n + 1) % 1000 == 0 {
            println!(
                "  {} / {total} commits ({:.1} s)",
                n + 1,
                started.elapsed().as_secs_f64()
            );
        }
    }
    if let Some(mempack) = &mempack {
        write_pack(&repo, &odb, mempack, &mut fresh)?;
    }
    repo.reference("refs/heads/main", head.id(), true, "bench: generated")?;
    repo.checkout_head(Some(git2::build::CheckoutBuilder::new().force()))?;
    println!(
        "Generated {total} run commits in {:.1} s.",
        started.elapsed().as_secs_f64()
    );
    if !opts.loose {
        let t = Instant::now();
        git(&opts.dir, &["gc", "-q"])?;
        println!(
            "Packed with `git gc` in {:.1} s.",
            t.elapsed().as_secs_f64()
        );
    }
    let objects = git(&opts.dir, &["count-objects", "-vH"])?;
    println!(
        "git count-objects -vH: {}",
        objects.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    std::fs::write(
        opts.dir.join(".git").join(COMPLETE),
        format!("{}\n", head.id()),
    )?;
    Ok(())
}

/// Commits between two packfiles written by the generator.
const PACK_EVERY: usize = 2000;

/// Writes the objects `fresh` (held in memory) as one packfile with its
/// index and empties the memory.
///
/// Not `Mempack::dump`: that packs every object the commits reach (each
/// dump would hold the whole tree again), this packs only the new ones.
fn write_pack(
    repo: &Repository,
    odb: &git2::Odb<'_>,
    mempack: &git2::Mempack<'_>,
    fresh: &mut Vec<Oid>,
) -> Res<()> {
    use std::io::Write as _;
    let mut builder = repo.packbuilder()?;
    for oid in fresh.drain(..) {
        builder.insert_object(oid, None)?;
    }
    let mut buf = git2::Buf::new();
    builder.write_buf(&mut buf)?;
    let mut writer = odb.packwriter()?;
    writer.write_all(&buf)?;
    writer.commit()?;
    mempack.reset()?;
    Ok(())
}

fn git(dir: &Path, args: &[&str]) -> Res<String> {
    let out = Command::new("git").arg("-C").arg(dir).args(args).output()?;
    if !out.status.success() {
        return Err(format!(
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )
        .into());
    }
    Ok(String::from_utf8(out.stdout)?)
}

// ---------------------------------------------------------------------------
// Measuring

/// How a command is started.
enum Cmd {
    /// A program and its arguments (hyperfine `-N`, no shell).
    Argv(Vec<String>),
    /// A shell command line, for commands that need `&&` and `$(…)`.
    Shell(String),
}

impl Cmd {
    fn shown(&self) -> String {
        match self {
            Self::Argv(argv) => argv
                .iter()
                .map(|a| sh_quote(a))
                .collect::<Vec<_>>()
                .join(" "),
            Self::Shell(line) => line.clone(),
        }
    }

    fn command(&self) -> Command {
        match self {
            Self::Argv(argv) => {
                let mut c = Command::new(&argv[0]);
                c.args(&argv[1..]);
                c
            }
            Self::Shell(line) => {
                let mut c = Command::new("sh");
                c.args(["-c", line]);
                c
            }
        }
    }
}

/// One timed command.
struct Case {
    /// What it does, for the table.
    label: String,
    /// How to run it.
    cmd: Cmd,
    /// A shell command run before each timed run (hyperfine `--prepare`).
    prepare: Option<String>,
}

/// Timing of one command.
struct Timing {
    mean: f64,
    stddev: f64,
    min: f64,
    max: f64,
}

/// One row to measure: a tenken command beside git doing similar work.
struct Plan {
    operation: &'static str,
    target: &'static str,
    cases: Vec<Case>,
}

/// One row of the results.
struct Row {
    operation: &'static str,
    target: &'static str,
    cases: Vec<(Case, Timing, Option<u64>)>,
}

fn sh_quote(s: &str) -> String {
    if s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_./=:%@".contains(&b))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

fn argv(label: &str, args: &[&str]) -> Case {
    Case {
        label: label.to_owned(),
        cmd: Cmd::Argv(args.iter().map(|a| (*a).to_owned()).collect()),
        prepare: None,
    }
}

/// A tenken read command with `--format json` where it has one.
fn read_cmd(tenken: &str, repo: &str, args: &[&str]) -> Case {
    let mut argv_: Vec<&str> = vec![tenken, "--repo", repo];
    argv_.extend(args);
    argv(&format!("tenken {}", args.join(" ")), &argv_)
}

/// Returns `prefix` followed by `rest`.
fn prefixed<'a>(prefix: &[&'a str], rest: &[&'a str]) -> Vec<&'a str> {
    prefix.iter().chain(rest).copied().collect()
}

/// Puts the repository back as generated: drops runs recorded by a
/// previous measurement.
fn reset(repo: &Path, base: &str) -> Res<()> {
    git(repo, &["reset", "-q", "--hard", base])?;
    git(repo, &["clean", "-q", "-fd", "--", "runs/"])?;
    Ok(())
}

fn measure(opts: &Opts) -> Res<()> {
    let tenken = env!("CARGO_BIN_EXE_tenken");
    let repo = opts.dir.as_path();
    let r = repo.to_str().ok_or("the repository path is not UTF-8")?;
    let base = std::fs::read_to_string(repo.join(".git").join(COMPLETE))?
        .trim()
        .to_owned();
    reset(repo, &base)?;
    let scratch = opts.dir.with_extension("scratch");
    std::fs::create_dir_all(&scratch)?;
    let answers = scratch.join("answers.ron");
    std::fs::write(&answers, answers_for(repo)?)?;
    let a = answers.to_str().ok_or("the scratch path is not UTF-8")?;
    let hyperfine = Command::new("hyperfine")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    let env = [
        "env",
        "TENKEN_INSPECTOR=tanaka",
        "GIT_AUTHOR_NAME=Bench",
        "GIT_AUTHOR_EMAIL=bench@example.jp",
        "GIT_COMMITTER_NAME=Bench",
        "GIT_COMMITTER_EMAIL=bench@example.jp",
    ];

    let status = || {
        argv(
            "git status --porcelain",
            &["git", "-C", r, "status", "--porcelain"],
        )
    };
    let index_dir = repo.join(".tenken").join("index");
    let rm_index = format!("rm -rf {}", sh_quote(&index_dir.display().to_string()));
    let mut reads = vec![status()];
    for args in [
        &["history", "--format", "json"][..],
        &["compare", "--format", "json"],
        &["trend", "--format", "json"],
        &["subjects", "--format", "json"],
        &["suppliers", "--format", "json"],
        &["due", "--format", "json"],
        &["actions", "--format", "json"],
        &["risks", "--format", "json"],
        &["report", "--format", "json"],
    ] {
        reads.push(read_cmd(tenken, r, args));
    }
    let mut build = read_cmd(tenken, r, &["due", "--format", "json"]);
    build.label = "tenken due, index removed first (built from nothing)".into();
    build.prepare = Some(rm_index);
    let plans = vec![
        Plan {
            operation: "read commands, index present",
            target: "≤ 2× git status, < 64 MiB",
            cases: reads,
        },
        Plan {
            operation: "index built from nothing",
            target: "≤ 1.0× git log --name-only",
            cases: vec![
                build,
                argv(
                    "git log --name-only -- runs/",
                    &[
                        "git",
                        "-C",
                        r,
                        "log",
                        "--name-only",
                        "--format=%H %an %aI",
                        "--",
                        "runs/",
                    ],
                ),
            ],
        },
        Plan {
            operation: "verify (whole history)",
            target: "≤ git fsck",
            cases: vec![
                argv("tenken verify", &[tenken, "--repo", r, "verify"]),
                argv("git fsck", &["git", "-C", r, "fsck", "--no-progress"]),
            ],
        },
        // Last: both add commits (undone by `reset` at the end).
        Plan {
            operation: "record + commit one run",
            target: "≤ 1.2× git add + commit",
            cases: vec![
                argv(
                    "tenken record (5-item template)",
                    &prefixed(
                        &env,
                        &[
                            tenken,
                            "--repo",
                            r,
                            "record",
                            "ipa-five-principles",
                            "--subject",
                            "self",
                            // Every timed run records another run of the day.
                            "--new",
                            "--answers",
                            a,
                        ],
                    ),
                ),
                Case {
                    label: "git add + git commit of one file".into(),
                    prepare: None,
                    cmd: Cmd::Shell(format!(
                        "f=runs/self/bench/$(date +%s%N).ron && mkdir -p {r}/runs/self/bench && cp {a} {r}/$f && {e} git -C {r} add -- $f && {e} git -C {r} commit -q -m 'run: bench' -m 'Tenken-Run: bench' -- $f",
                        r = sh_quote(r),
                        a = sh_quote(a),
                        e = env.join(" "),
                    )),
                },
            ],
        },
    ];
    let load_before = loadavg();
    let mut results = Vec::new();
    for plan in plans {
        let mut cases = Vec::new();
        for c in plan.cases {
            let timing = if hyperfine {
                run_hyperfine(&c, opts.runs, opts.warmup, &scratch)?
            } else {
                run_loop(&c, opts.runs)?
            };
            if let Some(prepare) = &c.prepare {
                Command::new("sh").args(["-c", prepare]).status()?;
            }
            let rss = peak_rss(&c.cmd);
            #[allow(clippy::cast_precision_loss)]
            let mib = rss.map_or("?".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0));
            println!(
                "{:<36} mean {:>8.1} ms ± {:>6.1}  (min {:.1}, max {:.1})  max RSS {mib}",
                c.label,
                timing.mean * 1e3,
                timing.stddev * 1e3,
                timing.min * 1e3,
                timing.max * 1e3,
            );
            cases.push((c, timing, rss));
        }
        results.push(Row {
            operation: plan.operation,
            target: plan.target,
            cases,
        });
    }
    reset(repo, &base)?;
    let mut table = markdown(&results, hyperfine);
    let _ = writeln!(
        table,
        "Load average (1, 5, 15 min) before: {load_before}; after: {}.",
        loadavg()
    );
    let mut commands = String::new();
    for (c, _, _) in results.iter().flat_map(|row| &row.cases) {
        let _ = writeln!(commands, "    {}", c.cmd.shown());
    }
    let out = scratch.join("results.md");
    std::fs::write(&out, format!("{table}\nCommands:\n\n{commands}"))?;
    println!(
        "\n{table}\nCommands:\n\n{commands}\nWritten to {}.",
        out.display()
    );
    Ok(())
}

/// The load averages from `/proc/loadavg` (the machine is shared).
fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg").map_or_else(
        |_| "?".into(),
        |l| l.split_whitespace().take(3).collect::<Vec<_>>().join(", "),
    )
}

/// RON answers for `ipa-five-principles`: the best choice for every item.
fn answers_for(repo: &Path) -> Res<String> {
    let catalog = Store::open(repo)?.catalog()?;
    let t = catalog
        .inspections
        .get("ipa-five-principles")
        .ok_or("ipa-five-principles is not in the repository")?;
    let mut out = String::from("{\n");
    for (_, item) in t.items() {
        let best = t.best_choice(item).ok_or("an item without choices")?;
        let _ = writeln!(
            out,
            "    {:?}: (choice: {:?}, note: \"\"),",
            item.id.as_str(),
            best.id.as_str()
        );
    }
    out.push_str("}\n");
    Ok(out)
}

fn run_hyperfine(c: &Case, runs: usize, warmup: usize, scratch: &Path) -> Res<Timing> {
    let json = scratch.join("hyperfine.json");
    let mut cmd = Command::new("hyperfine");
    cmd.args([
        "--style",
        "none",
        "--warmup",
        &warmup.to_string(),
        "--runs",
        &runs.to_string(),
    ])
    .arg("--export-json")
    .arg(&json);
    if matches!(c.cmd, Cmd::Argv(_)) && c.prepare.is_none() {
        cmd.arg("-N");
    }
    if let Some(prepare) = &c.prepare {
        cmd.args(["--prepare", prepare]);
    }
    let status = cmd.arg(c.cmd.shown()).stdout(Stdio::null()).status()?;
    if !status.success() {
        return Err(format!("hyperfine failed for `{}`", c.cmd.shown()).into());
    }
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&json)?)?;
    let r = &v["results"][0];
    let f = |k: &str| r[k].as_f64().ok_or(format!("hyperfine JSON lacks {k}"));
    Ok(Timing {
        mean: f("mean")?,
        stddev: f("stddev").unwrap_or(0.0),
        min: f("min")?,
        max: f("max")?,
    })
}

fn run_loop(c: &Case, runs: usize) -> Res<Timing> {
    let mut times = Vec::new();
    for i in 0..runs + 2 {
        if let Some(prepare) = &c.prepare {
            Command::new("sh").args(["-c", prepare]).status()?;
        }
        let t = Instant::now();
        let status = c.cmd.command().stdout(Stdio::null()).status()?;
        let d = t.elapsed();
        if !status.success() {
            return Err(format!("`{}` failed", c.cmd.shown()).into());
        }
        if i >= 2 {
            times.push(d);
        }
    }
    let secs: Vec<f64> = times.iter().map(Duration::as_secs_f64).collect();
    #[allow(clippy::cast_precision_loss)]
    let n = secs.len() as f64;
    let mean = secs.iter().sum::<f64>() / n;
    let var = secs.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / n;
    Ok(Timing {
        mean,
        stddev: var.sqrt(),
        min: secs.iter().copied().fold(f64::INFINITY, f64::min),
        max: secs.iter().copied().fold(0.0, f64::max),
    })
}

/// Peak resident memory of one run, in KiB, from `/usr/bin/time -v`.
fn peak_rss(cmd: &Cmd) -> Option<u64> {
    let mut time = Command::new("/usr/bin/time");
    time.arg("-v");
    match cmd {
        Cmd::Argv(argv) => time.args(argv),
        Cmd::Shell(line) => time.args(["sh", "-c", line]),
    };
    let out = time.stdout(Stdio::null()).output().ok()?;
    let text = String::from_utf8_lossy(&out.stderr);
    text.lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Maximum resident set size (kbytes): ")
        })
        .and_then(|v| v.trim().parse().ok())
}

#[allow(clippy::cast_precision_loss)]
fn markdown(rows: &[Row], hyperfine: bool) -> String {
    let mut out = String::from(
        "| operation | command | mean ± σ | min … max | peak RSS | × git | target |\n\
         | --- | --- | ---: | ---: | ---: | ---: | --- |\n",
    );
    for row in rows {
        // Each row's git command is what its tenken commands are held to.
        let git = row
            .cases
            .iter()
            .find(|(c, _, _)| c.label.starts_with("git "))
            .map(|(_, t, _)| t.mean);
        for (i, (c, t, rss)) in row.cases.iter().enumerate() {
            let ratio = match git {
                Some(g) if !c.label.starts_with("git ") && g > 0.0 => format!("{:.2}", t.mean / g),
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "| {} | `{}` | {:.1} ms ± {:.1} | {:.1} … {:.1} ms | {} | {ratio} | {} |",
                if i == 0 { row.operation } else { "" },
                c.label,
                t.mean * 1e3,
                t.stddev * 1e3,
                t.min * 1e3,
                t.max * 1e3,
                rss.map_or("?".into(), |k| format!("{:.1} MiB", k as f64 / 1024.0)),
                if i == 0 { row.target } else { "" },
            );
        }
    }
    let _ = writeln!(
        out,
        "\nTimed with {}.",
        if hyperfine {
            "hyperfine (warm-up runs first, see --warmup)"
        } else {
            "a simple loop (2 warm-up runs)"
        }
    );
    out
}
