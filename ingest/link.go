package ingest

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/schema"
)

// Linker finds the node a store already has for an entity key (see
// Extractor.NameKey), so that an article's entities join the nodes of the
// articles before it.
type Linker interface {
	// LinkEntity returns the IRI and canonical name of the stored node
	// with the key, or "" when there is none.
	LinkEntity(ctx context.Context, key string) (quad.IRI, string, error)
}

// NameKey returns the key under which the spellings of one entity's name
// meet across articles. For people it is the consonant skeleton of the
// name without particles and with full given names: "Mohammed al-Tayeb",
// "Mohamed Al-Tayyeb" and "Muhammad al Tayeb" share one, as do "Yousif",
// "Yusuf" and "Youssef", or "Tom" and "Thomas Redding". For places and
// organisations it is the name without case, accents, punctuation or
// spaces ("Dolmabahçe Palace", "Dolmabahce Palace"). Events have keys of
// their own (see eventKey); other classes none.
func (x *Extractor) NameKey(c schema.Class, name string) string {
	words := strings.FieldsFunc(strings.ToLower(schema.Fold(name)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) == 0 {
		return ""
	}
	var b strings.Builder
	switch c {
	case schema.Person:
		b.WriteString("person:")
		for i, w := range words {
			if x.lex.is(lParticle, w) && i < len(words)-1 {
				continue
			}
			if full, ok := x.lex.nickname[w]; ok && i == 0 {
				w = full
			}
			b.WriteString(skeleton(w))
		}
	case schema.Place, schema.Organization:
		b.WriteString(strings.ToLower(string(c)) + ":")
		for _, w := range words {
			b.WriteString(w)
		}
	default:
		return ""
	}
	return b.String()
}

// skeleton keeps a word's first letter and its consonants, doubled ones
// once, with "h" after a consonant dropped: transliterations of one name
// differ mostly in vowels, doubling and "h" ("Mohammed"/"Muhamad").
func skeleton(w string) string {
	var b strings.Builder
	var last rune
	for i, r := range w {
		if i > 0 {
			if strings.ContainsRune("aeiouy", r) {
				last = 0
				continue
			}
			if r == 'h' && last != 0 {
				continue
			}
			if r == last {
				continue
			}
		}
		b.WriteRune(r)
		last = r
	}
	return b.String()
}

// eventKey is the key of an event across articles: its kind, and where
// it is or who takes part, in the month the article appeared.
func (a *Article) eventKey(e *Entity) string {
	if a.Doc.Published.IsZero() {
		return ""
	}
	group := e.group
	if group == "meeting" || group == "conference" {
		group = "talks"
	}
	key := "event:" + group + "|" + a.Doc.Published.Format("2006-01") + "|"
	switch {
	case e.place != nil:
		return key + "in:" + schema.NormName(e.place.canon().Name)
	case len(e.parties) >= 2:
		var ps []string
		for _, p := range e.parties {
			ps = append(ps, schema.NormName(p.canon().Name))
		}
		sort.Strings(ps)
		return key + "of:" + strings.Join(ps, "+")
	}
	return ""
}

// Link joins the article's entities to the nodes a store already has for
// them: an entity whose key matches a stored node takes that node's IRI
// and canonical name, and keeps its own forms as aliases.
func (a *Article) Link(ctx context.Context, l Linker) error {
	for _, e := range a.Entities {
		key := a.keyOf(e)
		if key == "" {
			continue
		}
		iri, name, err := l.LinkEntity(ctx, key)
		if err != nil {
			return fmt.Errorf("link %s: %w", e.Name, err)
		}
		if iri == "" {
			continue
		}
		// the stored node, even under the same IRI, keeps its one name
		e.iri = iri
		if name != "" && name != e.Name {
			e.addAlias(e.Name)
			e.Name = name
			e.Aliases = removeString(e.Aliases, name)
		}
	}
	return nil
}

func removeString(list []string, s string) []string {
	out := list[:0]
	for _, x := range list {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

// keyOf returns an entity's cross-article key.
func (a *Article) keyOf(e *Entity) string {
	if e.Class == schema.Event {
		return a.eventKey(e)
	}
	return a.x.NameKey(e.Class, e.Name)
}
