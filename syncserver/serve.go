package main

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"mobilefactory/shared/cli"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/tlspin"
	"mobilefactory/syncserver/hub"
	"mobilefactory/syncserver/matchsvc"
	"mobilefactory/syncserver/pool"
)

// defaultDataDir is the folder of the pool when --data is not given.
const defaultDataDir = "run/server"

// adminFile is written into the data folder while the server runs, so the
// admin commands can reach it. It holds a secret token, so it is mode 0600.
const adminFile = "admin.json"

type adminInfo struct {
	URL   string `json:"url"`
	Token string `json:"token"`
	// Fingerprint is the hex SHA-256 of the server's TLS certificate, which
	// the admin commands pin.
	Fingerprint string `json:"fingerprint"`

	pin []byte      // Fingerprint decoded, set by parseAdminInfo
	tls *tls.Config // pins pin, set by parseAdminInfo
}

func poolPath(dataDir string) string { return filepath.Join(dataDir, "pool.db") }

func runServe(args []string) error {
	fs := cli.FlagSet(program, cli.Command{Name: "serve", Summary: "server.serve.summary", Usage: "server.serve.usage"})
	dataDir := fs.String("data", defaultDataDir, "server.flag.data")
	listen := fs.String("listen", "127.0.0.1:8731", "server.flag.listen")
	certFile := fs.String("cert", "", "server.flag.cert")
	keyFile := fs.String("key", "", "server.flag.key")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if (*certFile == "") != (*keyFile == "") {
		return cli.Usagef("server.serve.cert_and_key")
	}

	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if err := os.MkdirAll(*dataDir, 0o700); err != nil {
		return fmt.Errorf("creating data folder: %w", err)
	}
	// The pool opens first: a missing or wrong master key stops the start
	// before anything, a certificate included, is written.
	p, err := openPool(*dataDir, logger)
	if err != nil {
		return err
	}
	defer p.Close()
	host, _, _ := net.SplitHostPort(*listen)
	cert, created, err := serverCertificate(*dataDir, *certFile, *keyFile, host)
	if err != nil {
		return err
	}
	fingerprint, err := tlspin.LeafFingerprint(cert)
	if err != nil {
		return err
	}
	if created {
		logger.Info("made a self-signed TLS certificate", "dir", filepath.Join(*dataDir, tlsDir))
	}

	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return errors.New(i18n.T("server.listen_failed", *listen, err))
	}
	token := newToken()
	info := adminInfo{URL: "https://" + ln.Addr().String(), Token: token, Fingerprint: hex.EncodeToString(fingerprint)}
	raw, _ := json.Marshal(info)
	adminPath := filepath.Join(*dataDir, adminFile)
	if err := os.WriteFile(adminPath, raw, 0o600); err != nil {
		ln.Close()
		return fmt.Errorf("writing %s: %w", adminPath, err)
	}
	defer os.Remove(adminPath)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	matching := matchsvc.New(p, matchsvc.Options{Logger: logger})
	srv := hub.New(p, hub.Options{Logger: logger, AdminToken: token, Certificate: &cert, Match: matching.Match,
		Admin: hub.AdminHandlers{Match: matchHandler(p, matching, logger), ImportChanges: importChangesHandler(p, logger),
			Erase: eraseHandler(p, logger)}})
	fmt.Fprintln(os.Stderr, i18n.T("server.serve.fingerprint", ln.Addr().String(), tlspin.Format(fingerprint)))
	matched := make(chan struct{})
	go func() {
		defer close(matched)
		matching.Run(ctx)
	}()
	compacted := make(chan struct{})
	go func() {
		defer close(compacted)
		compactEvery(ctx, p, compactInterval, logger)
	}()
	err = srv.Serve(ctx, ln)
	stop()
	<-compacted
	<-matched
	return err
}

// compactInterval is how often the running server compacts each college's log.
const compactInterval = time.Hour

// compactEvery compacts every college's log each interval until ctx ends.
func compactEvery(ctx context.Context, p *pool.Pool, interval time.Duration, logger *slog.Logger) {
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
		scopes, err := p.Scopes()
		if err != nil {
			logger.Error("listing colleges for compaction failed", "err", err)
			continue
		}
		for _, scope := range scopes {
			if _, err := p.Compact(scope); err != nil {
				logger.Error("compaction failed", "college", scope, "err", err)
			}
		}
	}
}

func newToken() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic("bug: crypto/rand failed: " + err.Error())
	}
	return hex.EncodeToString(b)
}
