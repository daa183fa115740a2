# FlowStore: `make run` starts the collector on ./flowstore-data and feeds it; `make test` runs
# every test, the reliability campaign short (`make campaign` runs it long) and the fuzzers. Both
# install what a fresh Debian machine with the Swift toolchain lacks.
# `make install` puts the binary in $(PREFIX)/bin (PREFIX=/usr/local unless given; DESTDIR is
# prepended for staging) with the systemd unit and its sysusers file (docs/OPERATIONS.md).
DATA ?= ./flowstore-data
RECORDS ?= 200000
PORT ?= 4739
# prometheus: the server OperationsTests scrape serve --metrics with; curl brings libcurl, which
# the tests' HTTP client (FoundationNetworking) loads.
APT_PACKAGES = liblz4-dev libsqlite3-dev libpcap-dev libedit-dev pkg-config \
  softflowd nfdump tshark tcpreplay python3-pip bc prometheus curl
PIP_PACKAGES = numpy scapy duckdb
BIN = .build/release/flowstore
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
UNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d

.PHONY: run test deps build install fuzz bench clean campaign

deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
	@python3 -c "import numpy, scapy, duckdb" 2>/dev/null || \
	  python3 -m pip install -q $(PIP_PACKAGES) 2>/dev/null || \
	  python3 -m pip install -q --break-system-packages $(PIP_PACKAGES)

build: deps
	swift build -c release --product flowstore

# Builds only when the binary is missing, so `make build && sudo make install` does not build
# as root. The unit's ExecStart names the installed binary.
install:
	@test -x $(BIN) || $(MAKE) build
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR)
	install -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/flowstore
	sed 's|/usr/local/bin/flowstore|$(BINDIR)/flowstore|' contrib/flowstore.service \
	  > $(DESTDIR)$(UNITDIR)/flowstore.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/flowstore.service
	install -m 0644 contrib/flowstore.sysusers $(DESTDIR)$(SYSUSERSDIR)/flowstore.conf

# The main job: the collector on the embedded default store, fed by the synthetic exporter;
# then `flowstore info` and the REPL over the data it is receiving.
run: build
	@$(BIN) serve --data $(DATA) --listen 127.0.0.1:$(PORT) & echo $$! > .serve.pid; sleep 1
	$(BIN) generate --to 127.0.0.1:$(PORT) --records $(RECORDS) --rate 100000
	@sleep 1.5
	$(BIN) info --data $(DATA)
	$(BIN) query --data $(DATA) "SELECT dst_port, count(*) AS flows, sum(bytes) AS bytes FROM flows GROUP BY dst_port ORDER BY bytes DESC LIMIT 5"
	@echo "The collector keeps running (pid $$(cat .serve.pid)) on udp/$(PORT); stop it with: kill $$(cat .serve.pid)"
	@if [ -t 0 ]; then $(BIN) repl --data $(DATA); else echo "open the REPL with: $(BIN) repl --data $(DATA)"; fi

test: deps
	swift build --build-tests
	swift test
	Tests/EndToEnd/docs_examples.sh
	Tests/EndToEnd/install.sh
	swift build -c release --product flowstore
	Tests/Campaign/run.sh short
	Fuzz/run.sh $${FUZZ_SECONDS:-30}

# The reliability campaign's long runs (docs/RELIABILITY.md); PARTS picks some.
campaign: deps build
	Tests/Campaign/run.sh long $(PARTS)

fuzz: deps
	Fuzz/run.sh $${FUZZ_SECONDS:-300}

bench: deps
	cd Benchmarks && swift build -c release --product flowstore-bench && .build/release/flowstore-bench

clean:
	rm -rf .build Benchmarks/.build
