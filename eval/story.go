package eval

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/cayleygraph/quad"

	"github.com/newsgraph/newsgraph/schema"
)

// Story is the cross-article gold of one story told by several reports
// (docs/eval-format.md, "Multi-report stories"): a directory of reports,
// each with its own gold, and story.json.
type Story struct {
	Slug         string        `json:"story"`
	MainEvent    string        `json:"main_event"`
	Kind         string        `json:"kind"`
	Participants []string      `json:"participants"`
	Entities     []StoryEntity `json:"entities"`
	Distinct     [][2]string   `json:"distinct"`

	// Dir is the story's directory; Reports its reports' gold, in name
	// order.
	Dir     string  `json:"-"`
	Reports []*Gold `json:"-"`
}

// StoryEntity is one real entity with every form it takes across the
// story's reports.
type StoryEntity struct {
	Name  string   `json:"name"`
	Type  string   `json:"type"`
	Forms []string `json:"forms"`
}

// LoadStories finds the stories under the given directories: every
// directory holding a story.json.
func LoadStories(paths ...string) ([]*Story, error) {
	var files []string
	for _, p := range paths {
		err := filepath.WalkDir(p, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && d.Name() == "story.json" {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("stories: %w", err)
		}
	}
	sort.Strings(files)
	var out []*Story
	for _, f := range files {
		st, err := loadStory(f)
		if err != nil {
			return nil, err
		}
		out = append(out, st)
	}
	return out, nil
}

func loadStory(path string) (*Story, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var st Story
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	st.Dir = filepath.Dir(path)
	if st.MainEvent == "" {
		return nil, fmt.Errorf("%s: no main_event", path)
	}
	golds, err := Load(st.Dir)
	if err != nil {
		return nil, err
	}
	if len(golds) < 2 {
		return nil, fmt.Errorf("%s: a story needs at least two reports with gold, found %d", path, len(golds))
	}
	st.Reports = golds
	return &st, nil
}

// StoryResult is how well a graph of all of a story's reports joined
// them: one node per real event and person, nothing merged that differs.
type StoryResult struct {
	Story string `json:"story"`
	// MainEventNodes counts the Event nodes that stand for the main
	// event (1 is right; 0 means it was not found).
	MainEventNodes int `json:"main_event_nodes"`
	// Participants is the number of the main event's gold participants,
	// BestShare the share of them linked to the one main-event node that
	// links the most.
	Participants int     `json:"participants"`
	Linked       int     `json:"linked"`
	BestShare    float64 `json:"best_share"`
	// Split lists the people of the story found as more than one node;
	// Merged the pairs of different entities found as one node.
	PersonsSplit []string `json:"persons_split,omitempty"`
	Merged       []string `json:"wrong_merges,omitempty"`
	Missing      []string `json:"participants_missing,omitempty"`
}

// participation are the predicates that make their subject (or, for
// hostedBy, their object) a party of an event.
var participation = map[string]bool{"participatesIn": true, "invitedTo": true, "facilitated": true}

// ScoreStory scores the graph built from all of a story's reports.
func ScoreStory(st *Story, quads []quad.Quad) *StoryResult {
	res := &StoryResult{Story: st.Slug}
	if res.Story == "" {
		res.Story = filepath.Base(st.Dir)
	}
	nodes := map[quad.Value]*node{}
	get := func(v quad.Value) *node {
		n := nodes[v]
		if n == nil {
			n = &node{iri: v}
			nodes[v] = n
		}
		return n
	}
	for _, q := range quads {
		switch q.Predicate {
		case schema.Type:
			get(q.Subject).class = schema.LocalName(quad.ToString(q.Object))
		case schema.Name:
			n := get(q.Subject)
			n.label = quad.ToString(q.Object)
			// the canonical name first
			n.names = append([]string{schema.NormName(n.label)}, n.names...)
		case schema.AlternateName:
			n := get(q.Subject)
			n.names = append(n.names, schema.NormName(quad.ToString(q.Object)))
		}
	}
	forms := st.forms()
	// a form several entities share ("Papadopoulos" for two people)
	// identifies none of them
	owners := map[string]int{}
	for _, fs := range forms {
		for f := range fs {
			owners[f]++
		}
	}
	matches := func(n *node, name string) bool {
		fs := forms[name]
		if len(n.names) == 0 || n.label == "" {
			return false
		}
		if c := n.names[0]; c == schema.NormName(name) || (fs[c] && owners[c] == 1) {
			return true
		}
		for _, a := range n.names[1:] {
			// an alias identifies when it is the entity's own; for an
			// event only a form of several words does ("the talks"
			// is said of any talks)
			if fs[a] && owners[a] == 1 && (n.class != string(schema.Event) || strings.Contains(a, " ")) {
				return true
			}
		}
		return false
	}
	var sorted []*node
	for _, n := range nodes {
		if n.class != "" {
			sorted = append(sorted, n)
		}
	}
	sort.Slice(sorted, func(i, j int) bool { return quad.ToString(sorted[i].iri) < quad.ToString(sorted[j].iri) })

	var mains []*node
	for _, n := range sorted {
		if n.class == string(schema.Event) && matches(n, st.MainEvent) {
			mains = append(mains, n)
		}
	}
	res.MainEventNodes = len(mains)
	res.Participants = len(st.Participants)
	bestMissing := append([]string(nil), st.Participants...)
	for _, m := range mains {
		parties := map[quad.Value]bool{}
		for _, q := range quads {
			p := schema.LocalName(quad.ToString(q.Predicate))
			if participation[p] && q.Object == m.iri {
				parties[q.Subject] = true
			}
			if p == "hostedBy" && q.Subject == m.iri {
				parties[q.Object] = true
			}
		}
		linked := 0
		var missing []string
		for _, gp := range st.Participants {
			found := false
			for v := range parties {
				if n := nodes[v]; n != nil && matches(n, gp) {
					found = true
					break
				}
			}
			if found {
				linked++
			} else {
				missing = append(missing, gp)
			}
		}
		if linked > res.Linked || (linked == res.Linked && len(missing) < len(bestMissing)) {
			res.Linked, bestMissing = linked, missing
		}
	}
	res.Missing = bestMissing
	if res.Participants > 0 {
		res.BestShare = float64(res.Linked) / float64(res.Participants)
	}
	for _, e := range st.Entities {
		if e.Type != string(schema.Person) {
			continue
		}
		var found []string
		for _, n := range sorted {
			if n.class == string(schema.Person) && matches(n, e.Name) {
				found = append(found, n.label)
			}
		}
		if len(found) > 1 {
			res.PersonsSplit = append(res.PersonsSplit, fmt.Sprintf("%s: %s", e.Name, strings.Join(found, " | ")))
		}
	}
	for _, d := range st.Distinct {
		for _, n := range sorted {
			if matches(n, d[0]) && matches(n, d[1]) {
				res.Merged = append(res.Merged, fmt.Sprintf("%s + %s as %q", d[0], d[1], n.label))
				break
			}
		}
	}
	return res
}

// forms returns, for each entity name the story or its reports know,
// the normalised forms it takes: story.json's forms, and each report
// gold's name and aliases for an entity of that name.
func (st *Story) forms() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	add := func(name string, fs ...string) {
		m := out[name]
		if m == nil {
			m = map[string]bool{}
			out[name] = m
		}
		for _, f := range fs {
			if n := schema.NormName(f); n != "" {
				m[n] = true
			}
		}
	}
	for _, e := range st.Entities {
		add(e.Name, e.Name)
		add(e.Name, e.Forms...)
	}
	for _, g := range st.Reports {
		for _, e := range g.Entities {
			add(e.Name, e.Name)
			add(e.Name, e.Aliases...)
		}
	}
	for _, p := range st.Participants {
		add(p, p)
	}
	for _, d := range st.Distinct {
		add(d[0], d[0])
		add(d[1], d[1])
	}
	return out
}
