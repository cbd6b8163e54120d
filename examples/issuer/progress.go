package main

import (
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/ikdgo/ikd/examples/internal/exampleutil"
)

// progressReporter shows a batch's progress.
type progressReporter interface {
	// update says that rows up to done (of the total) are through.
	update(done int)
	// finish ends the display.
	finish()
}

// progressFor returns how to report progress in mode: "bar" draws a
// progress bar with the rate and the time left on standard error, "lines"
// prints a plain line at every tenth of the batch (for logs and pipes),
// "off" nothing; "auto" is "bar" when standard error is a terminal and
// "lines" otherwise.
func progressFor(e env, mode string) (func(total, done int) progressReporter, error) {
	if mode == "auto" {
		mode = "lines"
		if e.stderrTerminal {
			mode = "bar"
		}
	}
	switch mode {
	case "bar":
		return func(total, done int) progressReporter {
			bar := progressbar.NewOptions(total,
				progressbar.OptionSetWriter(e.stderr),
				progressbar.OptionSetDescription("issuing"),
				progressbar.OptionShowCount(),
				progressbar.OptionShowIts(),
				progressbar.OptionSetItsString("rows"),
				progressbar.OptionSetPredictTime(true),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionFullWidth(),
			)
			_ = bar.Set(done)
			return &barReporter{bar: bar, w: e.stderr}
		}, nil
	case "lines":
		return func(total, done int) progressReporter {
			return &lineReporter{w: e.stderr, clock: e.Clock(), total: total, from: done, start: e.Clock()(), next: nextTenth(done, total)}
		}, nil
	case "off":
		return func(int, int) progressReporter { return nopReporter{} }, nil
	}
	return nil, exampleutil.Usagef("batch: -progress must be auto, bar, lines or off, not %q", mode)
}

type barReporter struct {
	bar *progressbar.ProgressBar
	w   io.Writer
}

func (b *barReporter) update(done int) { _ = b.bar.Set(done) }

func (b *barReporter) finish() {
	_ = b.bar.Finish()
	fmt.Fprintln(b.w)
}

// lineReporter prints "issuing: 30000/100000 rows (30%), 3120 rows/s,
// 22s left" each time another tenth of the batch is through.
type lineReporter struct {
	w           io.Writer
	clock       func() time.Time
	total, from int
	start       time.Time
	next        int
}

func nextTenth(done, total int) int { return (done*10/total + 1) * total / 10 }

func (l *lineReporter) update(done int) {
	if done < l.next && done < l.total {
		return
	}
	l.next = nextTenth(done, l.total)
	elapsed := l.clock().Sub(l.start)
	rate, left := 0.0, "?"
	if elapsed > 0 && done > l.from {
		rate = float64(done-l.from) / elapsed.Seconds()
		left = time.Duration(float64(l.total-done) / rate * float64(time.Second)).Round(time.Second).String()
	}
	fmt.Fprintf(l.w, "issuing: %d/%d rows (%d%%), %.0f rows/s, %s left\n", done, l.total, done*100/l.total, rate, left)
}

func (l *lineReporter) finish() {}

type nopReporter struct{}

func (nopReporter) update(int) {}
func (nopReporter) finish()    {}
