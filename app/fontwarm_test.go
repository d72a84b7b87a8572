package app

import (
	"testing"
	"time"
)

// The main thread passes fontWarm.wait only once the warm-up has ended:
// Fyne's text painter is unguarded in this build, and a launch that built
// its screens while the warm-up still shaped text crashed.
func TestFontWarmWaitHoldsUntilTheWarmUpEnds(t *testing.T) {
	release := make(chan struct{})
	ended := make(chan struct{})
	f := startFontWarm(func() {
		<-release
		close(ended)
	})
	passed := make(chan struct{})
	go func() {
		f.wait()
		close(passed)
	}()
	select {
	case <-passed:
		t.Fatal("wait returned while the warm-up was still running")
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	select {
	case <-passed:
	case <-time.After(5 * time.Second):
		t.Fatal("wait never returned after the warm-up ended")
	}
	select {
	case <-ended:
	default:
		t.Fatal("wait returned before the warm-up's own end")
	}
	fontWarm{}.wait() // none started (a hidden start): returns at once
}
