package datainclusion

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// splitter cuts the elements of a top-level JSON array out of the input without decoding them:
// it only follows strings and nesting, a single cheap pass, so that checking and decoding each
// element can run on other cores. It does not judge an element's syntax (the workers do, with
// encoding/json); it does judge what lies between elements.
type splitter struct {
	r     *bufio.Reader
	off   int64 // bytes consumed
	count int   // elements returned
	buf   []byte
}

// next returns the next element (a fresh slice) and its offset, or done at the closing ']'.
func (s *splitter) next() ([]byte, int64, bool, error) {
	c, err := s.skipSpace()
	if err != nil {
		return nil, s.off, false, err
	}
	if c == ']' {
		s.advance()
		return nil, s.off, true, nil
	}
	if s.count > 0 {
		if c != ',' {
			return nil, s.off, false, &fileSyntaxError{offset: s.off, err: fmt.Errorf("expected ',' or ']' after array element, got %q", c)}
		}
		s.advance()
		if c, err = s.skipSpace(); err != nil {
			return nil, s.off, false, err
		}
	}
	start := s.off
	s.buf = s.buf[:0]
	if c != '{' && c != '[' && c != '"' {
		return s.scalar(start)
	}
	// Scan the buffered bytes in place rather than byte by byte: this loop runs over every byte
	// of files of a hundred megabytes.
	depth, inString, escaped := 0, false, false
	for {
		chunk, _ := s.r.Peek(max(s.r.Buffered(), 1))
		if len(chunk) == 0 {
			return nil, start, false, io.ErrUnexpectedEOF
		}
		for i := 0; i < len(chunk); i++ {
			b := chunk[i]
			if inString {
				switch {
				case escaped:
					escaped = false
				case b == '\\':
					escaped = true
				case b == '"':
					inString = false
					if c == '"' {
						return s.take(chunk, i, start)
					}
				default:
					// Jump to the next quote or backslash.
					j := bytes.IndexAny(chunk[i:], "\"\\")
					if j < 0 {
						i = len(chunk) - 1
					} else {
						i += j - 1
					}
				}
				continue
			}
			switch b {
			case '"':
				inString = true
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return s.take(chunk, i, start)
				}
			}
		}
		s.buf = append(s.buf, chunk...)
		s.off += int64(len(chunk))
		_, _ = s.r.Discard(len(chunk))
	}
}

// take ends the element at chunk[i], the last byte of it.
func (s *splitter) take(chunk []byte, i int, start int64) ([]byte, int64, bool, error) {
	s.buf = append(s.buf, chunk[:i+1]...)
	s.off += int64(i + 1)
	_, _ = s.r.Discard(i + 1)
	return s.element(start)
}

// scalar reads a bare scalar (number, true, null, or garbage the workers will refuse): it ends
// at the next separator.
func (s *splitter) scalar(start int64) ([]byte, int64, bool, error) {
	for {
		b, err := s.r.ReadByte()
		if err != nil {
			return nil, start, false, io.ErrUnexpectedEOF
		}
		if b == ',' || b == ']' || b == ' ' || b == '\t' || b == '\n' || b == '\r' {
			_ = s.r.UnreadByte()
			return s.element(start)
		}
		s.buf = append(s.buf, b)
		s.off++
	}
}

func (s *splitter) element(start int64) ([]byte, int64, bool, error) {
	s.count++
	return append([]byte(nil), s.buf...), start, false, nil
}

// skipSpace returns the next byte that is not white space, without consuming it.
func (s *splitter) skipSpace() (byte, error) {
	for {
		b, err := s.r.ReadByte()
		if err != nil {
			return 0, io.ErrUnexpectedEOF
		}
		switch b {
		case ' ', '\t', '\n', '\r':
			s.off++
		default:
			_ = s.r.UnreadByte()
			return b, nil
		}
	}
}

func (s *splitter) advance() {
	_, _ = s.r.ReadByte()
	s.off++
}

// end checks that nothing but white space follows the array.
func (s *splitter) end() error {
	for {
		b, err := s.r.ReadByte()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return &fileSyntaxError{offset: s.off, err: err}
		}
		switch b {
		case ' ', '\t', '\n', '\r':
			s.off++
		default:
			return &fileSyntaxError{offset: s.off, err: fmt.Errorf("data after the top-level value: %q", b)}
		}
	}
}
