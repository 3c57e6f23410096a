package store

// Encryption at rest. The key hierarchy:
//
//	account password ─argon2id(salt, params of the account)→ key-encryption key, 32 bytes
//	key-encryption key ─XChaCha20-Poly1305→ wrapped data key, one copy per account
//	data key, 32 random bytes ─HKDF-SHA256(info valueKeyInfo)→ value key
//	data key ─HKDF-SHA256(info idNumberKeyInfo)→ ID-number HMAC-SHA256 key
//
// The value key seals every value of the records and outbox buckets and the
// identity with XChaCha20-Poly1305 and a fresh random 24-byte nonce per
// write. The bucket name and key are the additional data, so a sealed value
// moved to another key fails to open.

import (
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/hkdf"
)

const (
	dataKeySize = 32
	// sealVersion is the first byte of every sealed value, so a later
	// format can be distinguished.
	sealVersion = 1

	valueKeyInfo    = "mobilefactory desktop store value key v1"
	idNumberKeyInfo = "mobilefactory desktop store id-number hmac key v1"
)

// errSealed is returned for a sealed value that fails to open: a wrong key,
// a value moved to another key, or a damaged file.
var errSealed = errors.New("sealed value failed authentication")

// keyring holds the keys derived from an unlocked store's data key.
type keyring struct {
	dataKey  []byte // kept to wrap the key for new accounts
	values   cipher.AEAD
	idNumber []byte
}

func newKeyring(dataKey []byte) (*keyring, error) {
	if len(dataKey) != dataKeySize {
		return nil, fmt.Errorf("data key has %d bytes, want %d", len(dataKey), dataKeySize)
	}
	valueKey, err := deriveKey(dataKey, valueKeyInfo)
	if err != nil {
		return nil, err
	}
	aead, err := chacha20poly1305.NewX(valueKey)
	if err != nil {
		return nil, err
	}
	idKey, err := deriveKey(dataKey, idNumberKeyInfo)
	if err != nil {
		return nil, err
	}
	return &keyring{dataKey: dataKey, values: aead, idNumber: idKey}, nil
}

func deriveKey(secret []byte, info string) ([]byte, error) {
	key := make([]byte, 32)
	if _, err := io.ReadFull(hkdf.New(sha256.New, secret, nil, []byte(info)), key); err != nil {
		return nil, fmt.Errorf("deriving %s: %w", info, err)
	}
	return key, nil
}

// sealedAD binds a sealed value to its bucket and key.
func sealedAD(bucket, key []byte) []byte {
	ad := make([]byte, 0, len(bucket)+1+len(key))
	ad = append(ad, bucket...)
	ad = append(ad, 0)
	return append(ad, key...)
}

// seal encrypts plain for storage under bucket and key.
func (k *keyring) seal(bucket, key, plain []byte) []byte {
	return sealWith(k.values, plain, sealedAD(bucket, key))
}

// open decrypts a value seal wrote under the same bucket and key.
func (k *keyring) open(bucket, key, sealed []byte) ([]byte, error) {
	return openWith(k.values, sealed, sealedAD(bucket, key))
}

// idHash returns the keyed hash that replaces an ID number as a look-up key.
func (k *keyring) idHash(idNumber string) string {
	mac := hmac.New(sha256.New, k.idNumber)
	mac.Write([]byte(idNumber))
	return hex.EncodeToString(mac.Sum(nil))
}

// sealWith encrypts plain as version byte, 24-byte nonce, ciphertext and tag.
func sealWith(aead cipher.AEAD, plain, ad []byte) []byte {
	out := make([]byte, 1+aead.NonceSize(), 1+aead.NonceSize()+len(plain)+aead.Overhead())
	out[0] = sealVersion
	nonce := out[1:]
	if _, err := rand.Read(nonce); err != nil {
		// crypto/rand.Read does not fail on supported platforms (Go 1.24+).
		panic(err)
	}
	return aead.Seal(out, nonce, plain, ad)
}

func openWith(aead cipher.AEAD, sealed, ad []byte) ([]byte, error) {
	if len(sealed) < 1+aead.NonceSize()+aead.Overhead() || sealed[0] != sealVersion {
		return nil, errSealed
	}
	nonce := sealed[1 : 1+aead.NonceSize()]
	plain, err := aead.Open(nil, nonce, sealed[1+aead.NonceSize():], ad)
	if err != nil {
		return nil, errSealed
	}
	return plain, nil
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // see sealWith
	}
	return b
}
