package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"time"

	"mobilefactory/shared/cli"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/tlspin"
)

// tlsDir is the folder of the data folder that holds the certificate the
// server makes on its first start.
const tlsDir = "tls"

func defaultCertPaths(dataDir string) (certFile, keyFile string) {
	return filepath.Join(dataDir, tlsDir, "cert.pem"), filepath.Join(dataDir, tlsDir, "key.pem")
}

// serverCertificate loads the certificate the server serves. With certFile
// and keyFile empty it uses the one in the data folder, created on first use
// for listenHost, localhost and 127.0.0.1. It returns whether it created one.
func serverCertificate(dataDir, certFile, keyFile, listenHost string) (tls.Certificate, bool, error) {
	created := false
	if certFile == "" && keyFile == "" {
		var err error
		certFile, keyFile = defaultCertPaths(dataDir)
		created, err = ensureCertificate(certFile, keyFile, listenHost)
		if err != nil {
			return tls.Certificate{}, false, err
		}
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return tls.Certificate{}, false, errors.New(i18n.T("server.tls.load_failed", certFile, keyFile, err))
	}
	return cert, created, nil
}

// ensureCertificate makes a self-signed certificate and its key at the
// given paths unless the certificate exists. The key file is mode 0600.
func ensureCertificate(certFile, keyFile, listenHost string) (bool, error) {
	if _, err := os.Stat(certFile); err == nil {
		return false, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return false, fmt.Errorf("checking %s: %w", certFile, err)
	}
	hosts := []string{"localhost", "127.0.0.1"}
	if ip := net.ParseIP(listenHost); listenHost != "" && (ip == nil || !ip.IsUnspecified()) && listenHost != "localhost" && listenHost != "127.0.0.1" {
		hosts = append([]string{listenHost}, hosts...)
	}
	certPEM, keyPEM, err := tlspin.SelfSigned(hosts, time.Now())
	if err != nil {
		return false, fmt.Errorf("making the server certificate: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(certFile), 0o700); err != nil {
		return false, fmt.Errorf("creating %s: %w", filepath.Dir(certFile), err)
	}
	// The key goes first: a certificate without its key would stop the
	// next start, while a key alone is created again.
	if err := writeFileAtomic(keyFile, keyPEM, 0o600); err != nil {
		return false, err
	}
	if err := writeFileAtomic(certFile, certPEM, 0o644); err != nil {
		return false, err
	}
	return true, nil
}

func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, mode); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// certFingerprint returns the fingerprint of the certificate in certFile,
// or of the data folder's certificate when certFile is empty, created first
// if the server has not created it yet. It reads no private key.
func certFingerprint(dataDir, certFile string) ([]byte, error) {
	if certFile == "" {
		var keyFile string
		certFile, keyFile = defaultCertPaths(dataDir)
		if _, err := ensureCertificate(certFile, keyFile, ""); err != nil {
			return nil, err
		}
	}
	raw, err := os.ReadFile(certFile)
	if err != nil {
		return nil, errors.New(i18n.T("server.tls.load_failed", certFile, "-", err))
	}
	block, _ := pem.Decode(raw)
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, errors.New(i18n.T("server.tls.load_failed", certFile, "-", "no PEM certificate"))
	}
	if _, err := x509.ParseCertificate(block.Bytes); err != nil {
		return nil, errors.New(i18n.T("server.tls.load_failed", certFile, "-", err))
	}
	return tlspin.Fingerprint(block.Bytes), nil
}

func runFingerprint(args []string) error {
	fs := cli.FlagSet(program, cli.Command{Name: "fingerprint", Summary: "server.fingerprint.summary", Usage: "server.fingerprint.usage"})
	dataDir := fs.String("data", defaultDataDir, "server.flag.data")
	certFile := fs.String("cert", "", "server.flag.cert")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *certFile == "" {
		if err := os.MkdirAll(*dataDir, 0o700); err != nil {
			return fmt.Errorf("creating data folder: %w", err)
		}
	}
	fp, err := certFingerprint(*dataDir, *certFile)
	if err != nil {
		return err
	}
	fmt.Println(tlspin.Format(fp))
	return nil
}
