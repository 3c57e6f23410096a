package hub

import (
	"context"
	"errors"
	"fmt"
	"time"

	"mobilefactory/shared/protocol"
)

// MatchFunc answers a match request (matchsvc.Service.Match). An error
// that wraps a protocol sentinel, such as protocol.ErrNotFound, goes to
// the device with that sentinel's code.
type MatchFunc func(context.Context, protocol.MatchRequest) (protocol.MatchResult, error)

// matchTimeout bounds one match request. A fair's assignment is the
// slowest use, at a few seconds.
const matchTimeout = 2 * time.Minute

// startMatch checks a TypeMatch request and answers it on a goroutine of
// its own, so a slow query never holds up the connection's pushes and
// pulls. Only central-office devices may match; other roles get CodeRole.
// A connection answers one request at a time.
func (c *conn) startMatch(ctx context.Context, f protocol.Frame) error {
	if c.device.Role != "central" {
		return fmt.Errorf("%w: match requested by role %q", protocol.ErrRole, c.device.Role)
	}
	var req protocol.MatchRequest
	if err := f.Parse(&req); err != nil {
		return err
	}
	if c.s.match == nil {
		return fmt.Errorf("%w: this server does not serve matching", protocol.ErrInternal)
	}
	if !c.matching.CompareAndSwap(false, true) {
		return fmt.Errorf("%w: a match request is still being answered on this connection", protocol.ErrInvalid)
	}
	c.s.wg.Add(1)
	go func() {
		defer c.s.wg.Done()
		defer c.matching.Store(false)
		if err := c.answerMatch(ctx, req); err != nil {
			select {
			case c.matchFailed <- err:
			default:
			}
		}
	}()
	return nil
}

// answerMatch runs one request and sends its result. It returns the error
// the run loop sends to the device, or nil.
func (c *conn) answerMatch(ctx context.Context, req protocol.MatchRequest) error {
	ctx, cancel := context.WithTimeout(ctx, matchTimeout)
	defer cancel()
	start := time.Now()
	res, err := c.s.match(ctx, req)
	if err != nil {
		c.log.Info("match request failed", "use", req.Use, "err", err)
		if protocol.CodeOf(err) == protocol.CodeInternal && !errors.Is(err, protocol.ErrInternal) {
			err = fmt.Errorf("%w: %v", protocol.ErrInternal, err)
		}
		return err
	}
	payload, err := protocol.EncodeMatchResult(res)
	if err != nil {
		return fmt.Errorf("%w: %v", protocol.ErrInternal, err)
	}
	c.log.Info("match request answered", "use", req.Use, "rows", len(res.Rows), "regions", len(res.Regions),
		"ms", time.Since(start).Milliseconds())
	if err := c.send(protocol.TypeMatchResult, protocol.MatchResultHeader{Use: res.Use}, payload); err != nil {
		c.log.Warn("sending a match result failed", "use", req.Use, "err", err)
	}
	return nil
}
