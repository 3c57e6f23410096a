# Mobile Factory: `make run` starts the server and a desktop client with demo
# data; `make test` runs every test. Both install what is missing first.

GO      ?= go
TAGS    := -tags migrated_fynedo
FONT    := assets/fonts/wqy-microhei.ttf
export CGO_ENABLED := 1

.PHONY: all deps build run test soak bench screenshot sample-report clean

all: build

deps:
	@scripts/deps.sh

$(FONT):
	@scripts/font.sh $@

build: deps $(FONT)
	$(GO) build $(TAGS) -o bin/syncserver ./syncserver
	$(GO) build $(TAGS) -o bin/desktop ./desktop

run: build
	@scripts/run.sh

test: deps $(FONT)
	$(GO) vet $(TAGS) ./...
	$(GO) test -race $(TAGS) -count=1 ./...

# soak runs the model-based sync tests with many more random cases than CI
# (100 each): the in-process one, then the one that kills the real server.
SOAK_CASES ?= 10000
SOAK_KILL_CASES ?= 1000
soak: deps $(FONT)
	$(GO) test $(TAGS) -count=1 -timeout 3h -run '^TestSyncModel$$' ./desktop/syncclient -args -rapid.checks=$(SOAK_CASES)
	$(GO) test $(TAGS) -count=1 -timeout 3h -run '^TestSyncModelWithKills$$' ./desktop/syncclient -args -rapid.checks=$(SOAK_KILL_CASES)

# bench runs the benchmarks and writes docs/benchmarks.md from their
# output (kept in bin/bench.txt); BENCHTIME sets -benchtime (default 3x).
bench: build
	@scripts/bench.sh

screenshot: build
	@scripts/screenshot.sh

# sample-report makes docs/report-page1.png from a real report of the demo's
# sample person.
sample-report: build
	@scripts/sample-report.sh

clean:
	rm -rf bin run
