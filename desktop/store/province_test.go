package store

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/changeset"
	"mobilefactory/shared/hlc"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// A central-office device saves employers and demands in the province
// scope; they go out in its outbox and list live ones only.
func TestCentralSavesProvinceRecords(t *testing.T) {
	s := openAsRole(t, "central", "zhang", newClock())
	gree, err := s.SaveEmployer(record.Employer{Name: "赣州格力", CreditCode: "91360700MA35F6XY2K", Region: "360700"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ulid.ParseStrict(gree.ID); err != nil || gree.Scope != record.ProvinceScope {
		t.Errorf("saved employer id %q scope %q, want a ULID and %q", gree.ID, gree.Scope, record.ProvinceScope)
	}
	if _, err := s.SaveEmployer(record.Employer{Name: "九江石化"}); err != nil {
		t.Fatal(err)
	}
	demand, err := s.SaveDemand(record.Demand{Employer: gree.ID, Title: "数控车床操作工", Headcount: 20, Majors: []string{"460103"}})
	if err != nil {
		t.Fatal(err)
	}

	employers, err := s.Employers()
	if err != nil {
		t.Fatal(err)
	}
	if len(employers) != 2 || employers[0].Name != "九江石化" || employers[1].Name != "赣州格力" {
		t.Errorf("Employers() = %+v, want 九江石化 then 赣州格力 (sorted by name)", employers)
	}
	got, err := s.Demand(demand.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Headcount != 20 || got.Employer != gree.ID || got.Scope != record.ProvinceScope {
		t.Errorf("Demand() = %+v, want headcount 20 of employer %s in the province", got, gree.ID)
	}

	out, err := s.Outbox(0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range out {
		if c.Scope != record.ProvinceScope {
			t.Errorf("outbox change %s.%s has scope %q, want the province", c.Kind, c.Field, c.Scope)
		}
	}

	if err := s.DeleteDemand(demand.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Demand(demand.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Demand() of a deleted demand: error %v, want ErrNotFound", err)
	}
	if demands, _ := s.Demands(); len(demands) != 0 {
		t.Errorf("Demands() after the delete = %+v, want none", demands)
	}
	if err := s.DeleteEmployer(ulid.Make().String()); !errors.Is(err, ErrNotFound) {
		t.Errorf("DeleteEmployer of an unknown id: error %v, want ErrNotFound", err)
	}
}

// A clerk's device may not create or change province records, and the
// error reads in Chinese.
func TestClerkCannotWriteProvince(t *testing.T) {
	s := openAsRole(t, "clerk", "li", newClock())
	_, err := s.SaveEmployer(record.Employer{Name: "赣州格力"})
	if !errors.Is(err, ErrProvinceRole) {
		t.Fatalf("SaveEmployer on a clerk device: error %v, want ErrProvinceRole", err)
	}
	if msg := Message(err); msg != i18n.T("store.province.role") || !strings.Contains(msg, "省中心") {
		t.Errorf("Message(%v) = %q, want the province message naming 省中心", err, msg)
	}
	if _, err := s.SaveDemand(record.Demand{Title: "电工"}); !errors.Is(err, ErrProvinceRole) {
		t.Errorf("SaveDemand on a clerk device: error %v, want ErrProvinceRole", err)
	}
	if _, err := s.SaveBatch(record.KindMerge, []string{""}, []map[string]string{{record.FieldDecision: record.DecisionApart}}); !errors.Is(err, ErrProvinceRole) {
		t.Errorf("saving a merge on a clerk device: error %v, want ErrProvinceRole", err)
	}
	if n := s.Pending(); n != 0 {
		t.Errorf("outbox holds %d changes after refused saves, want 0", n)
	}

	// A demand pulled from the server is read-only here.
	id := ulid.Make()
	pulled := changeset.Change{Kind: record.KindDemand, ID: id, Scope: record.ProvinceScope, Field: record.FieldTitle,
		Value: "焊工", Stamp: hlc.Make(time.Now().UnixMilli(), 0), Device: "CENTRAL"}
	if err := s.ApplyPage([]changeset.Change{pulled}, 1); err != nil {
		t.Fatalf("applying a pulled demand: %v", err)
	}
	if err := s.DeleteDemand(id.String()); !errors.Is(err, ErrProvinceRole) {
		t.Errorf("DeleteDemand of a pulled demand on a clerk device: error %v, want ErrProvinceRole", err)
	}
	if d, err := s.Demand(id.String()); err != nil || d.Title != "焊工" {
		t.Errorf("Demand() = %+v, %v; want the pulled 焊工", d, err)
	}
}

// A pulled page accepts province kinds in the province scope only, and no
// person there.
func TestApplyPageProvinceScope(t *testing.T) {
	s := openAsRole(t, "clerk", "li", newClock())
	stamp := hlc.Make(time.Now().UnixMilli(), 0)
	cases := []struct {
		name string
		c    changeset.Change
		ok   bool
	}{
		{"employer in province", changeset.Change{Kind: record.KindEmployer, Scope: record.ProvinceScope, Field: record.FieldTitle, Value: "格力"}, true},
		{"merge in province", changeset.Change{Kind: record.KindMerge, Scope: record.ProvinceScope, Field: record.FieldDecision, Value: record.DecisionApart}, true},
		{"person in province", changeset.Change{Kind: record.KindPerson, Scope: record.ProvinceScope, Field: record.FieldName, Value: "张伟"}, false},
		{"employer in college", changeset.Change{Kind: record.KindEmployer, Scope: testCollege, Field: record.FieldTitle, Value: "格力"}, false},
		{"person of another college", changeset.Change{Kind: record.KindPerson, Scope: "4136011785", Field: record.FieldName, Value: "张伟"}, false},
	}
	for i, tc := range cases {
		tc.c.ID, tc.c.Stamp, tc.c.Device = ulid.Make(), stamp, "SERVER"
		err := s.ApplyPage([]changeset.Change{tc.c}, uint64(i+1))
		if tc.ok && err != nil {
			t.Errorf("%s: ApplyPage error %v, want nil", tc.name, err)
		}
		if !tc.ok && !errors.Is(err, ErrScope) {
			t.Errorf("%s: ApplyPage error %v, want ErrScope", tc.name, err)
		}
	}
}

// A refusal of a province record the pool never had drops it from the
// replica; one pulled from the server stays for the pool's values to
// return.
func TestRefusedProvinceRecordDropped(t *testing.T) {
	s := openAsRole(t, "clerk", "li", newClock())
	ident, _ := s.Identity()

	// Written while the device wrongly held the central role.
	ident.Role = "central"
	if err := s.SetIdentity(ident); err != nil {
		t.Fatal(err)
	}
	own, err := s.SaveDemand(record.Demand{Title: "电工", Headcount: 3})
	if err != nil {
		t.Fatal(err)
	}
	pulledID := ulid.Make()
	pulled := changeset.Change{Kind: record.KindDemand, ID: pulledID, Scope: record.ProvinceScope, Field: record.FieldTitle,
		Value: "焊工", Stamp: hlc.Make(time.Now().UnixMilli()-1000, 0), Device: "CENTRAL"}
	if err := s.ApplyPage([]changeset.Change{pulled}, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveDemand(record.Demand{ID: pulledID.String(), Title: "焊工", Headcount: 9}); err != nil {
		t.Fatal(err)
	}
	ident.Role = "clerk"
	if err := s.SetIdentity(ident); err != nil {
		t.Fatal(err)
	}

	refused := []protocol.Refusal{
		{Seq: 1, Kind: uint8(record.KindDemand), Record: own.ID, Field: record.FieldTitle, Reason: protocol.CodeRole},
		{Seq: 3, Kind: uint8(record.KindDemand), Record: pulledID.String(), Field: record.FieldHeadcount, Reason: protocol.CodeRole},
	}
	if err := s.SaveRefused(refused, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Demand(own.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("Demand() of the refused new demand: error %v, want ErrNotFound", err)
	}
	if d, err := s.Demand(pulledID.String()); err != nil || d.Title != "焊工" {
		t.Errorf("Demand() of the pulled demand = %+v, %v; want it kept", d, err)
	}
	if n := s.RefusedCount(); n != 2 {
		t.Errorf("RefusedCount() = %d, want 2 for the user to see", n)
	}
}
