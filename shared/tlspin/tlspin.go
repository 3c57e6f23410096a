// Package tlspin makes the sync server's self-signed TLS certificate and
// the client TLS configuration that trusts exactly one certificate, named
// by its fingerprint: the SHA-256 of the leaf certificate's DER encoding.
//
// Devices learn the fingerprint from their enrolment code, so they need no
// certificate authority and no system roots.
package tlspin

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"time"
)

// Size is the length of a fingerprint in bytes.
const Size = sha256.Size

// Validity is how long a certificate made by SelfSigned stays valid.
const Validity = 10 * 365 * 24 * time.Hour

// Errors returned by the verification of Config.
var (
	// ErrFingerprint is returned when the server's certificate does not
	// match the pinned fingerprint.
	ErrFingerprint = errors.New("server certificate does not match the pinned fingerprint")
	// ErrNoFingerprint is returned by Config for a fingerprint that is not
	// Size bytes long, such as the empty one of a device enrolled before
	// the server served TLS.
	ErrNoFingerprint = errors.New("no valid pinned fingerprint")
)

// Fingerprint returns the SHA-256 of a certificate's DER encoding.
func Fingerprint(der []byte) []byte {
	sum := sha256.Sum256(der)
	return sum[:]
}

// Format writes a fingerprint as colon-separated upper-case hex pairs, the
// form browsers and openssl show.
func Format(fingerprint []byte) string {
	var b bytes.Buffer
	for i, x := range fingerprint {
		if i > 0 {
			b.WriteByte(':')
		}
		fmt.Fprintf(&b, "%02X", x)
	}
	return b.String()
}

// Config returns a client TLS configuration that accepts a server only
// when its leaf certificate's SHA-256 equals fingerprint. Chain and host
// name are not checked, because the pin alone decides.
func Config(fingerprint []byte) (*tls.Config, error) {
	if len(fingerprint) != Size {
		return nil, fmt.Errorf("%w: %d bytes", ErrNoFingerprint, len(fingerprint))
	}
	want := bytes.Clone(fingerprint)
	return &tls.Config{
		MinVersion: tls.VersionTLS12,
		// The standard verification needs a chain to a trusted root, which
		// a self-signed certificate lacks. VerifyConnection replaces it.
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return fmt.Errorf("%w: server sent no certificate", ErrFingerprint)
			}
			got := Fingerprint(cs.PeerCertificates[0].Raw)
			if !bytes.Equal(got, want) {
				return fmt.Errorf("%w: got %s", ErrFingerprint, hex.EncodeToString(got))
			}
			return nil
		},
	}, nil
}

// IsPlainText reports whether err is the error of a TLS client whose peer
// replied to the handshake with something other than TLS, such as plain
// HTTP. net/http's client reports that as http.ErrSchemeMismatch, the
// websocket dialer as a tls.RecordHeaderError.
func IsPlainText(err error) bool {
	var rh tls.RecordHeaderError
	return errors.As(err, &rh) || errors.Is(err, http.ErrSchemeMismatch)
}

// SelfSigned makes a self-signed ECDSA P-256 certificate, valid for
// Validity from now, whose subject alternative names are hosts (DNS names
// or IP addresses). It returns the certificate and its private key, PEM
// encoded.
func SelfSigned(hosts []string, now time.Time) (certPEM, keyPEM []byte, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("making key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
	if err != nil {
		return nil, nil, fmt.Errorf("making serial number: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "Mobile Factory sync server", Organization: []string{"Mobile Factory"}},
		NotBefore:             now.Add(-time.Hour), // tolerate a client clock slightly behind
		NotAfter:              now.Add(Validity),
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else if h != "" {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, fmt.Errorf("signing certificate: %w", err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, fmt.Errorf("encoding key: %w", err)
	}
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	keyPEM = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	return certPEM, keyPEM, nil
}

// LeafFingerprint returns the fingerprint of a loaded certificate's leaf.
func LeafFingerprint(cert tls.Certificate) ([]byte, error) {
	if len(cert.Certificate) == 0 {
		return nil, errors.New("certificate chain is empty")
	}
	return Fingerprint(cert.Certificate[0]), nil
}
