package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"mobilefactory/desktop/store"
	"mobilefactory/desktop/syncclient"
	"mobilefactory/shared/access"
	"mobilefactory/shared/cli"
	"mobilefactory/shared/codes"
	"mobilefactory/shared/i18n"
	"mobilefactory/shared/protocol"
)

func newLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func openStore(dataDir string, logger *slog.Logger) (*store.Store, error) {
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("creating data folder: %w", err)
	}
	st, err := store.Open(storePath(dataDir), store.Options{Logger: logger})
	if errors.Is(err, store.ErrOldFormat) {
		return nil, errors.New(store.Message(err))
	}
	if err != nil {
		return nil, errors.New(i18n.T("desktop.store_busy", storePath(dataDir)))
	}
	return st, nil
}

func runEnrol(args []string) error {
	fs := cli.FlagSet(program, cli.Command{Name: "enrol", Summary: "desktop.enrol.summary", Usage: "desktop.enrol.usage"})
	dataDir := fs.String("data", defaultDataDir(), "desktop.flag.data")
	server := fs.String("server", "", "desktop.flag.server")
	code := fs.String("code", "", "desktop.flag.code")
	account := fs.String("account", "", "desktop.flag.account")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	if *server == "" || *code == "" || *account == "" {
		return cli.Usagef("desktop.enrol.missing")
	}
	// A mistyped code is caught before a password is asked and a store made.
	if _, err := protocol.ParseEnrolCode(*code); err != nil {
		return errors.New(syncclient.Message(err))
	}
	// A failed enrolment removes a store file it created, so the retry
	// starts afresh and may name another account.
	path := storePath(*dataDir)
	_, statErr := os.Stat(path)
	created := errors.Is(statErr, os.ErrNotExist)
	st, err := openStore(*dataDir, newLogger())
	if err != nil {
		return err
	}
	madeAccount, err := enrolStore(st, *account, *server, *code)
	if err != nil {
		// Windows cannot remove a file that is still open.
		st.Close()
		if !created {
			return err
		}
		if rmErr := os.Remove(path); rmErr != nil && !errors.Is(rmErr, os.ErrNotExist) {
			return errors.Join(err, errors.New(i18n.T("desktop.enrol.remove_failed", path, rmErr)))
		}
		return errors.Join(err, errors.New(i18n.T("desktop.enrol.store_removed")))
	}
	defer st.Close()
	if madeAccount {
		fmt.Println(i18n.T("desktop.account.first_done", *account))
	}
	id, _ := st.Identity()
	name := id.College
	if fair, ok := access.FairCode(id.College); ok {
		name = i18n.T("scope.fair", fair)
	} else if c, ok := codes.MustLoad().College(id.College); ok {
		name = c.Name
	}
	fmt.Println(i18n.T("desktop.enrol.done", name, id.College, id.Device, roleName(id.Role)))
	return nil
}

// roleName returns the Chinese (or English) name of a device role, such as
// 录入员, or the role code itself when it is unknown.
func roleName(role string) string {
	switch access.Role(role) {
	case access.Central, access.Clerk, access.Reviewer, access.Fair:
		return i18n.T("desktop.role." + role)
	}
	return role
}

// enrolStore signs in to st, or makes its first account, and enrols it.
// It reports whether it made the account, and returns the user's message
// on failure.
func enrolStore(st *store.Store, account, server, code string) (madeAccount bool, err error) {
	// The first account is made before enrolment, so the identity with the
	// device's private key is sealed under a key no setup slot keeps.
	passwords := newPasswordSource()
	madeAccount = !st.HasAccounts()
	if madeAccount {
		err = makeFirstAccount(st, account, passwords)
	} else {
		err = signIn(st, account, passwords)
	}
	if err != nil {
		return madeAccount, err
	}
	if err := syncclient.Enrol(context.Background(), st, server, code); err != nil {
		if errors.Is(err, syncclient.ErrEnrolCode) {
			return madeAccount, errors.New(i18n.T("desktop.enrol.bad_code", code))
		}
		return madeAccount, errors.New(syncclient.Message(err))
	}
	return madeAccount, nil
}

func runSync(args []string) error {
	fs := cli.FlagSet(program, cli.Command{Name: "sync", Summary: "desktop.sync.summary", Usage: "desktop.sync.usage"})
	dataDir := fs.String("data", defaultDataDir(), "desktop.flag.data")
	once := fs.Bool("once", false, "desktop.flag.once")
	account := fs.String("account", "", "desktop.flag.account")
	if err := cli.Parse(fs, args); err != nil {
		return err
	}
	logger := newLogger()
	st, err := openStore(*dataDir, logger)
	if err != nil {
		return err
	}
	if err := signIn(st, *account, newPasswordSource()); err != nil {
		st.Close()
		return err
	}
	defer st.Close()
	if _, ok := st.Identity(); !ok {
		return errors.New(i18n.T("desktop.not_enrolled"))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	client := syncclient.New(st, syncclient.Options{Logger: logger})
	refused := st.RefusedCount()
	if !*once {
		return runContinuous(ctx, st, client, refused)
	}
	err = client.SyncOnce(ctx)
	// Refusals stored before a failure are news too.
	reportNewRefused(os.Stdout, st, refused)
	if err != nil {
		return errors.New(syncclient.Message(err))
	}
	fmt.Println(i18n.T("desktop.sync.done", st.Count(), st.Pending()))
	return nil
}

// runContinuous syncs until ctx ends. It prints each new failure and each
// recovery in the user's words, and a notice when the server refused
// changes. It returns the user's message when syncing stops for good.
func runContinuous(ctx context.Context, st *store.Store, client *syncclient.Client, refused int) error {
	statuses, unsubscribe := client.Subscribe()
	printed := make(chan string, 1)
	go func() {
		printed <- reportStatuses(os.Stdout, os.Stderr, st, statuses, refused)
	}()
	err := client.Run(ctx)
	unsubscribe()
	last := <-printed
	if err == nil {
		return nil
	}
	if msg := syncclient.Message(err); msg != last {
		return errors.New(msg)
	}
	// The reason is on the line above already.
	return errors.New(i18n.T("desktop.sync.stopped"))
}

// roundLineInterval is the shortest time between two lines about finished
// sync rounds that moved nothing. A round that pushed or pulled is
// always printed.
const roundLineInterval = time.Minute

// reportStatuses prints sync progress until statuses closes. On standard
// output it prints the first connection with how to stop, the notice of
// new refused changes, and finished rounds as roundLineInterval allows.
// On errOut it prints each failure whose message differs from the one
// printed last, and a line when the connection comes back. It returns
// the failure message printed last, or "" after a recovery.
func reportStatuses(out, errOut io.Writer, st *store.Store, statuses <-chan syncclient.Status, refused int) string {
	lastMessage := ""
	connected := false
	lastRound := st.LastSync()
	var printedRound time.Time // the end of the round printed last
	cursor := st.Cursor()
	// The outbox grows with local edits and shrinks when a push is
	// acknowledged, so a round pushed when it ends below the largest
	// count seen since the round before.
	// NOTE: Subscribe keeps only the newest status for a slow reader, so an
	// edit pushed before its status is read goes unseen here. That round
	// is then printed only under the minute rule.
	maxPending := st.Pending()
	for status := range statuses {
		refused = reportNewRefused(out, st, refused)
		maxPending = max(maxPending, status.Pending)
		switch {
		case status.LastError != nil:
			msg := syncclient.Message(status.LastError)
			if msg != lastMessage {
				fmt.Fprintln(errOut, msg)
				lastMessage = msg
			}
		case status.Online && !connected:
			ident, _ := st.Identity()
			fmt.Fprintln(out, i18n.T("desktop.sync.connected", ident.Server))
			connected = true
			lastMessage = ""
		case status.Online && lastMessage != "":
			fmt.Fprintln(errOut, i18n.T("desktop.sync.back_online"))
			lastMessage = ""
		}
		if status.LastError != nil || !status.LastSync.After(lastRound) {
			continue
		}
		lastRound = status.LastSync
		newCursor := st.Cursor()
		moved := newCursor != cursor || status.Pending < maxPending
		cursor, maxPending = newCursor, status.Pending
		if moved || printedRound.IsZero() || status.LastSync.Sub(printedRound) >= roundLineInterval {
			fmt.Fprintln(out, i18n.T("desktop.sync.round", status.LastSync.Format("15:04:05"), st.Count(), status.Pending))
			printedRound = status.LastSync
		}
	}
	return lastMessage
}

// makeFirstAccount makes the store's first account, an administrator, with
// a password read as for sign-in. The caller says so once enrolment worked.
func makeFirstAccount(st *store.Store, account string, passwords *passwordSource) error {
	password, err := passwords.read(envPassword, i18n.T("desktop.password.new_prompt", account), true)
	if err != nil {
		return err
	}
	if err := st.AddAccount(account, password, true); err != nil {
		return storeError(err)
	}
	return nil
}
