# Developer shortcuts. A convenience only: the README and CI call cargo
# directly and never need `just`.

# List the recipes
default:
    just --list

# Build the debug binary
build:
    cargo build

# Format the code
fmt:
    cargo fmt

# Run clippy on everything, warnings as errors (as CI does)
lint:
    cargo clippy --all-targets -- -D warnings

# Run the whole test suite (the README's test command)
test:
    cargo test

# Review changed or new insta snapshots (needs cargo-insta)
snap:
    cargo insta review

# Run only the pseudo-terminal and ssh end-to-end tests
e2e:
    cargo test --test integration -- pty ssh

# Run the store benchmark over a generated 10,000-run repository
bench *ARGS:
    cargo bench --bench store -- {{ARGS}}

# Build the demo repository and open it
demo:
    cargo run --release -- demo

# What CI runs (.ci/run also installs sshd and tmux when missing)
ci:
    cargo fmt --check
    cargo clippy --all-targets -- -D warnings
    cargo test
