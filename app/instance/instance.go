// Package instance keeps one AuditLight running per profile directory.
//
// The first instance listens on a loopback TCP port and records the port
// and a random token in a 0600 file in the profile directory. A second
// instance finds the file, connects, proves it may read the profile by
// sending the token, and asks the first one to come forward (show its
// window); then it exits with ErrAlreadyRunning. The same channel carries a
// request to quit (Quit), which the installer and `auditlight quit` use so
// that an upgrade can replace the running exe. A file left behind by a
// crashed instance is detected because nothing answers on its port, and is
// taken over. Loopback TCP works the same on Windows, macOS and Linux and
// needs no cgo.
package instance

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ErrAlreadyRunning is returned by Acquire when another AuditLight already
// owns the profile directory; that instance has been asked to come forward.
var ErrAlreadyRunning = errors.New("AuditLight is already running for this profile")

// FileName is the name of the instance file inside the profile directory.
const FileName = "instance.json"

const (
	// protocolHello starts every activation request.
	protocolHello = "AUDITLIGHT-ACTIVATE/1 "
	// protocolQuit starts a request to quit.
	protocolQuit = "AUDITLIGHT-QUIT/1 "
	// protocolOK is the owner's answer to a valid request.
	protocolOK = "OK"
	// ioTimeout bounds every step of the loopback conversation so that a
	// hung peer (or an unrelated program that reused the port) cannot
	// block start-up.
	ioTimeout = 3 * time.Second
	// maxTakeovers bounds how often Acquire retries after removing a
	// stale file (another starting instance may be racing us).
	maxTakeovers = 3
	// maxLine bounds a protocol line (hello + 64 hex digits + newline).
	maxLine = 256
)

// record is the content of the instance file.
type record struct {
	Port  int    `json:"port"`
	Token string `json:"token"`
	PID   int    `json:"pid"`
}

// Handlers say what the owner does when a later process asks.
type Handlers struct {
	// Activate brings the window forward (a second launch, a click on a
	// notification). Nil ignores the request but still answers it.
	Activate func()
	// Quit ends the application (an installer replacing the exe,
	// `auditlight quit`). Nil refuses quit requests.
	Quit func()
}

// Instance is the running owner of a profile directory. Close it on exit.
type Instance struct {
	ln       net.Listener
	path     string
	token    string
	handlers Handlers

	closeOnce sync.Once
	closeErr  error
	wg        sync.WaitGroup
}

// Acquire makes this process the owner of dir (created 0700 if needed).
// If another live instance owns it, Acquire asks that instance to come
// forward and returns ErrAlreadyRunning. onActivate (may be nil) is called
// on a goroutine of its own each time a later instance asks this one to
// come forward; it must hand UI work to the UI goroutine itself (the app's
// uigate.Gate).
func Acquire(dir string, onActivate func()) (*Instance, error) {
	return AcquireWith(dir, Handlers{Activate: onActivate})
}

// AcquireWith is Acquire with a handler for each kind of request. Each
// handler runs on a goroutine of its own and must hand UI work to the UI
// goroutine itself (the app's uigate.Gate).
func AcquireWith(dir string, h Handlers) (*Instance, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating profile directory: %w", err)
	}
	path := filepath.Join(dir, FileName)
	for range maxTakeovers {
		inst, err := tryCreate(path, h)
		if err == nil {
			return inst, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
		alive, stale, err := activateOwner(path)
		if err != nil {
			return nil, err
		}
		if alive {
			return nil, ErrAlreadyRunning
		}
		if err := removeIfUnchanged(path, stale); err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("taking over %s: another AuditLight kept replacing it; close other copies and retry", path)
}

// tryCreate listens on loopback and creates the instance file exclusively.
// It returns an error wrapping fs.ErrExist when the file already exists.
func tryCreate(path string, h Handlers) (*Instance, error) {
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return nil, fmt.Errorf("generating instance token: %w", err)
	}
	token := hex.EncodeToString(raw[:])
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listening on loopback for single-instance requests: %w", err)
	}
	rec := record{Port: ln.Addr().(*net.TCPAddr).Port, Token: token, PID: os.Getpid()}
	if err := writeExclusive(path, rec); err != nil {
		_ = ln.Close()
		return nil, err
	}
	inst := &Instance{ln: ln, path: path, token: token, handlers: h}
	inst.wg.Add(1)
	go inst.serve()
	return inst, nil
}

// writeExclusive creates path (0600) only if it does not exist yet.
func writeExclusive(path string, rec record) error {
	data, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("encoding instance file: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("creating instance file: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		_ = f.Close()
		_ = os.Remove(path)
		return fmt.Errorf("writing instance file: %w", err)
	}
	if err := f.Close(); err != nil {
		_ = os.Remove(path)
		return fmt.Errorf("writing instance file: %w", err)
	}
	return nil
}

// activateOwner reads the instance file and asks its owner to come
// forward. alive reports whether a live AuditLight accepted; otherwise
// stale holds the bytes read, for removeIfUnchanged.
func activateOwner(path string) (alive bool, stale []byte, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil, nil // the owner exited meanwhile; retry
	}
	if err != nil {
		return false, nil, fmt.Errorf("reading instance file: %w", err)
	}
	var rec record
	if json.Unmarshal(data, &rec) != nil || rec.Port <= 0 || rec.Port > 65535 || rec.Token == "" {
		return false, data, nil // truncated or foreign file: stale
	}
	return request(rec, protocolHello) == nil, data, nil
}

// request connects to the owner and sends hello and the token; it returns
// nil only if the owner confirmed.
func request(rec record, hello string) error {
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(rec.Port))
	conn, err := net.DialTimeout("tcp", addr, ioTimeout)
	if err != nil {
		return fmt.Errorf("connecting to running instance: %w", err)
	}
	defer conn.Close()
	if err := conn.SetDeadline(time.Now().Add(ioTimeout)); err != nil {
		return fmt.Errorf("setting deadline: %w", err)
	}
	if _, err := fmt.Fprintf(conn, "%s%s\n", hello, rec.Token); err != nil {
		return fmt.Errorf("sending the request: %w", err)
	}
	line, err := bufio.NewReader(io.LimitReader(conn, maxLine)).ReadString('\n')
	if err != nil {
		return fmt.Errorf("reading the answer: %w", err)
	}
	if strings.TrimSpace(line) != protocolOK {
		return errors.New("the process on the instance port is not the AuditLight that wrote the file")
	}
	return nil
}

// removeIfUnchanged deletes the stale file unless another instance has
// replaced it since it was read.
func removeIfUnchanged(path string, stale []byte) error {
	if stale == nil {
		return nil
	}
	now, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading instance file: %w", err)
	}
	if string(now) != string(stale) {
		return nil // replaced by a new owner; the next round contacts it
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing stale instance file: %w", err)
	}
	return nil
}
