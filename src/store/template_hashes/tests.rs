//! The cache of content hashes gives exactly what computing gives, follows
//! every change of a template, and ignores (then rewrites) any file that
//! is not one it wrote for this canonical form.

use std::path::{Path, PathBuf};

use super::{HASHES_FILE, HashCache, MAGIC, MAX_ENTRIES, STAMP, decode, encode, hex, unhex};
use crate::model::{Inspection, Text};
use crate::store::STATE_DIR;

/// Every bundled template.
fn bundled() -> Vec<Inspection> {
    crate::bundle::INSPECTIONS
        .iter()
        .map(|f| {
            let stem = f.name.trim_end_matches(".ron");
            crate::load::inspection_from_str(Path::new(f.name), f.contents, Some(stem)).unwrap()
        })
        .collect()
}

fn file(root: &Path) -> PathBuf {
    root.join(STATE_DIR).join(HASHES_FILE)
}

/// `bytes` with its checksum made right again.
fn resummed(mut bytes: Vec<u8>) -> Vec<u8> {
    let body = bytes.len() - 32;
    let sum = <sha2::Sha256 as sha2::Digest>::digest(&bytes[..body]);
    bytes[body..].copy_from_slice(&sum);
    bytes
}

/// The entries of the stored file; panics when it is not a valid one.
fn stored(root: &Path) -> Vec<([u8; 32], [u8; 32])> {
    decode(&std::fs::read(file(root)).unwrap()).expect("a valid cache file")
}

#[test]
fn a_hit_is_what_computing_gives_and_a_miss_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let templates = bundled();
    assert!(templates.len() >= 5);
    let cold = HashCache::new(dir.path());
    for t in &templates {
        assert_eq!(cold.content_hash(t), Some(t.content_hash().unwrap()));
    }
    // Asked again: the same, computed once.
    assert_eq!(
        cold.content_hash(&templates[0]),
        Some(templates[0].content_hash().unwrap())
    );
    assert!(!file(dir.path()).exists(), "written when dropped");
    drop(cold);
    let entries = stored(dir.path());
    assert_eq!(entries.len(), templates.len());
    for (t, (key, hash)) in templates.iter().zip(&entries) {
        assert_eq!(*key, t.form_key().unwrap());
        assert_eq!(hex(hash), t.content_hash().unwrap());
    }
    // A fresh cache reads the file: the same hashes, nothing written.
    let before = std::fs::read(file(dir.path())).unwrap();
    let warm = HashCache::new(dir.path());
    for t in &templates {
        assert_eq!(warm.content_hash(t), Some(t.content_hash().unwrap()));
    }
    drop(warm);
    assert_eq!(std::fs::read(file(dir.path())).unwrap(), before);
}

#[test]
fn the_stored_hash_is_what_a_hit_returns() {
    // The cache is really read: an entry planted for a template's key is
    // returned as its hash (which is why only store code writes the file,
    // and why a run's recorded hash is always computed).
    let dir = tempfile::tempdir().unwrap();
    let t = &bundled()[0];
    let planted = [7; 32];
    std::fs::create_dir_all(dir.path().join(STATE_DIR)).unwrap();
    std::fs::write(
        file(dir.path()),
        encode(&[(t.form_key().unwrap(), planted)]),
    )
    .unwrap();
    assert_eq!(
        HashCache::new(dir.path()).content_hash(t),
        Some(hex(&planted))
    );
}

#[test]
fn a_computing_cache_neither_trusts_nor_writes_the_file_and_counts_its_lies() {
    let dir = tempfile::tempdir().unwrap();
    let all = bundled();
    let (lied_about, honest) = (&all[0], &all[1]);
    let truth = lied_about.content_hash().unwrap();
    std::fs::create_dir_all(dir.path().join(STATE_DIR)).unwrap();
    let planted = encode(&[
        (lied_about.form_key().unwrap(), [7; 32]),
        (
            honest.form_key().unwrap(),
            unhex(&honest.content_hash().unwrap()).unwrap(),
        ),
    ]);
    std::fs::write(file(dir.path()), &planted).unwrap();

    let fresh = HashCache::fresh(dir.path());
    assert_eq!(fresh.stored_disagreements(), 0, "nothing computed yet");
    assert_eq!(fresh.content_hash(lied_about), Some(truth));
    assert_eq!(fresh.stored_disagreements(), 1);
    assert_eq!(
        fresh.content_hash(honest),
        Some(honest.content_hash().unwrap())
    );
    assert_eq!(fresh.stored_disagreements(), 1, "the honest entry agrees");
    drop(fresh);
    assert_eq!(std::fs::read(file(dir.path())).unwrap(), planted);

    // Nothing to hold against a missing file, and nothing is written.
    std::fs::remove_file(file(dir.path())).unwrap();
    let fresh = HashCache::fresh(dir.path());
    fresh.content_hash(lied_about);
    assert_eq!(fresh.stored_disagreements(), 0);
    drop(fresh);
    assert!(!file(dir.path()).exists());
    // A reading cache does not count (it took the file's word).
    std::fs::write(file(dir.path()), &planted).unwrap();
    let cached = HashCache::new(dir.path());
    assert_eq!(cached.content_hash(lied_about), Some(hex(&[7; 32])));
    assert_eq!(cached.stored_disagreements(), 0);
}

#[test]
fn a_template_changed_in_one_byte_gets_its_new_hash() {
    let dir = tempfile::tempdir().unwrap();
    let cache = HashCache::new(dir.path());
    let original = bundled().swap_remove(0);
    let old = cache.content_hash(&original).unwrap();
    assert_eq!(old, original.content_hash().unwrap());
    let mut changes: Vec<Inspection> = Vec::new();
    let mut title = original.clone();
    title.title.en.push('.');
    changes.push(title);
    let mut same_length = original.clone();
    let last = same_length.title.ja.pop().unwrap();
    same_length
        .title
        .ja
        .push(if last == '点' { '検' } else { '点' });
    changes.push(same_length);
    let mut ja = original.clone();
    ja.title.ja.pop();
    changes.push(ja);
    let mut version = original.clone();
    version.version += 1;
    changes.push(version);
    let mut source = original.clone();
    source.source.push(' ');
    changes.push(source);
    let mut description = original.clone();
    description.description = Text::new("", "");
    changes.push(description);
    let mut item = original.clone();
    item.sections[0].items[0].weight += 1;
    changes.push(item);
    let mut band = original.clone();
    band.bands.reverse();
    changes.push(band);
    for changed in &changes {
        let fresh = changed.content_hash().unwrap();
        assert_ne!(fresh, old);
        // Through the same cache (the original is in it) and a new one
        // reading the file.
        assert_eq!(cache.content_hash(changed), Some(fresh.clone()));
        assert_eq!(
            HashCache::new(dir.path()).content_hash(changed),
            Some(fresh)
        );
    }
    drop(cache);
    assert_eq!(stored(dir.path()).len(), changes.len() + 1);
    assert_eq!(
        HashCache::new(dir.path()).content_hash(&original),
        Some(old)
    );
}

#[test]
fn a_file_that_is_not_a_valid_cache_is_ignored_and_rewritten() {
    let t = &bundled()[1];
    let right = t.content_hash().unwrap();
    let key = t.form_key().unwrap();
    let good = encode(&[(key, unhex(&right).unwrap())]);
    let mut flipped = good.clone();
    // The stored hash itself, one bit off: the checksum catches it.
    flipped[super::HEADER + 40] ^= 1;
    let mut other_stamp = good.clone();
    other_stamp[8] ^= 1;
    let mut other_magic = good.clone();
    other_magic[0] = b'X';
    let mut too_many = good.clone();
    too_many[40..44].copy_from_slice(&2u32.to_le_bytes());
    let mut too_few = good.clone();
    too_few[40..44].copy_from_slice(&0u32.to_le_bytes());
    let mut random = Vec::new();
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..700 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        random.push(x.to_le_bytes()[0]);
    }
    // A file of a wrong (planted) hash whose checksum is right, but made
    // for another canonical form: another stamp.
    let mut stale = encode(&[(key, [9; 32])]);
    stale[8..40].copy_from_slice(&[0; 32]);
    let broken: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("truncated", good[..good.len() - 1].to_vec()),
        ("cut to the header", good[..super::HEADER].to_vec()),
        ("one bit flipped", flipped),
        ("another stamp", other_stamp),
        ("another magic", resummed(other_magic)),
        ("a count beyond the entries", resummed(too_many)),
        ("a count short of the entries", resummed(too_few)),
        ("random bytes", random),
        ("a stale form", resummed(stale)),
        ("longer than any cache", vec![0; 80_000]),
    ];
    for (what, bytes) in broken {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join(STATE_DIR)).unwrap();
        std::fs::write(file(dir.path()), &bytes).unwrap();
        assert_eq!(decode(&bytes), None, "{what}");
        let cache = HashCache::new(dir.path());
        assert_eq!(cache.content_hash(t), Some(right.clone()), "{what}");
        drop(cache);
        assert_eq!(
            stored(dir.path()),
            [(key, unhex(&right).unwrap())],
            "{what}: rewritten"
        );
    }
    // A folder, or a link to one, in the file's place: computed, nothing
    // written, nothing hangs.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(file(dir.path())).unwrap();
    assert_eq!(HashCache::new(dir.path()).content_hash(t), Some(right));
}

#[test]
fn the_newest_entries_are_kept_and_writers_merge() {
    let dir = tempfile::tempdir().unwrap();
    let templates = bundled();
    let (a, b) = (HashCache::new(dir.path()), HashCache::new(dir.path()));
    // Both read the (missing) file before either writes: the second write
    // keeps the first one's entry.
    assert!(a.content_hash(&templates[0]).is_some());
    assert!(b.content_hash(&templates[1]).is_some());
    drop(a);
    drop(b);
    let keys: Vec<[u8; 32]> = stored(dir.path()).iter().map(|e| e.0).collect();
    assert_eq!(
        keys,
        [
            templates[0].form_key().unwrap(),
            templates[1].form_key().unwrap()
        ]
    );
    // A full cache drops its oldest entry for a new one.
    let full: Vec<([u8; 32], [u8; 32])> = (0..MAX_ENTRIES)
        .map(|n| {
            let mut key = [0; 32];
            key[..8].copy_from_slice(&(n as u64).to_le_bytes());
            (key, [1; 32])
        })
        .collect();
    std::fs::write(file(dir.path()), encode(&full)).unwrap();
    let t = &templates[2];
    assert_eq!(
        HashCache::new(dir.path()).content_hash(t),
        Some(t.content_hash().unwrap())
    );
    let entries = stored(dir.path());
    assert_eq!(entries.len(), MAX_ENTRIES);
    assert_eq!(entries[0], full[1]);
    assert_eq!(entries[MAX_ENTRIES - 1].0, t.form_key().unwrap());
}

#[test]
fn the_stamp_names_the_ron_of_cargo_lock() {
    // A new `ron` may write templates differently: bump the stamp (and
    // make sure recorded hashes still match) when Cargo.lock moves.
    let lock = include_str!("../../../Cargo.lock");
    let ron = lock
        .split("[[package]]")
        .find(|p| p.contains("\nname = \"ron\"\n"))
        .and_then(|p| p.split("version = \"").nth(1))
        .and_then(|v| v.split('"').next())
        .unwrap();
    assert!(STAMP.contains(&format!("ron {ron} ")), "{ron}: {STAMP}");
    assert_eq!(&MAGIC[..7], b"TKTHASH");
}

#[test]
fn hex_round_trips_and_refuses_anything_else() {
    let bytes: [u8; 32] = core::array::from_fn(|n| u8::try_from(n * 37 % 256).unwrap());
    let s = hex(&bytes);
    assert_eq!(unhex(&s), Some(bytes));
    assert_eq!(unhex(&s.to_uppercase()), None);
    assert_eq!(unhex(&s[1..]), None);
    assert_eq!(unhex(&format!("{s}0")), None);
    assert_eq!(unhex(&s.replacen('0', "g", 1)), None);
}
