package health

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/auditlight/auditlight/collector/fault"
)

var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func healthyInputs() Inputs {
	return Inputs{
		Configured:   true,
		SubscribedAt: now.Add(-72 * time.Hour),
		LastPoll:     now.Add(-30 * time.Second),
		TotalRecords: 1234,
		SecretExpiry: now.Add(200 * 24 * time.Hour),
		Workloads: []WorkloadInput{{
			ContentType: "Audit.Exchange", Name: "Exchange", Subscribed: true,
			Cursor: now.Add(-time.Minute), LastSuccess: now.Add(-30 * time.Second),
			LastRecord: now.Add(-50 * time.Minute), LastContent: now.Add(-10 * time.Minute),
			BackfillPercent: 100,
		}},
	}
}

func withErr(err error) func(*Inputs) {
	return func(in *Inputs) { in.Workloads[0].Err = err }
}

// TestEveryErrorClassHasItsColourAndReason is the table the GUI and CLI rely on:
// each class of failure maps to one colour, one plain reason and one fix.
func TestEveryErrorClassHasItsColourAndReason(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(*Inputs)
		state  State
		reason string
		action Action
	}{
		{"healthy", func(*Inputs) {}, Healthy, "Online and logging", ActionNone},
		{"not configured", func(in *Inputs) { in.Configured = false }, NotConfigured, "not connected", ActionSetup},
		{"invalid secret", withErr(fault.New(fault.InvalidSecret, "token", "AADSTS7000215", "")), ActionNeeded, "rejected the client secret", ActionRotateSecret},
		{"expired secret (Entra)", withErr(fault.New(fault.ExpiredSecret, "token", "AADSTS7000222", "")), ActionNeeded, "has expired", ActionRotateSecret},
		{"expired secret (date)", func(in *Inputs) { in.SecretExpiry = now.Add(-time.Hour) }, ActionNeeded, "expired on 2026-11-25", ActionRotateSecret},
		{"app not found", withErr(fault.New(fault.AppNotFound, "token", "AADSTS700016", "")), ActionNeeded, "does not know this application", ActionSetup},
		{"tenant not found", withErr(fault.New(fault.TenantNotFound, "token", "AADSTS90002", "")), ActionNeeded, "does not know this tenant", ActionSetup},
		{"permission missing", withErr(fault.New(fault.PermissionMissing, "listing", "AF10001", "")), ActionNeeded, "lacks a permission", ActionTestConnection},
		{"audit off", withErr(fault.New(fault.AuditOff, "start", "", "")), ActionNeeded, "Unified Audit Logging is not enabled", ActionOpenPurview},
		{"subscription disabled", withErr(fault.New(fault.SubscriptionDisabled, "listing", "AF20023", "")), ActionNeeded, "subscription was disabled", ActionTestConnection},
		{"offline 6 days", func(in *Inputs) { in.LastPoll = now.Add(-6 * 24 * time.Hour) }, ActionNeeded, "has not reached Microsoft for 6 days", ActionTestConnection},
		{"throttled", withErr(fault.New(fault.Throttled, "listing", "AF429", "")), Degraded, "throttling", ActionNone},
		{"transient", withErr(fault.New(fault.Transient, "fetch", "HTTP 503", "")), Degraded, "not answering reliably", ActionRetryNow},
		{"window", withErr(fault.New(fault.Window, "listing", "AF20055", "")), Degraded, "clock is wrong", ActionRetryNow},
		{"gap", func(in *Inputs) {
			in.Gaps = []Gap{{ContentType: "Audit.Exchange", From: now.Add(-8 * 24 * time.Hour), To: now.Add(-7 * 24 * time.Hour), Reason: "content expired"}}
		}, Degraded, "gap", ActionNone},
		{"dead letters", func(in *Inputs) { in.DeadLetters = 3 }, Degraded, "3 content blob(s) failed", ActionRetryNow},
		{"paused", func(in *Inputs) { in.Paused = true }, Degraded, "paused", ActionResume},
		{"lagging", func(in *Inputs) { in.Workloads[0].Cursor = now.Add(-3 * time.Hour) }, Degraded, "Exchange is 3 hours behind", ActionRetryNow},
		{"poll overdue", func(in *Inputs) { in.LastPoll = now.Add(-20 * time.Minute) }, Degraded, "last successful poll was 20 minutes ago", ActionTestConnection},
		{"stale data although polls succeed", func(in *Inputs) { in.Workloads[0].LastContent = now.Add(-30 * time.Hour) }, Degraded, "no new audit data has arrived for 30 hours", ActionOpenPurview},
		{"secret expiring soon", func(in *Inputs) { in.SecretExpiry = now.Add(5 * 24 * time.Hour) }, Degraded, "expires in 5 days", ActionRotateSecret},
		{"waiting for first data", func(in *Inputs) {
			in.TotalRecords = 0
			in.SubscribedAt = now.Add(-2 * time.Hour)
			in.Workloads[0].LastContent, in.Workloads[0].LastRecord = time.Time{}, time.Time{}
		}, WaitingForData, "waiting for the first audit data", ActionNone},
		{"no data 13h after subscribing", func(in *Inputs) {
			in.TotalRecords = 0
			in.SubscribedAt = now.Add(-13 * time.Hour)
			in.Workloads[0].LastContent, in.Workloads[0].LastRecord = time.Time{}, time.Time{}
		}, Degraded, "No audit data 13 hours after subscribing", ActionOpenPurview},
		{"backfilling is healthy", func(in *Inputs) {
			in.Workloads[0].Backfilling, in.Workloads[0].BackfillPercent = true, 40
			in.Workloads[0].Cursor = now.Add(-4 * 24 * time.Hour)
		}, Healthy, "catching up on the last 7 days (40 %)", ActionNone},
		{"unexpected error", withErr(errors.New("boom")), Degraded, "Unexpected error: boom", ActionTestConnection},
		{"DLP not permitted does not alarm", func(in *Inputs) {
			in.Workloads = append(in.Workloads, WorkloadInput{ContentType: "DLP.All", Name: "DLP", NotPermitted: true,
				Err: fault.New(fault.PermissionMissing, "listing", "AF10001", "")})
		}, Healthy, "Online and logging", ActionNone},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := healthyInputs()
			c.mutate(&in)
			st := Evaluate(in, now, Thresholds{})
			if st.State != c.state {
				t.Fatalf("state = %v (%s), want %v", st.State, st.Reason, c.state)
			}
			if st.Colour != c.state.Colour() {
				t.Errorf("colour = %q, want %q", st.Colour, c.state.Colour())
			}
			if !strings.Contains(st.Reason, c.reason) {
				t.Errorf("reason = %q, want it to contain %q", st.Reason, c.reason)
			}
			if st.Action != c.action {
				t.Errorf("action = %q, want %q", st.Action, c.action)
			}
			if (st.State == ActionNeeded || st.State == Degraded) && st.Action != ActionNone && st.Fix == "" {
				t.Errorf("%v status with an action must say how to fix it", st.State)
			}
		})
	}
}

func TestColours(t *testing.T) {
	want := map[State]string{NotConfigured: "grey", WaitingForData: "blue", Healthy: "green", Degraded: "amber", ActionNeeded: "red"}
	for s, c := range want {
		if s.Colour() != c {
			t.Errorf("%v.Colour() = %q, want %q", s, s.Colour(), c)
		}
	}
}

func TestAuditOffFixTextMatchesMicrosoftGuidance(t *testing.T) {
	_, fix, _ := Explain(fault.New(fault.AuditOff, "start", "", ""))
	if !strings.Contains(fix, "Please make sure that Unified Audit Logging is enabled") || !strings.Contains(fix, "hours") {
		t.Fatalf("fix = %q", fix)
	}
}

func TestBroadcasterLatestValueNeverBlocks(t *testing.T) {
	b := NewBroadcaster()
	ch, cancel := b.Subscribe()
	defer cancel()
	for i := 0; i < 100; i++ { // a slow subscriber must not block the publisher
		b.Publish(Status{TotalRecords: int64(i)})
	}
	got := <-ch
	if got.TotalRecords != 99 {
		t.Fatalf("subscriber saw %d, want the latest (99)", got.TotalRecords)
	}
	late, cancel2 := b.Subscribe()
	if s := <-late; s.TotalRecords != 99 {
		t.Fatalf("late subscriber got %d, want the latest (99) at once", s.TotalRecords)
	}
	cancel2()
	if _, ok := <-late; ok {
		t.Fatal("channel not closed after cancel")
	}
	cancel2() // idempotent
}

func TestStatusJSONRoundTrip(t *testing.T) {
	in := Evaluate(healthyInputs(), now, Thresholds{})
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"state":"healthy"`) || !strings.Contains(string(b), `"colour":"green"`) {
		t.Fatalf("JSON %s lacks the readable state", b)
	}
	var out Status
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.State != Healthy || out.Reason != in.Reason {
		t.Fatalf("round trip gave %v %q", out.State, out.Reason)
	}
	if err := json.Unmarshal([]byte(`{"state":"purple"}`), &out); err == nil {
		t.Fatal("an unknown state was accepted")
	}
}
