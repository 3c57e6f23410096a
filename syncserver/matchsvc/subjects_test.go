package matchsvc

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/oklog/ulid/v2"

	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
)

// rowKeys returns each row's person and demand.
func rowKeys(rows []protocol.MatchRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Person+"/"+r.Demand)
	}
	return out
}

// matchError runs req and returns its *Error, failing when there is none.
func (w *world) matchError(req protocol.MatchRequest) *Error {
	w.t.Helper()
	_, err := w.service().Match(context.Background(), req)
	var merr *Error
	if !errors.As(err, &merr) {
		w.t.Fatalf("%s %+v: error %v, want a matchsvc error", req.Use, req, err)
	}
	return merr
}

func TestPersonByIDNumber(t *testing.T) {
	w := newWorld(t)
	byULID := w.match(protocol.MatchRequest{Use: protocol.MatchPerson, Person: w.seeker.String()})
	// The seeker's college and fair records share the number and one pool
	// entry, so the number names one person.
	number := withCheckDigit("36042420030815121")
	byNumber := w.match(protocol.MatchRequest{Use: protocol.MatchPerson, Person: number})
	if len(byULID.Rows) == 0 {
		t.Fatal("person by ULID got no rows")
	}
	if got, want := rowKeys(byNumber.Rows), rowKeys(byULID.Rows); !reflect.DeepEqual(got, want) {
		t.Errorf("person by ID number rows %v, want %v", got, want)
	}
	lower := w.match(protocol.MatchRequest{Use: protocol.MatchPerson, Person: strings.ToLower(number)})
	if len(lower.Rows) != len(byULID.Rows) {
		t.Errorf("person by ID number typed in lower case got %d rows, want %d", len(lower.Rows), len(byULID.Rows))
	}

	unknown := withCheckDigit("36042419990101123")
	merr := w.matchError(protocol.MatchRequest{Use: protocol.MatchPerson, Person: unknown})
	if merr.Key != "server.match.id_number_not_found" || !errors.Is(merr, protocol.ErrNotFound) {
		t.Errorf("unknown ID number error key %s, want server.match.id_number_not_found", merr.Key)
	}
	if msg := merr.Message("zh-Hans"); strings.Contains(msg, unknown) {
		t.Errorf("message %q shows the whole ID number", msg)
	}
}

func TestTransferByEmployerNameOrCode(t *testing.T) {
	w := newWorld(t)
	byULID := w.match(protocol.MatchRequest{Use: protocol.MatchTransfer, Employer: w.factory.String()})
	if len(byULID.Rows) == 0 {
		t.Fatal("transfer by ULID got no rows")
	}
	byName := w.match(protocol.MatchRequest{Use: protocol.MatchTransfer, Employer: " 东莞市精工机械有限公司 "})
	if got, want := rowKeys(byName.Rows), rowKeys(byULID.Rows); !reflect.DeepEqual(got, want) {
		t.Errorf("transfer by name rows %v, want %v", got, want)
	}

	// A second employer of the same name makes the name ambiguous; the
	// credit codes tell them apart.
	const code = "91441900MA5ABCDE1X"
	w.write(record.KindEmployer, w.factory, record.ProvinceScope, record.Employer{Name: "东莞市精工机械有限公司",
		CreditCode: code, Region: "441900"}.Fields())
	namesake := ulid.Make()
	w.write(record.KindEmployer, namesake, record.ProvinceScope, record.Employer{Name: "东莞市精工机械有限公司",
		CreditCode: "91441900MA5FGHIJ2Y", Region: "441900"}.Fields())
	merr := w.matchError(protocol.MatchRequest{Use: protocol.MatchTransfer, Employer: "东莞市精工机械有限公司"})
	if merr.Key != "server.match.employer_ambiguous" || !errors.Is(merr, protocol.ErrInvalid) {
		t.Fatalf("ambiguous name error key %s, want server.match.employer_ambiguous", merr.Key)
	}
	msg := merr.Message("zh-Hans")
	for _, want := range []string{"2 家", code, "91441900MA5FGHIJ2Y"} {
		if !strings.Contains(msg, want) {
			t.Errorf("ambiguous name message %q lacks %q", msg, want)
		}
	}
	byCode := w.match(protocol.MatchRequest{Use: protocol.MatchTransfer, Employer: strings.ToLower(code)})
	if got, want := rowKeys(byCode.Rows), rowKeys(byULID.Rows); !reflect.DeepEqual(got, want) {
		t.Errorf("transfer by credit code rows %v, want %v", got, want)
	}

	merr = w.matchError(protocol.MatchRequest{Use: protocol.MatchTransfer, Employer: "不存在的单位"})
	if merr.Key != "server.match.employer_name_not_found" || !errors.Is(merr, protocol.ErrNotFound) {
		t.Errorf("unknown name error key %s, want server.match.employer_name_not_found", merr.Key)
	}
}
