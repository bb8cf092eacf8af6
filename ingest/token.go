package ingest

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/newsgraph/newsgraph/schema"
)

// Kind is the kind of a token.
type Kind uint8

// Token kinds.
const (
	Word Kind = iota
	Number
	Punct
	Quote
)

// Token is a word, number, punctuation mark or quotation mark of a text.
type Token struct {
	Text       string // as written
	Low        string // lower case, accents stripped: the form lookups use
	Start, End int    // byte offsets in the text
	Kind       Kind
	Cap        bool // starts with an upper-case letter
	Upper      bool // every letter upper case (an acronym: "UN", "U.S.")
	// Glued is true when no space separates the token from the one before
	// ("Iran-US", "Pakistan's").
	Glued bool
	// bits are the word lists of lexicon.txt the token is in.
	bits wordList
}

// Sentence is a run of tokens ending at a full stop, question or
// exclamation mark outside quotes, or at a paragraph break.
type Sentence struct {
	Tokens     []Token
	Start, End int // byte offsets in the text
}

// Tokenizer splits text into sentences of tokens. It is safe for
// concurrent use.
type Tokenizer struct {
	abbrev map[string]bool // "mr", "gen": their period ends no sentence
	stop   map[string]bool
	// bits gives a word's word lists, so that each token is looked up
	// once; nil while the lexicon is being built.
	bits map[string]wordList
}

func isQuoteRune(r rune) bool {
	switch r {
	case '"', '“', '”', '„', '«', '»':
		return true
	}
	return false
}

func isApos(r rune) bool { return r == '\'' || r == '’' || r == '‘' }

// Tokenize splits text into tokens.
func (tk *Tokenizer) Tokenize(text string) []Token {
	toks := make([]Token, 0, len(text)/5)
	i := 0
	prevEnd := -1
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		start := i
		var kind Kind
		switch {
		case unicode.IsLetter(r):
			i = tk.scanWord(text, i)
			kind = Word
		case unicode.IsDigit(r):
			i = scanNumber(text, i)
			if i == start {
				i += size // a digit of another script: "٩"
			}
			kind = Number
			// "G20", "5G": digits glued to letters are one word
			for i < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[i:])
				if !unicode.IsLetter(r2) {
					break
				}
				i += s2
				kind = Word
			}
		case isQuoteRune(r):
			i += size
			kind = Quote
		case isApos(r):
			i += size
			kind = Quote
			// possessive "’s" after a word
			if prevEnd == start && i < len(text) && (text[i] == 's' || text[i] == 'S') && (i+1 == len(text) || !isLetterAt(text, i+1)) {
				i++
				kind = Word
			}
		case r == '.' && strings.HasPrefix(text[i:], "..."):
			for i < len(text) && text[i] == '.' {
				i++
			}
			kind = Punct
		default:
			i += size
			kind = Punct
		}
		tok := Token{Text: text[start:i], Start: start, End: i, Kind: kind, Glued: prevEnd == start}
		if kind == Word || kind == Number {
			tok.Low = lower(tok.Text)
			fr, _ := utf8.DecodeRuneInString(tok.Text)
			tok.Cap = unicode.IsUpper(fr)
			tok.Upper = tok.Cap && isUpperWord(tok.Text)
		} else {
			tok.Low = tok.Text
		}
		if tk.bits != nil {
			tok.bits = tk.bits[tok.Low]
		}
		toks = append(toks, tok)
		prevEnd = i
	}
	return toks
}

func isLetterAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r)
}

// scanWord reads a word from i: letters and digits, apostrophes inside a
// name ("d'Ivoire", "O'Brien"), dotted acronyms ("U.S.") and known
// abbreviations with their period ("Gen.").
func (tk *Tokenizer) scanWord(text string, i int) int {
	start := i
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			i += size
			continue
		case isApos(r) && i+size < len(text) && isLetterAt(text, i+size):
			// keep "d'Ivoire", but split the possessive "'s"
			j := i + size
			if (text[j] == 's' || text[j] == 'S') && (j+1 == len(text) || !isLetterAt(text, j+1)) {
				return i
			}
			i = j
			continue
		case r == '.':
			word := text[start:i]
			// a dotted acronym: "U.S.", "U.N."; or an initial: "F."
			if i+1 < len(text) && isLetterAt(text, i+1) && utf8.RuneCountInString(word[strings.LastIndexByte(word, '.')+1:]) == 1 {
				i++
				continue
			}
			if strings.Contains(word, ".") || (utf8.RuneCountInString(word) == 1 && unicode.IsUpper(firstRune(word))) || tk.abbrev[strings.ToLower(word)] {
				return i + 1
			}
		}
		break
	}
	return i
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func scanNumber(text string, i int) int {
	for i < len(text) {
		c := text[i]
		if c >= '0' && c <= '9' {
			i++
			continue
		}
		// "1,000", "3.5"
		if (c == ',' || c == '.') && i+1 < len(text) && text[i+1] >= '0' && text[i+1] <= '9' {
			i++
			continue
		}
		break
	}
	return i
}

func isUpperWord(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters++
		}
	}
	return letters > 0
}

// lower returns s in lower case with accents stripped; ASCII words, the
// common case, cost one allocation at most.
func lower(s string) string {
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return strings.ToLower(schema.Fold(s))
		}
		if c >= 'A' && c <= 'Z' {
			upper = true
		}
	}
	if upper {
		return strings.ToLower(s)
	}
	return s
}

// Sentences splits text into sentences. A paragraph break (a blank line)
// always ends one; a full stop, question or exclamation mark ends one
// unless it is inside a quotation.
func (tk *Tokenizer) Sentences(text string) []Sentence {
	toks := tk.Tokenize(text)
	var out []Sentence
	begin := 0
	inQuote := false
	emit := func(end int) {
		for end-begin > maxSentence {
			// no sentence runs this long: cut at a comma or semicolon,
			// so that the work per sentence stays bounded
			cut := begin + maxSentence
			for k := cut - 1; k > begin+maxSentence/2; k-- {
				if toks[k].Text == "," || toks[k].Text == ";" {
					cut = k + 1
					break
				}
			}
			out = append(out, Sentence{Tokens: toks[begin:cut:cut], Start: toks[begin].Start, End: toks[cut-1].End})
			begin = cut
		}
		if end > begin {
			s := Sentence{Tokens: toks[begin:end:end], Start: toks[begin].Start, End: toks[end-1].End}
			out = append(out, s)
		}
		begin = end
		inQuote = false
	}
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if i > begin && paragraphBreak(text[toks[i-1].End:t.Start]) {
			emit(i)
		}
		switch t.Kind {
		case Quote:
			switch t.Text {
			case "“", "«", "„":
				inQuote = true
			case "”", "»":
				inQuote = false
			case `"`:
				inQuote = !inQuote
			}
		case Punct:
			if inQuote || (t.Text != "." && t.Text != "!" && t.Text != "?") {
				continue
			}
			end := i + 1
			// closing quotes and brackets stay with the sentence
			for end < len(toks) && (toks[end].Text == "”" || toks[end].Text == ")" || (toks[end].Text == `"` && toks[end].Glued)) {
				end++
			}
			emit(end)
			i = end - 1
		case Word:
			// "the U.S. The talks": a dotted acronym ends a sentence when
			// a sentence-starting word follows.
			if strings.HasSuffix(t.Text, ".") && i+1 < len(toks) && toks[i+1].Cap && tk.stop[toks[i+1].Low] && !inQuote {
				emit(i + 1)
			}
		}
	}
	emit(len(toks))
	return out
}

// maxSentence is the most tokens a sentence may have; longer runs without
// a full stop (lists, tables, garbage) are cut.
const maxSentence = 120

func paragraphBreak(gap string) bool {
	return strings.Count(gap, "\n") >= 2
}
