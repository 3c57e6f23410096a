package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// bucketAccounts maps an account name to its accountEntry, in the clear:
// sign-in reads it before any key is known.
var bucketAccounts = []byte("accounts")

// Argon2Params are the argon2id cost parameters of an account's password
// hash. Each account keeps the parameters it was made with.
type Argon2Params struct {
	Time      uint32 // passes over the memory
	MemoryKiB uint32
	Threads   uint8
}

// DefaultArgon2 is the cost of new accounts: 3 passes over 64 MiB with 2
// threads, so each password guess against a copied file costs that much.
var DefaultArgon2 = Argon2Params{Time: 3, MemoryKiB: 64 * 1024, Threads: 2}

// Password and lockout rules.
const (
	MinPasswordRunes = 8
	maxAccountRunes  = 32
	saltSize         = 16
	// freeFailures is how many wrong passwords in a row an account takes
	// before it is locked.
	freeFailures = 5
	firstLockout = 30 * time.Second
	maxLockout   = 15 * time.Minute
)

// Account is a local account as the accounts screen lists it.
type Account struct {
	Name    string
	Admin   bool
	Created time.Time
}

// accountEntry is the stored form of an account. The failure count and lock
// time are outside the sealed part, so a wrong password can update them.
type accountEntry struct {
	Admin       bool   `json:"admin"`
	Created     int64  `json:"created"` // Unix milliseconds
	Salt        []byte `json:"salt"`
	Time        uint32 `json:"argon2_time"`
	MemoryKiB   uint32 `json:"argon2_memory_kib"`
	Threads     uint8  `json:"argon2_threads"`
	WrappedKey  []byte `json:"wrapped_key"` // the data key sealed with the password's key
	Failures    int    `json:"failures"`    // wrong passwords in a row
	LockedUntil int64  `json:"locked_until"`
}

// Errors of accounts and sign-in. Message turns each into the user's text.
var (
	ErrWrongLogin     = errors.New("wrong account name or password")
	ErrNotAdmin       = errors.New("the signed-in account is not an administrator")
	ErrRemoveSelf     = errors.New("an account cannot remove itself")
	ErrAccountExists  = errors.New("account already exists")
	ErrNoSuchAccount  = errors.New("account not found")
	ErrPasswordShort  = errors.New("password too short")
	ErrPasswordBlank  = errors.New("password blank after trimming spaces")
	ErrAccountName    = errors.New("invalid account name")
	ErrFirstAccount   = errors.New("the first account must be an administrator")
	ErrOldFormat      = errors.New("store file was written by a version without encryption at rest")
	errWrapAuthFailed = errors.New("wrapped data key failed authentication")
)

// LockoutError is returned by Unlock while an account is locked after too
// many wrong passwords.
type LockoutError struct {
	Account string
	Wait    time.Duration // until the next attempt is taken
}

func (e *LockoutError) Error() string {
	return fmt.Sprintf("account %s locked for %s after repeated wrong passwords", e.Account, e.Wait)
}

// lockoutAfter returns how long an account stays locked after its n-th
// wrong password in a row: nothing for the first four, 30 s for the fifth,
// doubling for each further one up to 15 minutes.
func lockoutAfter(failures int) time.Duration {
	if failures < freeFailures {
		return 0
	}
	wait := firstLockout
	for i := freeFailures; i < failures && wait < maxLockout; i++ {
		wait *= 2
	}
	return min(wait, maxLockout)
}

// ValidatePassword checks the password rules: at least eight characters,
// not all of them white space.
func ValidatePassword(password string) error {
	if strings.TrimSpace(password) == "" {
		return ErrPasswordBlank
	}
	if utf8.RuneCountInString(password) < MinPasswordRunes {
		return ErrPasswordShort
	}
	return nil
}

// validateAccountName checks a name: 1 to 32 characters, no spaces or
// control characters, so it reads the same in a terminal and on screen.
func validateAccountName(name string) error {
	n := utf8.RuneCountInString(name)
	if n == 0 || n > maxAccountRunes || strings.IndexFunc(name, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}) >= 0 {
		return ErrAccountName
	}
	return nil
}

// wrapAD binds a wrapped data key to its account name and administrator
// flag, so editing the flag in the file makes the password fail.
func wrapAD(name string, admin bool) []byte {
	flag := "0"
	if admin {
		flag = "1"
	}
	return []byte("mobilefactory account v1\x00" + name + "\x00" + flag)
}

func passwordKey(password string, salt []byte, p Argon2Params) []byte {
	return argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, chacha20poly1305.KeySize)
}

// newEntry makes an account entry that wraps dataKey with password.
func newAccountEntry(name, password string, admin bool, dataKey []byte, p Argon2Params, now time.Time) (accountEntry, error) {
	salt := randomBytes(saltSize)
	aead, err := chacha20poly1305.NewX(passwordKey(password, salt, p))
	if err != nil {
		return accountEntry{}, err
	}
	return accountEntry{Admin: admin, Created: now.UnixMilli(), Salt: salt,
		Time: p.Time, MemoryKiB: p.MemoryKiB, Threads: p.Threads,
		WrappedKey: sealWith(aead, dataKey, wrapAD(name, admin))}, nil
}

// unwrap returns the data key when password is the account's.
func (e accountEntry) unwrap(name, password string) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(passwordKey(password, e.Salt, Argon2Params{e.Time, e.MemoryKiB, e.Threads}))
	if err != nil {
		return nil, err
	}
	key, err := openWith(aead, e.WrappedKey, wrapAD(name, e.Admin))
	if err != nil {
		return nil, errWrapAuthFailed
	}
	return key, nil
}

func getAccount(tx *bolt.Tx, name string) (accountEntry, bool, error) {
	raw := tx.Bucket(bucketAccounts).Get([]byte(name))
	if raw == nil {
		return accountEntry{}, false, nil
	}
	var e accountEntry
	if err := json.Unmarshal(raw, &e); err != nil {
		return e, false, fmt.Errorf("reading account %s: %w", name, err)
	}
	return e, true, nil
}

// accountKey returns the stored name of the account that name signs in to:
// name itself, or else the stored name that differs from it only in case.
// Names are kept as typed but compared case-insensitively, so helper and
// Helper are one account. The exact match comes first because a store made
// before this rule may hold both.
func accountKey(tx *bolt.Tx, name string) (string, bool) {
	accounts := tx.Bucket(bucketAccounts)
	if accounts.Get([]byte(name)) != nil {
		return name, true
	}
	var stored string
	_ = accounts.ForEach(func(k, _ []byte) error {
		if stored == "" && strings.EqualFold(string(k), name) {
			stored = string(k)
		}
		return nil
	})
	return stored, stored != ""
}

// resolveAccount returns the stored name of the account that name signs in
// to, or name unchanged when there is none.
func (s *Store) resolveAccount(name string) string {
	_ = s.view(func(tx *bolt.Tx) error {
		if stored, ok := accountKey(tx, name); ok {
			name = stored
		}
		return nil
	})
	return name
}

func putAccount(tx *bolt.Tx, name string, e accountEntry) error {
	raw, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketAccounts).Put([]byte(name), raw)
}

// Unlock signs an account in with its password: it unwraps the data key,
// and on a locked store loads the identity and the search index. On a store
// already unlocked it checks the password and makes name the signed-in
// account, as the lock screen needs.
//
// Wrong passwords are counted in the file, so the count survives a restart.
// After five in a row the account is locked for 30 s, doubling with each
// further failure up to 15 minutes. Until then Unlock returns a
// *LockoutError without checking the password. A right password resets the
// count. An unknown name returns ErrWrongLogin like a wrong password.
func (s *Store) Unlock(name, password string) error {
	name = s.resolveAccount(name)
	var entry accountEntry
	var found bool
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		entry, found, err = getAccount(tx, name)
		return err
	})
	if err != nil {
		return err
	}
	if !found {
		return ErrWrongLogin
	}
	now := s.now()
	if until := time.UnixMilli(entry.LockedUntil); now.Before(until) {
		return &LockoutError{Account: name, Wait: until.Sub(now)}
	}

	// The password hash runs outside any transaction: it takes a while and
	// bbolt allows one writer.
	dataKey, unwrapErr := entry.unwrap(name, password)
	var lockout *LockoutError
	err = s.update(func(tx *bolt.Tx) error {
		current, ok, err := getAccount(tx, name)
		if err != nil || !ok {
			return err
		}
		if unwrapErr == nil {
			if current.Failures == 0 && current.LockedUntil == 0 {
				return nil
			}
			current.Failures, current.LockedUntil = 0, 0
			return putAccount(tx, name, current)
		}
		current.Failures++
		if wait := lockoutAfter(current.Failures); wait > 0 {
			current.LockedUntil = now.Add(wait).UnixMilli()
			lockout = &LockoutError{Account: name, Wait: wait}
		}
		return putAccount(tx, name, current)
	})
	if err != nil {
		return fmt.Errorf("recording sign-in of account %s: %w", name, err)
	}
	if unwrapErr != nil {
		s.log.Warn("wrong password", "account", name)
		if lockout != nil {
			return lockout
		}
		return ErrWrongLogin
	}
	return s.unlockWith(dataKey, name, entry.Admin)
}

// Account returns the signed-in account, "" when none has signed in.
func (s *Store) Account() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.account
}

// IsAdmin reports whether the signed-in account is an administrator.
func (s *Store) IsAdmin() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.admin
}

// HasAccounts reports whether the store has at least one account.
func (s *Store) HasAccounts() bool {
	n := 0
	_ = s.view(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketAccounts).Stats().KeyN
		return nil
	})
	return n > 0
}

// Accounts returns the accounts sorted by name.
func (s *Store) Accounts() ([]Account, error) {
	var out []Account
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketAccounts).ForEach(func(k, v []byte) error {
			var e accountEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("reading account %s: %w", k, err)
			}
			out = append(out, Account{Name: string(k), Admin: e.Admin, Created: time.UnixMilli(e.Created)})
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, err
}

// AddAccount makes an account with password. The first account of a store
// must be an administrator and becomes the signed-in account: making it
// deletes the setup slot that held the data key in the clear and rewrites
// the file, so no free page keeps that key. Later accounts need an
// administrator signed in.
func (s *Store) AddAccount(name, password string, admin bool) error {
	if err := validateAccountName(name); err != nil {
		return err
	}
	if err := ValidatePassword(password); err != nil {
		return err
	}
	keys := s.keys.Load()
	if keys == nil {
		return ErrLocked
	}
	first := !s.HasAccounts()
	if first && !admin {
		return ErrFirstAccount
	}
	if !first && !s.IsAdmin() {
		return ErrNotAdmin
	}
	entry, err := newAccountEntry(name, password, admin, keys.dataKey, s.kdf, s.now())
	if err != nil {
		return err
	}
	err = s.update(func(tx *bolt.Tx) error {
		if _, exists := accountKey(tx, name); exists {
			return ErrAccountExists
		}
		if first != (tx.Bucket(bucketAccounts).Stats().KeyN == 0) {
			return errors.New("accounts changed while adding one; try again")
		}
		if err := putAccount(tx, name, entry); err != nil {
			return err
		}
		if first {
			return tx.Bucket(bucketMeta).Delete(keySetupKey)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("adding account %s: %w", name, err)
	}
	s.log.Info("account added", "account", name, "admin", admin)
	if !first {
		return nil
	}
	s.mu.Lock()
	s.account, s.admin = name, true
	s.mu.Unlock()
	if err := s.rewrite(); err != nil {
		return fmt.Errorf("rewriting store after the first account: %w", err)
	}
	return nil
}

// ResetPassword gives an account a new password and clears its lockout. It
// needs an administrator signed in.
func (s *Store) ResetPassword(name, password string) error {
	if err := ValidatePassword(password); err != nil {
		return err
	}
	keys := s.keys.Load()
	if keys == nil {
		return ErrLocked
	}
	if !s.IsAdmin() {
		return ErrNotAdmin
	}
	name = s.resolveAccount(name)
	if err := s.setPassword(keys, name, password); err != nil {
		return fmt.Errorf("resetting password of account %s: %w", name, err)
	}
	s.log.Info("account password reset", "account", name, "by", s.Account())
	return nil
}

// setPassword wraps the data key for an existing account under a new
// password, keeping its administrator flag and creation time. A new entry
// has no failed attempts, so it also clears the account's lockout.
func (s *Store) setPassword(keys *keyring, name, password string) error {
	var old accountEntry
	var found bool
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		old, found, err = getAccount(tx, name)
		return err
	})
	if err != nil {
		return err
	}
	if !found {
		return ErrNoSuchAccount
	}
	entry, err := newAccountEntry(name, password, old.Admin, keys.dataKey, s.kdf, time.UnixMilli(old.Created))
	if err != nil {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		if _, ok, err := getAccount(tx, name); err != nil || !ok {
			if err == nil {
				err = ErrNoSuchAccount
			}
			return err
		}
		return putAccount(tx, name, entry)
	})
}

// ChangePassword gives the signed-in account a new password after checking
// its current one as Unlock does, counting a wrong one towards the lockout.
// Any account may change its own password.
func (s *Store) ChangePassword(oldPassword, newPassword string) error {
	if err := ValidatePassword(newPassword); err != nil {
		return err
	}
	name := s.Account()
	if s.keys.Load() == nil || name == "" {
		return ErrLocked
	}
	if err := s.Unlock(name, oldPassword); err != nil {
		return err
	}
	keys := s.keys.Load()
	if err := s.setPassword(keys, name, newPassword); err != nil {
		return fmt.Errorf("changing password of account %s: %w", name, err)
	}
	s.log.Info("account password changed", "account", name)
	return nil
}

// RemoveAccount deletes an account. It needs an administrator signed in,
// who cannot remove their own account, so an administrator always remains.
func (s *Store) RemoveAccount(name string) error {
	if !s.IsAdmin() {
		return ErrNotAdmin
	}
	name = s.resolveAccount(name)
	if name == s.Account() {
		return ErrRemoveSelf
	}
	err := s.update(func(tx *bolt.Tx) error {
		if _, ok, err := getAccount(tx, name); err != nil || !ok {
			if err == nil {
				err = ErrNoSuchAccount
			}
			return err
		}
		return tx.Bucket(bucketAccounts).Delete([]byte(name))
	})
	if err != nil {
		return fmt.Errorf("removing account %s: %w", name, err)
	}
	s.log.Info("account removed", "account", name, "by", s.Account())
	return nil
}

// rewrite copies the live data to a new file and renames it over the old
// one, so pages bbolt freed, which may still hold the setup key, are gone.
// NOTE: the file system may keep the old file's blocks on disk until they
// are reused; full-disk encryption is the defence against reading those.
func (s *Store) rewrite() error {
	s.dbMu.Lock()
	defer s.dbMu.Unlock()
	path := s.db.Path()
	tmp := path + ".rewrite"
	if err := os.Remove(tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	dst, err := bolt.Open(tmp, 0o600, boltOptions())
	if err != nil {
		return err
	}
	if err := bolt.Compact(dst, s.db, 4<<20); err != nil {
		dst.Close()
		os.Remove(tmp)
		return err
	}
	if err := dst.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	// Windows cannot rename over a file that is open, so the old handle is
	// closed first and the store reopens the file after the rename.
	if err := s.db.Close(); err != nil {
		return err
	}
	renameErr := os.Rename(tmp, path)
	db, err := bolt.Open(path, 0o600, boltOptions())
	if err != nil {
		return err
	}
	s.db = db
	return renameErr
}
