package ingest

import (
	"strconv"
	"strings"
	"time"
)

// dateExpr is a phrase of a sentence that names a day, resolved against
// the article's publication date.
type dateExpr struct {
	start, end int
	value      string // YYYY-MM-DD
}

var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
	"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
}

var months = map[string]time.Month{
	"january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
	"may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
	"september": 9, "sep": 9, "sept": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}

// futureWords mark a sentence that speaks of what is to come, so that
// "on Friday" is the coming Friday rather than the last.
var futureWords = map[string]bool{
	"will": true, "would": true, "'ll": true, "scheduled": true, "expected": true, "due": true,
	"set": true, "planned": true, "plans": true, "upcoming": true, "next": true, "shall": true, "later": true,
}

// findDates resolves the day-naming phrases of a sentence. Without a
// publication date only explicit dates with a year resolve.
func findDates(s *sentence, pub time.Time) {
	toks := s.toks
	// futureBefore[i]: a word of the future stands before token i, so a
	// day named there is to come ("would take place on Friday"); "warned
	// on Monday that it would fail" speaks of the past.
	futureBefore := make([]bool, len(toks)+1)
	pastBefore := make([]bool, len(toks)+1)
	for i, t := range toks {
		futureBefore[i+1] = futureBefore[i] || futureWords[t.Low]
		pastBefore[i+1] = pastBefore[i] || isPast(t)
	}
	for i := 0; i < len(toks); i++ {
		future := futureBefore[i]
		if i < 3 {
			// "On Friday, the leaders will meet"
			future = futureBefore[len(toks)]
		}
		w := strings.TrimSuffix(toks[i].Low, ".")
		if wd, ok := weekdays[w]; ok && toks[i].Cap {
			if pub.IsZero() {
				continue
			}
			start := i
			tense := tenseUnknown
			switch {
			case i+1 < len(toks) && (toks[i+1].Low == "'s" || toks[i+1].Low == "’s"):
				// "Thursday's election": the nearest Thursday
			case future:
				tense = tenseFuture
			case pastBefore[i] || i < 3 && pastBefore[len(toks)]:
				tense = tensePast
			}
			switch toks[max(i-1, 0)].Low {
			case "next":
				tense, start = tenseFuture, i-1
			case "last":
				tense, start = tensePast, i-1
			case "this":
				start = i - 1
			}
			d := resolveWeekday(pub, wd, tense, toks[max(i-1, 0)].Low)
			s.dates = append(s.dates, dateExpr{start: start, end: i + 1, value: d.Format("2006-01-02")})
			continue
		}
		if mo, ok := months[w]; ok && toks[i].Cap {
			// "March 3", "March 3, 2026"
			if i+1 < len(toks) && toks[i+1].Kind == Number && len(toks[i+1].Text) <= 2 {
				day, err := strconv.Atoi(toks[i+1].Text)
				if err != nil || day < 1 || day > 31 {
					continue
				}
				end := i + 2
				year := 0
				if end+1 < len(toks) && toks[end].Low == "," && toks[end+1].Kind == Number && len(toks[end+1].Text) == 4 {
					year, _ = strconv.Atoi(toks[end+1].Text)
					end += 2
				} else if end < len(toks) && toks[end].Kind == Number && len(toks[end].Text) == 4 {
					year, _ = strconv.Atoi(toks[end].Text)
					end++
				}
				if d, ok := dayIn(pub, year, mo, day, future); ok {
					s.dates = append(s.dates, dateExpr{start: i, end: end, value: d})
				}
				continue
			}
			// "3 March"
			if i > 0 && toks[i-1].Kind == Number {
				day, err := strconv.Atoi(toks[i-1].Text)
				if err != nil || day < 1 || day > 31 {
					continue
				}
				end := i + 1
				year := 0
				if end < len(toks) && toks[end].Kind == Number && len(toks[end].Text) == 4 {
					year, _ = strconv.Atoi(toks[end].Text)
					end++
				}
				if d, ok := dayIn(pub, year, mo, day, future); ok {
					s.dates = append(s.dates, dateExpr{start: i - 1, end: end, value: d})
				}
			}
			continue
		}
		if pub.IsZero() {
			continue
		}
		switch w {
		case "today":
			s.dates = append(s.dates, dateExpr{start: i, end: i + 1, value: pub.Format("2006-01-02")})
		case "yesterday":
			s.dates = append(s.dates, dateExpr{start: i, end: i + 1, value: pub.AddDate(0, 0, -1).Format("2006-01-02")})
		case "tomorrow":
			s.dates = append(s.dates, dateExpr{start: i, end: i + 1, value: pub.AddDate(0, 0, 1).Format("2006-01-02")})
		}
	}
}

// tense says which way a sentence looks from its publication day.
type tense uint8

const (
	tenseUnknown tense = iota
	tensePast
	tenseFuture
)

// pastVerbs are irregular past forms that mark a sentence as past.
var pastVerbs = map[string]bool{
	"said": true, "met": true, "told": true, "held": true, "was": true, "were": true, "took": true,
	"began": true, "came": true, "went": true, "made": true, "gave": true, "left": true, "won": true,
	"fought": true, "struck": true, "sent": true, "led": true, "rose": true, "fell": true, "broke": true,
	"saw": true, "spoke": true, "wrote": true, "flew": true, "ago": true, "earlier": true,
}

// isPast reports a token that marks the past: an irregular past form or
// a verb-like word ending in -ed.
func isPast(t Token) bool {
	if t.Kind != Word || t.Cap {
		return false
	}
	return pastVerbs[t.Low] || len(t.Low) > 4 && strings.HasSuffix(t.Low, "ed")
}

// resolveWeekday returns the day a weekday names: the coming one for the
// future, the last one (or the publication day itself) for the past, and
// the nearest one when the sentence does not say.
func resolveWeekday(pub time.Time, wd time.Weekday, t tense, before string) time.Time {
	diff := int(wd - pub.Weekday())
	if t == tenseUnknown {
		if diff > 3 {
			diff -= 7
		} else if diff < -3 {
			diff += 7
		}
		return pub.AddDate(0, 0, diff)
	}
	future := t == tenseFuture
	if future {
		if diff < 0 || (diff == 0 && before == "next") {
			diff += 7
		}
		return pub.AddDate(0, 0, diff)
	}
	if diff > 0 || (diff == 0 && before == "last") {
		diff -= 7
	}
	return pub.AddDate(0, 0, diff)
}

// dayIn resolves a month and day, taking the year from the text or the
// publication date.
func dayIn(pub time.Time, year int, mo time.Month, day int, future bool) (string, bool) {
	if year == 0 {
		if pub.IsZero() {
			return "", false
		}
		year = pub.Year()
		d := time.Date(year, mo, day, 0, 0, 0, 0, time.UTC)
		// "on January 5" in a December article about what is to come
		if future && d.Before(pub.AddDate(0, -2, 0)) {
			year++
		}
	}
	d := time.Date(year, mo, day, 0, 0, 0, 0, time.UTC)
	if d.Day() != day {
		return "", false
	}
	return d.Format("2006-01-02"), true
}
