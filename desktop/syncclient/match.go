package syncclient

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"mobilefactory/shared/protocol"
)

// Match sends one match request to the server and returns its result. It
// opens a connection of its own for the request, so it may run while Run
// keeps the sync session open, and a slow query holds up no sync. Only
// central-office devices may match: others get an error wrapping
// protocol.ErrRole. A request naming a demand, person, employer or fair
// the server's index lacks gets an *Error with the key
// "sync.error.match_not_found" naming that subject; Message gives the text.
func (c *Client) Match(ctx context.Context, req protocol.MatchRequest) (protocol.MatchResult, error) {
	ident, ok := c.store.Identity()
	if !ok {
		return protocol.MatchResult{}, describe(ErrNotEnrolled)
	}
	s, _, err := c.connect(ctx, ident)
	if err != nil {
		return protocol.MatchResult{}, describe(err)
	}
	defer s.close()
	if err := s.send(protocol.TypeMatch, req, nil); err != nil {
		return protocol.MatchResult{}, describe(err)
	}
	var header protocol.MatchResultHeader
	f, err := s.receive(ctx, protocol.TypeMatchResult, &header)
	if errors.Is(err, protocol.ErrNotFound) {
		return protocol.MatchResult{}, &Error{Key: "sync.error.match_not_found", Err: err, Args: []any{subject(req, err)}}
	}
	if errors.Is(err, protocol.ErrRole) {
		return protocol.MatchResult{}, &Error{Key: "sync.error.match_role", Err: err}
	}
	if err != nil {
		return protocol.MatchResult{}, describe(err)
	}
	res, err := protocol.DecodeMatchResult(f.Payload)
	if err != nil {
		return protocol.MatchResult{}, describe(fmt.Errorf("reading the match result: %w", err))
	}
	return res, nil
}

// subject returns what a refused request names: a demand, person,
// employer or fair. For a fair's assignment, which names a fair and
// demands, it is the one the server's message names.
func subject(req protocol.MatchRequest, err error) string {
	switch req.Use {
	case protocol.MatchJob:
		return req.Demand
	case protocol.MatchPerson:
		return req.Person
	case protocol.MatchTransfer:
		return req.Employer
	}
	for _, id := range req.Demands {
		if id != "" && strings.Contains(err.Error(), id) {
			return id
		}
	}
	return req.Fair
}
