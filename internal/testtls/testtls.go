// Package testtls gives tests of the sync server and its clients a TLS
// certificate for 127.0.0.1 and a websocket dialer that pins it, so tests
// run the same TLS path as the product.
package testtls

import (
	"crypto/tls"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"mobilefactory/shared/tlspin"
)

var (
	once        sync.Once
	cert        tls.Certificate
	fingerprint []byte
	certErr     error
)

// Certificate returns a self-signed certificate for localhost and
// 127.0.0.1 and its fingerprint. Every call in a test binary returns the
// same one.
func Certificate(t testing.TB) (*tls.Certificate, []byte) {
	t.Helper()
	once.Do(func() {
		cert, fingerprint, certErr = newCertificate()
	})
	if certErr != nil {
		t.Fatalf("making test certificate: %v", certErr)
	}
	c := cert
	return &c, append([]byte(nil), fingerprint...)
}

// Other returns a new certificate, different from Certificate's, for tests
// of a server that shows another certificate than the pinned one.
func Other(t testing.TB) (*tls.Certificate, []byte) {
	t.Helper()
	c, fp, err := newCertificate()
	if err != nil {
		t.Fatalf("making test certificate: %v", err)
	}
	return &c, fp
}

func newCertificate() (tls.Certificate, []byte, error) {
	certPEM, keyPEM, err := tlspin.SelfSigned([]string{"localhost", "127.0.0.1"}, time.Now())
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	c, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	fp, err := tlspin.LeafFingerprint(c)
	return c, fp, err
}

// Dialer returns a websocket dialer that accepts only the certificate
// with fingerprint.
func Dialer(t testing.TB, fingerprint []byte) *websocket.Dialer {
	t.Helper()
	cfg, err := tlspin.Config(fingerprint)
	if err != nil {
		t.Fatal(err)
	}
	d := *websocket.DefaultDialer
	d.TLSClientConfig = cfg
	return &d
}
