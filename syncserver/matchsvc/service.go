// Package matchsvc is the sync server's matching service. It loads the
// provincial pool once into a match.Engine, answers every use of
// protocol.MatchRequest from it, and rebuilds it in the background after
// the pool changes.
package matchsvc

import (
	"context"
	"errors"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"mobilefactory/syncserver/pool"
)

// DefaultRefresh is the minimum time between two builds of the index when
// the pool keeps changing.
const DefaultRefresh = time.Minute

// Options configure a Service.
type Options struct {
	Logger *slog.Logger
	// Refresh is the minimum time between two builds; DefaultRefresh when
	// zero. A change to the pool shows in results at most this long, plus
	// one build, after it was applied.
	Refresh time.Duration
	// Now is the clock of the Built time; time.Now when nil.
	Now func() time.Time
}

// Service serves match requests from an index of the pool.
type Service struct {
	pool *pool.Pool
	log  *slog.Logger
	opts Options

	current atomic.Pointer[index]
	ready   chan struct{} // closed after the first build ends, successful or not
	once    sync.Once
	buildMu sync.Mutex // one build at a time
	failed  atomic.Pointer[error]
}

// New returns a service for p. It builds nothing until Load or Run.
func New(p *pool.Pool, opts Options) *Service {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Refresh <= 0 {
		opts.Refresh = DefaultRefresh
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Service{pool: p, log: opts.Logger, opts: opts, ready: make(chan struct{})}
}

// Load builds the index from the pool now and makes it current.
func (s *Service) Load() error {
	s.buildMu.Lock()
	defer s.buildMu.Unlock()
	start := time.Now()
	ix, err := build(s.pool, s.opts.Now())
	if err != nil {
		s.failed.Store(&err)
		s.once.Do(func() { close(s.ready) })
		s.log.Error("building the matching index failed", "err", err)
		return err
	}
	s.current.Store(ix)
	s.failed.Store(nil)
	s.once.Do(func() { close(s.ready) })
	s.log.Info("matching index built", "people", ix.engine.Len(), "demands", len(ix.jobs),
		"seconds", time.Since(start).Seconds())
	return nil
}

// Run builds the index, then rebuilds it after each change to the pool,
// at most once per Options.Refresh, until ctx ends. The old index serves
// queries while the new one builds, and the swap is atomic.
func (s *Service) Run(ctx context.Context) {
	changed := s.pool.Changed()
	_ = s.Load()
	last := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-changed:
		}
		wait := time.NewTimer(time.Until(last.Add(s.opts.Refresh)))
		select {
		case <-ctx.Done():
			wait.Stop()
			return
		case <-wait.C:
		}
		// Changes that arrive during the build wake the next round.
		changed = s.pool.Changed()
		last = time.Now()
		_ = s.Load()
		// The old index is garbage now: return its memory before the
		// next build doubles the heap again.
		runtime.GC()
	}
}

// errNotBuilt is returned when the first build failed.
var errNotBuilt = errors.New("the matching index could not be built")

// index returns the current index, waiting for the first build.
func (s *Service) index(ctx context.Context) (*index, error) {
	select {
	case <-s.ready:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if ix := s.current.Load(); ix != nil {
		return ix, nil
	}
	if err := s.failed.Load(); err != nil {
		return nil, errors.Join(errNotBuilt, *err)
	}
	return nil, errNotBuilt
}
