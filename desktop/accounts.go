package main

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"golang.org/x/term"

	"mobilefactory/desktop/store"
	"mobilefactory/shared/cli"
	"mobilefactory/shared/i18n"
)

// Environment variables that supply passwords to the commands, for scripts.
const (
	envPassword    = "MF_PASSWORD"     // the signing-in account's password
	envNewPassword = "MF_NEW_PASSWORD" // the new password of account add and reset
)

// passwordSource reads passwords: from an environment variable when set,
// else from the terminal without echo, else one line of stdin each.
type passwordSource struct {
	stdin *bufio.Reader
}

func newPasswordSource() *passwordSource {
	return &passwordSource{stdin: bufio.NewReader(os.Stdin)}
}

// read returns the password from env, or prompts for it. With confirm
// set, a terminal prompts twice and the two must match.
func (p *passwordSource) read(env, prompt string, confirm bool) (string, error) {
	if v := os.Getenv(env); v != "" {
		return v, nil
	}
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		line, err := p.stdin.ReadString('\n')
		if line == "" && err != nil {
			return "", errors.New(i18n.T("desktop.password.missing", env))
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	fmt.Fprint(os.Stderr, prompt)
	first, err := term.ReadPassword(fd)
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return "", fmt.Errorf("reading the password from the terminal: %w", err)
	}
	if confirm {
		fmt.Fprint(os.Stderr, i18n.T("desktop.password.again"))
		second, err := term.ReadPassword(fd)
		fmt.Fprintln(os.Stderr)
		if err != nil {
			return "", fmt.Errorf("reading the password from the terminal: %w", err)
		}
		if string(first) != string(second) {
			return "", errors.New(i18n.T("desktop.password.mismatch"))
		}
	}
	return string(first), nil
}

// storeError turns an error of the store's accounts into the user's text.
func storeError(err error) error {
	if msg := store.Message(err); msg != "" {
		return errors.New(msg)
	}
	return err
}

// signIn signs account in to a store that has accounts. A store without
// accounts needs no sign-in.
func signIn(st *store.Store, account string, passwords *passwordSource) error {
	if !st.HasAccounts() {
		return nil
	}
	if account == "" {
		return cli.Usagef("desktop.account.required")
	}
	password, err := passwords.read(envPassword, i18n.T("desktop.password.prompt", account), false)
	if err != nil {
		return err
	}
	return storeError(st.Unlock(account, password))
}

// openSignedIn opens the store in dataDir and signs account in.
func openSignedIn(dataDir, account string) (*store.Store, error) {
	st, err := openStore(dataDir, newLogger())
	if err != nil {
		return nil, err
	}
	if err := signIn(st, account, newPasswordSource()); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// openEnrolled opens the store of an enrolled device in dataDir and signs
// account in. A folder without a store gets desktop.not_enrolled's message
// and nothing is created in it.
func openEnrolled(dataDir, account string) (*store.Store, error) {
	if _, err := os.Stat(storePath(dataDir)); errors.Is(err, fs.ErrNotExist) {
		return nil, errors.New(i18n.T("desktop.not_enrolled"))
	}
	st, err := openStore(dataDir, newLogger())
	if err != nil {
		return nil, err
	}
	// A store with accounts reads its identity once an account signs in.
	if err := signIn(st, account, newPasswordSource()); err != nil {
		st.Close()
		return nil, err
	}
	if _, ok := st.Identity(); !ok {
		st.Close()
		return nil, errors.New(i18n.T("desktop.not_enrolled"))
	}
	return st, nil
}

// runAccount runs desktop account add|reset|remove|list, which need an
// administrator signed in, and desktop account passwd, with which any
// account changes its own password.
func runAccount(args []string) error {
	c := cli.Command{Name: "account", Summary: "desktop.account.summary", Usage: "desktop.account.usage"}
	fs := cli.FlagSet(program, c)
	dataDir := fs.String("data", defaultDataDir(), "desktop.flag.data")
	account := fs.String("account", "", "desktop.flag.account")
	admin := fs.Bool("admin", false, "desktop.flag.admin")
	if len(args) > 0 && isHelp(args[0]) {
		return cli.Parse(fs, args)
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return cli.Usagef("desktop.account.missing_action")
	}
	action := args[0]
	switch action {
	case "add", "reset", "remove", "list", "passwd":
	default:
		return cli.Usagef("desktop.account.bad_action", action)
	}
	var name string
	rest := args[1:]
	if action != "list" && action != "passwd" {
		if len(rest) > 0 && isHelp(rest[0]) {
			return cli.Parse(fs, rest)
		}
		if len(rest) == 0 || strings.HasPrefix(rest[0], "-") {
			return cli.Usagef("desktop.account.missing_name", action)
		}
		name, rest = rest[0], rest[1:]
	}
	if err := cli.Parse(fs, rest); err != nil {
		return err
	}

	st, err := openStore(*dataDir, newLogger())
	if err != nil {
		return err
	}
	defer st.Close()
	if !st.HasAccounts() {
		return errors.New(i18n.T("desktop.account.none"))
	}
	passwords := newPasswordSource()
	if action == "passwd" {
		return changeOwnPassword(st, *account, passwords)
	}
	if err := signIn(st, *account, passwords); err != nil {
		return err
	}
	if !st.IsAdmin() {
		return storeError(store.ErrNotAdmin)
	}

	switch action {
	case "list":
		accounts, err := st.Accounts()
		if err != nil {
			return err
		}
		for _, a := range accounts {
			role := i18n.T("desktop.account.role_user")
			if a.Admin {
				role = i18n.T("desktop.account.role_admin")
			}
			fmt.Println(i18n.T("desktop.account.line", a.Name, role, a.Created.Format("2006-01-02")))
		}
		return nil
	case "add", "reset":
		password, err := passwords.read(envNewPassword, i18n.T("desktop.password.new_prompt", name), true)
		if err != nil {
			return err
		}
		if action == "add" {
			err = st.AddAccount(name, password, *admin)
		} else {
			err = st.ResetPassword(name, password)
		}
		if err != nil {
			return storeError(err)
		}
		done := "desktop.account." + action + "_done"
		if action == "add" && *admin {
			done = "desktop.account.add_admin_done"
		}
		fmt.Println(i18n.T(done, name))
		return nil
	}
	// remove
	if err := st.RemoveAccount(name); err != nil {
		return storeError(err)
	}
	fmt.Println(i18n.T("desktop.account.remove_done", name))
	return nil
}

// changeOwnPassword signs account in with its current password and gives
// it a new one, read from MF_NEW_PASSWORD or the terminal.
func changeOwnPassword(st *store.Store, account string, passwords *passwordSource) error {
	if account == "" {
		return cli.Usagef("desktop.account.required")
	}
	current, err := passwords.read(envPassword, i18n.T("desktop.password.current_prompt", account), false)
	if err != nil {
		return err
	}
	if err := st.Unlock(account, current); err != nil {
		return storeError(err)
	}
	password, err := passwords.read(envNewPassword, i18n.T("desktop.password.new_prompt", account), true)
	if err != nil {
		return err
	}
	if err := st.ChangePassword(current, password); err != nil {
		return storeError(err)
	}
	fmt.Println(i18n.T("desktop.account.passwd_done", account))
	return nil
}
