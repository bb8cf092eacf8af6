package ingest

import (
	"strings"
	"testing"
	"time"
)

func TestTokenize(t *testing.T) {
	tk := extractor(t).Tokenizer()
	tests := []struct {
		in   string
		want []string
	}{
		{"The U.S. and the U.N. met.", []string{"The", "U.S.", "and", "the", "U.N.", "met", "."}},
		{"Mr. Dar and Gen. Asim Munir", []string{"Mr.", "Dar", "and", "Gen.", "Asim", "Munir"}},
		{"Iran-US talks", []string{"Iran", "-", "US", "talks"}},
		{"US–Iran talks", []string{"US", "–", "Iran", "talks"}},
		{"Pakistan’s invitation", []string{"Pakistan", "’s", "invitation"}},
		{"Pakistan's invitation", []string{"Pakistan", "'s", "invitation"}},
		{"Côte d'Ivoire", []string{"Côte", "d'Ivoire"}},
		{`“bad things,” he said`, []string{"“", "bad", "things", ",", "”", "he", "said"}},
		{"one — free from threats", []string{"one", "—", "free", "from", "threats"}},
		{"about 1,100 soldiers and 3.5 percent", []string{"about", "1,100", "soldiers", "and", "3.5", "percent"}},
		{"the G20 summit", []string{"the", "G20", "summit"}},
		{"negotiations..... I have", []string{"negotiations", ".....", "I", "have"}},
	}
	for _, tt := range tests {
		var got []string
		for _, tok := range tk.Tokenize(tt.in) {
			got = append(got, tok.Text)
		}
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("Tokenize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTokenFlags(t *testing.T) {
	toks := extractor(t).Tokenizer().Tokenize("Türkiye and UN-backed talks")
	if toks[0].Low != "turkiye" || !toks[0].Cap {
		t.Errorf("Türkiye: Low %q Cap %v", toks[0].Low, toks[0].Cap)
	}
	if !toks[2].Upper || toks[3].Text != "-" || !toks[3].Glued {
		t.Errorf("UN-backed: %+v %+v", toks[2], toks[3])
	}
}

func TestSentences(t *testing.T) {
	tk := extractor(t).Tokenizer()
	tests := []struct {
		in   string
		want []string
	}{
		{"Mr. Dar arrived. He met Gen. Munir on Friday.", []string{"Mr. Dar arrived.", "He met Gen. Munir on Friday."}},
		{`"We will go. We will win," he said. Then he left.`, []string{`"We will go. We will win," he said.`, "Then he left."}},
		{"Talks with the U.S. The talks failed.", []string{"Talks with the U.S.", "The talks failed."}},
		{"Officials met in the U.S. capital on Monday.", []string{"Officials met in the U.S. capital on Monday."}},
		{"A headline without a stop\n\nThe first paragraph.", []string{"A headline without a stop", "The first paragraph."}},
		{"Is it over? Yes! It is.", []string{"Is it over?", "Yes!", "It is."}},
		{"“Enough,” said Dar. “Go.”", []string{"“Enough,” said Dar.", "“Go.”"}},
	}
	for _, tt := range tests {
		var got []string
		for _, s := range tk.Sentences(tt.in) {
			got = append(got, tt.in[s.Start:s.End])
		}
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("Sentences(%q):\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

func TestDates(t *testing.T) {
	x := extractor(t)
	pub := date(t, "2026-02-03") // a Tuesday
	tests := []struct {
		text string
		want string
	}{
		{"The Foreign Office said on Tuesday.", "2026-02-03"},
		{"He warned on Monday that it would fail.", "2026-02-02"},
		{"The main meeting would take place on Friday.", "2026-02-06"},
		{"The summit will open next Monday.", "2026-02-09"},
		{"They met last Tuesday.", "2026-01-27"},
		{"Talks are scheduled for March 3.", "2026-03-03"},
		{"The vote took place on 14 January 2026.", "2026-01-14"},
		{"Voting ended yesterday.", "2026-02-02"},
		{"The summit opens on February 30.", ""},
	}
	for _, tt := range tests {
		sents := x.tok.Sentences(tt.text)
		s := &sentence{toks: sents[0].Tokens, at: make([]*mention, len(sents[0].Tokens))}
		findDates(s, pub)
		got := ""
		if len(s.dates) > 0 {
			got = s.dates[0].value
		}
		if got != tt.want {
			t.Errorf("%q: date %q, want %q", tt.text, got, tt.want)
		}
	}
	// without a publication date, weekdays resolve to nothing
	sents := x.tok.Sentences("They met on Friday.")
	s := &sentence{toks: sents[0].Tokens, at: make([]*mention, len(sents[0].Tokens))}
	findDates(s, time.Time{})
	if len(s.dates) != 0 {
		t.Errorf("weekday resolved without a publication date: %v", s.dates)
	}
}
