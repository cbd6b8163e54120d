package exampleutil

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/ikdgo/ikd/verify"
)

// ErrNoCodeScanned is returned by ScanInputs when the input held no code at
// all: empty standard input, a -watch-once or -camera directory without
// images, a frame stream in which no code was read (exit status 3). It is
// neither a verdict on a person (1) nor something the operator must fix on
// the command line (2): a camera that saw nothing is told apart from both.
var ErrNoCodeScanned = errors.New("no code scanned")

// Notice is a line that is not a verdict, printed with -json as one JSON
// object on standard output: a warning about the configuration (Warning) or
// the summary of an interrupted run (Summary).
type Notice struct {
	// Source is what the notice is about: a status list file, "status",
	// or "summary".
	Source string `json:"source"`
	// Warning says what is wrong; the run goes on.
	Warning string `json:"warning,omitempty"`
	// Summary holds the counts of an interrupted -watch or -camera run.
	Summary *Summary `json:"summary,omitempty"`
}

// Summary counts the outcomes of a run.
type Summary struct {
	Accepted    int `json:"accepted"`
	Refused     int `json:"refused"`
	InputErrors int `json:"input_errors"`
}

// notify prints n: with -json as a JSON object on stdout, otherwise as a
// text line on env's notices.
func notify(jsonOut bool, env Env, stdout io.Writer, n Notice) {
	if jsonOut {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(n) // a failed write shows in the next verdict's write
		return
	}
	switch {
	case n.Summary != nil:
		fmt.Fprintf(env.Notices(), "interrupted: %d accepted, %d refused, %d input error(s)\n",
			n.Summary.Accepted, n.Summary.Refused, n.Summary.InputErrors)
	default:
		fmt.Fprintf(env.Notices(), "PERINGATAN / WARNING: %s: %s\n", n.Source, n.Warning)
	}
}

// AddStatusLists reads the -status files and passes each to add
// (Verifier.AddStatusList). A list older than one already added for the
// same issuer (verify.ReasonStatusRollback) is skipped with a warning, so a
// folder of downloaded lists keeps working: the newest list of each issuer
// is the one used, whatever order the files are named in. Any other error
// is a *UsageError (exit status 2). With no -status at all it warns once,
// before any code is read, that every code will be refused as
// status_unknown (or accepted with a warning under -warn-stale-status).
func (f *ScannerFlags) AddStatusLists(env Env, stdout io.Writer, add func(data []byte) error) error {
	if len(f.Status) == 0 {
		w := "no status list given (-status): every code will be refused as status_unknown"
		if f.WarnStaleStatus {
			w = "no status list given (-status): every code will be accepted with the warning status_unknown (-warn-stale-status)"
		}
		notify(f.JSON, env, stdout, Notice{Source: "status", Warning: w})
		return nil
	}
	older := func(err error) bool {
		var verr *verify.Error
		return errors.As(err, &verr) && verr.Reason == verify.ReasonStatusRollback
	}
	// First pass: add every list; one older than a list already added is
	// refused as a rollback. Second pass: add the accepted ones again; one
	// that a newer list of its issuer replaced is refused now. So each
	// older list is found, whatever the order of the files.
	datas := make([][]byte, len(f.Status))
	skipped := make([]bool, len(f.Status))
	for i, path := range f.Status {
		data, err := os.ReadFile(path)
		if err != nil {
			return Usagef("status list: %v", err)
		}
		datas[i] = data
		switch err := add(data); {
		case older(err):
			skipped[i] = true
		case err != nil:
			return Usagef("status list %s: %v", path, err)
		}
	}
	for i, path := range f.Status {
		if !skipped[i] {
			switch err := add(datas[i]); {
			case older(err):
				skipped[i] = true
			case err != nil:
				return Usagef("status list %s: %v", path, err)
			}
		}
		if skipped[i] {
			notify(f.JSON, env, stdout, Notice{Source: filepath.Base(path),
				Warning: "older than another status list of its issuer: skipped, the newer one is used"})
		}
	}
	return nil
}

// interrupt returns env.Stop, or a channel closed at the first SIGINT
// (after which a second SIGINT kills the process as usual), and a function
// that stops listening.
func (e Env) interrupt() (<-chan struct{}, func()) {
	if e.Stop != nil {
		return e.Stop, func() {}
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	stop, done := make(chan struct{}), make(chan struct{})
	go func() {
		select {
		case <-sig:
			close(stop)
			// A second SIGINT ends the process at once, even while a
			// raw frame read blocks on a stalled pipe.
			signal.Stop(sig)
		case <-done:
		}
	}()
	return stop, func() { signal.Stop(sig); close(done) }
}

// stopped reports whether stop is closed.
func stopped(stop <-chan struct{}) bool {
	select {
	case <-stop:
		return true
	default:
		return false
	}
}
