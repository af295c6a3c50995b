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
//! relative to the repository; Ed25519, ECDSA or RSA, not encrypted: an
//! encrypted key belongs in ssh-agent), or `agent`: the first key in ssh-agent (`SSH_AUTH_SOCK`) that
//! `allowed_signers` lists for the committer's e-mail. `verify`'s side is
//! in `signing/verify.rs`, the file format in `signing/allowed.rs`.

pub mod allowed;
pub mod verify;

use std::path::{Path, PathBuf};

use rsa::pkcs1v15::SigningKey;
use rsa::signature::{SignatureEncoding, Signer as _};
use sha2::Sha512;
use ssh_key::private::RsaKeypair;
use ssh_key::public::KeyData;
use ssh_key::{Algorithm, HashAlg, LineEnding, PrivateKey, PublicKey, Signature, SshSig};

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
                if let Some(pair) = key.key_data().rsa() {
                    // ssh-key 0.6 builds an RSA private key from (p, p)
                    // instead of (p, q) and cannot sign with it: the key
                    // is made here from the file's own numbers.
                    let signing = rsa_signing_key(pair)
                        .map_err(|why| Error::user(words::rsa(&shown, &why)))?;
                    return Ok(Some(Signer::Rsa {
                        key: Box::new(signing),
                        public: Box::new(key.public_key().key_data().clone()),
                    }));
                }
                Ok(Some(Signer::Key(Box::new(key))))
            }
            Self::Agent => agent_signer(root, email).map(Some),
        }
    }
}

/// The shortest RSA key ssh-key 0.6 verifies with (its private
/// `RsaKeypair::MIN_KEY_SIZE`).
const MIN_RSA_BITS: usize = 2048;

/// Makes the RSA private key of `pair` from its modulus, exponents and
/// both primes, and checks it; ssh-key's own verification takes keys of
/// 2048 bits or more, so a shorter one is refused here too.
fn rsa_signing_key(pair: &RsaKeypair) -> std::result::Result<SigningKey<Sha512>, String> {
    let big = |m: &ssh_key::Mpint| rsa::BigUint::try_from(m).map_err(|e| e.to_string());
    let key = rsa::RsaPrivateKey::from_components(
        big(&pair.public.n)?,
        big(&pair.public.e)?,
        big(&pair.private.d)?,
        vec![big(&pair.private.p)?, big(&pair.private.q)?],
    )
    .map_err(|e| e.to_string())?;
    key.validate().map_err(|e| e.to_string())?;
    let bits = rsa::traits::PublicKeyParts::size(&key).saturating_mul(8);
    if bits < MIN_RSA_BITS {
        return Err(format!("{bits} bits < {MIN_RSA_BITS}"));
    }
    Ok(SigningKey::new(key))
}

/// A key ready to sign commits.
pub enum Signer {
    /// A private key read from a file.
    Key(Box<PrivateKey>),
    /// An RSA private key read from a file (ssh-key cannot sign with it).
    Rsa {
        /// The private key, for PKCS #1 v1.5 signatures over SHA-512
        /// (`rsa-sha2-512`, what ssh-keygen makes for git).
        key: Box<SigningKey<Sha512>>,
        /// Its public half.
        public: Box<KeyData>,
    },
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
            Self::Rsa { key, public } => {
                let data = signed_data(commit)?;
                let signature = key
                    .try_sign(&data)
                    .map_err(|e| Error::user(words::cannot_sign(&e.to_string())))?;
                let signature = Signature::new(
                    Algorithm::Rsa {
                        hash: Some(HashAlg::Sha512),
                    },
                    signature.to_vec(),
                )
                .map_err(|e| Error::Internal(e.to_string()))?;
                sshsig(public, signature)?
            }
            Self::Agent { socket, key } => {
                let data = signed_data(commit)?;
                let mut client = ssh_agent_client_rs::Client::connect(socket)
                    .map_err(|e| agent_error(Agent::Other(&e.to_string())))?;
                let signature = client
                    .sign(key.as_ref(), &data)
                    .map_err(|e| agent_error(Agent::DidNotSign(&e.to_string())))?;
                sshsig(key.key_data(), signature)?
            }
        };
        sig.to_pem(LineEnding::LF)
            .map_err(|e| Error::Internal(format!("cannot encode the signature: {e}")))
    }
}

/// What an SSH signature of `commit` signs (namespace, hash, digest).
fn signed_data(commit: &[u8]) -> Result<Vec<u8>> {
    SshSig::signed_data(NAMESPACE, HashAlg::Sha512, commit)
        .map_err(|e| Error::Internal(e.to_string()))
}

/// An SSH signature made outside ssh-key, with the public key that made it.
fn sshsig(public: &KeyData, signature: Signature) -> Result<SshSig> {
    SshSig::new(public.clone(), NAMESPACE, HashAlg::Sha512, signature)
        .map_err(|e| Error::Internal(e.to_string()))
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
