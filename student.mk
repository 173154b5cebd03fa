# Students: `make check` (optionally EX=mpsc LANG=ocaml VERBOSE=1), `make watch` (optionally LANG=ocaml).
# The kit's Makefile includes this file; `fearless classroom` hands it out as a course's Makefile.
SHELL := /bin/bash
.DEFAULT_GOAL := check

# LANG is also the locale variable: only a LANG given on the command line narrows the check.
ifeq ($(origin LANG),command line)
LANG_FLAG := --lang $(LANG)
override LANG := C.UTF-8
endif
EX ?=
# Where cargo puts the kit's binary: its target folder, moved by CARGO_TARGET_DIR.
FEARLESS := $(or $(CARGO_TARGET_DIR),target)/debug/fearless

.PHONY: deps build check watch

deps:
	@bash .ci/install-deps student

# The kit's sources: cargo rebuilds the binary when one is newer (after a `git pull`).
KIT_SOURCES := rust/src rust/Cargo.toml Cargo.lock

# A build that takes time says so first (cargo itself is quiet: a fresh clone's `make
# check` stays short); the binary is touched after, so that the notice comes once.
build:
	@if [ ! -x $(FEARLESS) ]; then \
		echo "fearless: building the kit (first time; about 5 minutes)" >&2; \
	elif [ -n "$$(find $(KIT_SOURCES) -newer $(FEARLESS) -print -quit 2>/dev/null)" ]; then \
		echo "fearless: building the kit (first time after an update; about 1 minute)" >&2; \
	fi
	@cargo build --quiet -p fearless && touch $(FEARLESS)

check: deps build
	@$(FEARLESS) check $(EX) $(LANG_FLAG) $(if $(VERBOSE),--verbose)

watch: deps build
	@$(FEARLESS) watch $(LANG_FLAG)
