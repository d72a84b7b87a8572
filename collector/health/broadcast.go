package health

import "sync"

// Broadcaster delivers status snapshots to any number of subscribers with
// latest-value semantics: a slow subscriber never blocks the collector, it
// simply sees the newest status when it reads.
type Broadcaster struct {
	mu     sync.Mutex
	last   Status
	have   bool
	subs   map[int]chan Status
	nextID int
}

// NewBroadcaster returns an empty Broadcaster.
func NewBroadcaster() *Broadcaster {
	return &Broadcaster{subs: map[int]chan Status{}}
}

// Publish records s as the latest status and offers it to every subscriber.
func (b *Broadcaster) Publish(s Status) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.last, b.have = s, true
	for _, ch := range b.subs {
		offer(ch, s)
	}
}

// Latest returns the newest published status and whether there is one.
func (b *Broadcaster) Latest() (Status, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.last, b.have
}

// Subscribe returns a channel that receives the latest status (immediately,
// if one was published) and every later one, and a function that ends the
// subscription and closes the channel.
func (b *Broadcaster) Subscribe() (<-chan Status, func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	ch := make(chan Status, 1)
	id := b.nextID
	b.nextID++
	b.subs[id] = ch
	if b.have {
		ch <- b.last
	}
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			b.mu.Lock()
			defer b.mu.Unlock()
			delete(b.subs, id)
			close(ch)
		})
	}
}

// offer replaces whatever is waiting in ch with s.
func offer(ch chan Status, s Status) {
	for {
		select {
		case ch <- s:
			return
		default:
		}
		select {
		case <-ch:
		default:
		}
	}
}
