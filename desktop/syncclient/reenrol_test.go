package syncclient

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"mobilefactory/shared/protocol"
	"mobilefactory/shared/record"
	"mobilefactory/shared/tlspin"
)

// postEnrol sends an enrolment request to srv as any program could, and
// returns the reply's status and HTTPError code.
func postEnrol(t *testing.T, srv *testServer, req protocol.EnrolRequest) (int, string) {
	t.Helper()
	body, err := json.Marshal(req)
	if err != nil {
		t.Fatal(err)
	}
	tlsConfig, err := tlspin.Config(srv.fingerprint)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: tlsConfig}}
	defer client.CloseIdleConnections()
	resp, err := client.Post(srv.url()+"/enrol", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e protocol.HTTPError
	_ = json.NewDecoder(resp.Body).Decode(&e)
	return resp.StatusCode, e.Code
}

// An unused code and a known device id do not take the device over.
func TestEnrolTakeoverRefused(t *testing.T) {
	srv := startServer(t)
	victim := srv.enrolled("victim")
	victimID, _ := victim.Identity()

	code, err := srv.createCode("4136010405", "central", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	attackerKey, _, _ := ed25519.GenerateKey(nil)
	status, errCode := postEnrol(t, srv, protocol.EnrolRequest{Code: code, Device: victim.Device(),
		PublicKey: attackerKey, ClientVersion: "evil"})
	if status != http.StatusForbidden {
		t.Errorf("takeover status = %d, want %d", status, http.StatusForbidden)
	}
	if errCode != protocol.CodeDeviceKnown {
		t.Errorf("takeover error code = %q, want %q", errCode, protocol.CodeDeviceKnown)
	}

	stored, err := srv.pool.Device(victim.Device())
	if err != nil {
		t.Fatal(err)
	}
	if stored.College != victimID.College || stored.Role != "clerk" {
		t.Errorf("victim after the takeover attempt: college %s role %s, want %s clerk", stored.College, stored.Role, victimID.College)
	}
	// The victim still authenticates with its own key.
	syncOnce(t, victim)
}

// A device enrolled already re-enrols, for a new role, with a proof signed
// by its current key, and syncs with the new key.
func TestReenrolWithProofWorks(t *testing.T) {
	srv := startServer(t)
	st := srv.enrolled("clerk")
	syncOnce(t, st)
	before, _ := st.Identity()

	code, err := srv.createCode(college, "reviewer", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if err := Enrol(context.Background(), st, srv.url(), code); err != nil {
		t.Fatalf("re-enrolment: %v", err)
	}
	after, _ := st.Identity()
	if after.Role != "reviewer" {
		t.Errorf("role after re-enrolment = %q, want reviewer", after.Role)
	}
	if after.Device != before.Device {
		t.Errorf("device id changed from %s to %s", before.Device, after.Device)
	}
	if bytes.Equal(after.PrivateKey, before.PrivateKey) {
		t.Error("re-enrolment kept the old key")
	}
	syncOnce(t, st)
}

func TestDeviceKnownMessage(t *testing.T) {
	err := fmt.Errorf("%w: enrolment refused", protocol.ErrDeviceKnown)
	if got := Message(err); !strings.Contains(got, "编号相同的设备") {
		t.Errorf("message = %q, want it to name the known device id", got)
	}
	if errors.Is(err, ErrEnrolCode) {
		t.Error("known device reported as a bad code")
	}
}

// An enrolled store without records that is given a code of another
// college gets a message naming its college, not one about records.
func TestReenrolOtherCollegeWithoutRecords(t *testing.T) {
	srv := startServer(t)
	st := srv.enrolled("a")
	code, err := srv.createCode("4136010839", "clerk", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	err = Enrol(context.Background(), st, srv.url(), code)
	if !errors.Is(err, ErrEnrolledOtherCollege) {
		t.Fatalf("Enrol with another college's code: %v, want ErrEnrolledOtherCollege", err)
	}
	want := "本机已登记到 江西财经职业学院（4136012941），不能改用另一所院校的登记码重新登记"
	if got := Message(err); !strings.HasPrefix(got, want) {
		t.Errorf("message = %q, want it to start with %q", got, want)
	}
	if got := Message(err); strings.Contains(got, "的记录") {
		t.Errorf("message = %q, claims the store holds records", got)
	}
}

// A store that contains records gets a message naming their college.
func TestEnrolOtherCollegeNamesRecords(t *testing.T) {
	srv := startServer(t)
	st := srv.enrolled("a")
	if _, err := st.SavePerson(record.Person{Name: "李娜"}); err != nil {
		t.Fatal(err)
	}
	code, err := srv.createCode("4136010839", "clerk", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	err = Enrol(context.Background(), st, srv.url(), code)
	if errors.Is(err, ErrEnrolledOtherCollege) {
		t.Errorf("store with records reported as enrolled without them: %v", err)
	}
	want := "本机保存着 江西财经职业学院（4136012941） 的记录，不能用另一所院校的登记码登记"
	if got := Message(err); !strings.HasPrefix(got, want) {
		t.Errorf("message = %q, want it to start with %q", got, want)
	}
}

// Re-enrolling while the server is down reports that the store keeps its
// enrolment. A first enrolment reports that the store is not enrolled.
func TestReenrolUnreachableMessage(t *testing.T) {
	srv := startServer(t)
	st := srv.enrolled("a")
	before, _ := st.Identity()
	code, err := srv.createCode(college, "reviewer", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	fresh := openStore(t, "fresh")
	srv.stop()

	err = Enrol(context.Background(), st, srv.url(), code)
	if !errors.Is(err, ErrReenrolUnreachable) {
		t.Fatalf("re-enrolment with the server down: %v, want ErrReenrolUnreachable", err)
	}
	got := Message(err)
	if !strings.HasPrefix(got, "重新登记没有完成：连不上 "+srv.addr+" 上的服务器。本机仍保留原来的登记") {
		t.Errorf("re-enrolment message = %q, want it to say the enrolment is kept", got)
	}
	if strings.Contains(got, "本机没有登记") {
		t.Errorf("re-enrolment message = %q, claims the store is not enrolled", got)
	}
	if after, _ := st.Identity(); after.Role != before.Role || !bytes.Equal(after.PrivateKey, before.PrivateKey) {
		t.Errorf("identity changed by a failed re-enrolment: role %s, want %s", after.Role, before.Role)
	}

	err = Enrol(context.Background(), fresh, srv.url(), code)
	if errors.Is(err, ErrReenrolUnreachable) || !errors.Is(err, ErrEnrolUnreachable) {
		t.Fatalf("first enrolment with the server down: %v, want ErrEnrolUnreachable only", err)
	}
	if got := Message(err); !strings.Contains(got, "本机没有登记") {
		t.Errorf("first enrolment message = %q, want it to say the store is not enrolled", got)
	}
}
