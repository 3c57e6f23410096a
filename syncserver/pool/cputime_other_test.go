//go:build !unix

package pool

// processCPU returns false: the process CPU time is read only on Unix.
func processCPU() (float64, bool) { return 0, false }
