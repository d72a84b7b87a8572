package fault

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"
)

func TestKindOfDecidesRetryAndRed(t *testing.T) {
	cases := []struct {
		name       string
		err        error
		kind       Kind
		retry, red bool
	}{
		{"nil", nil, Unknown, true, false},
		{"wrapped expired secret", fmt.Errorf("listing: %w", New(ExpiredSecret, "token", "AADSTS7000222", "")), ExpiredSecret, false, true},
		{"throttled", &Error{Kind: Throttled, RetryAfter: 3 * time.Second}, Throttled, true, false},
		{"cancelled", fmt.Errorf("x: %w", context.Canceled), Canceled, false, false},
		{"deadline", context.DeadlineExceeded, Transient, true, false},
		{"network", &net.OpError{Op: "dial", Err: errors.New("refused")}, Transient, true, false},
		{"audit off", New(AuditOff, "start", "", ""), AuditOff, false, true},
		{"plain error", errors.New("boom"), Unknown, true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			k := KindOf(c.err)
			if k != c.kind || k.Retryable() != c.retry || k.NeedsAdmin() != c.red {
				t.Fatalf("KindOf = %v (retry %v, admin %v); want %v (%v, %v)", k, k.Retryable(), k.NeedsAdmin(), c.kind, c.retry, c.red)
			}
		})
	}
	if RetryAfterOf(fmt.Errorf("w: %w", &Error{Kind: Throttled, RetryAfter: 3 * time.Second})) != 3*time.Second {
		t.Error("Retry-After lost through wrapping")
	}
	if CodeOf(fmt.Errorf("w: %w", New(SubscriptionDisabled, "list", "AF20023", ""))) != "AF20023" {
		t.Error("code lost through wrapping")
	}
}

func TestErrorTextNamesOpCodeAndMessageNeverEmpty(t *testing.T) {
	e := New(InvalidSecret, "getting a token", "AADSTS7000215", "Invalid client secret provided.")
	if got := e.Error(); got != "getting a token: invalid-secret (AADSTS7000215): Invalid client secret provided." {
		t.Fatalf("Error() = %q", got)
	}
	for k := Unknown; k <= Canceled; k++ {
		if strings.HasPrefix(k.String(), "kind(") {
			t.Errorf("kind %d has no name", int(k))
		}
	}
}

func TestClassifyTLS(t *testing.T) {
	fe := ClassifyTLS("fetching", "the Management API's", fmt.Errorf("get: %w", x509.UnknownAuthorityError{}))
	if fe == nil || fe.Kind != Config || fe.Code != "TLS" || !strings.Contains(fe.Message, "not trusted") {
		t.Fatalf("unknown authority → %+v", fe)
	}
	if ClassifyTLS("fetching", "x", errors.New("connection reset")) != nil {
		t.Fatal("a non-TLS error was classified as TLS")
	}
}
