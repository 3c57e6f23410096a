//go:build unix

package match

import "syscall"

// processCPUSeconds returns the user and system CPU time of the process
// so far, which unlike wall time does not grow when other processes share
// the cores.
func processCPUSeconds() float64 {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return float64(u.Utime.Nano()+u.Stime.Nano()) / 1e9
}
