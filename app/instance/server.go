package instance

import (
	"bufio"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"strings"
	"time"
)

// serve accepts activation requests until the listener is closed.
func (i *Instance) serve() {
	defer i.wg.Done()
	for {
		conn, err := i.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// Temporary accept failures (e.g. too many open files):
			// keep serving; the next Accept usually succeeds.
			continue
		}
		i.wg.Add(1)
		go i.handle(conn)
	}
}

// handle answers one connection: a correct token gets "OK" and triggers
// the request's handler; anything else (and a quit request when there is
// no Quit handler) is dropped without an answer.
func (i *Instance) handle(conn net.Conn) {
	defer i.wg.Done()
	then := i.checkRequest(conn)
	if then == nil {
		_ = conn.Close()
		return
	}
	_, werr := io.WriteString(conn, protocolOK+"\n")
	_ = conn.Close()
	if werr == nil {
		// Not tracked by wg: Close must not wait for UI work that may
		// itself be waiting for the goroutine calling Close.
		go then()
	}
}

// checkRequest reads the request line, compares the token in constant
// time and returns what to do once the request is confirmed, or nil to
// refuse it.
func (i *Instance) checkRequest(conn net.Conn) func() {
	if err := conn.SetDeadline(time.Now().Add(ioTimeout)); err != nil {
		return nil
	}
	line, err := bufio.NewReader(io.LimitReader(conn, maxLine)).ReadString('\n')
	if err != nil {
		return nil
	}
	line = strings.TrimRight(line, "\r\n")
	var then func()
	if token, ok := strings.CutPrefix(line, protocolHello); ok && i.validToken(token) {
		then = func() {}
		if i.handlers.Activate != nil {
			then = i.handlers.Activate
		}
	} else if token, ok := strings.CutPrefix(line, protocolQuit); ok && i.validToken(token) {
		then = i.handlers.Quit // nil: refused
	}
	return then
}

// validToken compares token with the owner's in constant time.
func (i *Instance) validToken(token string) bool {
	return subtle.ConstantTimeCompare([]byte(token), []byte(i.token)) == 1
}

// Addr returns the loopback address the instance listens on.
func (i *Instance) Addr() string {
	return i.ln.Addr().String()
}

// Close stops answering activation requests, waits for open connections to
// finish (each is bounded by a short timeout), and removes the instance
// file if it is still ours. It does not wait for onActivate calls already
// started. It is safe to call more than once.
func (i *Instance) Close() error {
	i.closeOnce.Do(func() {
		err := i.ln.Close()
		if err != nil && !errors.Is(err, net.ErrClosed) {
			i.closeErr = fmt.Errorf("closing instance listener: %w", err)
		}
		i.wg.Wait()
		if rerr := i.removeOwnFile(); rerr != nil {
			i.closeErr = errors.Join(i.closeErr, rerr)
		}
	})
	return i.closeErr
}

// removeOwnFile deletes the instance file unless another instance has
// already taken it over.
func (i *Instance) removeOwnFile() error {
	data, err := os.ReadFile(i.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading instance file: %w", err)
	}
	var rec record
	if json.Unmarshal(data, &rec) != nil || rec.Token != i.token {
		return nil // taken over (or rewritten) by another instance
	}
	if err := os.Remove(i.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("removing instance file: %w", err)
	}
	return nil
}
