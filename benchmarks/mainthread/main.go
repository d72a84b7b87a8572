// Command mainthread starts a program and samples its main thread every
// 2 ms until the program's output contains a marker (green.sh's
// "state=healthy"), for the launch-to-green timeline (issue 12, BENCHMARKS
// "Launch to green: the critical path, round 9"). Each sample reads
// /proc/PID/task/PID/stat and, when the thread sleeps, the syscall it sleeps
// in (/proc/PID/task/PID/syscall): R is on a core or waiting for one, S:futex
// a lock or a condition (in a cgo call: the dynamic loader's lock, a GL
// driver thread), S:poll an X round trip. It prints the share of each state
// and, per 100 ms from the start, the CPU ticks and the states; then it sends
// SIGTERM and waits for the program (SIGKILL after 15 s).
//
//	mainthread [-marker S] [-every D] OUTFILE PROGRAM [ARGS…]
//
// OUTFILE gets the program's stdout and stderr. Linux only.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// syscallNames names the x86-64 syscalls a GUI thread sleeps in.
var syscallNames = map[int]string{0: "read", 1: "write", 7: "poll", 20: "writev", 23: "select", 35: "nanosleep",
	45: "recvfrom", 46: "sendmsg", 47: "recvmsg", 202: "futex", 230: "clock_nanosleep", 232: "epoll_wait",
	257: "openat", 270: "pselect6", 271: "ppoll", 281: "epoll_pwait"}

// sample is the main thread's state at one moment.
type sample struct {
	at    time.Duration // since the program started
	state string        // "R", or "S:futex" and the like
	ticks int           // utime+stime so far, in clock ticks
}

func main() {
	marker := flag.String("marker", "state=healthy", "stop sampling once the output contains this")
	every := flag.Duration("every", 2*time.Millisecond, "sampling interval")
	flag.Parse()
	if flag.NArg() < 2 {
		fmt.Fprintln(os.Stderr, "usage: mainthread [-marker S] [-every D] OUTFILE PROGRAM [ARGS…]")
		os.Exit(2)
	}
	if err := run(os.Stdout, flag.Arg(0), *marker, *every, flag.Args()[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "mainthread:", err)
		os.Exit(1)
	}
}

func run(w io.Writer, outFile, marker string, every time.Duration, argv []string) error {
	out, err := os.Create(outFile)
	if err != nil {
		return err
	}
	defer out.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = out, out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", argv[0], err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	samples, reached := sampleUntil(cmd.Process.Pid, outFile, marker, every, start)
	elapsed := time.Since(start)
	report(w, samples, elapsed, reached, marker)
	threads(w, cmd.Process.Pid)
	_ = cmd.Process.Signal(syscall.SIGTERM)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	select {
	case err := <-done:
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			return err
		}
	case <-ctx.Done():
		_ = cmd.Process.Kill()
		<-done
		return fmt.Errorf("%s still ran 15 s after SIGTERM; killed", argv[0])
	}
	if !reached {
		return fmt.Errorf("%s ended before %q appeared in its output", argv[0], marker)
	}
	return nil
}

// sampleUntil samples pid's main thread until outFile contains marker
// (reached) or the thread is gone.
func sampleUntil(pid int, outFile, marker string, every time.Duration, start time.Time) (samples []sample, reached bool) {
	statPath := fmt.Sprintf("/proc/%d/task/%d/stat", pid, pid)
	sysPath := fmt.Sprintf("/proc/%d/task/%d/syscall", pid, pid)
	for i := 0; ; i++ {
		s, ok := readSample(statPath, sysPath)
		if !ok {
			return samples, false
		}
		s.at = time.Since(start)
		samples = append(samples, s)
		if i%5 == 0 {
			if b, err := os.ReadFile(outFile); err == nil && bytes.Contains(b, []byte(marker)) {
				return samples, true
			}
		}
		time.Sleep(every)
	}
}

// readSample reads the thread's state, CPU ticks and (asleep) syscall.
func readSample(statPath, sysPath string) (sample, bool) {
	b, err := os.ReadFile(statPath)
	if err != nil {
		return sample{}, false
	}
	str := string(b)
	f := strings.Fields(str[strings.LastIndexByte(str, ')')+2:])
	if len(f) < 13 {
		return sample{}, false
	}
	utime, _ := strconv.Atoi(f[11])
	stime, _ := strconv.Atoi(f[12])
	s := sample{state: f[0], ticks: utime + stime}
	if s.state != "R" {
		if sc, err := os.ReadFile(sysPath); err == nil {
			if fs := strings.Fields(string(sc)); len(fs) > 0 {
				if n, err := strconv.Atoi(fs[0]); err == nil {
					name, ok := syscallNames[n]
					if !ok {
						name = fs[0]
					}
					s.state += ":" + name
				}
			}
		}
	}
	return s, true
}

// report prints the states' shares over the whole run and per 100 ms.
func report(w io.Writer, samples []sample, elapsed time.Duration, reached bool, marker string) {
	if len(samples) == 0 {
		fmt.Fprintln(w, "no samples: the program's main thread was gone at once")
		return
	}
	what := "marker " + strconv.Quote(marker) + " seen"
	if !reached {
		what = "marker never seen"
	}
	fmt.Fprintf(w, "%s after %d ms; main thread CPU %.2f s (ticks at 100 Hz); %d samples: %s\n", what,
		elapsed.Milliseconds(), float64(samples[len(samples)-1].ticks)/100, len(samples), shares(samples))
	for from := 0; from < len(samples); {
		bucket := samples[from].at / (100 * time.Millisecond)
		to := from
		for to < len(samples) && samples[to].at/(100*time.Millisecond) == bucket {
			to++
		}
		part := samples[from:to]
		fmt.Fprintf(w, "%5d ms: %2d ticks  %s\n", bucket*100, part[len(part)-1].ticks-part[0].ticks, shares(part))
		from = to
	}
}

// threads prints each thread's name and CPU so far (ticks at 100 Hz), the
// busiest first.
func threads(w io.Writer, pid int) {
	dirs, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		return
	}
	type thread struct {
		name  string
		ticks int
	}
	var ts []thread
	for _, d := range dirs {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/stat", pid, d.Name()))
		if err != nil {
			continue
		}
		str := string(b)
		open, end := strings.IndexByte(str, '('), strings.LastIndexByte(str, ')')
		f := strings.Fields(str[end+2:])
		if open < 0 || len(f) < 13 {
			continue
		}
		utime, _ := strconv.Atoi(f[11])
		stime, _ := strconv.Atoi(f[12])
		name := str[open+1 : end]
		if d.Name() == strconv.Itoa(pid) {
			name += " (main)"
		}
		ts = append(ts, thread{name, utime + stime})
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].ticks > ts[j].ticks })
	var b strings.Builder
	total := 0
	for _, t := range ts {
		total += t.ticks
		if t.ticks > 0 {
			fmt.Fprintf(&b, " %s %.2f", t.name, float64(t.ticks)/100)
		}
	}
	fmt.Fprintf(w, "threads: %d, CPU %.2f s:%s\n", len(ts), float64(total)/100, b.String())
}

// shares formats the four most frequent states with their percentages.
func shares(samples []sample) string {
	count := map[string]int{}
	for _, s := range samples {
		count[s.state]++
	}
	states := make([]string, 0, len(count))
	for k := range count {
		states = append(states, k)
	}
	sort.Slice(states, func(i, j int) bool {
		if count[states[i]] != count[states[j]] {
			return count[states[i]] > count[states[j]]
		}
		return states[i] < states[j]
	})
	var b strings.Builder
	for i, k := range states {
		if i == 4 {
			break
		}
		fmt.Fprintf(&b, "%s=%d%% ", k, count[k]*100/len(samples))
	}
	return strings.TrimSpace(b.String())
}
