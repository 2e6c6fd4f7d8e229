//go:build !linux

package storage

import (
	"syscall"
	"time"
)

// setUserTimeout is Linux's TCP_USER_TIMEOUT; elsewhere the keepalive
// probes alone find a dead connection.
func setUserTimeout(time.Duration) func(network, address string, c syscall.RawConn) error {
	return nil
}
