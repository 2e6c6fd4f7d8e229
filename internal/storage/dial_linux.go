//go:build linux

package storage

import (
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// setUserTimeout makes the kernel fail a connection whose sent data stays
// unacknowledged for d (TCP_USER_TIMEOUT), so a statement or a BEGIN
// written into a network that drops packets fails after d instead of after
// the kernel's retransmissions, which take about a quarter of an hour.
func setUserTimeout(d time.Duration) func(network, address string, c syscall.RawConn) error {
	return func(_, _ string, c syscall.RawConn) error {
		var serr error
		err := c.Control(func(fd uintptr) {
			serr = unix.SetsockoptInt(int(fd), unix.IPPROTO_TCP, unix.TCP_USER_TIMEOUT, int(d.Milliseconds()))
		})
		if err != nil {
			return err
		}
		return serr
	}
}
