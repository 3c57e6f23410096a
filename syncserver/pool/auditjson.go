package pool

import (
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"
)

// marshalAudit returns e encoded exactly as json.Marshal encodes it, so
// the hash chain and `syncserver audit` output do not depend on which of
// the two wrote an entry. A push writes an entry per record, and in a CPU
// profile of BenchmarkApplyPush10kPersons json.Marshal took most of the
// time of writing them. Entries whose strings need escaping, or whose time
// plainAuditEntry does not accept, go through json.Marshal.
func marshalAudit(e AuditEntry) ([]byte, error) {
	if !plainAuditEntry(e) {
		return json.Marshal(e)
	}

	b := make([]byte, 0, 384)
	b = append(b, `{"seq":`...)
	b = strconv.AppendUint(b, e.Seq, 10)
	b = append(b, `,"time":"`...)
	b = e.Time.AppendFormat(b, time.RFC3339Nano)
	b = append(b, '"')

	b = appendJSONField(b, "device", e.Device)
	b = appendJSONField(b, "role", e.Role)
	b = appendJSONField(b, "account", e.Account)
	b = append(b, `,"action":"`...)
	b = append(b, e.Action...)
	b = append(b, '"')
	if e.Kind != 0 {
		b = append(b, `,"kind":`...)
		b = strconv.AppendUint(b, uint64(e.Kind), 10)
	}

	b = appendJSONField(b, "record", e.Record)
	b = appendJSONField(b, "person", e.Person)
	b = appendJSONField(b, "scope", e.Scope)
	b = appendJSONList(b, "fields", e.Fields)
	b = appendJSONField(b, "reason", e.Reason)
	b = appendJSONField(b, "backup", e.Backup)
	b = appendJSONField(b, "backup_head", e.BackupHead)
	if e.Carried != 0 {
		b = append(b, `,"carried":`...)
		b = strconv.AppendUint(b, e.Carried, 10)
	}
	b = appendJSONList(b, "revoked", e.Revoked)

	b = append(b, `,"prev":"`...)
	b = append(b, e.Prev...)
	return append(b, `"}`...), nil
}

// appendJSONField appends an omitempty string field.
func appendJSONField(b []byte, name, value string) []byte {
	if value == "" {
		return b
	}
	b = append(b, `,"`...)
	b = append(b, name...)
	b = append(b, `":"`...)
	b = append(b, value...)
	return append(b, '"')
}

// appendJSONList appends an omitempty list of strings.
func appendJSONList(b []byte, name string, values []string) []byte {
	if len(values) == 0 {
		return b
	}
	b = append(b, `,"`...)
	b = append(b, name...)
	b = append(b, `":[`...)
	for i, v := range values {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, v...)
		b = append(b, '"')
	}
	return append(b, ']')
}

// plainAuditEntry reports whether marshalAudit's fast path writes e as
// json.Marshal does: every string is JSON-safe as it is, and the time is
// one time.Time.MarshalJSON accepts, written in the same RFC 3339 form.
func plainAuditEntry(e AuditEntry) bool {
	if y := e.Time.Year(); y < 0 || y > 9999 {
		return false
	}
	// MarshalJSON rejects an offset of a day or more, and writes one with
	// seconds without them.
	if _, offset := e.Time.Zone(); offset%60 != 0 || offset <= -24*3600 || offset >= 24*3600 {
		return false
	}
	for _, s := range [...]string{e.Device, e.Role, e.Account, e.Action, e.Record, e.Person, e.Scope,
		e.Reason, e.Backup, e.BackupHead, e.Prev} {
		if !plainJSONString(s) {
			return false
		}
	}
	for _, list := range [...][]string{e.Fields, e.Revoked} {
		for _, s := range list {
			if !plainJSONString(s) {
				return false
			}
		}
	}
	return true
}

// plainJSONString reports whether encoding/json writes s between quotes
// unchanged: valid UTF-8 without control characters, quote, backslash, the
// HTML characters <, > and &, or the line and paragraph separators.
func plainJSONString(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			return false
		}
		i += size
	}
	return true
}
