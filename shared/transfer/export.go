package transfer

import (
	"crypto/ed25519"
	"errors"
	"fmt"

	"mobilefactory/shared/changeset"
)

// Outbox is the source Export reads, a device's outbox entries in sequence
// order. desktop/store.Store implements it.
type Outbox interface {
	Outbox(after uint64, limit int) ([]changeset.Change, error)
}

// Part is one file of an export.
type Part struct {
	Header
	Data    []byte
	Changes int
}

// Export writes every entry of the outbox as signed change files and calls
// write for each in sequence order. An outbox deletes its entries once the
// server acknowledges them, so the files start at the first unacknowledged
// entry. Export deletes nothing. The outbox is split into several files
// when one would exceed limits, and each part is a push of its own on
// import. It returns the number of parts, 0 for an empty outbox.
func Export(src Outbox, h Header, key ed25519.PrivateKey, limits changeset.Limits, write func(Part) error) (int, error) {
	var after uint64
	parts := 0
	for {
		batch, err := src.Outbox(after, limits.MaxChanges)
		if err != nil {
			return parts, fmt.Errorf("reading outbox after %d: %w", after, err)
		}
		if len(batch) == 0 {
			return parts, nil
		}
		part, err := encodeFitting(h, batch, key, limits)
		if err != nil {
			return parts, err
		}
		if err := write(part); err != nil {
			return parts, err
		}
		parts++
		after = part.To
	}
}

// encodeFitting encodes a prefix of batch that fits limits: the whole
// batch, or half of it as often as the change set is still too large.
func encodeFitting(h Header, batch []changeset.Change, key ed25519.PrivateKey, limits changeset.Limits) (Part, error) {
	n := len(batch)
	for {
		data, err := Encode(h, batch[:n], key, limits)
		if errors.Is(err, ErrTooLarge) && n > 1 {
			n /= 2
			continue
		}
		if err != nil {
			return Part{}, fmt.Errorf("writing changes %d..%d: %w", batch[0].Seq, batch[n-1].Seq, err)
		}
		part := Part{Header: h, Data: data, Changes: n}
		part.From, part.To = batch[0].Seq, batch[n-1].Seq
		return part, nil
	}
}
