package hub

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/mask"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
	"mobilefactory/syncserver/pool"
)

// Codes of the HTTPError replies of the duplicate endpoints, which the
// syncserver duplicates command turns back into the pool's errors.
const (
	CodeSameEntry  = "same_entry"  // pool.ErrSameEntry
	CodeNeedTwo    = "need_two"    // pool.ErrDecisionPersons
	CodeNoPerson   = "no_person"   // pool.ErrNoPerson; the message is the person's ULID
	CodeNoDecision = "no_decision" // pool.ErrNoDecision; the message is the decision's ULID
	CodeTwoPeople  = "two_people"  // *pool.TwoPeopleError; the message is the two masked ID numbers, space-separated
	CodeKeptApart  = "kept_apart"  // *pool.KeptApartError; the message is the apart decision's ULID
	CodeBadLimit   = "bad_limit"   // a limit out of range; the message is the limit as sent
)

const (
	defaultDuplicates  = 100 // limit of GET /admin/duplicates without one
	duplicatesBodySize = 64 << 10
	// duplicatesDefaultBy is the account of a decision whose request
	// names none.
	duplicatesDefaultBy = "admin endpoint"
)

// MaxDuplicatesLimit is the largest limit GET /admin/duplicates accepts,
// and the syncserver duplicates command accepts on a stopped server.
const MaxDuplicatesLimit = 100_000

// AdminDecideRequest is the body of POST /admin/duplicates/decide.
type AdminDecideRequest struct {
	// Action is record.DecisionMerge, record.DecisionApart or "undo".
	Action string `json:"action"`
	// Persons are the person ULIDs of a merge or apart, at least two.
	Persons []string `json:"persons,omitempty"`
	// Decision is the ULID of the decision an undo deletes.
	Decision string `json:"decision,omitempty"`
	// By is the account the pool and the audit log record for the
	// decision.
	By string `json:"by,omitempty"`
}

// registerDuplicates adds GET /admin/duplicates, the likely duplicates
// with ID numbers and phones masked, and POST /admin/duplicates/decide.
func (s *Server) registerDuplicates(mux *http.ServeMux) {
	mux.Handle("GET /admin/duplicates", s.requireAdmin(http.HandlerFunc(s.handleAdminDuplicates)))
	mux.Handle("POST /admin/duplicates/decide", s.requireAdmin(http.HandlerFunc(s.handleAdminDecide)))
}

// handleAdminDuplicates serves GET /admin/duplicates?limit=N: at most N
// pairs (100 when absent), as pool.Duplicates orders them. The ID numbers
// and phones are masked here, so they never leave the server in full.
func (s *Server) handleAdminDuplicates(w http.ResponseWriter, r *http.Request) {
	limit := defaultDuplicates
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 || n > MaxDuplicatesLimit {
			writeJSON(w, http.StatusBadRequest, protocol.HTTPError{Code: CodeBadLimit, Message: v})
			return
		}
		limit = n
	}
	dups, err := s.pool.Duplicates(limit)
	if err != nil {
		s.log.Error("listing duplicates failed", "err", err)
		writeJSON(w, http.StatusInternalServerError, protocol.HTTPError{Code: "internal", Message: err.Error()})
		return
	}
	for i := range dups {
		for _, side := range []*pool.DuplicateRecord{&dups[i].A, &dups[i].B} {
			side.IDNumber, side.Phone = mask.ID(side.IDNumber), mask.Phone(side.Phone)
		}
	}
	if dups == nil {
		dups = []pool.Duplicate{}
	}
	writeJSON(w, http.StatusOK, dups)
}

// handleAdminDecide serves POST /admin/duplicates/decide: a merge, apart
// or undo as AdminDecideRequest describes. It returns the decision as
// record.Merge.
func (s *Server) handleAdminDecide(w http.ResponseWriter, r *http.Request) {
	var req AdminDecideRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, duplicatesBodySize)).Decode(&req); err != nil {
		s.rejectDecide(w, http.StatusBadRequest, "invalid", "invalid decide request: "+err.Error())
		return
	}
	by := req.By
	if by == "" {
		by = duplicatesDefaultBy
	}
	var (
		d   record.Merge
		err error
	)
	switch req.Action {
	case record.DecisionMerge, record.DecisionApart:
		ids := make([]ulid.ULID, 0, len(req.Persons))
		for _, p := range req.Persons {
			id, perr := ulid.ParseStrict(p)
			if perr != nil {
				s.rejectDecide(w, http.StatusBadRequest, "invalid", "person "+strconv.Quote(p)+" is not a valid ULID")
				return
			}
			ids = append(ids, id)
		}
		d, err = s.pool.Decide(req.Action, ids, by)
	case "undo":
		id, perr := ulid.ParseStrict(req.Decision)
		if perr != nil {
			s.rejectDecide(w, http.StatusBadRequest, "invalid", "decision "+strconv.Quote(req.Decision)+" is not a valid ULID")
			return
		}
		d, err = s.pool.Undo(id, by)
	default:
		s.rejectDecide(w, http.StatusBadRequest, "invalid", "action "+strconv.Quote(req.Action)+" is not merge, apart or undo")
		return
	}

	var (
		noPerson  *pool.NoPersonError
		twoPeople *pool.TwoPeopleError
		keptApart *pool.KeptApartError
	)
	switch {
	case err == nil:
		writeJSON(w, http.StatusOK, d)
	case errors.As(err, &noPerson):
		s.rejectDecide(w, http.StatusNotFound, CodeNoPerson, noPerson.Person.String())
	case errors.As(err, &twoPeople):
		s.rejectDecide(w, http.StatusConflict, CodeTwoPeople, twoPeople.IDNumbers[0]+" "+twoPeople.IDNumbers[1])
	case errors.As(err, &keptApart):
		s.rejectDecide(w, http.StatusConflict, CodeKeptApart, keptApart.Decision)
	case errors.Is(err, pool.ErrNoDecision):
		s.rejectDecide(w, http.StatusNotFound, CodeNoDecision, req.Decision)
	case errors.Is(err, pool.ErrSameEntry):
		s.rejectDecide(w, http.StatusConflict, CodeSameEntry, err.Error())
	case errors.Is(err, pool.ErrDecisionPersons):
		s.rejectDecide(w, http.StatusBadRequest, CodeNeedTwo, err.Error())
	default:
		s.log.Error("recording a duplicate decision failed", "action", req.Action, "err", err)
		writeJSON(w, http.StatusInternalServerError, protocol.HTTPError{Code: "internal", Message: err.Error()})
	}
}

// rejectDecide logs and writes the reply to a decide request the pool or
// the handler rejected. The message names ULIDs or masked ID numbers only,
// never personal values in full.
func (s *Server) rejectDecide(w http.ResponseWriter, status int, code, message string) {
	s.log.Warn("duplicate decision rejected", "code", code, "detail", message)
	writeJSON(w, status, protocol.HTTPError{Code: code, Message: message})
}
