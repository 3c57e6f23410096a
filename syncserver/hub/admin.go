package hub

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"mobilefactory/shared/protocol"
	"mobilefactory/syncserver/pool"
)

// EnrolTTL is how long an enrolment code stays valid by default.
const EnrolTTL = 7 * 24 * time.Hour

// MaxEnrolTTL is the longest validity an enrolment code may be given.
const MaxEnrolTTL = 30 * 24 * time.Hour

func (s *Server) requireAdmin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(token), []byte(s.adminToken)) != 1 {
			s.log.Warn("admin request rejected", "remote", r.RemoteAddr, "path", r.URL.Path)
			writeJSON(w, http.StatusUnauthorized, protocol.HTTPError{Code: "auth", Message: "missing or wrong admin token"})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// AdminEnrolRequest is the body of POST /admin/enrol.
type AdminEnrolRequest struct {
	College string `json:"college"`
	Role    string `json:"role"`
	// TTLSeconds is how long the code stays valid, at most MaxEnrolTTL;
	// EnrolTTL when zero.
	TTLSeconds int64 `json:"ttl_seconds,omitempty"`
}

// AdminEnrolResponse carries the new enrolment code.
type AdminEnrolResponse struct {
	Code      string    `json:"code"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (s *Server) handleAdminEnrol(w http.ResponseWriter, r *http.Request) {
	var req AdminEnrolRequest
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<10)).Decode(&req); err != nil || req.College == "" {
		writeJSON(w, http.StatusBadRequest, protocol.HTTPError{Code: "invalid", Message: "college missing"})
		return
	}
	if s.fingerprint == nil {
		writeJSON(w, http.StatusInternalServerError, protocol.HTTPError{Code: "internal", Message: "server has no TLS certificate to put in the code"})
		return
	}
	ttl := time.Duration(req.TTLSeconds) * time.Second
	if ttl == 0 {
		ttl = EnrolTTL
	}
	if ttl < 0 || ttl > MaxEnrolTTL {
		writeJSON(w, http.StatusBadRequest, protocol.HTTPError{Code: "invalid",
			Message: fmt.Sprintf("validity %s outside 1s to %s", ttl, MaxEnrolTTL)})
		return
	}
	code, expires, err := NewEnrolCodeTTL(s.pool, req.College, req.Role, s.fingerprint, ttl)
	if errors.Is(err, pool.ErrInvalid) {
		// A role with a scope it may not have, such as a fair device with
		// a college's scope.
		s.log.Warn("enrolment code refused", "scope", req.College, "role", req.Role, "err", err)
		writeJSON(w, http.StatusBadRequest, protocol.HTTPError{Code: "invalid", Message: err.Error()})
		return
	}
	if err != nil {
		s.log.Error("creating enrolment code failed", "college", req.College, "err", err)
		writeJSON(w, http.StatusInternalServerError, protocol.HTTPError{Code: "internal", Message: err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, AdminEnrolResponse{Code: code, ExpiresAt: expires})
}

func (s *Server) handleAdminStats(w http.ResponseWriter, _ *http.Request) {
	st, err := s.pool.Stats()
	if err != nil {
		s.log.Error("stats failed", "err", err)
		writeJSON(w, http.StatusInternalServerError, protocol.HTTPError{Code: "internal", Message: err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, StatsJSON(st))
}

// StatsReport is the JSON form of pool statistics.
type StatsReport struct {
	Colleges   []CollegeCount `json:"colleges"`
	Total      map[string]int `json:"total"`
	LogChanges uint64         `json:"log_changes"`
	Devices    int            `json:"devices"`
	// UnreadablePersons counts persons whose key keys.db lacks.
	UnreadablePersons int `json:"unreadable_persons"`
}

// CollegeCount is one college's record counts by kind.
type CollegeCount struct {
	College string         `json:"college"`
	Name    string         `json:"name,omitempty"`
	Counts  map[string]int `json:"counts"`
}

// StatsJSON converts pool statistics to their JSON form, colleges sorted by code.
func StatsJSON(st pool.Stats) StatsReport {
	rep := StatsReport{Total: map[string]int{}, LogChanges: st.LogChanges, Devices: st.Devices,
		UnreadablePersons: st.UnreadablePersons}
	for k, n := range st.Total {
		rep.Total[k.String()] = n
	}
	for college, counts := range st.ByCollege {
		cc := CollegeCount{College: college, Counts: map[string]int{}}
		for k, n := range counts {
			cc.Counts[k.String()] = n
		}
		rep.Colleges = append(rep.Colleges, cc)
	}
	sort.Slice(rep.Colleges, func(i, j int) bool { return rep.Colleges[i].College < rep.Colleges[j].College })
	return rep
}

func (s *Server) handleAdminDevices(w http.ResponseWriter, _ *http.Request) {
	devices, err := s.pool.Devices()
	if err != nil {
		s.log.Error("listing devices failed", "err", err)
		writeJSON(w, http.StatusInternalServerError, protocol.HTTPError{Code: "internal", Message: err.Error()})
		return
	}
	for i := range devices {
		devices[i].PublicKey = nil
	}
	writeJSON(w, http.StatusOK, devices)
}

func (s *Server) handleAdminBackup(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/octet-stream")
	n, err := s.pool.Backup(w)
	if err != nil {
		// The status line is sent once bytes flowed, so the client gets a
		// short body and the log records why.
		s.log.Error("backup failed", "bytes", n, "err", err)
		return
	}
	s.log.Info("backup written", "bytes", n)
}

// handleAdminBackupKeys serves GET /admin/backup-keys: a consistent copy
// of the key vault, which the running server holds locked.
func (s *Server) handleAdminBackupKeys(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/octet-stream")
	n, err := s.pool.BackupKeys(w)
	if err != nil {
		s.log.Error("key vault copy failed", "bytes", n, "err", err)
		return
	}
	s.log.Info("key vault copied for a key backup", "bytes", n)
}

// handleAdminAudit serves GET /admin/audit: the audit entries matching the
// query's person, account, device, from and to (RFC 3339 times), or with
// verify=1 the result of checking the chain.
func (s *Server) handleAdminAudit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("verify") != "" {
		sum, err := s.pool.VerifyAudit()
		if errors.Is(err, pool.ErrAuditChain) {
			s.log.Error("audit log chain broken", "err", err)
			writeJSON(w, http.StatusConflict, protocol.HTTPError{Code: "audit_chain", Message: err.Error()})
			return
		}
		if err != nil {
			s.log.Error("verifying the audit log failed", "err", err)
			writeJSON(w, http.StatusInternalServerError, protocol.HTTPError{Code: "internal", Message: err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, sum)
		return
	}
	f := pool.AuditFilter{Person: q.Get("person"), Account: q.Get("account"), Device: q.Get("device")}
	for name, t := range map[string]*time.Time{"from": &f.From, "to": &f.To} {
		if v := q.Get(name); v != "" {
			parsed, err := time.Parse(time.RFC3339, v)
			if err != nil {
				writeJSON(w, http.StatusBadRequest, protocol.HTTPError{Code: "invalid", Message: fmt.Sprintf("%s: %v", name, err)})
				return
			}
			*t = parsed
		}
	}
	entries, err := s.pool.AuditEntries(f)
	if err != nil {
		s.log.Error("reading the audit log failed", "err", err)
		writeJSON(w, http.StatusInternalServerError, protocol.HTTPError{Code: "internal", Message: err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, entries)
}
