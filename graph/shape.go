package graph

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/cayleygraph/cayley/graph"
	"github.com/cayleygraph/cayley/graph/iterator"
	"github.com/cayleygraph/cayley/graph/refs"
	"github.com/cayleygraph/cayley/query"
	"github.com/cayleygraph/cayley/query/shape"
	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/schema"
)

// shapeRecorder is a quad store that takes note of the query shapes built
// on it and finds nothing. Cayley optimises every shape bottom-up and
// hands each node of the tree to the store's optimizer, the root last;
// the recorder keeps the roots. Its iterators are empty, so the query
// itself costs nothing: only values named in it are looked up.
type shapeRecorder struct {
	graph.QuadStore
	mu    sync.Mutex
	roots []shape.Shape
}

var _ shape.Optimizer = (*shapeRecorder)(nil)

func (r *shapeRecorder) OptimizeShape(ctx context.Context, s shape.Shape) (shape.Shape, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	// the shapes recorded so far that s holds are parts of it
	keep := r.roots[:0]
	for _, old := range r.roots {
		inside := false
		shape.Walk(s, func(x shape.Shape) bool {
			if !inside && reflect.DeepEqual(x, old) {
				inside = true
			}
			return !inside
		})
		if !inside {
			keep = append(keep, old)
		}
	}
	r.roots = append(keep, s)
	return s, false
}

func (r *shapeRecorder) QuadIterator(quad.Direction, graph.Ref) iterator.Shape {
	return iterator.NewNull()
}
func (r *shapeRecorder) NodesAllIterator() iterator.Shape { return iterator.NewNull() }
func (r *shapeRecorder) QuadsAllIterator() iterator.Shape { return iterator.NewNull() }

// QueryShape returns the shape of the query src, in the query language
// lang, as Cayley plans it on this store (values resolved, generic
// optimisations applied): one tree per query the script runs, each node
// with its "type" (Intersect, NodesFrom, QuadsAction, Fixed, Save, ...)
// and fields. This is what the web UI's Query Shape tab shows.
func (s *Store) QueryShape(ctx context.Context, lang, src string, timeout time.Duration) (map[string]interface{}, error) {
	if err := s.settle(); err != nil {
		return nil, err
	}
	l := query.GetLanguage(lang)
	if l == nil || l.Session == nil {
		return nil, fmt.Errorf("shape: unknown query language %q (have gizmo, graphql, mql)", lang)
	}
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	schema.RegisterPrefixes()
	rec := &shapeRecorder{QuadStore: s.qs}
	it, err := l.Session(rec).Execute(ctx, schema.ExpandIRIs(src), query.Options{Collation: query.JSON, Limit: 100})
	if err != nil {
		return nil, fmt.Errorf("shape: %w", err)
	}
	for n := 0; it.Next(ctx) && n < 100; n++ {
	}
	err = it.Err()
	it.Close()
	if err != nil {
		return nil, fmt.Errorf("shape: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("shape: %w", err)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	out := make([]interface{}, 0, len(rec.roots))
	for _, r := range rec.roots {
		out = append(out, describeShape(s.qs, reflect.ValueOf(r), 0))
	}
	return map[string]interface{}{"shapes": out}, nil
}

var (
	shapeType = reflect.TypeOf((*shape.Shape)(nil)).Elem()
	refType   = reflect.TypeOf((*refs.Ref)(nil)).Elem()
	valueType = reflect.TypeOf((*quad.Value)(nil)).Elem()
)

// describeShape turns a shape (or a part of one) into JSON-ready values:
// structs as maps of their exported fields, with the type's name under
// "type"; store references as the values they stand for.
func describeShape(qs graph.QuadStore, v reflect.Value, depth int) interface{} {
	if depth > 64 || !v.IsValid() {
		return nil
	}
	if v.Kind() == reflect.Interface || v.Kind() == reflect.Ptr {
		if v.IsNil() {
			return nil
		}
		if v.Type().Implements(refType) && !v.Type().Implements(shapeType) {
			if name, err := qs.NameOf(v.Interface().(refs.Ref)); err == nil && name != nil {
				return quad.StringOf(name)
			}
		}
		return describeShape(qs, v.Elem(), depth+1)
	}
	if v.CanInterface() {
		switch x := v.Interface().(type) {
		case quad.Value:
			return quad.StringOf(x)
		case quad.Direction:
			return x.String()
		case time.Time:
			return x
		case refs.Ref:
			if !v.Type().Implements(shapeType) {
				if name, err := qs.NameOf(x); err == nil && name != nil {
					return quad.StringOf(name)
				}
			}
		}
	}
	switch v.Kind() {
	case reflect.Struct:
		m := map[string]interface{}{}
		if v.Type().Implements(shapeType) || reflect.PointerTo(v.Type()).Implements(shapeType) {
			m["type"] = v.Type().Name()
		}
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() {
				continue
			}
			if d := describeShape(qs, v.Field(i), depth+1); d != nil && !isEmpty(d) {
				m[f.Name] = d
			}
		}
		return m
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && v.IsNil() {
			return nil
		}
		out := make([]interface{}, 0, v.Len())
		for i := 0; i < v.Len(); i++ {
			out = append(out, describeShape(qs, v.Index(i), depth+1))
		}
		// a named slice that is a shape (Fixed, Lookup, Intersect, Union)
		if v.Type().Implements(shapeType) {
			return map[string]interface{}{"type": v.Type().Name(), "values": out}
		}
		return out
	case reflect.Map:
		out := map[string]interface{}{}
		for _, k := range v.MapKeys() {
			key := fmt.Sprint(describeShape(qs, k, depth+1))
			out[key] = describeShape(qs, v.MapIndex(k), depth+1)
		}
		if v.Type().Implements(shapeType) {
			return map[string]interface{}{"type": v.Type().Name(), "values": out}
		}
		return out
	case reflect.Func, reflect.Chan, reflect.UnsafePointer:
		return nil
	}
	if v.CanInterface() {
		if st, ok := v.Interface().(fmt.Stringer); ok {
			return st.String()
		}
		return v.Interface()
	}
	return nil
}

func isEmpty(d interface{}) bool {
	switch d := d.(type) {
	case map[string]interface{}:
		return len(d) == 0
	case []interface{}:
		return len(d) == 0
	}
	return false
}

// shapeHandler serves POST /api/v1/shape/{lang}, the web UI's Query Shape
// tab, which Cayley's own server no longer implements.
func (s *Store) shapeHandler(timeout time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", "POST")
			jsonError(w, http.StatusMethodNotAllowed, "POST the query")
			return
		}
		lang := strings.TrimPrefix(r.URL.Path, "/api/v1/shape/")
		body, err := io.ReadAll(r.Body)
		if err != nil {
			jsonError(w, http.StatusRequestEntityTooLarge, "request body too large")
			return
		}
		out, err := s.QueryShape(r.Context(), lang, string(body), timeout)
		if err != nil {
			jsonError(w, http.StatusBadRequest, err.Error())
			return
		}
		w.Header().Set("Content-Type", "application/json")
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.Encode(out)
	})
}
