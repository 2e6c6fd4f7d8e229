package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// cpuSample is the whole machine's CPU time from /proc/stat and this
// process's own, so a measured run can say what each answered call cost
// the machine: the server, the generator and, when it runs on the same
// host, the database.
type cpuSample struct {
	busy, total int64 // clock ticks, all CPUs
	self        time.Duration
	ok          bool
}

func sampleCPU() cpuSample {
	var s cpuSample
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		s.self = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return s
	}
	line, _, _ := strings.Cut(string(b), "\n")
	fields := strings.Fields(line)
	if len(fields) < 8 || fields[0] != "cpu" {
		return s
	}
	for i, f := range fields[1:] {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			return s
		}
		if i >= 8 { // guest time is already counted in user time
			break
		}
		s.total += n
		if i != 3 && i != 4 { // idle, iowait
			s.busy += n
		}
	}
	s.ok = true
	return s
}

// clockTick is USER_HZ, 100 on every Linux this runs on.
const clockTick = 10 * time.Millisecond

// perCall describes the CPU spent between a and b per answered call.
func perCall(a, b cpuSample, answered int64) string {
	if !a.ok || !b.ok || answered == 0 || b.total == a.total {
		return "CPU per answered call: not measured here"
	}
	busy := time.Duration(b.busy-a.busy) * clockTick
	idle := 100 * float64((b.total-a.total)-(b.busy-a.busy)) / float64(b.total-a.total)
	return fmt.Sprintf("CPU per answered call: machine %v (%.0f%% idle), this process %v",
		(busy / time.Duration(answered)).Round(time.Microsecond), idle,
		((b.self - a.self) / time.Duration(answered)).Round(time.Microsecond))
}

// TestPerCallCPU checks the arithmetic of the figure the measured runs log,
// and that this machine's counters can be read.
func TestPerCallCPU(t *testing.T) {
	a := cpuSample{busy: 1000, total: 2000, self: time.Second, ok: true}
	b := cpuSample{busy: 1900, total: 3000, self: 7 * time.Second, ok: true}
	// 900 ticks = 9 s busy out of 10 s; 100 of 1,000 ticks idle.
	if got, want := perCall(a, b, 30000), "CPU per answered call: machine 300µs (10% idle), this process 200µs"; got != want {
		t.Fatalf("perCall = %q, want %q", got, want)
	}
	if got := perCall(a, cpuSample{}, 10); got != "CPU per answered call: not measured here" {
		t.Fatalf("without a second sample: %q", got)
	}
	if s := sampleCPU(); runtime.GOOS == "linux" && (!s.ok || s.total <= 0 || s.busy > s.total) {
		t.Fatalf("sample on linux: %+v", s)
	}
}
