package auditrec

import (
	"errors"
	"fmt"
)

// maxDepth bounds nesting like encoding/json does, so hostile input cannot
// exhaust the stack.
const maxDepth = 10000

// errTruncated is reported when the input ends inside a value.
var errTruncated = errors.New("unexpected end of JSON input")

// scanner is a validating, allocation-free JSON tokenizer over a byte slice.
// It walks the input once; values the caller does not care about are skipped
// (and validated) without being decoded.
type scanner struct {
	data []byte
	pos  int
}

func (s *scanner) syntaxError(what string) error {
	if s.pos >= len(s.data) {
		return fmt.Errorf("offset %d: %w (%s)", s.pos, errTruncated, what)
	}
	return fmt.Errorf("offset %d: invalid character %q %s", s.pos, s.data[s.pos], what)
}

func (s *scanner) skipSpace() {
	d, i := s.data, s.pos
	for i < len(d) && (d[i] == ' ' || d[i] == '\t' || d[i] == '\n' || d[i] == '\r') {
		i++
	}
	s.pos = i
}

// peek returns the next non-space byte without consuming it (0 at the end).
func (s *scanner) peek() byte {
	s.skipSpace()
	if s.pos >= len(s.data) {
		return 0
	}
	return s.data[s.pos]
}

// expect consumes byte c after optional whitespace.
func (s *scanner) expect(c byte, what string) error {
	if s.peek() != c {
		return s.syntaxError(what)
	}
	s.pos++
	return nil
}

// skipValue validates and skips one JSON value, returning its raw bytes.
func (s *scanner) skipValue(depth int) ([]byte, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("offset %d: exceeded max nesting depth %d", s.pos, maxDepth)
	}
	c := s.peek()
	start := s.pos
	var err error
	switch {
	case c == '{':
		err = s.skipObject(depth + 1)
	case c == '[':
		err = s.skipArray(depth + 1)
	case c == '"':
		_, _, err = s.readString()
	case c == '-' || (c >= '0' && c <= '9'):
		err = s.skipNumber()
	case c == 't':
		err = s.literal("true")
	case c == 'f':
		err = s.literal("false")
	case c == 'n':
		err = s.literal("null")
	default:
		return nil, s.syntaxError("looking for beginning of value")
	}
	if err != nil {
		return nil, err
	}
	return s.data[start:s.pos], nil
}

func (s *scanner) literal(word string) error {
	for i := 0; i < len(word); i++ {
		if s.pos >= len(s.data) || s.data[s.pos] != word[i] {
			return s.syntaxError("in literal " + word)
		}
		s.pos++
	}
	return nil
}

func (s *scanner) skipObject(depth int) error {
	s.pos++ // '{'
	if s.peek() == '}' {
		s.pos++
		return nil
	}
	for {
		if s.peek() != '"' {
			return s.syntaxError("looking for beginning of object key string")
		}
		if _, _, err := s.readString(); err != nil {
			return err
		}
		if err := s.expect(':', "after object key"); err != nil {
			return err
		}
		if _, err := s.skipValue(depth); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.pos++
		case '}':
			s.pos++
			return nil
		default:
			return s.syntaxError("after object key:value pair")
		}
	}
}

func (s *scanner) skipArray(depth int) error {
	s.pos++ // '['
	if s.peek() == ']' {
		s.pos++
		return nil
	}
	for {
		if _, err := s.skipValue(depth); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.pos++
		case ']':
			s.pos++
			return nil
		default:
			return s.syntaxError("after array element")
		}
	}
}

// readString consumes a string starting at the opening quote and returns its
// contents without the quotes, plus whether it contains escape sequences.
// The scan runs on locals (not s.pos through the pointer) and takes the
// plain bytes, nearly all of a record's strings, in a tight loop: a record's
// parse is mostly this loop (issue 12).
func (s *scanner) readString() (body []byte, escaped bool, err error) {
	d := s.data
	start := s.pos + 1 // after the opening quote
	i := start
	for {
		for i < len(d) && plainStringByte(d[i]) {
			i++
		}
		if i >= len(d) {
			s.pos = i
			return nil, false, s.syntaxError("in string literal")
		}
		switch c := d[i]; {
		case c == '"':
			s.pos = i + 1
			return d[start:i], escaped, nil
		case c == '\\':
			escaped = true
			i++
			if i >= len(d) {
				s.pos = i
				return nil, false, s.syntaxError("in string escape code")
			}
			switch d[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i++
			case 'u':
				i++
				for k := 0; k < 4; k++ {
					if i >= len(d) || !isHex(d[i]) {
						s.pos = i
						return nil, false, s.syntaxError("in \\u hexadecimal character escape")
					}
					i++
				}
			default:
				s.pos = i
				return nil, false, s.syntaxError("in string escape code")
			}
		default: // a control character
			s.pos = i
			return nil, false, s.syntaxError("in string literal")
		}
	}
}

// plainStringByte reports a byte a string holds as it is: not its closing
// quote, not an escape, not a control character (which JSON forbids there).
func plainStringByte(c byte) bool {
	return c >= 0x20 && c != '"' && c != '\\'
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// skipNumber consumes a number following the JSON grammar exactly.
func (s *scanner) skipNumber() error {
	d := s.data
	if s.pos < len(d) && d[s.pos] == '-' {
		s.pos++
	}
	switch {
	case s.pos >= len(d):
		return s.syntaxError("in numeric literal")
	case d[s.pos] == '0':
		s.pos++
	case d[s.pos] >= '1' && d[s.pos] <= '9':
		for s.pos < len(d) && isDigit(d[s.pos]) {
			s.pos++
		}
	default:
		return s.syntaxError("in numeric literal")
	}
	if s.pos < len(d) && d[s.pos] == '.' {
		s.pos++
		if s.pos >= len(d) || !isDigit(d[s.pos]) {
			return s.syntaxError("after decimal point in numeric literal")
		}
		for s.pos < len(d) && isDigit(d[s.pos]) {
			s.pos++
		}
	}
	if s.pos < len(d) && (d[s.pos] == 'e' || d[s.pos] == 'E') {
		s.pos++
		if s.pos < len(d) && (d[s.pos] == '+' || d[s.pos] == '-') {
			s.pos++
		}
		if s.pos >= len(d) || !isDigit(d[s.pos]) {
			return s.syntaxError("in exponent of numeric literal")
		}
		for s.pos < len(d) && isDigit(d[s.pos]) {
			s.pos++
		}
	}
	return nil
}

// end reports an error unless only whitespace remains.
func (s *scanner) end() error {
	if s.peek() != 0 || s.pos < len(s.data) {
		return s.syntaxError("after top-level value")
	}
	return nil
}
