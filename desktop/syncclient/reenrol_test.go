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
