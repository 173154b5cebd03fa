# Students: `make check`, `make watch` (student.mk). The kit: `make test`.
include student.mk

.PHONY: test-deps test lint contract test-rust test-ocaml test-macos bench bench-grade bench-check test-uncontained flake

test-deps:
	@bash .ci/install-deps test

test: test-deps
	$(MAKE) lint contract test-rust test-uncontained test-ocaml test-macos

# Tidy by machine: formatted as rustfmt.toml says, and no clippy warning in any target.
lint:
	cargo fmt -p fearless --check
	cargo clippy -q -p fearless --all-targets -- -D warnings

# The lessons' contract as far as it is read, not run (ids, TODOs, links, the key-differences
# tables, mutants and their snapshots, explain rules proven): the command instructors use,
# in a second. The runs (solutions, starting points, mutants) are tests/lessons.rs's.
contract:
	cargo run -q -p fearless -- dev check --static

test-rust:
	INSTA_UPDATE=no CI=true cargo test -p fearless --no-fail-fast

# The hostile corpus again, without bubblewrap: what limits and process groups alone must still hold.
test-uncontained:
	FEARLESS_NO_BWRAP=1 INSTA_UPDATE=no CI=true cargo test -p fearless --test hostile --test hostile_reports

# Every solution, mutant and legal variant graded 20 times (FEARLESS_FLAKE_ROUNDS=n for another count, FEARLESS_FLAKE_ONLY=01-threads,05-bounded for some lessons): the same report each time.
flake:
	cargo test -p fearless --test flake -- --ignored --nocapture

test-ocaml:
	cd ocaml && timeout 600 dune build --root . @runtest

# The kit compiles for macOS (type-checked: there is no macOS linker here), when rustup has the target.
test-macos:
	@if rustup target list --installed 2>/dev/null | grep -qx x86_64-apple-darwin; then \
		cargo check -q -p fearless --lib --bins --target x86_64-apple-darwin && echo "fearless: the kit compiles for macOS"; \
	else echo "fearless: not checked for macOS: rustup has no x86_64-apple-darwin target (rustup target add x86_64-apple-darwin)" >&2; fi

# Channel throughput (target/bench/bench.{json,csv,svg}), then the grading benchmark.
bench: deps build
	@$(FEARLESS) bench --quick
	@$(MAKE) --no-print-directory bench-grade

# Seconds per submission for `fearless grade`, cold and warm, --jobs 1 and 2 (N=12 submissions).
bench-grade: build
	@bash .ci/install-deps bench
	@bash .ci/bench-grade

# Seconds a student waits for `fearless check` after a save, per lesson and language:
# the median of 5 (R=n for another count) and the spread; ONLY=06-build-a-channel,11-fast-channel for some.
bench-check: build
	@bash .ci/bench-check
