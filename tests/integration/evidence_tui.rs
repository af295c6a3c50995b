//! The walker's evidence field with files: a path (only under `inbox/` in
//! restricted mode) completed with Tab, checked by the store like
//! `tenken evidence add`, kept once per answer and committed with the run.

use tenken::store::Store;
use tenken::tui::{self, App, Effect};

use crate::evidence::PNG;
use crate::support::NOW;
use crate::tui_support::{clock, git, id, new_repo, press, sato, screen_text, type_text};

/// A walker on the five principles for `self`, in `lang`.
fn walker(store: &Store, lang: tenken::model::Lang, restricted: bool) -> App {
    let options = tui::Options {
        lang: Some(lang),
        clock: clock(NOW),
        theme: tenken::tui::theme::Theme::plain(),
        restricted,
    };
    let mut app = tui::build_app(store, sato(), options).unwrap();
    app.open_run(&id("ipa-five-principles"), &id("self"))
        .unwrap();
    app
}

/// The evidence of item 1 in sato's draft.
fn evidence_of_item_1(store: &Store) -> Vec<tenken::model::Evidence> {
    let draft = store
        .load_draft(&id("sato"), &id("self"), &id("ipa-five-principles"))
        .unwrap()
        .unwrap();
    draft.answers[&id("1")].evidence.clone()
}

#[test]
fn the_walker_attaches_a_file_from_the_inbox_with_tab_completion_in_restricted_mode() {
    let (_env, _dir, store) = new_repo();
    let root = store.root().to_owned();
    std::fs::create_dir_all(root.join("inbox")).unwrap();
    std::fs::write(root.join("inbox/cabinet.png"), PNG).unwrap();
    std::fs::write(root.join("inbox/cable.txt"), "rack 3, cable log\n").unwrap();
    std::fs::write(root.join("outside.png"), PNG).unwrap();
    let store = store.confined(true);
    let mut app = walker(&store, tenken::model::Lang::En, true);
    press(&store, &mut app, "1 b e");
    // Tab completes within inbox/ only: `inb` → `inbox/`, then `ca` lists
    // both files and completes to what they share (`inbox/cab`), then `i`
    // + Tab to the one.
    type_text(&store, &mut app, "inb");
    press(&store, &mut app, "Tab");
    type_text(&store, &mut app, "ca");
    press(&store, &mut app, "Tab");
    let shown = screen_text(&mut app);
    assert!(shown.contains("cabinet.png  cable.txt"), "{shown}");
    assert!(shown.contains("inbox/cab"), "{shown}");
    type_text(&store, &mut app, "i");
    press(&store, &mut app, "Tab");
    let shown = screen_text(&mut app);
    assert!(shown.contains("inbox/cabinet.png"), "{shown}");
    let effects = press(&store, &mut app, "Enter");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::AttachEvidence { .. }))
    );
    assert!(screen_text(&mut app).contains("Attached cabinet.png"));
    // Outside the inbox: refused, and nothing is attached.
    press(&store, &mut app, "e");
    type_text(&store, &mut app, "inbox/../outside.png");
    press(&store, &mut app, "Enter");
    assert!(
        screen_text(&mut app).contains("only files in the repository's"),
        "{}",
        screen_text(&mut app)
    );
    // Words stay a reference.
    press(&store, &mut app, "e");
    type_text(&store, &mut app, "WSUS report");
    press(&store, &mut app, "Enter");
    let ev = evidence_of_item_1(&store);
    assert_eq!(ev.len(), 2, "{ev:?}");
    assert_eq!(ev[0].file().unwrap().name, "cabinet.png");
    assert_eq!(ev[1], "WSUS report");
    // Answering the five items and finishing commits the file with the
    // run, in one commit.
    press(&store, &mut app, "1 1 1 1 1 f y");
    let shown = git(&root, &["show", "--name-only", "--format=", "HEAD"]);
    let digest = tenken::evidence::sha256_hex(PNG);
    assert!(shown.contains(&format!("evidence/{digest}.png")), "{shown}");
    assert!(root.join(format!("evidence/{digest}.png")).is_file());
}

#[test]
fn the_walker_attaches_a_local_file_once_and_refuses_a_disguised_one_in_japanese() {
    let (_env, dir, store) = new_repo();
    let root = store.root().to_owned();
    let outside = dir.path().join("photos");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("photo.png"), PNG).unwrap();
    std::fs::write(
        outside.join("fake.png"),
        "<html><script>alert(1)</script></html>",
    )
    .unwrap();
    let mut app = walker(&store, tenken::model::Lang::Ja, false);
    press(&store, &mut app, "1 b e");
    // An absolute path, completed with Tab from `pho`.
    type_text(&store, &mut app, &format!("{}/pho", outside.display()));
    let effects = press(&store, &mut app, "Tab");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::CompleteEvidence(_)))
    );
    press(&store, &mut app, "Enter");
    let shown = screen_text(&mut app);
    assert!(shown.contains("添付しました: photo.png"), "{shown}");
    // HTML named .png: refused in Japanese, nothing attached.
    press(&store, &mut app, "e");
    type_text(&store, &mut app, &format!("{}/fake.png", outside.display()));
    press(&store, &mut app, "Enter");
    let shown = screen_text(&mut app);
    assert!(
        shown.contains("fake.png は証拠として受け付けない形式です"),
        "{shown}"
    );
    // The same file again: kept once.
    press(&store, &mut app, "e");
    type_text(
        &store,
        &mut app,
        &format!("{}/photo.png", outside.display()),
    );
    press(&store, &mut app, "Enter");
    let ev = evidence_of_item_1(&store);
    assert_eq!(ev.len(), 1, "{ev:?}");
    let file = ev[0].file().unwrap();
    assert_eq!(
        (file.name.as_str(), file.media_type.as_str(), file.size),
        ("photo.png", "image/png", PNG.len() as u64)
    );
    // Staged in .tenken/, not yet in the repository's evidence/.
    let stored = root.join(file.stored_path().unwrap());
    assert!(!stored.exists());
    press(&store, &mut app, "1 1 1 1 1 f y");
    assert!(stored.is_file());
    let run = git(&root, &["show", "--name-only", "--format=", "HEAD"]);
    assert!(run.contains("runs/"), "{run}");
}

#[test]
fn the_walker_keeps_the_run_within_its_evidence_limit() {
    let (_env, dir, store) = new_repo();
    let root = store.root().to_owned();
    let config = std::fs::read_to_string(root.join("tenken.ron")).unwrap();
    std::fs::write(
        root.join("tenken.ron"),
        config.replacen(
            "Config(\n",
            "Config(\n    evidence: (max_file_mib: 1, max_run_mib: 1),\n",
            1,
        ),
    )
    .unwrap();
    git(
        &root,
        &[
            "-c",
            "user.name=Sato",
            "-c",
            "user.email=sato@example.jp",
            "commit",
            "-qam",
            "small evidence limits",
        ],
    );
    // Two different texts of 600 KiB: each fits, both together do not.
    let a = dir.path().join("a.txt");
    let b = dir.path().join("b.txt");
    std::fs::write(&a, vec![b'a'; 600 * 1024]).unwrap();
    std::fs::write(&b, vec![b'b'; 600 * 1024]).unwrap();
    let mut app = walker(&store, tenken::model::Lang::En, false);
    press(&store, &mut app, "1 b e");
    type_text(&store, &mut app, &a.display().to_string());
    press(&store, &mut app, "Enter");
    press(&store, &mut app, "e");
    type_text(&store, &mut app, &b.display().to_string());
    press(&store, &mut app, "Enter");
    let shown = screen_text(&mut app);
    assert!(
        shown.contains("with b.txt the run's evidence files would total 1.2 MiB"),
        "{shown}"
    );
    // The same file again adds nothing to the total: kept, once.
    press(&store, &mut app, "e");
    type_text(&store, &mut app, &a.display().to_string());
    press(&store, &mut app, "Enter");
    assert!(screen_text(&mut app).contains("Attached a.txt"));
    let ev = evidence_of_item_1(&store);
    assert_eq!(ev.len(), 1, "{ev:?}");
    assert_eq!(ev[0].file().unwrap().name, "a.txt");
}
