package instance

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// waitTimeout bounds how long a test waits for an activation that should
// happen promptly; it is a failure deadline, not a sleep.
const waitTimeout = 5 * time.Second

func mustAcquire(t *testing.T, dir string, onActivate func()) *Instance {
	t.Helper()
	inst, err := Acquire(dir, onActivate)
	if err != nil {
		t.Fatalf("Acquire: %v", err)
	}
	t.Cleanup(func() { _ = inst.Close() })
	return inst
}

func readRecord(t *testing.T, dir string) record {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	var rec record
	if err := json.Unmarshal(data, &rec); err != nil {
		t.Fatal(err)
	}
	return rec
}

func TestSecondInstanceActivatesFirst(t *testing.T) {
	dir := t.TempDir()
	activated := make(chan struct{}, 4)
	first := mustAcquire(t, dir, func() { activated <- struct{}{} })

	for n := 1; n <= 2; n++ { // each later launch brings the first forward again
		second, err := Acquire(dir, func() { t.Error("the second instance must not be activated") })
		if !errors.Is(err, ErrAlreadyRunning) {
			if second != nil {
				_ = second.Close()
			}
			t.Fatalf("launch %d: Acquire = %v, want ErrAlreadyRunning", n, err)
		}
		select {
		case <-activated:
		case <-time.After(waitTimeout):
			t.Fatalf("launch %d: the first instance was not asked to come forward", n)
		}
	}
	if rec := readRecord(t, dir); rec.Token != first.token {
		t.Fatal("a refused launch replaced the owner's instance file")
	}
}

func TestInstanceFileIsPrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permission bits do not apply on Windows")
	}
	dir := filepath.Join(t.TempDir(), "profile")
	mustAcquire(t, dir, nil)
	for _, tc := range []struct {
		path string
		want os.FileMode
	}{{dir, 0o700}, {filepath.Join(dir, FileName), 0o600}} {
		fi, err := os.Stat(tc.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != tc.want {
			t.Errorf("%s mode = %o, want %o", tc.path, got, tc.want)
		}
	}
}

func TestTakeOverStaleFile(t *testing.T) {
	tests := []struct {
		name  string
		stale func(t *testing.T, dir string) // leaves something behind
	}{
		{name: "clean exit", stale: func(t *testing.T, dir string) {
			inst, err := Acquire(dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			if err := inst.Close(); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "crashed instance left its file", stale: func(t *testing.T, dir string) {
			inst, err := Acquire(dir, nil)
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(filepath.Join(dir, FileName))
			if err != nil {
				t.Fatal(err)
			}
			if err := inst.Close(); err != nil {
				t.Fatal(err)
			}
			// As if the process died before Close: file present, port dead.
			if err := os.WriteFile(filepath.Join(dir, FileName), data, 0o600); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "truncated file", stale: writeFile(`{"port":`)},
		{name: "empty file", stale: writeFile(``)},
		{name: "port reused by another program", stale: func(t *testing.T, dir string) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = ln.Close() })
			go func() { // answers every connection with something else
				for {
					c, err := ln.Accept()
					if err != nil {
						return
					}
					_, _ = io.WriteString(c, "HTTP/1.0 400 Bad Request\r\n\r\n")
					_ = c.Close()
				}
			}()
			port := ln.Addr().(*net.TCPAddr).Port
			writeFile(`{"port":`+strconv.Itoa(port)+`,"token":"abc","pid":1}`)(t, dir)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			tc.stale(t, dir)
			activated := make(chan struct{}, 1)
			inst := mustAcquire(t, dir, func() { activated <- struct{}{} })
			if rec := readRecord(t, dir); rec.Token != inst.token {
				t.Fatal("the new owner's token is not in the instance file")
			}
			// And the new owner really answers later launches.
			if _, err := Acquire(dir, nil); !errors.Is(err, ErrAlreadyRunning) {
				t.Fatalf("launch after takeover: %v, want ErrAlreadyRunning", err)
			}
			select {
			case <-activated:
			case <-time.After(waitTimeout):
				t.Fatal("the new owner was not activated")
			}
		})
	}
}

func writeFile(content string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		if err := os.WriteFile(filepath.Join(dir, FileName), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

func TestWrongTokenIsIgnored(t *testing.T) {
	tests := []struct {
		name    string
		request string
	}{
		{name: "wrong token", request: protocolHello + "0000000000000000000000000000000000000000000000000000000000000000\n"},
		{name: "no hello", request: "GET / HTTP/1.0\r\n\r\n"},
		{name: "empty token", request: protocolHello + "\n"},
		{name: "no newline", request: protocolHello},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			var calls atomic.Int32
			activated := make(chan struct{}, 2)
			inst := mustAcquire(t, dir, func() { calls.Add(1); activated <- struct{}{} })

			conn, err := net.Dial("tcp", inst.Addr())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.WriteString(conn, tc.request); err != nil {
				t.Fatal(err)
			}
			if cw, ok := conn.(*net.TCPConn); ok {
				_ = cw.CloseWrite() // lets the "no newline" request end
			}
			_ = conn.SetReadDeadline(time.Now().Add(waitTimeout))
			answer, err := bufio.NewReader(conn).ReadString('\n')
			_ = conn.Close()
			if err == nil || answer != "" {
				t.Fatalf("owner answered %q (err %v) to a bad request", answer, err)
			}

			// A real launch still works, and only it activates.
			if _, err := Acquire(dir, nil); !errors.Is(err, ErrAlreadyRunning) {
				t.Fatalf("Acquire = %v, want ErrAlreadyRunning", err)
			}
			select {
			case <-activated:
			case <-time.After(waitTimeout):
				t.Fatal("valid activation did not arrive")
			}
			if n := calls.Load(); n != 1 {
				t.Fatalf("onActivate called %d times, want 1 (the bad request must not count)", n)
			}
		})
	}
}

func TestCloseKeepsAnotherOwnersFile(t *testing.T) {
	dir := t.TempDir()
	old := mustAcquire(t, dir, nil)
	// Simulate a takeover (e.g. the old owner hung and the user removed
	// the file): another instance now owns the directory.
	if err := os.Remove(filepath.Join(dir, FileName)); err != nil {
		t.Fatal(err)
	}
	newer := mustAcquire(t, dir, nil)
	if err := old.Close(); err != nil {
		t.Fatal(err)
	}
	if err := old.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if rec := readRecord(t, dir); rec.Token != newer.token {
		t.Fatal("closing the old instance removed or changed the new owner's file")
	}
}

func TestAcquireReportsUnusableDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Acquire(file, nil)
	if err == nil || errors.Is(err, ErrAlreadyRunning) || !strings.Contains(err.Error(), "profile directory") {
		t.Fatalf("Acquire on a file path = %v, want an error naming the profile directory", err)
	}
}
