package store

import (
	"errors"
	"reflect"
	"testing"

	"mobilefactory/shared/access"
	"mobilefactory/shared/record"
)

func TestDirectorySaveAndList(t *testing.T) {
	s := openAsRole(t, string(access.Central), "zhou", newClock())
	e, err := s.SaveEmployer(record.Employer{Name: "江西洪都数控机械有限公司", CreditCode: "91350100M000100Y43",
		Region: "360100", Industry: "3411", Nature: "39"})
	if err != nil {
		t.Fatalf("SaveEmployer: %v", err)
	}
	if e.ID == "" || e.Scope != record.ProvinceScope {
		t.Errorf("saved employer id %q scope %q, want an id and scope %s", e.ID, e.Scope, record.ProvinceScope)
	}
	d, err := s.SaveDemand(record.Demand{Employer: e.ID, Title: "数控车床操作工", Occupation: "6-18-01-01",
		Majors: []string{"460103"}, Headcount: 20, Months: []int{3, 4, 5, 6}})
	if err != nil {
		t.Fatalf("SaveDemand: %v", err)
	}

	employers, err := s.Employers()
	if err != nil || len(employers) != 1 || employers[0] != e {
		t.Errorf("Employers() = %+v, %v; want [%+v]", employers, err, e)
	}
	got, err := s.Demand(d.ID)
	if err != nil || !reflect.DeepEqual(got, d) {
		t.Errorf("Demand(%s) = %+v, %v; want %+v", d.ID, got, err, d)
	}

	// Every changed field waits in the outbox with the province scope.
	changes, err := s.Outbox(0, 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range changes {
		if c.Scope != record.ProvinceScope {
			t.Errorf("outbox change %s.%s has scope %q, want %s", c.Kind, c.Field, c.Scope, record.ProvinceScope)
		}
	}
	if len(changes) != 5+6 {
		t.Errorf("outbox has %d changes, want 11 (5 employer fields and 6 demand fields)", len(changes))
	}

	if err := s.DeleteDemand(d.ID); err != nil {
		t.Fatalf("DeleteDemand: %v", err)
	}
	if demands, err := s.Demands(); err != nil || len(demands) != 0 {
		t.Errorf("Demands() after delete = %+v, %v; want none", demands, err)
	}
	if err := s.DeleteEmployer(e.ID); err != nil {
		t.Fatalf("DeleteEmployer: %v", err)
	}
	if employers, err := s.Employers(); err != nil || len(employers) != 0 {
		t.Errorf("Employers() after delete = %+v, %v; want none", employers, err)
	}
}

func TestDirectoryClerkCannotWrite(t *testing.T) {
	s := openAsRole(t, string(access.Clerk), "li", newClock())
	_, err := s.SaveEmployer(record.Employer{Name: "江西洪都数控机械有限公司"})
	if !errors.Is(err, ErrProvinceRole) {
		t.Errorf("SaveEmployer on a clerk's device: error %v, want ErrProvinceRole", err)
	}
	if n := s.Pending(); n != 0 {
		t.Errorf("Pending() = %d after a rejected save, want 0", n)
	}
}
