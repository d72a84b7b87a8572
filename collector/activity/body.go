package activity

import (
	"bytes"
	"io"
	"sync"
)

// bodyReader reads response bodies into buffers of exactly their size.
// A blob's body stays resident until the store has committed it, and what
// is resident is its buffer's capacity: grown by doubling as bytes.Buffer
// and io.ReadAll do, a body whose length was not announced (a chunked or
// gzip-decoded response) held up to twice its length, and left the smaller
// buffers it outgrew as garbage (issue 12). Instead a body of unknown length
// is read into fixed chunks that are reused, then copied once into a buffer
// of its length.
type bodyReader struct {
	chunks sync.Pool // *[]byte of bodyChunk bytes; emptied by the GC when idle
}

// bodyChunk is the size of the chunks a body of unknown length is read
// into; maxPresize caps the first buffer an announced length asks for (a
// larger body still grows to maxBody as it arrives).
const (
	bodyChunk  = 32 << 10
	maxPresize = 16 << 20
)

func newBodyReader() *bodyReader {
	return &bodyReader{chunks: sync.Pool{New: func() any {
		b := make([]byte, bodyChunk)
		return &b
	}}}
}

// read reads a response body of up to maxBody+1 bytes. The result's
// capacity is its length (plus bytes.MinRead when the length was announced
// and true).
func (br *bodyReader) read(r io.Reader, announced int64) ([]byte, error) {
	r = io.LimitReader(r, maxBody+1)
	if announced > 0 {
		buf := bytes.NewBuffer(make([]byte, 0, min(announced, maxPresize)+bytes.MinRead))
		_, err := buf.ReadFrom(r)
		body := buf.Bytes()
		if cap(body)-len(body) > bytes.MinRead {
			// The length announced was wrong: keep only what arrived.
			body = append(make([]byte, 0, len(body)), body...)
		}
		return body, err
	}
	var chunks []*[]byte
	defer func() {
		for _, c := range chunks {
			br.chunks.Put(c)
		}
	}()
	total := 0
	var err error
	for {
		c := br.chunks.Get().(*[]byte)
		chunks = append(chunks, c)
		n, rerr := io.ReadFull(r, *c)
		total += n
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			err = rerr
			break
		}
	}
	body := make([]byte, total)
	off := 0
	for _, c := range chunks {
		off += copy(body[off:], *c)
	}
	return body, err
}
