//! Signed commits in git's SSH signature format (`gpg.format=ssh`): an
//! armored SSHSIG (namespace `git`, SHA-512) over the commit object, in its
//! `gpgsig` header, so that `git verify-commit` with an
//! `gpg.ssh.allowedSignersFile` accepts tenken's commits and `tenken
//! verify` accepts git's. Made in-process with crate `ssh-key`, and through
//! ssh-agent with crate `ssh-agent-client-rs`; no external program is ever
//! started.
//!
//! Which key signs, the first that is set:
//!
//! 1. `TENKEN_SIGNING_KEY` (set by the user, or by a forced command);
//! 2. in restricted mode, `server_signing_key` in `tenken.ron` (the shared
//!    server's repository key: there the inspector's agent is not
//!    forwarded, and the signature attests "recorded on this server, by
//!    this forced command, for this inspector");
//! 3. `signing_key` in `tenken.ron`.
//!
//! The value is a private key file in OpenSSH format (absolute, `~/…`, or
//! relative to the repository; Ed25519 or ECDSA, not encrypted: an
//! encrypted or RSA key belongs in ssh-agent), or `agent`: the first key in ssh-agent (`SSH_AUTH_SOCK`) that
//! `allowed_signers` lists for the committer's e-mail. `verify`'s side is
//! in `signing/verify.rs`, the file format in `signing/allowed.rs`.

pub mod allowed;
pub mod verify;

use std::path::{Path, PathBuf};

use ssh_key::{HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};

use super::Store;
use crate::error::{Error, Result};
use crate::load::{self, Source};
use crate::msg::signing::{self as words, Agent};

/// The namespace git signs commits in.
pub const NAMESPACE: &str = "git";

/// The file of allowed signers, at the repository root (git's format).
pub const ALLOWED_SIGNERS: &str = "allowed_signers";

/// The environment variable that names the signing key.
pub const SIGNING_KEY_ENV: &str = "TENKEN_SIGNING_KEY";

/// How commits are to be signed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Signing {
    /// Not signed.
    #[default]
    Off,
    /// With the private key in this file.
    KeyFile(PathBuf),
    /// With a key from ssh-agent.
    Agent,
}

impl Signing {
    /// Reads a setting: `agent`, or a key file (`~/` is the home folder, a
    /// relative path is taken from `root`).
    pub fn parse(value: &str, root: &Path) -> Self {
        let value = value.trim();
        if value.is_empty() {
            return Self::Off;
        }
        if value == "agent" {
            return Self::Agent;
        }
        let path = match value.strip_prefix("~/") {
            Some(rest) => std::env::var_os("HOME")
                .map_or_else(|| PathBuf::from(value), |h| PathBuf::from(h).join(rest)),
            None => PathBuf::from(value),
        };
        Self::KeyFile(if path.is_absolute() {
            path
        } else {
            root.join(path)
        })
    }

    /// Returns the signing for the environment alone (`TENKEN_SIGNING_KEY`):
    /// for commits made before there is a `tenken.ron` (`init`).
    pub fn from_env(root: &Path) -> Self {
        std::env::var(SIGNING_KEY_ENV).map_or(Self::Off, |v| Self::parse(&v, root))
    }

    /// Prepares the signer for commits by `email` (connecting to the agent
    /// and choosing its key once), or `None` when signing is off.
    pub fn signer(&self, root: &Path, email: &str) -> Result<Option<Signer>> {
        match self {
            Self::Off => Ok(None),
            Self::KeyFile(path) => {
                let bytes = load::read_bytes(Source::given(path), 64 * 1024)
                    .map_err(|d| Error::user(words::unreadable(&d.located())))?;
                let shown = path.display().to_string();
                let key = PrivateKey::from_openssh(&bytes)
                    .map_err(|e| Error::user(words::not_openssh(&shown, &e.to_string())))?;
                if key.is_encrypted() {
                    return Err(Error::user_hint(
                        words::encrypted(&shown),
                        words::ENCRYPTED_HINT,
                    ));
                }
                if key.algorithm().is_rsa() {
                    // ssh-key 0.6 builds an RSA private key from (p, p)
                    // instead of (p, q) and cannot sign with it; the agent
                    // signs RSA itself, and RSA signatures verify fine.
                    return Err(Error::user_hint(words::rsa(&shown), words::RSA_HINT));
                }
                Ok(Some(Signer::Key(Box::new(key))))
            }
            Self::Agent => agent_signer(root, email).map(Some),
        }
    }
}

/// A key ready to sign commits.
pub enum Signer {
    /// A private key read from a file.
    Key(Box<PrivateKey>),
    /// A key held by ssh-agent at `socket`.
    Agent {
        /// The agent's socket.
        socket: PathBuf,
        /// The key's public half.
        key: Box<PublicKey>,
    },
}

impl Signer {
    /// Signs a commit buffer; returns the armored signature for `gpgsig`.
    pub fn sign(&self, commit: &[u8]) -> Result<String> {
        let sig = match self {
            Self::Key(key) => key
                .sign(NAMESPACE, HashAlg::Sha512, commit)
                .map_err(|e| Error::user(words::cannot_sign(&e.to_string())))?,
            Self::Agent { socket, key } => {
                let data = SshSig::signed_data(NAMESPACE, HashAlg::Sha512, commit)
                    .map_err(|e| Error::Internal(e.to_string()))?;
                let mut client = ssh_agent_client_rs::Client::connect(socket)
                    .map_err(|e| agent_error(Agent::Other(&e.to_string())))?;
                let signature = client
                    .sign(key.as_ref(), &data)
                    .map_err(|e| agent_error(Agent::DidNotSign(&e.to_string())))?;
                SshSig::new(
                    key.key_data().clone(),
                    NAMESPACE,
                    HashAlg::Sha512,
                    signature,
                )
                .map_err(|e| Error::Internal(e.to_string()))?
            }
        };
        sig.to_pem(LineEnding::LF)
            .map_err(|e| Error::Internal(format!("cannot encode the signature: {e}")))
    }
}

fn agent_error(what: Agent<'_>) -> Error {
    Error::user_hint(words::agent(what), words::AGENT_HINT)
}

/// Connects to ssh-agent and picks its first key that `allowed_signers`
/// (in the work tree) lists for `email`.
fn agent_signer(root: &Path, email: &str) -> Result<Signer> {
    let socket = std::env::var_os("SSH_AUTH_SOCK")
        .map(PathBuf::from)
        .ok_or_else(|| agent_error(Agent::NoSocket))?;
    let mut client = ssh_agent_client_rs::Client::connect(&socket)
        .map_err(|e| agent_error(Agent::Connect(&e.to_string())))?;
    let identities = client
        .list_all_identities()
        .map_err(|e| agent_error(Agent::Other(&e.to_string())))?;
    let text = match load::read(Source::repo(root, Path::new(ALLOWED_SIGNERS))) {
        Ok(t) => t,
        Err(d) => {
            return Err(Error::user_hint(
                words::no_allowed_signers(ALLOWED_SIGNERS, &d.located()),
                words::ALLOWED_SIGNERS_HINT,
            ));
        }
    };
    let signers = allowed::parse(&text);
    for identity in identities {
        let ssh_agent_client_rs::Identity::PublicKey(key) = identity else {
            continue;
        };
        let key = key.into_owned();
        if signers
            .iter()
            .any(|s| s.key.key_data() == key.key_data() && s.allows_principal(email))
        {
            return Ok(Signer::Agent {
                socket,
                key: Box::new(key),
            });
        }
    }
    let email = crate::escape::line(email);
    Err(Error::user_hint(
        words::no_listed_key(&email, ALLOWED_SIGNERS),
        words::no_listed_key_hint(&email, ALLOWED_SIGNERS),
    ))
}

impl Store {
    /// Returns how this store's commits are signed (see the module header).
    pub fn signing(&self) -> Signing {
        if let Ok(v) = std::env::var(SIGNING_KEY_ENV)
            && !v.trim().is_empty()
        {
            return Signing::parse(&v, &self.root);
        }
        let config = load::read(Source::repo(&self.root, Path::new(super::CONFIG_FILE)))
            .ok()
            .and_then(|src| {
                load::parse::<crate::model::Config>(Path::new(super::CONFIG_FILE), &src).ok()
            });
        let Some(config) = config else {
            return Signing::Off;
        };
        let value = if self.restricted {
            config.server_signing_key.or(config.signing_key)
        } else {
            config.signing_key
        };
        value.map_or(Signing::Off, |v| Signing::parse(&v, &self.root))
    }
}
