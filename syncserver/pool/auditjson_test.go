package pool

import (
	"encoding/json"
	"testing"
	"time"

	"pgregory.net/rapid"

	"mobilefactory/shared/record"
)

// auditText draws strings from the characters that audit entries hold and
// those that encoding/json escapes.
func auditText() *rapid.Generator[string] {
	return rapid.OneOf(
		rapid.Just(""),
		rapid.StringMatching(`[0-9A-Za-z_:.-]{1,30}`),
		rapid.SampledFrom([]string{"王老师", "a<b", "x&y", "\"q\"", `back\slash`, "tab\tnew\nline",
			"\u2028", "\xff\xfe", "\x00", "\b\f", "é"}),
		rapid.String(),
	)
}

func TestMarshalAuditMatchesJSON(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		offset := rapid.SampledFrom([]int{0, 8 * 3600, -5*3600 - 30*60, 45, 25 * 3600}).Draw(t, "offset")
		zone := time.FixedZone("z", offset)
		when := time.Unix(rapid.Int64Range(-70_000_000_000, 300_000_000_000).Draw(t, "unix"),
			rapid.Int64Range(0, 999_999_999).Draw(t, "nanos")).In(zone)
		list := func(name string) []string {
			return rapid.SliceOfN(auditText(), 0, 4).Draw(t, name)
		}
		e := AuditEntry{
			Seq: rapid.Uint64().Draw(t, "seq"), Time: when,
			Device: auditText().Draw(t, "device"), Role: auditText().Draw(t, "role"),
			Account: auditText().Draw(t, "account"), Action: auditText().Draw(t, "action"),
			Kind:   record.Kind(rapid.Uint8().Draw(t, "kind")),
			Record: auditText().Draw(t, "record"), Person: auditText().Draw(t, "person"),
			Scope: auditText().Draw(t, "scope"), Fields: list("fields"), Reason: auditText().Draw(t, "reason"),
			Backup: auditText().Draw(t, "backup"), BackupHead: auditText().Draw(t, "backupHead"),
			Carried: rapid.Uint64Range(0, 3).Draw(t, "carried"), Revoked: list("revoked"),
			Prev: auditText().Draw(t, "prev"),
		}
		want, wantErr := json.Marshal(e)
		got, err := marshalAudit(e)
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("marshalAudit error %v, json.Marshal error %v", err, wantErr)
		}
		if string(got) != string(want) {
			t.Fatalf("marshalAudit wrote\n%s\njson.Marshal writes\n%s", got, want)
		}
	})
}

func TestMarshalAuditFastPathTaken(t *testing.T) {
	e := AuditEntry{Seq: 7, Time: time.Date(2026, 12, 5, 8, 0, 0, 5, time.UTC), Device: "01JDEVICE",
		Role: "clerk", Account: "王老师", Action: ActionWrite, Kind: record.KindPerson,
		Record: "01JRECORD", Person: "01JRECORD", Scope: "4136012941",
		Fields: []string{record.FieldName, record.FieldPhone}, Prev: "ab12"}
	if !plainAuditEntry(e) {
		t.Fatal("a typical push entry takes the json.Marshal path")
	}
	want, _ := json.Marshal(e)
	got, _ := marshalAudit(e)
	if string(got) != string(want) {
		t.Fatalf("marshalAudit wrote\n%s\njson.Marshal writes\n%s", got, want)
	}
}
