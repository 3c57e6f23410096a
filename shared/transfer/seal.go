package transfer

import (
	"crypto/ecdh"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/chacha20poly1305"
	"golang.org/x/crypto/hkdf"
)

// KeySize is the size of an X25519 public key: the server's transfer key
// and the ephemeral key of each file.
const KeySize = 32

const (
	nonceSize    = chacha20poly1305.NonceSizeX
	sealOverhead = chacha20poly1305.Overhead
)

// infoFileKey is the HKDF-SHA256 info string that derives a file's payload
// key from its X25519 shared secret.
const infoFileKey = "mobilefactory change file payload v2"

// sealer encrypts one file's payload to the server's transfer key under a
// key pair made for that file only.
type sealer struct {
	ephemeral []byte // public key written to the file
	nonce     []byte
	key       []byte
}

func newSealer(recipient [KeySize]byte) (*sealer, error) {
	if recipient == [KeySize]byte{} {
		return nil, ErrNoRecipient
	}
	public, err := ecdh.X25519().NewPublicKey(recipient[:])
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoRecipient, err)
	}
	ephemeral, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("making the file's X25519 key: %w", err)
	}
	// ECDH fails for a low-order point, which no real server key is.
	shared, err := ephemeral.ECDH(public)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoRecipient, err)
	}
	s := &sealer{ephemeral: ephemeral.PublicKey().Bytes(), nonce: make([]byte, nonceSize)}
	s.key = payloadKey(shared, s.ephemeral, recipient[:])
	if _, err := rand.Read(s.nonce); err != nil {
		return nil, err
	}
	return s, nil
}

// seal returns plaintext encrypted and authenticated together with
// additionalData, which is not copied into the output.
func (s *sealer) seal(plaintext, additionalData []byte) []byte {
	aead, err := chacha20poly1305.NewX(s.key)
	if err != nil {
		panic("bug: XChaCha20-Poly1305 rejected a 32-byte key: " + err.Error())
	}
	return aead.Seal(nil, s.nonce, plaintext, additionalData)
}

// errOpen is returned by open when the sealed payload fails to decrypt.
var errOpen = errors.New("change set does not decrypt with this server's transfer key")

// open decrypts a payload sealed by a sealer to key's public key.
func open(key *ecdh.PrivateKey, ephemeral, nonce, sealed, additionalData []byte) ([]byte, error) {
	public, err := ecdh.X25519().NewPublicKey(ephemeral)
	if err != nil {
		return nil, fmt.Errorf("ephemeral key: %w", err)
	}
	shared, err := key.ECDH(public)
	if err != nil {
		return nil, fmt.Errorf("ephemeral key: %w", err)
	}
	aead, err := chacha20poly1305.NewX(payloadKey(shared, ephemeral, key.PublicKey().Bytes()))
	if err != nil {
		panic("bug: XChaCha20-Poly1305 rejected a 32-byte key: " + err.Error())
	}
	plaintext, err := aead.Open(nil, nonce, sealed, additionalData)
	if err != nil {
		return nil, errOpen
	}
	return plaintext, nil
}

// payloadKey derives the XChaCha20-Poly1305 key from the X25519 shared
// secret. Both public keys are the salt, so the key is bound to the pair.
func payloadKey(shared, ephemeral, recipient []byte) []byte {
	salt := make([]byte, 0, 2*KeySize)
	salt = append(append(salt, ephemeral...), recipient...)
	key := make([]byte, chacha20poly1305.KeySize)
	if _, err := io.ReadFull(hkdf.New(sha256.New, shared, salt, []byte(infoFileKey)), key); err != nil {
		panic("bug: hkdf read failed: " + err.Error())
	}
	return key
}

// KeyID returns a short name of a transfer public key for messages and
// logs: the first 8 bytes of its SHA-256, in hex.
func KeyID(public []byte) string {
	sum := sha256.Sum256(public)
	return hex.EncodeToString(sum[:8])
}
