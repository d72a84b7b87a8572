package events

import (
	"sync"
	"time"
)

// debouncer runs the last triggered func once no trigger came for delay.
type debouncer struct {
	mu    sync.Mutex
	delay time.Duration
	timer *time.Timer
}

func (d *debouncer) trigger(f func()) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil {
		d.timer.Stop()
	}
	d.timer = time.AfterFunc(d.delay, f)
}

func (d *debouncer) stop() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil {
		d.timer.Stop()
	}
}
