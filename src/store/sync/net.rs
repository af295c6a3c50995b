//! The network side of `tenken sync`: credentials (ssh-agent, the key
//! named in `tenken.ron`, git's credential helpers when not restricted),
//! the SSH host-key check against `~/.ssh/known_hosts`, transfer progress,
//! and the push with its "changed while syncing" refusal. libgit2 replaces
//! a callback's own error with a generic one, so [`Net`] keeps the reason
//! and turns transport errors into one sentence naming the remote.

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use git2::{
    CertificateCheckStatus, Cred, CredentialType, ErrorClass, ErrorCode, PushOptions,
    RemoteCallbacks, Repository,
};

use super::super::known_hosts::{self, HostKeyStatus};
use super::{SyncOptions, SyncProgress};
use crate::error::{Error, Result};
use crate::msg::Message;
use crate::msg::remote::{self, Offered, Transfer};

pub(super) fn push(
    repo: &Repository,
    remote: &mut git2::Remote<'_>,
    net: &Net,
    progress: &RefCell<&mut dyn FnMut(SyncProgress)>,
    opts: &SyncOptions,
    url: &str,
    local_ref: &str,
) -> Result<()> {
    let rejected = RefCell::new(None);
    let result = {
        let mut callbacks = net.callbacks(url, progress);
        callbacks.push_update_reference(|name, status| {
            if let Some(status) = status {
                *rejected.borrow_mut() = Some(format!("{name}: {status}"));
            }
            Ok(())
        });
        let mut push_opts = PushOptions::new();
        push_opts.remote_callbacks(callbacks);
        let refspec = format!("{local_ref}:{local_ref}");
        remote.push(&[refspec.as_str()], Some(&mut push_opts))
    };
    let _ = repo;
    let changed_meanwhile = |detail: String| {
        Error::user_hint(
            remote::push_rejected(&opts.remote, &crate::escape::line(&detail)),
            remote::SYNC_AGAIN_HINT,
        )
    };
    match result {
        Err(e) if e.code() == ErrorCode::NotFastForward => {
            Err(changed_meanwhile(e.message().to_owned()))
        }
        Err(e) => Err(net.error(&e, Transfer::Push, &opts.remote, url)),
        Ok(()) => match rejected.into_inner() {
            Some(why) => Err(changed_meanwhile(why)),
            None => Ok(()),
        },
    }
}

/// Credentials and host-key checking shared by fetch and push.
pub(super) struct Net {
    ssh_key: Option<PathBuf>,
    /// See [`SyncOptions::credential_helpers`].
    credential_helpers: bool,
    /// Why the last host-key check or credential lookup refused, because
    /// libgit2 replaces the callback's own error with a generic one.
    refusal: RefCell<Option<Message>>,
}

impl Net {
    pub(super) fn new(root: &Path, opts: &SyncOptions) -> Self {
        let ssh_key = opts.ssh_key.as_ref().map(|k| resolve_key(root, k));
        Self {
            ssh_key,
            credential_helpers: opts.credential_helpers,
            refusal: RefCell::new(None),
        }
    }

    pub(super) fn callbacks<'a>(
        &'a self,
        url: &str,
        progress: &'a RefCell<&mut dyn FnMut(SyncProgress)>,
    ) -> RemoteCallbacks<'a> {
        let mut cb = RemoteCallbacks::new();
        let port = ssh_port(url);
        let mut tried_agent = false;
        let mut tried_key = false;
        let mut tried_helper = false;
        cb.credentials(move |url, username, allowed| {
            let user = username.unwrap_or("git");
            if allowed.contains(CredentialType::USERNAME) {
                return Cred::username(user);
            }
            if allowed.contains(CredentialType::SSH_KEY) {
                if !tried_agent && std::env::var_os("SSH_AUTH_SOCK").is_some_and(|s| !s.is_empty())
                {
                    tried_agent = true;
                    if let Ok(c) = Cred::ssh_key_from_agent(user) {
                        return Ok(c);
                    }
                }
                if !tried_key {
                    tried_key = true;
                    if let Some(key) = &self.ssh_key {
                        if !key.is_file() {
                            return Err(
                                self.refuse(remote::no_key_file(&key.display().to_string()))
                            );
                        }
                        let public = key.with_extension("pub");
                        let public = public.is_file().then_some(public);
                        return Cred::ssh_key(user, public.as_deref(), key, None);
                    }
                }
                let key = self.ssh_key.as_ref().map(|k| k.display().to_string());
                let offered = match (&key, tried_agent) {
                    (None, false) => Offered::Nothing,
                    (None, true) => Offered::Agent,
                    (Some(k), _) => Offered::Key(k),
                };
                return Err(self.refuse(remote::auth_failed(&crate::escape::line(user), offered)));
            }
            // git2 runs a credential helper as a program (through `sh`):
            // the one place tenken may start one, and never when restricted.
            if allowed.contains(CredentialType::USER_PASS_PLAINTEXT)
                && !tried_helper
                && self.credential_helpers
            {
                tried_helper = true;
                #[allow(clippy::disallowed_methods)]
                let helped = git2::Config::open_default()
                    .and_then(|config| Cred::credential_helper(&config, url, username));
                if let Ok(c) = helped {
                    return Ok(c);
                }
            }
            if allowed.contains(CredentialType::DEFAULT) {
                return Cred::default();
            }
            Err(self.refuse(remote::no_credentials(&crate::escape::line(url))))
        });
        cb.certificate_check(move |cert, host| {
            let Some(hostkey) = cert.as_hostkey() else {
                // TLS: libgit2 has already verified the chain; keep its verdict.
                return Ok(CertificateCheckStatus::CertificatePassthrough);
            };
            let Some(key) = hostkey.hostkey() else {
                return Err(self.refuse(remote::no_host_key(&crate::escape::line(host))));
            };
            let fingerprint = hostkey.hash_sha256().map_or_else(
                || remote::UNKNOWN_FINGERPRINT.into(),
                |h| {
                    let f = format!("SHA256:{}", STANDARD_NO_PAD.encode(h));
                    Message::new(f.clone(), f)
                },
            );
            self.check_host_key(host, port, key, &fingerprint)
        });
        cb.transfer_progress(|p| {
            (progress.borrow_mut())(SyncProgress::Receiving {
                received: p.received_objects(),
                total: p.total_objects(),
                bytes: p.received_bytes(),
            });
            true
        });
        cb.push_transfer_progress(|sent, total, bytes| {
            (progress.borrow_mut())(SyncProgress::Sending { sent, total, bytes });
        });
        cb
    }

    fn check_host_key(
        &self,
        host: &str,
        port: u16,
        key: &[u8],
        fingerprint: &Message,
    ) -> std::result::Result<CertificateCheckStatus, git2::Error> {
        let raw = known_hosts::host_name(host, port);
        let name = crate::escape::line(&raw);
        let Some(path) = known_hosts::default_path() else {
            return Err(self.refuse(remote::no_home(&name)));
        };
        let shown = path.display().to_string();
        let text = known_hosts::read(&path).map_err(|e| {
            self.refuse(remote::known_hosts_unreadable(
                &name,
                &shown,
                &e.to_string(),
            ))
        })?;
        match known_hosts::check(&text, &raw, key) {
            HostKeyStatus::Known => Ok(CertificateCheckStatus::CertificateOk),
            HostKeyStatus::Unknown => {
                let ssh = match port {
                    22 => format!("ssh {host}"),
                    port => format!("ssh -p {port} {host}"),
                };
                Err(self.refuse(remote::unknown_host(
                    &name,
                    fingerprint,
                    &shown,
                    &crate::escape::line(&ssh),
                )))
            }
            HostKeyStatus::Mismatch => {
                Err(self.refuse(remote::host_key_mismatch(&name, fingerprint, &shown)))
            }
            HostKeyStatus::Revoked => {
                Err(self.refuse(remote::host_key_revoked(&name, fingerprint, &shown)))
            }
        }
    }

    fn refuse(&self, why: Message) -> git2::Error {
        let err = git2::Error::from_str(why.get(crate::model::Lang::En));
        *self.refusal.borrow_mut() = Some(why);
        err
    }

    /// Turns a transport error into one sentence naming the remote.
    pub(super) fn error(&self, e: &git2::Error, doing: Transfer, name: &str, url: &str) -> Error {
        let url = crate::escape::line(url);
        if let Some(why) = self.refusal.borrow_mut().take() {
            return Error::user(remote::transfer_failed(doing, name, &url, &why));
        }
        let hint = match e.class() {
            ErrorClass::Ssh => remote::SSH_HINT,
            ErrorClass::Net | ErrorClass::Http => remote::NET_HINT,
            _ => remote::URL_HINT,
        };
        // git's own words, in English.
        let why = Message::from(e.message());
        Error::user_hint(remote::transfer_failed(doing, name, &url, &why), hint)
    }
}

/// Resolves `ssh_key` from tenken.ron: `~/` is the home directory, a
/// relative path is relative to the repository.
fn resolve_key(root: &Path, key: &Path) -> PathBuf {
    if let Ok(rest) = key.strip_prefix("~")
        && let Some(home) = std::env::var_os("HOME")
    {
        return Path::new(&home).join(rest);
    }
    if key.is_absolute() {
        key.to_owned()
    } else {
        root.join(key)
    }
}

/// Returns the SSH port a remote URL names (22 unless `ssh://host:port/`).
fn ssh_port(url: &str) -> u16 {
    let Some(rest) = ["ssh://", "git+ssh://", "ssh+git://"]
        .iter()
        .find_map(|scheme| url.strip_prefix(scheme))
    else {
        return 22;
    };
    let authority = rest.split('/').next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let port = match host_port.rfind(']') {
        Some(end) => host_port[end + 1..].strip_prefix(':'),
        None => host_port.rsplit_once(':').map(|(_, p)| p),
    };
    port.and_then(|p| p.parse().ok()).unwrap_or(22)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_come_from_ssh_urls_only() {
        assert_eq!(ssh_port("ssh://root@127.0.0.1:2222/tmp/r.git"), 2222);
        assert_eq!(ssh_port("ssh://git@example.jp/r.git"), 22);
        assert_eq!(ssh_port("ssh://git@[::1]:2200/r.git"), 2200);
        assert_eq!(ssh_port("git@example.jp:r.git"), 22);
        assert_eq!(ssh_port("/srv/r.git"), 22);
    }

    #[test]
    fn key_paths_resolve_home_and_repository() {
        let root = Path::new("/repo");
        assert_eq!(
            resolve_key(root, Path::new("/k/id")),
            PathBuf::from("/k/id")
        );
        assert_eq!(
            resolve_key(root, Path::new("keys/id")),
            PathBuf::from("/repo/keys/id")
        );
    }
}
