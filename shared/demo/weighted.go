package demo

import (
	"math/rand/v2"
	"sort"
)

// weighted picks items with probability proportional to their weights.
type weighted[T any] struct {
	items      []T
	cumulative []float64
}

func newWeighted[T any](items []T, weights []float64) weighted[T] {
	if len(items) != len(weights) || len(items) == 0 {
		panic("bug: weighted needs one weight per item and at least one item")
	}
	w := weighted[T]{items: items, cumulative: make([]float64, len(weights))}
	total := 0.0
	for i, x := range weights {
		total += x
		w.cumulative[i] = total
	}
	return w
}

func (w weighted[T]) pick(r *rand.Rand) T {
	x := r.Float64() * w.cumulative[len(w.cumulative)-1]
	i := sort.SearchFloat64s(w.cumulative, x)
	if i == len(w.items) {
		i--
	}
	return w.items[i]
}

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// between returns an integer in [lo, hi].
func between(r *rand.Rand, lo, hi int) int { return lo + r.IntN(hi-lo+1) }
