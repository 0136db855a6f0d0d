# Passerelle — the two commands a new developer needs:
#   make run    installs what is missing, builds, starts the app on its embedded demo directory
#   make test   runs everything CI runs (.ci/run calls it)
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO        ?= go
NPM       ?= npm
BIN       := build/bin
DESKTOP   := $(BIN)/passerelle-desktop
DEV       := $(BIN)/passerelle-dev
CLI       := $(BIN)/passerelle
SERVER    := $(BIN)/passerelle-server
WINDOWS   := $(BIN)/Passerelle.exe
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -w -s -X main.version=$(VERSION)
DESKTOP_TAGS := desktop,production,webkit2_41
OUT       := build/test-output

# System packages: build (GTK, WebKitGTK 4.1), run and test (Xvfb, screenshots, PDF tools, Chromium).
APT_PACKAGES := libgtk-3-dev libwebkit2gtk-4.1-dev pkg-config gcc xvfb xauth imagemagick \
	poppler-utils qpdf zbar-tools chromium xdotool fonts-dejavu-core

FRONTEND_SRC := $(shell find frontend/src frontend/index.html frontend/vite.config.ts frontend/public -type f 2>/dev/null)
GO_SRC := $(shell find . -name '*.go' -not -path './frontend/*' 2>/dev/null) go.mod go.sum

.PHONY: help deps system-deps node-deps run build frontend cli server windows test check unit-frontend \
	smoke e2e go-test bench clean

help:
	@echo "make run    — installe ce qui manque, construit et lance Passerelle (annuaire de démonstration)"
	@echo "make test   — lance tout ce que lance l’intégration continue"
	@echo "make bench  — mesures de performance (voir docs/benchmarks.md)"

## Dependencies ---------------------------------------------------------------------------------

deps: system-deps node-deps
	@$(GO) mod download

system-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if ! command -v go >/dev/null; then missing="$$missing golang-go"; fi; \
	if ! command -v node >/dev/null; then missing="$$missing nodejs npm"; fi; \
	if [ -n "$$missing" ]; then \
		echo "Paquets système manquants :$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO=sudo; \
		else echo "Installez-les (apt-get install$$missing) puis relancez."; exit 1; fi; \
		$$SUDO apt-get update -qq; \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("Node.js "+process.versions.node+" est trop ancien : il faut Node 20.19 ou plus récent (https://nodejs.org)."); process.exit(1) }'
	@GOTOOLCHAIN=auto $(GO) version >/dev/null || { echo "Go 1.26 est nécessaire (go.mod) : installez Go 1.21+ pour qu’il télécharge la bonne version, ou Go 1.26 depuis https://go.dev/dl/"; exit 1; }

node-deps: frontend/node_modules/.package-lock.json

frontend/node_modules/.package-lock.json: frontend/package.json frontend/package-lock.json
	cd frontend && $(NPM) ci --no-audit --no-fund --loglevel=error
	@touch $@

## Build ----------------------------------------------------------------------------------------

frontend: frontend/dist/index.html

frontend/dist/index.html: frontend/node_modules/.package-lock.json $(FRONTEND_SRC)
	cd frontend && $(NPM) run build --silent

build: $(DESKTOP) cli server

$(DESKTOP): frontend/dist/index.html $(GO_SRC)
	CGO_ENABLED=1 $(GO) build -tags $(DESKTOP_TAGS) -ldflags "$(LDFLAGS)" -o $@ .

cli: $(CLI)

$(CLI): $(GO_SRC)
	CGO_ENABLED=0 $(GO) build -ldflags "$(LDFLAGS)" -o $@ ./cmd/passerelle

# The central sync server: one static binary (docs/server.md).
server: $(SERVER)

$(SERVER): $(GO_SRC)
	CGO_ENABLED=0 $(GO) build -ldflags "$(LDFLAGS)" -o $@ ./cmd/passerelle-server

# The build most desks run: a Windows GUI executable, cross-compiled without cgo.
windows: $(WINDOWS)

$(WINDOWS): frontend/dist/index.html $(GO_SRC)
	CGO_ENABLED=0 GOOS=windows GOARCH=amd64 $(GO) build -tags desktop,production \
		-ldflags "$(LDFLAGS) -H windowsgui" -o $@ .

$(DEV): frontend/dist/index.html $(GO_SRC)
	CGO_ENABLED=1 $(GO) build -tags dev,webkit2_41 -o $@ .

run: deps build
	@if [ -z "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
		echo "Pas d’écran graphique : lancement sous Xvfb (captures avec « import -window root »)."; \
		exec xvfb-run -a -s "-screen 0 1280x800x24" ./$(DESKTOP); \
	fi
	./$(DESKTOP)

## Tests ----------------------------------------------------------------------------------------

test: deps check unit-frontend build windows smoke e2e go-test
	@echo "make test : tout est passé."

check:
	@bad=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$bad" ]; then echo "gofmt à appliquer :"; echo "$$bad"; exit 1; fi
	$(GO) vet ./...
	$(GO) vet -tags $(DESKTOP_TAGS) ./...
	cd frontend && $(NPM) run --silent check

unit-frontend: node-deps
	cd frontend && $(NPM) run --silent test

# The real desktop binary under Xvfb: the directory screen must render its first results.
smoke: $(DESKTOP)
	scripts/smoke-desktop.sh $(DESKTOP) $(OUT)/smoke

# Real flows in Chromium against the real Go backend (a dev-tagged binary serving the UI).
e2e: $(DEV) $(CLI) $(SERVER)
	scripts/e2e.sh $(DEV) $(OUT)/e2e

go-test:
	$(GO) test -race -count=1 ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem -count 1 ./internal/...

clean:
	rm -rf $(BIN) $(OUT) frontend/dist/assets frontend/dist/index.html
