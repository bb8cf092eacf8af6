package graph

import (
	"fmt"
	"io"

	"github.com/cayleygraph/quad"
	"github.com/cayleygraph/quad/nquads"
)

// NewNQuadsReader returns a reader of N-Quads from r, as
// nquads.NewReader(r, false) does, except that input the parser panics
// on becomes an error: Cayley's parser panics ("internal parser error")
// on a \U escape beyond the 32-bit range, such as "\UFFFFFFFF", which
// would crash `newsgraph load` and cut the server's connection. After an
// error, every read returns it.
func NewNQuadsReader(r io.Reader) quad.ReadCloser {
	return &safeNQuads{r: nquads.NewReader(r, false)}
}

type safeNQuads struct {
	r   *nquads.Reader
	err error
}

func (s *safeNQuads) ReadQuad() (q quad.Quad, err error) {
	if s.err != nil {
		return quad.Quad{}, s.err
	}
	defer func() {
		if v := recover(); v != nil {
			s.err = fmt.Errorf("invalid N-Quads: %v", v)
			q, err = quad.Quad{}, s.err
		}
	}()
	return s.r.ReadQuad()
}

func (s *safeNQuads) Close() error { return s.r.Close() }
