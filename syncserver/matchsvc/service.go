// Package matchsvc is the sync server's matching service. It loads the
// provincial pool once into a match.Engine, answers every use of
// protocol.MatchRequest from it, and applies the pool's changes to it as
// they come (Update), rebuilding it whole only when the changes are too
// many or the change log was compacted past it.
package matchsvc

import (
	"context"
	"errors"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"mobilefactory/syncserver/pool"
)

// DefaultRefresh is the minimum time between two full builds of the index
// when the pool keeps changing faster than Update can follow.
const DefaultRefresh = time.Minute

// Options configure a Service.
type Options struct {
	Logger *slog.Logger
	// Refresh is the minimum time between two full builds; DefaultRefresh
	// when zero. A change that Update cannot apply shows in results at
	// most this long, plus one build, after it was applied to the pool.
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
	buildMu sync.Mutex // one build or update at a time
	failed  atomic.Pointer[error]

	builds  atomic.Int64 // successful full builds
	updates atomic.Int64 // Update calls that applied changes
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
	s.builds.Add(1)
	s.failed.Store(nil)
	s.once.Do(func() { close(s.ready) })
	s.log.Info("matching index built", "people", ix.engine.Len(), "demands", len(ix.jobs),
		"seconds", time.Since(start).Seconds())
	// The build reads the whole pool, so its garbage and the index it
	// replaces grow with the pool. The Go runtime returns freed heap to
	// the OS only over minutes, so the process would keep that RSS long
	// after the build. FreeOSMemory collects it and returns it now.
	debug.FreeOSMemory()
	return nil
}

// Run builds the index, then applies each change of the pool to it with
// Update, until ctx ends. When Update returns ErrRebuild or fails, Run
// builds the index again in the background, at most once per
// Options.Refresh: the old index serves queries while the new one builds,
// and the swap is atomic.
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
		// Changes that arrive during the update wake the next round.
		changed = s.pool.Changed()
		err := s.Update()
		if err == nil {
			continue
		}
		if errors.Is(err, ErrRebuild) {
			s.log.Info("rebuilding the matching index", "reason", err)
		} else {
			s.log.Error("updating the matching index failed, rebuilding it", "err", err)
		}
		wait := time.NewTimer(time.Until(last.Add(s.opts.Refresh)))
		select {
		case <-ctx.Done():
			wait.Stop()
			return
		case <-wait.C:
		}
		changed = s.pool.Changed()
		last = time.Now()
		// Load returns the old index's memory to the OS once the new
		// index is current.
		_ = s.Load()
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
