package main

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress is the progress bar of a long command on standard error:
// articles done (of how many, when known), articles/s, quads and
// quads/s, elapsed time and, with a known total, the time left.
type progress struct {
	bar   *progressbar.ProgressBar
	start time.Time
	last  time.Time
}

func newProgress(w io.Writer, total int) *progress {
	bar := progressbar.NewOptions(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("ingest"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("articles"),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(250*time.Millisecond),
		progressbar.OptionSetWidth(20),
		progressbar.OptionShowDescriptionAtLineEnd(),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSpinnerType(14),
	)
	return &progress{bar: bar, start: time.Now()}
}

// setTotal sets the number of articles expected.
func (p *progress) setTotal(n int) {
	p.bar.ChangeMax(n)
}

// update shows the articles and quads done so far.
func (p *progress) update(articles, quads int) {
	now := time.Now()
	if now.Sub(p.last) >= 250*time.Millisecond {
		p.last = now
		rate := float64(quads) / now.Sub(p.start).Seconds()
		p.bar.Describe(fmt.Sprintf("%s quads, %s quads/s", human(float64(quads)), human(rate)))
	}
	p.bar.Set(articles)
}

func (p *progress) finish() {
	p.bar.Finish()
}

// human writes a count with a k or M suffix.
func human(n float64) string {
	switch {
	case n >= 1e6:
		return fmt.Sprintf("%.1fM", n/1e6)
	case n >= 1e4:
		return fmt.Sprintf("%.0fk", n/1e3)
	case n >= 1e3:
		return fmt.Sprintf("%.1fk", n/1e3)
	}
	return fmt.Sprintf("%.0f", n)
}
