package auditrec

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// ErrNotArray is returned by ParseBlob when the body is valid JSON but not an array.
var ErrNotArray = errors.New("audit blob is not a JSON array")

// utf8BOM is tolerated in front of a blob (some proxies add one).
const utf8BOM = "\xEF\xBB\xBF"

// ParseBlob splits a content blob (a JSON array of audit records, as returned
// by the Management Activity API) into its elements. The whole body is
// validated in one pass: a body that is not an array, is truncated, or has
// trailing garbage is rejected with an error naming the offset. Each element
// is returned with its bytes exactly as sent; the slices share memory with
// body, so body must not be modified while they are in use. Elements are not
// checked to be objects: Parse reports that per record, so one odd element
// does not cost the rest of the blob.
func ParseBlob(body []byte) ([]json.RawMessage, error) {
	body = bytes.TrimPrefix(body, []byte(utf8BOM))
	s := scanner{data: body}
	switch s.peek() {
	case '[':
	case 0:
		if s.pos >= len(body) {
			return nil, fmt.Errorf("parsing audit blob: empty body: %w", errTruncated)
		}
		return nil, fmt.Errorf("parsing audit blob: %w", s.syntaxError("looking for beginning of value"))
	default:
		if _, err := s.skipValue(0); err != nil {
			return nil, fmt.Errorf("parsing audit blob: %w", err)
		}
		return nil, fmt.Errorf("parsing audit blob: %w", ErrNotArray)
	}
	s.pos++
	out := make([]json.RawMessage, 0, estimateElements(body))
	if s.peek() == ']' {
		s.pos++
	} else {
		for {
			raw, err := s.skipValue(1)
			if err != nil {
				return nil, fmt.Errorf("parsing audit blob element %d: %w", len(out), err)
			}
			out = append(out, json.RawMessage(raw))
			c := s.peek()
			if c == ']' {
				s.pos++
				break
			}
			if c != ',' {
				return nil, fmt.Errorf("parsing audit blob after element %d: %w", len(out)-1, s.syntaxError("after array element"))
			}
			s.pos++
		}
	}
	if err := s.end(); err != nil {
		return nil, fmt.Errorf("parsing audit blob: %w", err)
	}
	return out, nil
}

// estimateElements guesses the element count from the body size (records are
// roughly 1-2 KB) so the result slice is allocated once for typical blobs.
func estimateElements(body []byte) int {
	n := len(body) / 1024
	if n > 100000 {
		n = 100000
	}
	return n
}
